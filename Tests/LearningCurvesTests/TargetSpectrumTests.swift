import Foundation
import Testing
import NeuralKernels
import SphericalSpectra
import _NumericalBackends
@testable import LearningCurves

/// Target spectra: p_k = ||f_k||^2 under the uniform probability measure, checked against
/// Gauss-Gegenbauer quadrature of the functions themselves (GSL, independent of the package's
/// Funk-Hecke route), Parseval, and the Hurwitz zeta function.
@Suite struct TargetSpectrumTests {
    /// E[g(<x, e>)^2] on S^{d-1}: the density of t is c_d (1 - t^2)^{(d-3)/2}, integrated by a
    /// 200-point GSL Gauss-Gegenbauer rule (exact for polynomials of degree 399).
    static func meanSquare(dimension d: Int, _ g: (Double) -> Double) throws -> Double {
        let alpha = 0.5 * Double(d - 3)
        let rule = try GSL.gaussRule(.gegenbauer(alpha: alpha), count: 200, on: -1, 1)
        let total = rule.weights.reduce(0, +)
        return zip(rule.nodes, rule.weights).reduce(0) { $0 + $1.1 * g($1.0) * g($1.0) } / total
    }

    /// ||P_k(<., e>)||^2 = 1/N(d, k): legendre:k:c has p_k = c^2/N(d, k).
    @Test(arguments: [2, 3, 5, 10])
    func legendrePowerIsTheMeanSquareOfTheFunction(d: Int) throws {
        let target = try TargetSpecification("legendre:3:1,1:0.5,7:-2")
        let s = try target.spectrum(dimension: d, kmax: 20)
        for (k, c) in [(1, 0.5), (3, 1.0), (7, -2.0)] {
            let direct = try Self.meanSquare(dimension: d) { c * NormalisedGegenbauer.value(k, dimension: d, at: $0) }
            #expect(Swift.abs(s.power[k] - direct) <= 1e-13 * direct, "d \(d) k \(k): \(s.power[k]) vs \(direct)")
        }
        let whole = try Self.meanSquare(dimension: d) { t in
            0.5 * NormalisedGegenbauer.value(1, dimension: d, at: t)
                + NormalisedGegenbauer.value(3, dimension: d, at: t)
                - 2 * NormalisedGegenbauer.value(7, dimension: d, at: t)
        }
        #expect(Swift.abs(s.totalPower - whole) <= 1e-13 * whole)
        #expect(s.power.enumerated().allSatisfy { [1, 3, 7].contains($0.offset) || $0.element == 0 })
    }

    /// The expression route (Funk-Hecke coefficients of g by the spectral quadrature) against
    /// the exact Legendre expansion t^3 = (3/5) P_1 + (2/5) P_3 on S^2, and Parseval for
    /// non-polynomial g, with the power of unresolved coefficients bounded.
    @Test func expressionTargetsProjectOntoDegrees() throws {
        let cubic = try TargetSpecification("t^3").spectrum(dimension: 3, kmax: 40)
        let exact = try TargetSpecification("legendre:1:0.6,3:0.4").spectrum(dimension: 3, kmax: 40)
        for k in 0...40 { #expect(Swift.abs(cubic.power[k] - exact.power[k]) <= 1e-15, "k \(k)") }
        #expect(cubic.unresolvedPower <= 1e-14)
        for (text, g) in [
            ("exp(t)", { (t: Double) in exp(t) }), ("abs(t)", { (t: Double) in Swift.abs(t) }),
            ("sqrt(1 - t)", { (t: Double) in (1 - t).squareRoot() }),
        ] {
            for d in [3, 5] {
                let s = try TargetSpecification(text).spectrum(dimension: d, kmax: 2000)
                let direct = try Self.meanSquare(dimension: d, g)
                // |t| and sqrt(1 - t) converge only algebraically under Gauss-Gegenbauer in t:
                // compare to its accuracy there, the spectrum's own Parseval bound everywhere.
                let quadrature = text == "exp(t)" ? 1e-14 : 1e-5
                #expect(Swift.abs(s.totalPower - direct) <= quadrature * direct + s.unresolvedPower, "\(text) d \(d)")
                #expect(s.unresolvedPower <= 1e-9 * direct, "\(text) d \(d): unresolved power \(s.unresolvedPower)")
            }
        }
        // |t| is even: no odd power; its even powers decay like k^-4 on S^2 (fitted).
        let abs = try TargetSpecification("abs(t)").spectrum(dimension: 3, kmax: 2000)
        #expect(abs.oddSmoothness == .none)
        guard case .powerLaw(let beta, true) = abs.evenSmoothness else {
            Issue.record("abs(t): \(abs.evenSmoothness)")
            return
        }
        #expect(Swift.abs(beta - 4) <= 0.05, "beta \(beta)")
        #expect(try TargetSpecification("exp(t)").spectrum(dimension: 3, kmax: 200).evenSmoothness == .saturating)
    }

    /// power:beta has unit norm, p_k = k^-beta/zeta(beta), and the parities' power past kmax
    /// equals the directly summed remainder.
    @Test(arguments: [1.5, 3.0, 7.0])
    func powerLawTargetIsNormalisedAndSplitsItsTailByParity(beta: Double) throws {
        let s = try TargetSpecification("power:\(beta)").spectrum(dimension: 3, kmax: 1000)
        #expect(Swift.abs(s.totalPower - 1) <= 1e-13)
        #expect(s.power[0] == 0)
        let zeta = try GSL.hurwitzZeta(beta, 1).value
        #expect(Swift.abs(s.power[10] - pow(10, -beta) / zeta) <= 1e-15 * s.power[10])
        var even = 0.0
        var odd = 0.0
        for k in stride(from: 2_000_000, through: 1001, by: -1) {
            if k % 2 == 0 { even += pow(Double(k), -beta) } else { odd += pow(Double(k), -beta) }
        }
        // Past the direct sum the two parities share the rest evenly up to one term, 2e6^-beta.
        let rest = try GSL.hurwitzZeta(beta, 2_000_001).value / zeta
        let split = pow(2e6, -beta) / zeta
        #expect(Swift.abs(s.powerBeyondEven - (even / zeta + rest / 2)) <= 1e-12 * s.powerBeyondEven + split)
        #expect(Swift.abs(s.powerBeyondOdd - (odd / zeta + rest / 2)) <= 1e-12 * s.powerBeyondOdd + split)
        // sobolev:s is power:2s+1.
        let sobolev = try TargetSpecification("sobolev:\((beta - 1) / 2)").spectrum(dimension: 3, kmax: 1000)
        #expect(sobolev.power == s.power)
    }

    @Test(arguments: [
        "legendre:3", "legendre:x:1", "legendre:-1:2", "power:1", "power:abc", "sobolev:0", "sobolev:-2",
        "exp(t", "legendre:3:nan", "",
    ])
    func badTargetsAreRefused(text: String) {
        #expect(throws: LearningCurveError.self) { _ = try TargetSpecification(text).spectrum(dimension: 3, kmax: 100) }
    }
}
