import Foundation
import Testing
import NeuralKernels
import SphericalSpectra
@testable import LearningCurves

/// How computed spectra enter the sums: resolved values as they are, unresolved ones as
/// intervals whose excess over their lower ends is bounded by T_U, and the tail past kmax
/// from the asymptotic expansion; checked by Mercer's sum rule kappa(1) = sum N mu_k and by
/// perturbing the unresolved eigenvalues within what the bounds allow.
@Suite struct KernelModesTests {
    static func modes(_ a: Activation, kind: KernelKind = .ntk, bias: Bool = true, kmax: Int = 100_000) throws
        -> KernelModes
    {
        let network = try NetworkKernel(activation: a, depth: 2, sigmaW: 1, sigmaB: bias ? 1 : 0)
        return try KernelModes(
            try GegenbauerSpectrum(kernel: try NetworkSphereKernel(network, kind: kind), dimension: 3, kmax: kmax))
    }

    /// The ReLU NTK: every value through k = 10^5 resolved, both parities' tails modelled, and
    /// sum N mu + S_1 = kappa(1) = 3 to 1e-10 (the tail past 10^5 is 2.25e-6 of it).
    @Test func reluNTKSumRuleIncludesTheTail() throws {
        let m = try Self.modes(.relu)
        #expect(m.unresolvedTrace == 0)
        #expect(!m.unresolvedBeyondEven && !m.unresolvedBeyondOdd)
        let tail = try #require(m.tail)
        #expect(tail.s1 > 2e-6 && tail.s1 < 2.5e-6)
        #expect(Swift.abs(m.usedTrace - 3) <= 1e-10, "used trace \(m.usedTrace)")
        #expect(m.rank == .infinity)
    }

    /// Smooth activations: the GELU NTK's eigenvalues sink below quadrature's rounding floor
    /// past k ~ 20, and nothing models the tail, so only the sum rule bounds the rest: T_U is
    /// at the rounding level of kappa(1).
    @Test func geluNTKUnresolvedTraceIsAtTheRoundingLevel() throws {
        let m = try Self.modes(.gelu)
        #expect(m.unresolved.contains(true) && m.unresolvedBeyondEven && m.unresolvedBeyondOdd)
        #expect(m.unresolvedTrace > 0 && m.unresolvedTrace <= 1e-11 * m.trace!, "T_U \(m.unresolvedTrace)")
    }

    /// The bounds hold for spectra the data allow: raise unresolved GELU NTK eigenvalues above
    /// their lower ends (total N delta = T_U, spread over a few degrees near the transition
    /// where they matter most), recompute the curve with that explicit spectrum, and it stays
    /// inside [lower, upper] of the original prediction.
    @Test func perturbedSpectraStayWithinTheBounds() throws {
        let m = try Self.modes(.gelu, kmax: 3000)
        let target = try TargetSpecification("sobolev:1").spectrum(dimension: 3, kmax: 3000)
        let predictor = try LearningCurvePredictor(modes: m, target: target)
        let unresolved = (0...m.kmax).filter { m.unresolved[$0] }
        for n in [100, 200, 300] {
            let point = predictor.point(n: n, ridge: 0, noise: 0.01)
            let lower = try #require(point.lower)
            let upper = try #require(point.upper)
            for (first, count) in [(0, 1), (0, 4), (4, 8), (20, 40)] {
                var mu = m.mu
                let chosen = Array(unresolved.dropFirst(first).prefix(count))
                for k in chosen { mu[k] += m.unresolvedTrace / (Double(chosen.count) * m.multiplicity[k]) }
                let explicit = try KernelModes(dimension: 3, mu: mu)
                let e = try #require(
                    try LearningCurvePredictor(modes: explicit, target: target).point(n: n, ridge: 0, noise: 0.01)
                        .testError)
                #expect(
                    e >= lower * (1 - 1e-12) && e <= upper * (1 + 1e-12),
                    "n \(n), degrees \(chosen.first!)...: E \(e) outside [\(lower), \(upper)]")
            }
        }
    }

    /// A kernel with a resolved negative eigenvalue is refused.
    @Test func negativeEigenvalueIsRefused() throws {
        let kernel = try ExpressionKernel("t^3 - 0.9*t")
        let s = try GegenbauerSpectrum(kernel: kernel, dimension: 3, kmax: 8)
        #expect(throws: LearningCurveError.self) { try KernelModes(s) }
    }

    /// The Gaussian kernel: Maclaurin eigenvalues past quadrature's floor, and the tail past
    /// kmax bounded by sum_{n > kmax} a_n, so T_U is far below any kappa that double precision
    /// represents in the learning curve.
    @Test func gaussianTailIsBoundedByItsMaclaurinSeries() throws {
        let kernel = try GaussianKernel(c: 1)
        let m = try KernelModes(try GegenbauerSpectrum(kernel: kernel, dimension: 3, kmax: 2000), kernel: kernel)
        #expect(m.tailTraceBound < 1e-300)
        let without = try KernelModes(try GegenbauerSpectrum(kernel: kernel, dimension: 3, kmax: 2000))
        #expect(without.tailTraceBound == .infinity)
    }
}
