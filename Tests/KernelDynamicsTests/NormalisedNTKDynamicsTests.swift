import Foundation
import Testing
import NeuralKernels
@testable import KernelDynamics

/// Fixed points of the normalised NTK r = Theta(x, x') / Theta(x, x) at q*.
@Suite struct NormalisedNTKDynamicsTests {
    /// Ordered phase: the closed-form r* = rho* (1 - chi_1) / (1 - f'(rho*)) is where the
    /// iterated NTK recursion ends up, and rho* = 1 gives r* = 1 (ReLU with bias).
    @Test func orderedPhaseReLUConvergesToOne() throws {
        let ntk = NormalisedNTKDynamics(KernelFixedPoints(activation: .relu, sigmaW: 1.2, sigmaB: 0.5))
        #expect(ntk.fixedPoints.count == 1)
        let p = ntk.fixedPoints[0]
        #expect(p.ratio == 1 && p.stable && Swift.abs(p.slope - 0.72) < 1e-14)
        let path = ntk.trajectory(from: -0.3, depth: 200)
        #expect(Swift.abs(path.last! - 1) < 1e-6)
    }

    /// Chaotic phase (ELU, Tsuchida et al.'s non-trivial rho*): the diagonal of the NTK grows
    /// like chi_1^l, the off-diagonal settles, so r -> 0 and successive ratios tend to 1/chi_1.
    @Test func chaoticPhaseNTKBecomesDiagonal() throws {
        let fp = KernelFixedPoints(activation: .elu(1), sigmaW: 1.3, sigmaB: 0)
        let ntk = NormalisedNTKDynamics(fp)
        let chi = try #require(fp.chi1)
        #expect(chi > 1)
        let inner = try #require(ntk.fixedPoints.first { $0.rho < 1 })
        #expect(inner.ratio == 0 && inner.stable && Swift.abs(inner.slope - 1 / chi) < 1e-14)
        let path = ntk.trajectory(from: 0.2, depth: 600)
        let rate = path[600] / path[599]
        #expect(Swift.abs(rate - 1 / chi) < 1e-6, "rate \(rate) vs 1/chi1 \(1 / chi)")
        #expect(path.last! < 1e-10)
    }
}
