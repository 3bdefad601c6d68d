import Foundation
import Testing
import NeuralKernels
@testable import KernelDynamics

/// Tsuchida et al.'s fixed-point behaviour is mirrored by finite-width random networks: the
/// correlation of two inputs' hidden pre-activations, layer by layer, in seeded ``RandomMLP``s
/// of width 800 and 30 hidden layers, follows the infinite-width trajectory rho_l (inputs
/// scaled so that the first layer sits at q*). ReLU drives every pair to rho = 1; ELU keeps
/// them away from 1, and nearly aligned inputs decorrelate towards rho* < 1.
@Suite struct FiniteWidthFixedPointTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let activation: Activation
        let sigmaW: Double, sigmaB: Double, rho0: Double
        var testDescription: String { "\(activation.name) sigma_w \(sigmaW) sigma_b \(sigmaB) rho0 \(rho0)" }
    }

    /// Mean and standard error over `networks` of the empirical correlation after each layer.
    static func empirical(_ c: Case, qStar: Double, depth: Int, width: Int, networks: Int, seed: UInt64) throws
        -> (mean: [Double], stderr: [Double])
    {
        let kernel = try NetworkKernel(activation: c.activation, depth: depth + 1, sigmaW: c.sigmaW, sigmaB: c.sigmaB)
        // d = 2, |x|^2/d = s^2 with sigma_w^2 s^2 + sigma_b^2 = q*, and <x, y>/d = rho0 s^2.
        let s = ((qStar - c.sigmaB * c.sigmaB) / (c.sigmaW * c.sigmaW)).squareRoot()
        let x = [s * 2.0.squareRoot(), 0]
        let y = [s * 2.0.squareRoot() * c.rho0, s * 2.0.squareRoot() * (1 - c.rho0 * c.rho0).squareRoot()]
        var random = GaussianRandomSource(seed: seed)
        var sum = [Double](repeating: 0, count: depth)
        var sum2 = sum
        for _ in 0..<networks {
            let net = RandomMLP(kernel, inputDimension: 2, width: width, random: &random)
            let hx = net.forward(x)
            let hy = net.forward(y)
            for l in 0..<depth {
                var xy = 0.0
                var xx = 0.0
                var yy = 0.0
                for i in 0..<width {
                    xy += hx[l][i] * hy[l][i]
                    xx += hx[l][i] * hx[l][i]
                    yy += hy[l][i] * hy[l][i]
                }
                let r = xy / (xx * yy).squareRoot()
                sum[l] += r
                sum2[l] += r * r
            }
        }
        let m = Double(networks)
        let mean = sum.map { $0 / m }
        let se = (0..<depth).map { (max(0, sum2[$0] / m - mean[$0] * mean[$0]) / (m - 1)).squareRoot() }
        return (mean, se)
    }

    @Test(arguments: [
        Case(activation: .relu, sigmaW: 1.2, sigmaB: 0.5, rho0: 0),
        Case(activation: .elu(1), sigmaW: 1.3, sigmaB: 0, rho0: 0),
        Case(activation: .elu(1), sigmaW: 1.3, sigmaB: 0, rho0: 0.95),
    ])
    func finiteNetworksFollowTheCorrelationMap(_ c: Case) throws {
        let fp = KernelFixedPoints(activation: c.activation, sigmaW: c.sigmaW, sigmaB: c.sigmaB)
        let q = try #require(fp.qStar)
        let depth = 30
        let theory = fp.trajectory(from: c.rho0, depth: depth - 1)  // rho_1 ... rho_30
        let (mean, se) = try FiniteWidthFixedPointTests.empirical(
            c, qStar: q, depth: depth, width: 800, networks: 8, seed: 7)
        for l in [9, 19, 29] {
            // 4 standard errors plus the O(1/width) bias of a ratio of sums.
            #expect(
                Swift.abs(mean[l] - theory[l]) <= 4 * se[l] + 2.0 / 800,
                "layer \(l + 1): MC \(mean[l]) +- \(se[l]) vs \(theory[l])")
            #expect(se[l] < 0.05, "standard error \(se[l]) too large for the test to discriminate")
        }
        let inner = fp.fixedPoints.filter { $0.rho < 1 && $0.stable }
        if c.activation.name == "relu" {
            #expect(inner.isEmpty && mean[29] > 0.995)  // the kernel fixed point rho = 1
        } else {
            let rhoStar = try #require(inner.first).rho
            #expect(mean[29] < 0.9 && Swift.abs(mean[29] - rhoStar) < Swift.abs(mean[0] - rhoStar) + 0.02)
            if c.rho0 > rhoStar { #expect(mean[29] < mean[0]) }  // aligned inputs decorrelate
        }
    }
}
