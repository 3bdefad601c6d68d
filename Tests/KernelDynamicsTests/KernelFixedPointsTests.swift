import Foundation
import Testing
import NeuralKernels
@testable import KernelDynamics

/// Fixed points of the correlation map (Tsuchida et al. 2021; Poole et al. 2016).
@Suite struct KernelFixedPointsTests {
    /// ReLU with bias: q* = sigma_w^2 q*/2 + sigma_b^2 in closed form, the only fixed point is
    /// rho = 1, with slope chi_1 = sigma_w^2 / 2 < 1: every pair of inputs becomes perfectly
    /// correlated with depth.
    @Test(arguments: [(1.0, 1.0), (1.3, 0.5), (0.7, 0.2)])
    func reluConvergesToOne(_ sw: Double, _ sb: Double) throws {
        let fp = KernelFixedPoints(activation: .relu, sigmaW: sw, sigmaB: sb)
        let q = try #require(fp.qStar)
        #expect(Swift.abs(q - sb * sb / (1 - sw * sw / 2)) <= 1e-12 * q)
        #expect(fp.fixedPoints.count == 1)
        #expect(fp.fixedPoints[0].rho == 1 && fp.fixedPoints[0].stable)
        #expect(Swift.abs(fp.chi1! - sw * sw / 2) <= 1e-14)
        let path = fp.trajectory(from: -0.5, depth: 400)
        #expect(1 - path.last! < 1e-6)
    }

    /// erf in the chaotic phase (large sigma_w): rho = 1 repels (chi_1 > 1) and a stable fixed
    /// point near 0 attracts; in the ordered phase rho = 1 attracts.
    @Test func erfOrderedAndChaoticPhases() {
        let ordered = KernelFixedPoints(activation: .erf, sigmaW: 1, sigmaB: 0.1)
        #expect(ordered.chi1! < 1 && ordered.fixedPoints.map(\.rho) == [1])
        let chaotic = KernelFixedPoints(activation: .erf, sigmaW: 3, sigmaB: 0.1)
        #expect(chaotic.chi1! > 1)
        let inner = chaotic.fixedPoints.filter { $0.rho < 1 }
        #expect(inner.count == 1 && inner[0].stable && Swift.abs(inner[0].rho) < 0.05)
        let path = chaotic.trajectory(from: 0.9, depth: 300)
        #expect(Swift.abs(path.last! - inner[0].rho) < 1e-8)
    }

    /// ELU avoids the kernel fixed point rho = 1 (Tsuchida et al.): for sigma_w = 1.2 without
    /// bias rho = 1 is unstable and a stable fixed point rho* < 1 attracts every correlation.
    @Test func eluHasANonTrivialStableFixedPoint() {
        let fp = KernelFixedPoints(activation: .elu(1), sigmaW: 1.2, sigmaB: 0)
        #expect(fp.chi1! > 1)
        let inner = fp.fixedPoints.filter { $0.rho < 1 }
        #expect(inner.count == 1)
        #expect(inner[0].stable && inner[0].rho > 0.3 && inner[0].rho < 0.8)
        for start in [-0.9, 0.2, 0.999] {
            #expect(Swift.abs(fp.trajectory(from: start, depth: 3000).last! - inner[0].rho) < 1e-6)
        }
    }

    /// GELU without bias and 2 < sigma_w^2 < 4: the variance map contracts near 0 (GELU ~ x/2)
    /// and expands at large q (~ x_+), so q* exists but repels; at q* the correlation map has
    /// a stable fixed point rho* < 1 and rho = 1 repels (Tsuchida et al.: GELU avoids the
    /// kernel fixed point too).
    @Test func geluHasANonTrivialFixedPointAtItsRepellingVariance() throws {
        let fp = KernelFixedPoints(activation: .gelu, sigmaW: 1.5, sigmaB: 0)
        let q = try #require(fp.qStar)
        #expect(fp.varianceIsUnstable)
        let dual = DualActivation(.gelu)
        #expect(Swift.abs(2.25 * dual.secondMoment(q: q) - q) <= 1e-12 * q)
        #expect(fp.chi1! > 1)
        let inner = fp.fixedPoints.filter { $0.rho < 1 }
        #expect(inner.count == 1 && inner[0].stable && inner[0].rho > 0.7 && inner[0].rho < 0.9)
    }

    /// The slope from Price's theorem equals a central difference of the map itself.
    @Test(arguments: [Activation.elu(1), .gelu, .tanh, .relu])
    func slopeIsTheDerivativeOfTheMap(_ activation: Activation) throws {
        let fp = KernelFixedPoints(activation: activation, sigmaW: 1.1, sigmaB: 0.3)
        let q = try #require(fp.qStar)
        let dual = DualActivation(activation)
        let f: (Double) -> Double = { (1.21 * dual.nngp(q1: q, q2: q, c: $0 * q) + 0.09) / q }
        for rho in [-0.6, 0.1, 0.7] {
            let h = 1e-5
            let central = (f(rho + h) - f(rho - h)) / (2 * h)
            let price = 1.21 * dual.derivative(q1: q, q2: q, c: rho * q)
            #expect(Swift.abs(central - price) <= 1e-7 * Swift.abs(price), "\(activation) rho=\(rho)")
        }
    }
}
