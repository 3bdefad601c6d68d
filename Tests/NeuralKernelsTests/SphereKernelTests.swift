import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// The prepared sphere kernel (closed forms or Chebyshev tables, deficits carried by Price's
/// theorem) agrees with the plain layer-by-layer recursion of ``NetworkKernel``.
@Suite struct SphereKernelTests {
    static let activations: [Activation] = [.relu, .elu(1), .selu, .tanh, .gelu, .erf, .reluPower(2), .softplus(1)]
    static let ts: [Double] = [-1, -0.999999, -0.7, -0.2, 0, 0.3, 0.8, 0.99, 0.999999, 1]

    @Test(arguments: activations)
    func agreesWithDirectRecursion(_ activation: Activation) throws {
        for (depth, sw, sb) in [(2, 1.0, 1.0), (3, 1.0, 0.0), (4, 1.5, 0.5)] {
            let network = try NetworkKernel(activation: activation, depth: depth, sigmaW: sw, sigmaB: sb)
            let sphere = try SphereKernel(network)
            for t in Self.ts {
                let direct = network.sphere(t: t)
                let fast = sphere(t)
                let scale = network.sphere(t: 1)
                // Closed forms: both routes are exact to rounding. Tabulated quadrature duals: the
                // tables are accurate to ~4e-15 of each dual, and near t = 1 the plain recursion
                // loses digits to cancellation (it is the less accurate of the two there).
                let tolerance = activation.closedForm == nil ? 1e-12 : 1e-13
                #expect(
                    Swift.abs(fast.nngp - direct.nngp) <= tolerance * scale.nngp,
                    "\(activation) depth \(depth) t=\(t): nngp \(fast.nngp) vs \(direct.nngp)")
                #expect(
                    Swift.abs(fast.ntk - direct.ntk) <= tolerance * scale.ntk,
                    "\(activation) depth \(depth) t=\(t): ntk \(fast.ntk) vs \(direct.ntk)")
            }
        }
    }

    /// Near t = 1 the deficit Sigma(1) - Sigma(t) of a deep ReLU NNGP is tiny; carried by Price's
    /// theorem it keeps its relative accuracy. Reference: the 2-layer ReLU NNGP with bias in
    /// closed form, Sigma_2(t) = k1(Sigma_1) + 1 with k1 the arc-cosine kernel, where the
    /// deficit has the expansion 2 (1 - rho) ... computed here in closed form from theta.
    @Test func deficitNearOneIsAccurate() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2, sigmaW: 1, sigmaB: 0)
        let sphere = try SphereKernel(network)
        // No bias, depth 2: Sigma_2(t) = (sin th + (pi - th) cos th)/(2 pi), th = arccos t; its
        // deficit 1/2 - Sigma_2 = (th - sin th + pi(1 - cos th) - th(1 - cos th))/(2 pi).
        for oneMinusT in [1e-4, 1e-8, 1e-12] {
            let t = 1 - oneMinusT
            let exactOneMinus = 1 - t  // the double t's own 1 - t, exact by Sterbenz
            let th = 2 * asin((0.5 * exactOneMinus).squareRoot())
            let versine = 2 * sin(th / 2) * sin(th / 2)
            let deficit = ((th - sin(th)) + Double.pi * versine - th * versine) / (2 * Double.pi)
            let computed = 0.5 - sphere.nngp(t)
            // 0.5 - Sigma is itself rounded at ulp(0.5) ~ 1e-16, so compare absolutely at that scale.
            #expect(Swift.abs(computed - deficit) <= 2e-16, "1-t=\(oneMinusT): \(computed) vs \(deficit)")
        }
    }

    /// Duals evaluated directly at each t (`tabulated: false`, what `rkhs kernel` does for a
    /// few t) against the per-layer tables, six layers deep, t up to 1 - 1e-12 and 1: within the
    /// tables' recorded error plus the duals' own accuracy (4e-13 for the wedge quadrature,
    /// 1e-14 for closed forms) carried through the layers; for the closed forms both routes
    /// are the same arithmetic.
    @Test(arguments: [Activation.tanh, .elu(1), .gelu, .softplus(1), .hardtanh])
    func directDualsAgreeWithTables(_ activation: Activation) throws {
        let network = try NetworkKernel(activation: activation, depth: 6)
        let tabulated = try SphereKernel(network)
        let direct = try SphereKernel(network, tabulated: false)
        #expect(direct.tableError == 0)
        let top = tabulated(1)
        for t in [-1, -0.5, 0, 0.5, 0.99, 1 - 1e-6, 1 - 1e-12, 1] {
            let a = tabulated(t)
            let b = direct(t)
            let tolerance = 6 * (tabulated.tableError + 4e-13)
            #expect(Swift.abs(a.nngp - b.nngp) <= tolerance * top.nngp, "\(activation) nngp t = \(t)")
            #expect(Swift.abs(a.ntk - b.ntk) <= tolerance * top.ntk, "\(activation) ntk t = \(t)")
        }
    }
}
