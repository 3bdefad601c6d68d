import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// Duals of activations with kinks and jumps away from 0 (hardtanh, ReLU6, a shifted ReLU, a
/// jump, a mixed piecewise) against 30-digit mpmath references
/// (scripts/fixtures/breakpoint_dual_fixtures.py), at rho = 0, +-0.999, +-1, 1 - 1e-7 and
/// unequal variances: relative error <= 1e-12 with an absolute floor of 1e-14 of the scale.
@Suite struct BreakpointQuadratureTests {
    @Test func dualsMatchHighPrecisionReferences() throws {
        let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        let table = try FixtureTable(dir.appendingPathComponent("breakpoint_duals.csv"))
        let c = ["activation", "q1", "q2", "rho", "nngp", "derivative"].map(table.column)
        #expect(table.rows.count == 60)
        var worst = 0.0
        let start = Date()
        for row in table.rows {
            let activation = try ActivationCatalogue.activation(named: row[c[0]])
            #expect(!activation.breakpoints.isEmpty)
            let dual = DualActivation(activation)
            let q1 = Double(row[c[1]])!
            let q2 = Double(row[c[2]])!
            let rho = Double(row[c[3]])!
            let pair = GaussianPair(q1: q1, q2: q2, c: rho * (q1 * q2).squareRoot())
            let refN = Double(row[c[4]])!
            let refD = Double(row[c[5]])!
            // The quadrature itself (the closed form of these piecewise-affine activations is
            // checked in PiecewiseLinearDualsTests; the quadrature is its fallback and the route
            // of curved pieces).
            let n = dual.nngpByQuadrature(pair)
            let d = dual.derivativeByQuadrature(pair)
            let scaleN = (dual.secondMoment(q: q1) * dual.secondMoment(q: q2)).squareRoot()
            let scaleD = (dual.derivativeSecondMoment(q: q1) * dual.derivativeSecondMoment(q: q2)).squareRoot()
            #expect(
                Swift.abs(n - refN) <= 1e-12 * Swift.abs(refN) + 1e-14 * scaleN,
                "\(activation) nngp q1=\(q1) q2=\(q2) rho=\(rho): \(n) vs \(refN)")
            #expect(
                Swift.abs(d - refD) <= 1e-12 * Swift.abs(refD) + 1e-14 * scaleD,
                "\(activation) derivative q1=\(q1) q2=\(q2) rho=\(rho): \(d) vs \(refD)")
            worst = max(
                worst, Swift.abs(n - refN) / max(Swift.abs(refN), 1e-14 * scaleN),
                Swift.abs(d - refD) / max(Swift.abs(refD), 1e-14 * scaleD))
        }
        print(
            "breakpoint duals: worst relative error \(worst), \(Date().timeIntervalSince(start)) s for \(table.rows.count) rows"
        )
    }

    @Test func breakpointsAreFoundFromTheExpression() throws {
        let hardtanh = try ActivationCatalogue.activation(
            named: "piecewise((abs(x+1)-abs(x-1))/2; (abs(x+1)-abs(x-1))/2)")
        #expect(hardtanh.breakpoints == [-1, 0, 1])
        #expect(hardtanh.regularity.nonSmoothnessDegree == 1)
        #expect(hardtanh.parity == .odd)
        let shifted = try ActivationCatalogue.activation(named: "piecewise(abs(x-1); abs(x-1))")
        #expect(shifted.breakpoints.contains(1))
        #expect(try ActivationCatalogue.activation(named: "relu6").breakpoints == [0, 6])
        let jump = try ActivationCatalogue.activation(named: "piecewise(x; 0.5: x+1)")
        #expect(jump.regularity.nonSmoothnessDegree == 0)
        // A non-affine abs argument: zeros of x^2 - 2 at -+sqrt 2.
        let curved = try ActivationCatalogue.activation(named: "piecewise(abs(x^2-2); abs(x^2-2))")
        #expect(curved.breakpoints.count == 3)
        #expect(Swift.abs(curved.breakpoints[2] - 2.0.squareRoot()) < 1e-14)
        // The abs form of hardtanh and the catalogue entry agree.
        let a = DualActivation(hardtanh)
        let b = DualActivation(.hardtanh)
        let pair = GaussianPair(q1: 1.7, q2: 0.6, c: 0.8)
        #expect(Swift.abs(a.nngp(pair) - b.nngp(pair)) <= 1e-14 * b.nngp(pair))
    }

    /// The two-layer hardtanh NNGP on the sphere at t = 0.5 (q = 2, c = 1.5), through the
    /// tabulated sphere kernel, against mpmath (E[phi(u) phi(v)] + 1 = 1.4397301386137339911:
    /// `piecewise_expectation` of scripts/fixtures/conditional_dual_fixtures.py at q1 = q2 = 2,
    /// c = 1.5, exact inner expectation and mpmath.quad split at the kinks; 35 and 45 digits
    /// agree to 1.4397301386137339911290794).
    @Test func sphereKernelThroughTheTableMatchesReference() throws {
        let sphere = try SphereKernel(NetworkKernel(activation: .hardtanh, depth: 2))
        let value = sphere.nngp(0.5)
        #expect(Swift.abs(value - 1.4397301386137339911) <= 1e-12, "\(value)")
    }

    @Test func badBreakpointSyntaxIsOneClearLine() {
        for (text, needle) in [
            ("piecewise(x", "closing ')'"), ("piecewise(0; 1: x; 0.5: 1)", "increasing"),
            ("piecewise(0; a: x)", "finite number"), ("piecewise(1: 0; x)", "first piece"),
            ("piecewise(0; 1: x; 2)", "'C: EXPR'"),
        ] {
            do {
                _ = try ActivationCatalogue.activation(named: text)
                Issue.record("accepted \(text)")
            } catch { #expect("\(error)".contains(needle), "\(text): \(error)") }
        }
    }
}

/// Expression-parser limits: parentheses count once toward the nesting limit, a long flat sum
/// is not nesting, and a long expression is not echoed whole.
@Suite struct ExpressionLimitTests {
    @Test func parenthesesCountOnceAndFlatSumsAreNotNesting() throws {
        let nested = String(repeating: "(", count: 200) + "x" + String(repeating: ")", count: 200)
        #expect(try ExpressionParser.parse(nested).evaluate(0.5) == 0.5)
        let sum = "x" + String(repeating: "+x", count: 400)
        #expect(try ExpressionParser.parse(sum).evaluate(1) == 401)
        let mixed = "1" + String(repeating: "-x+2", count: 300)
        #expect(try ExpressionParser.parse(mixed).evaluate(1.5) == 1 + 300 * 0.5)
        do {
            _ = try ExpressionParser.parse(
                String(repeating: "(", count: 300) + "x" + String(repeating: ")", count: 300))
            Issue.record("accepted 300 levels")
        } catch { #expect("\(error)".contains("nested deeper")) }
    }

    @Test func longExpressionsAreTruncatedInErrors() {
        let long = String(repeating: "x+", count: 4000) + "?"
        do {
            _ = try ExpressionParser.parse(long)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".count < 300)
            #expect("\(error)".contains("8001 characters"))
        }
        do {
            _ = try ActivationCatalogue.activation(named: String(repeating: "y", count: 5000))
            Issue.record("accepted")
        } catch { #expect("\(error)".count < 800) }
    }
}
