import Foundation
import Testing
@testable import NeuralKernels

@Suite struct ExpressionTests {
    @Test func parsesAndEvaluatesWithPrecedence() throws {
        let cases: [(String, Double, Double)] = [
            ("1 + 2 * 3", 0, 7), ("-x^2", 3, -9), ("2^3^2", 0, 512), ("(1 + x) / 4", 3, 1),
            ("0.5*x^2", 2, 2), ("exp(x) - 1", 0, 0), ("pi", 0, Double.pi), ("1e-3 * x", 2, 0.002),
            ("abs(x) + sqrt(4)", -3, 5), ("log1p(x) + expm1(x)", 0, 0), ("erf(x)", 0.5, erf(0.5)),
            ("tanh(x) * cos(x) + sin(x)", 0.3, tanh(0.3) * cos(0.3) + sin(0.3)), ("x^-1", 4, 0.25),
            ("--x", 2, 2), (".5", 0, 0.5), ("e", 0, M_E), ("2 * e", 0, 2 * M_E),
            ("2^-x", 1, 0.5), ("5.", 0, 5), ("-2^2", 0, -4), ("1.5E+2 * x", 2, 300),
        ]
        for (text, x, expected) in cases {
            let e = try ExpressionParser.parse(text)
            let value = e.evaluate(x)
            #expect(Swift.abs(value - expected) <= 1e-15 * max(1, Swift.abs(expected)), "\(text) at \(x): \(value)")
            #expect(CompiledExpression(e).evaluate(x) == value, "compiled \(text)")
        }
    }

    @Test func descriptionRoundTrips() throws {
        for text in [
            "0.5*x^2 - exp(-x)/3", "-x^2 + abs(x - 1)", "sqrt(1 + x^2) * erf(x/2)", "x^(-0.5) - (-3)*x", "2^-x^-1",
        ] {
            let e = try ExpressionParser.parse(text)
            let again = try ExpressionParser.parse(e.description)
            for x in [-1.7, 0.3, 2.2] {
                let (u, v) = (e.evaluate(x), again.evaluate(x))
                #expect(u == v || (u.isNaN && v.isNaN), "\(text) at \(x)")
            }
        }
    }

    /// Symbolic derivatives against hand-derived formulas and central differences.
    @Test func derivativesAreExact() throws {
        let cases: [(String, (Double) -> Double)] = [
            ("x^3", { 3 * $0 * $0 }),
            ("exp(x) - 1", { exp($0) }),
            (
                "x * tanh(log1p(exp(x)))",
                { x in
                    let sp = log1p(exp(x))
                    let t = tanh(sp)
                    return t + x * (1 - t * t) / (1 + exp(-x))
                }
            ),
            ("erf(x/2)", { 2 / Double.pi.squareRoot() * exp(-$0 * $0 / 4) / 2 }),
            ("sqrt(1 + x^2)", { $0 / (1 + $0 * $0).squareRoot() }),
            ("sin(x)/x", { x in (x * cos(x) - sin(x)) / (x * x) }),
            ("2^x", { pow(2, $0) * log(2) }),
        ]
        for (text, exact) in cases {
            let d = try ExpressionParser.parse(text).derivative()
            for x in [-1.3, 0.4, 2.1] {
                #expect(Swift.abs(d.evaluate(x) - exact(x)) <= 1e-14 * max(1, Swift.abs(exact(x))), "\(text)' at \(x)")
                let e = try ExpressionParser.parse(text)
                let h = 1e-5
                let central = (e.evaluate(x + h) - e.evaluate(x - h)) / (2 * h)
                #expect(Swift.abs(d.evaluate(x) - central) <= 1e-8 * max(1, Swift.abs(central)))
            }
        }
    }

    /// Repeated derivatives of a quotient by a constant stay a quotient by that constant
    /// (dividing by b^2 at every step had grown like b^(2^k) and overflowed after ten steps).
    @Test func repeatedDerivativesOfAQuotientStayFinite() throws {
        var e = try ExpressionParser.parse("exp(x/3)/7")
        for _ in 0..<12 { e = e.derivative() }
        let expected = exp(1.0 / 3) / 7 / pow(3, 12)
        #expect(Swift.abs(e.evaluate(1) - expected) <= 1e-14 * expected)
    }

    @Test func errorsNameThePlaceAndWhatIsAllowed() {
        func message(_ text: String) -> String {
            do {
                _ = try ExpressionParser.parse(text)
                return ""
            } catch { return "\(error)" }
        }
        #expect(message("1 + ").contains("expected a number, x, pi, a function or '('"))
        #expect(message("foo(x)").contains("unknown name 'foo'"))
        #expect(message("(x + 1").contains("missing ')'"))
        #expect(message("x x").contains("column 3"))
        #expect(message("").contains("empty"))
        #expect(
            message(String(repeating: "(", count: 500) + "x" + String(repeating: ")", count: 500)).contains(
                "nested deeper"))
        #expect(message("1.2.3").contains("malformed number"))
    }
}

@Suite struct PiecewiseActivationTests {
    @Test func regularityJumpAndParityAreDetected() throws {
        let cases: [(String, Regularity, Parity)] = [
            ("piecewise(0.5*x^2; x)", .kink(degree: 1, jump: 1), .neither),
            ("piecewise(0; x)", .kink(degree: 1, jump: 1), .neither),
            ("piecewise(exp(x)-1; x)", .kink(degree: 2, jump: -1), .neither),
            ("piecewise(x; x)", .polynomial(degree: 1), .odd),
            ("piecewise(0; x^3)", .kink(degree: 3, jump: 6), .neither),
            ("piecewise(tanh(x); tanh(x))", .analytic, .odd),
            ("piecewise(-x; x)", .kink(degree: 1, jump: 2), .even),
            ("piecewise(0; 1)", .kink(degree: 0, jump: 1), .neither),
        ]
        for (text, regularity, parity) in cases {
            let a = try ActivationCatalogue.activation(named: text)
            #expect(a.regularity == regularity, "\(text): \(a.regularity)")
            #expect(a.parity == parity, "\(text): \(a.parity)")
            #expect(a.name == text)
        }
    }

    /// The quadrature dual of a user ReLU equals the closed-form arc-cosine kernel.
    @Test func userReLUMatchesClosedForm() throws {
        let user = DualActivation(try ActivationCatalogue.activation(named: "piecewise(0; x)"))
        let relu = DualActivation(.relu)
        for (q1, q2, c) in [(1.0, 1.0, 0.3), (2.0, 0.5, -0.9), (1.0, 1.0, 1 - 1e-12)] {
            #expect(Swift.abs(user.nngp(q1: q1, q2: q2, c: c) - relu.nngp(q1: q1, q2: q2, c: c)) <= 1e-13)
            #expect(Swift.abs(user.derivative(q1: q1, q2: q2, c: c) - relu.derivative(q1: q1, q2: q2, c: c)) <= 1e-13)
        }
    }

    @Test func badBranchesAreRejected() {
        for text in [
            "piecewise(exp(x^2); x)", "piecewise(0; sqrt(x))", "piecewise(0; log(x))", "piecewise(x)",
            "piecewise(1/x; x)",
        ] {
            #expect(throws: KernelError.self, "\(text)") { try ActivationCatalogue.activation(named: text) }
        }
    }
}
