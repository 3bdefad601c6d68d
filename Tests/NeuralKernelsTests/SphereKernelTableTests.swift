import Foundation
import Testing
@testable import NeuralKernels

/// The piecewise table in sqrt(1 -+ t) reproduces the exact sphere kernel everywhere on
/// [-1, 1], including the singular ends, within its recorded error (about 1e-14 of kappa(1)).
@Suite struct SphereKernelTableTests {
    @Test(arguments: [Activation.relu, .elu(1), .gelu, .reluPower(2), .selu, .leakyReLU(0.2)])
    func tableMatchesKernel(_ activation: Activation) throws {
        for sigmaB in [1.0, 0.0] {
            let sphere = try SphereKernel(try NetworkKernel(activation: activation, depth: 3, sigmaB: sigmaB))
            let table = SphereKernelTable(sphere)
            let top = sphere(1)
            #expect(table.error.nngp <= 1e-14 && table.error.ntk <= 1e-14, "\(activation) bound \(table.error)")
            var ts = (0...400).map { -1 + 2 * Double($0) / 400 }
            for e in [1e-3, 1e-6, 1e-9, 1e-12, 1e-15] { ts += [1 - e, -1 + e] }
            for t in ts {
                let exact = sphere(t)
                let approx = table(t)
                #expect(
                    Swift.abs(approx.nngp - exact.nngp) <= 4e-14 * Swift.abs(top.nngp) + 1e-300,
                    "\(activation) sigma_b=\(sigmaB) nngp t=\(t)")
                #expect(
                    Swift.abs(approx.ntk - exact.ntk) <= 4e-14 * Swift.abs(top.ntk) + 1e-300,
                    "\(activation) sigma_b=\(sigmaB) ntk t=\(t)")
            }
        }
    }

    /// The step function is discontinuous (m = 0): at depth 3 the kernel has a (1 - t)^{1/4}
    /// term, not analytic in sqrt(1 - t). The table must say so through its error, and the
    /// Gram matrix must then fall back to the exact kernel.
    @Test func discontinuousActivationIsFlaggedAndAvoided() throws {
        let network = try NetworkKernel(activation: .step, depth: 3)
        let sphere = try SphereKernel(network)
        let table = SphereKernelTable(sphere)
        #expect(table.error.nngp > 1e-10)
        let points: [[Double]] = [[1, 0, 0], [0.6, 0.8, 0], [cos(0.95), sin(0.95), 0]]
        let gram = try GramMatrix(points: points, network: network, kind: .nngp)
        for i in 0..<3 {
            for j in 0..<3 {
                let direct = network.kernel(points[i], points[j]).nngp
                #expect(Swift.abs(gram[i, j] - direct) <= 1e-12 * direct, "[\(i),\(j)]")
            }
        }
    }
}
