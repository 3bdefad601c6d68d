import Foundation
import Testing
@testable import LearningCurves

/// The self-consistent equation against closed forms: one block of R equal eigenvalues mu
/// (a kernel with finitely many non-zero eigenvalues) makes it the quadratic
/// n kappa^2 + (n mu - R mu - lambda) kappa - lambda mu = 0, and the learning curve follows in
/// closed form; ridgeless past the rank there is no root (kappa = 0, exact interpolation).
@Suite struct EffectiveRegularisationTests {
    /// A single degree-2 block on S^2: mu_2 = 0.2 with N(3, 2) = 5 harmonics.
    static let block = (mu: 0.2, rank: 5.0)

    static func closedForm(n: Double, lambda: Double, noise: Double, power: Double) -> (kappa: Double, error: Double) {
        let (mu, r) = block
        let b = n * mu - r * mu - lambda
        // The root of the quadratic without cancellation (b > 0: the conjugate form).
        let root = (b * b + 4 * n * lambda * mu).squareRoot()
        let kappa =
            lambda == 0 ? max(0, mu * (r - n) / n) : (b > 0 ? 2 * lambda * mu / (b + root) : (-b + root) / (2 * n))
        let l = kappa == 0 ? 1 : mu / (mu + kappa)
        let unlearned = kappa / (mu + kappa)
        let gamma = r * l * l / n
        return (kappa, (unlearned * unlearned * power + noise * gamma) / (1 - gamma))
    }

    @Test(arguments: [
        (1.0, 1e-3), (3, 1e-3), (5, 0.5), (8, 0.5), (20, 1e-3), (2, 0), (4, 0), (7, 0), (30, 0), (1e6, 2.5),
    ])
    func singleBlockMatchesTheQuadratic(n: Double, lambda: Double) throws {
        let modes = try KernelModes(dimension: 3, mu: [0, 0, Self.block.mu])
        let target = TargetSpectrum(
            dimension: 3, name: "P_2", power: [0, 0, 0.3], evenSmoothness: .saturating, oddSmoothness: .none)
        for noise in [0.0, 0.1] {
            let predictor = try LearningCurvePredictor(modes: modes, target: target)
            let point = predictor.point(n: Int(n), ridge: lambda, noise: noise)
            let exact = Self.closedForm(n: n, lambda: lambda, noise: noise, power: 0.3)
            #expect(point.solverConverged && point.resolved)
            #expect(
                Swift.abs(point.kappa - exact.kappa) <= 1e-13 * max(exact.kappa, 1e-300),
                "n \(n) lambda \(lambda): kappa \(point.kappa) vs \(exact.kappa)")
            let e = try #require(point.testError)
            #expect(
                Swift.abs(e - exact.error) <= 1e-12 * exact.error + 1e-300,
                "n \(n) lambda \(lambda) noise \(noise): E \(e) vs \(exact.error)")
        }
    }

    /// Ridgeless at n = R the interpolant's variance factor 1/(1 - gamma) is infinite: the
    /// prediction is reported as diverging (no number), and JSON carries null.
    @Test func interpolationPeakIsReportedNotPrinted() throws {
        let modes = try KernelModes(dimension: 3, mu: [0, 0, 0.2])
        let target = TargetSpectrum(
            dimension: 3, name: "P_2", power: [0, 0, 0.3], evenSmoothness: .saturating, oddSmoothness: .none)
        let curve = try LearningCurve(modes: modes, target: target, sampleSizes: [5, 6], ridge: 0, noise: 0.1)
        #expect(curve.points[0].testError == nil && !curve.points[0].resolved)
        #expect(curve.points[0].note?.contains("diverges") == true)
        // n = 6 > R: E = sigma^2 R/(n - R) exactly (all signal learned).
        #expect(Swift.abs(curve.points[1].testError! - 0.1 * 5 / 1) <= 1e-14)
        let json = String(decoding: try JSONEncoder().encode(curve), as: UTF8.self)
        #expect(json.contains("\"test_error\":[null,"))
        #expect(!json.contains("nan") && !json.contains("inf"))
    }

    /// Canatar, Bordelon & Pehlevan's form kappa_C = lambda + kappa_C sum_k N mu_k/(n mu_k + kappa_C)
    /// (solved here by plain bisection, independently) has kappa_C = n kappa; Jacot et al.'s
    /// signal capture threshold with per-sample ridge lambda/n is kappa itself.
    @Test func equivalentFormsGiveTheSameKappa() throws {
        let mu = (0...40).map { k in k == 0 ? 1.0 : pow(Double(k), -3) }
        let modes = try KernelModes(dimension: 3, mu: mu)
        let target = TargetSpectrum(
            dimension: 3, name: "t", power: [0, 1], evenSmoothness: .none, oddSmoothness: .saturating)
        let predictor = try LearningCurvePredictor(modes: modes, target: target)
        for (n, lambda) in [(10, 0.0), (100, 0.01), (400, 1.0)] {
            let kappa = predictor.point(n: n, ridge: lambda, noise: 0).kappa
            var lo = 1e-30
            var hi = 1e6
            for _ in 0..<400 {
                let c = (lo * hi).squareRoot()
                var s = 0.0
                for k in mu.indices { s += modes.multiplicity[k] * mu[k] / (Double(n) * mu[k] + c) }
                if c - lambda - c * s > 0 { hi = c } else { lo = c }
            }
            #expect(Swift.abs(lo / Double(n) - kappa) <= 1e-12 * kappa, "n \(n): Canatar \(lo / Double(n)) vs \(kappa)")
            // Jacot: theta = lambda/n + (theta/n) sum N mu/(mu + theta).
            var s = 0.0
            for k in mu.indices { s += modes.multiplicity[k] * mu[k] / (mu[k] + kappa) }
            #expect(Swift.abs(lambda / Double(n) + kappa * s / Double(n) - kappa) <= 1e-12 * kappa)
        }
    }

    /// The bracket and the safeguarded Newton steps converge from n = 1 to 10^9 and ridges from
    /// 0 to 10^6, with a residual at rounding level.
    @Test func solverConvergesOverExtremeRanges() throws {
        let mu = (0...5000).map { k in k == 0 ? 2.0 : 0.5 * pow(Double(k), -3) }
        let modes = try KernelModes(
            dimension: 3, mu: mu, tail: TailMoments(powerLaw: 0.5, exponent: 3, dimension: 3, after: 5000))
        let target = try TargetSpecification("sobolev:1").spectrum(dimension: 3, kmax: 5000)
        let predictor = try LearningCurvePredictor(modes: modes, target: target)
        for n in [1, 7, 1000, 1_000_000, 1_000_000_000] {
            for lambda in [0.0, 1e-12, 1.0, 1e6] {
                let p = predictor.point(n: n, ridge: lambda, noise: 0)
                #expect(
                    p.solverConverged && p.solverResidual <= 1e-12,
                    "n \(n) lambda \(lambda): residual \(p.solverResidual)")
                #expect(p.solverIterations <= 120)
                #expect(p.testError.map { $0 > 0 && $0.isFinite } == true)
            }
        }
    }
}
