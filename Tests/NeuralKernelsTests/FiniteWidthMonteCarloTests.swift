import Foundation
import Testing
@testable import NeuralKernels

/// Monte Carlo over finite-width random networks (width 2048, depth 3): the empirical NNGP
/// (last hidden layer's kernel) and the empirical NTK (inner products of parameter gradients,
/// by backpropagation) agree with the infinite-width recursion within 4 standard errors.
/// Independent of the duals: only the forward and backward passes of actual networks.
@Suite struct FiniteWidthMonteCarloTests {
    static let x: [Double] = [0.6, 0.0, 0.8, 0.0]  // unit norm
    static let y: [Double] = [0.0, 0.28, 0.96, 0.0]  // unit norm, <x, y> = 0.768
    static let z: [Double] = [1.3, -0.4, 0.2, 0.9]  // not unit norm

    static func check(_ activation: Activation, parametrization: Parametrization, networks: Int, seed: UInt64) throws {
        let width = 2048
        let kernel = try NetworkKernel(
            activation: activation, depth: 3, sigmaW: 1.2, sigmaB: 0.5,
            parametrization: parametrization, width: width)
        var random = GaussianRandomSource(seed: seed)
        let pairs = [(x, y), (x, z)]
        var sums = [[Double]](repeating: [0, 0, 0, 0], count: pairs.count)  // nngp, nngp^2, ntk, ntk^2
        for _ in 0..<networks {
            let net = RandomMLP(kernel, inputDimension: 4, width: width, random: &random)
            for (k, (a, b)) in pairs.enumerated() {
                let e = net.empiricalKernels(a, b)
                sums[k][0] += e.nngp
                sums[k][1] += e.nngp * e.nngp
                sums[k][2] += e.ntk
                sums[k][3] += e.ntk * e.ntk
            }
        }
        let m = Double(networks)
        for (k, (a, b)) in pairs.enumerated() {
            let exact = kernel.kernel(a, b)
            for (index, target) in [(0, exact.nngp), (2, exact.ntk)] {
                let mean = sums[k][index] / m
                let variance = max(0, sums[k][index + 1] / m - mean * mean) * m / (m - 1)
                let standardError = (variance / m).squareRoot()
                let name = index == 0 ? "NNGP" : "NTK"
                #expect(
                    Swift.abs(mean - target) <= 4 * standardError,
                    "\(activation) \(parametrization) \(name) pair \(k): MC \(mean) +- \(standardError) vs \(target)")
                // The test must be able to fail: the standard error is small against the value.
                #expect(standardError <= 0.02 * Swift.abs(target), "\(name) standard error \(standardError) too large")
            }
        }
    }

    @Test(arguments: [Activation.relu, .elu(1), .gelu, .tanh])
    func ntkParametrization(_ activation: Activation) throws {
        try Self.check(activation, parametrization: .ntk, networks: 40, seed: 17)
    }

    @Test(arguments: [Activation.relu, .tanh])
    func standardParametrization(_ activation: Activation) throws {
        try Self.check(activation, parametrization: .standard, networks: 40, seed: 23)
    }
}
