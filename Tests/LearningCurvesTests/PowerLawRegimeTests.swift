import Foundation
import Testing
import NeuralKernels
import SphericalSpectra
@testable import LearningCurves

/// The large-n power-law regime against the analytic exponents (Proofs/learning-curves.md,
/// "Rates"): mu_k ~ k^-p, p_k ~ k^-beta on S^{d-1} give, ridgeless and noiseless,
/// E_g ~ n^{-min(beta - 1, 2p)/(d - 1)} and kappa ~ n^{-p/(d-1)}, with gamma -> 1 - (d - 1)/p;
/// with noise sigma^2 the curve levels off at sigma^2 (alpha - 1), alpha = p/(d - 1).
@Suite struct PowerLawRegimeTests {
    /// mu_0 = 1, mu_k = k^-3 on S^2 (N = 2k + 1), explicit to k = 4000 and a power-law tail past it.
    static func powerLawModes(p: Double = 3, kmax: Int = 4000) throws -> KernelModes {
        let mu = (0...kmax).map { k in k == 0 ? 1.0 : pow(Double(k), -p) }
        return try KernelModes(
            dimension: 3, mu: mu, tail: TailMoments(powerLaw: 1, exponent: p, dimension: 3, after: kmax))
    }

    static func localSlope(_ e1: Double, _ e2: Double, _ n1: Double, _ n2: Double) -> Double {
        -log(e2 / e1) / log(n2 / n1)
    }

    @Test(arguments: [(3.0, 1.0), (5.0, 2.0), (9.0, 3.0), (4.0, 1.5)])
    func exponentMatchesTheory(beta: Double, rate: Double) throws {
        let modes = try Self.powerLawModes()
        let target = try TargetSpecification("power:\(beta)").spectrum(dimension: 3, kmax: modes.kmax)
        let curve = try LearningCurve(
            modes: modes, target: target, sampleSizes: [100_000, 1_000_000],
            kernelDecay: (.power(3, fitted: false), .power(3, fitted: false)))
        #expect(curve.rate.exponent == rate)
        let e = curve.points.map { $0.testError! }
        let slope = Self.localSlope(e[0], e[1], 1e5, 1e6)
        print("beta \(beta): slope \(slope), theory \(rate)")
        #expect(Swift.abs(slope - rate) <= 0.02, "beta \(beta): local slope \(slope) vs \(rate)")
        // kappa ~ n^{-p/(d-1)} = n^-1.5 and gamma -> 1 - 1/alpha = 1/3.
        let kappaSlope = Self.localSlope(curve.points[0].kappa, curve.points[1].kappa, 1e5, 1e6)
        #expect(Swift.abs(kappaSlope - 1.5) <= 2e-3, "kappa slope \(kappaSlope)")
        #expect(Swift.abs(curve.points[1].gamma - 1.0 / 3) <= 2e-3)
    }

    @Test func noisePlateauIsSigmaSquaredTimesAlphaMinusOne() throws {
        let modes = try Self.powerLawModes()
        let target = TargetSpectrum(dimension: 3, name: "zero", power: [0], evenSmoothness: .none, oddSmoothness: .none)
        let curve = try LearningCurve(modes: modes, target: target, sampleSizes: [1_000_000], noise: 2)
        let e = try #require(curve.points[0].testError)
        print("plateau \(e) vs \(2 * 0.5)")
        #expect(Swift.abs(e - 1.0) <= 2e-3, "E = \(e), theory sigma^2 (alpha - 1) = 1")
    }

    /// The network kernels of the package: the 2-layer ReLU NTK on S^2 (p = 3, RKHS H^{3/2})
    /// with targets at the edge of H^s learns at n^{-2 min(s, p)/(d-1)}; the fitted slope of the
    /// predicted curve over n = 10^4...10^5 is within 0.02 of it.
    @Test(arguments: [("sobolev:0.5", 0.5), ("sobolev:1", 1.0), ("sobolev:2", 2.0), ("legendre:3:1,1:0.5", 3.0)])
    func reluNTKRatesForSobolevTargets(target text: String, rate: Double) throws {
        let kernel = try NetworkSphereKernel(try NetworkKernel(activation: .relu, depth: 2), kind: .ntk)
        let spectrum = try GegenbauerSpectrum(kernel: kernel, dimension: 3, kmax: 100_000)
        let modes = try KernelModes(spectrum)
        let target = try TargetSpecification(text).spectrum(dimension: 3, kmax: 100_000)
        let curve = try LearningCurve(modes: modes, target: target, sampleSizes: [10_000, 30_000, 100_000])
        #expect(curve.rate.exponent == rate, "\(curve.rate.summary)")
        let slope = try #require(curve.fittedSlope)
        print("\(text): fitted \(slope.exponent) theory \(rate)")
        #expect(curve.points.allSatisfy { $0.resolved })
        #expect(Swift.abs(slope.exponent - rate) <= 0.02, "\(text): fitted \(slope.exponent) vs \(rate)")
    }

    /// The regime follows the curve: a ridge that does not dominate kappa at the largest n keeps
    /// the ridgeless rate (and names the eventual one), a dominating ridge gives
    /// min(beta - 1, 2p)/p, ridgeless noise a plateau at sigma^2 (alpha - 1), zero eigenvalues under
    /// target power a plateau (the no-bias ReLU NTK has no odd harmonics past k = 1).
    @Test func regimeOfTheRateFollowsTheCurve() throws {
        let relu = try KernelModes(
            try GegenbauerSpectrum(
                kernel: try NetworkSphereKernel(try NetworkKernel(activation: .relu, depth: 2), kind: .ntk),
                dimension: 3, kmax: 100_000))
        let target = try TargetSpecification("legendre:3:1,1:0.5").spectrum(dimension: 3, kmax: 100_000)
        let sizes = [10_000, 30_000, 100_000]
        let tiny = try LearningCurve(modes: relu, target: target, sampleSizes: sizes, ridge: 1e-6)
        #expect(tiny.rate.exponent == 3 && tiny.eventualRate?.exponent == 2)
        let ridge = try LearningCurve(modes: relu, target: target, sampleSizes: sizes, ridge: 0.1)
        #expect(ridge.rate.exponent == 2 && ridge.eventualRate == nil)
        #expect(Swift.abs(ridge.fittedSlope!.exponent - 2) <= 0.1, "slope \(ridge.fittedSlope!.exponent)")
        let noisy = try LearningCurve(modes: relu, target: target, sampleSizes: sizes, noise: 0.01)
        #expect(noisy.rate.regime == "plateau" && noisy.rate.exponent == 0)
        #expect(Swift.abs(noisy.points[2].testError! - 0.01 * 0.5) <= 2e-4 * 0.005, "\(noisy.points[2].testError!)")
        let noBias = try KernelModes(
            try GegenbauerSpectrum(
                kernel: try NetworkSphereKernel(try NetworkKernel(activation: .relu, depth: 2, sigmaB: 0), kind: .ntk),
                dimension: 3, kmax: 100_000))
        let rough = try TargetSpecification("sobolev:1").spectrum(dimension: 3, kmax: 100_000)
        let plateau = try LearningCurve(modes: noBias, target: rough, sampleSizes: sizes)
        #expect(plateau.rate.regime == "plateau")
        // The unlearnable odd power: sum over odd k >= 3 of k^-3/zeta(3).
        let odd = (1...50_000).reduce(0.0) { $0 + pow(Double(2 * $1 + 1), -3) } / 1.2020569031595942
        #expect(plateau.points.allSatisfy { $0.testError! >= odd })
    }
}
