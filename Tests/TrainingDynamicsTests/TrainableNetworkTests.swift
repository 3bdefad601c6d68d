import Foundation
import NeuralKernels
import Testing
@testable import TrainingDynamics

/// The batched BLAS forward/backward passes against RandomMLP's per-example loops (the same
/// seed draws the same network) and against finite differences.
@Suite("Trainable network")
struct TrainableNetworkTests {
    static let points: [[Double]] = {
        var random = GaussianRandomSource(seed: 3)
        return (0..<7).map { _ in (0..<4).map { _ in random.normal() } }
    }()

    static func networks() throws -> [NetworkKernel] {
        [
            try NetworkKernel(activation: .relu, depth: 3, sigmaW: 1.3, sigmaB: 0.4),
            try NetworkKernel(activation: .erf, depth: 2, sigmaW: 1.1, sigmaB: 0),
            try NetworkKernel(
                activation: ActivationCatalogue.activation(named: "elu(1)"), depth: 4, sigmaW: 1.2, sigmaB: 0.7,
                sigmaI: 0.5),
            try NetworkKernel(
                activation: .tanh, depth: 3, sigmaW: 1.5, sigmaB: 0.2, parametrization: .standard, width: 96),
        ]
    }

    @Test("outputs and empirical NTK equal RandomMLP's per-example backpropagation", arguments: 0..<4)
    func matchesRandomMLP(index: Int) throws {
        let network = try Self.networks()[index]
        let width = 96
        let batched = TrainableNetwork(network, inputDimension: 4, width: width, seed: 11)
        var random = GaussianRandomSource(seed: 11)
        let reference = RandomMLP(network, inputDimension: 4, width: width, random: &random)
        let x = Self.points.flatMap { $0 }
        let n = Self.points.count
        let outputs = batched.outputs(x, count: n)
        let ntk = batched.empiricalNTK(x, count: n)
        for i in 0..<n {
            #expect(Swift.abs(outputs[i] - reference(Self.points[i])) <= 1e-12 * max(1, Swift.abs(outputs[i])))
            for j in 0..<n {
                let k = reference.empiricalKernels(Self.points[i], Self.points[j]).ntk
                #expect(
                    Swift.abs(ntk[i * n + j] - k) <= 1e-12 * Swift.abs(k), "\(network.activation.name) (\(i), \(j))")
            }
        }
    }

    @Test("loss gradients equal central differences in every parameter block", arguments: 0..<4)
    func gradientsMatchDifferences(index: Int) throws {
        let network = try Self.networks()[index]
        var net = TrainableNetwork(network, inputDimension: 4, width: 8, seed: 5)
        let x = Self.points.flatMap { $0 }
        let n = Self.points.count
        let y = Self.points.map { $0[0] * $0[1] }
        func loss(_ candidate: TrainableNetwork) -> Double {
            let f = candidate.outputs(x, count: n)
            return zip(f, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / (2 * Double(n))
        }
        let pass = net.forward(x, count: n)
        let seed = (0..<n).map { (pass.outputs[$0] - y[$0]) / Double(n) }
        let g = net.gradients(pass, seed: seed)
        let h = 1e-6
        for l in 0..<network.depth {
            for k in stride(from: 0, to: net.weights[l].count, by: 5) {
                let saved = net.weights[l][k]
                net.weights[l][k] = saved + h
                let up = loss(net)
                net.weights[l][k] = saved - h
                let down = loss(net)
                net.weights[l][k] = saved
                let difference = (up - down) / (2 * h)
                // Kinks (ReLU) can sit within h of a pre-activation only with probability ~1e-6.
                #expect(Swift.abs(g.weights[l][k] - difference) <= 1e-7 * max(1, Swift.abs(difference)), "W\(l)[\(k)]")
            }
            guard net.hasBias else { continue }
            for k in 0..<net.biases[l].count {
                let saved = net.biases[l][k]
                net.biases[l][k] = saved + h
                let up = loss(net)
                net.biases[l][k] = saved - h
                let down = loss(net)
                net.biases[l][k] = saved
                let difference = (up - down) / (2 * h)
                #expect(Swift.abs(g.biases[l][k] - difference) <= 1e-7 * max(1, Swift.abs(difference)), "b\(l)[\(k)]")
            }
        }
    }

    @Test("a network of 3 outputs: loss gradients equal central differences", arguments: 0..<3)
    func vectorOutputGradientsMatchDifferences(index: Int) throws {
        let network = try Self.networks()[index]
        let outputs = 3
        var net = TrainableNetwork(network, inputDimension: 4, width: 8, outputs: outputs, seed: 7)
        let x = Self.points.flatMap { $0 }
        let n = Self.points.count
        let y = Self.points.flatMap { p in (0..<outputs).map { p[$0] * p[$0 + 1] } }
        func loss(_ candidate: TrainableNetwork) -> Double {
            let f = candidate.outputs(x, count: n)
            return zip(f, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / (2 * Double(n))
        }
        let pass = net.forward(x, count: n)
        #expect(pass.outputs.count == n * outputs && net.weights[network.depth - 1].count == outputs * 8)
        let seed = (0..<(n * outputs)).map { (pass.outputs[$0] - y[$0]) / Double(n) }
        let g = net.gradients(pass, seed: seed)
        let h = 1e-6
        for l in 0..<network.depth {
            for k in stride(from: 0, to: net.weights[l].count, by: 3) {
                let saved = net.weights[l][k]
                net.weights[l][k] = saved + h
                let up = loss(net)
                net.weights[l][k] = saved - h
                let down = loss(net)
                net.weights[l][k] = saved
                let difference = (up - down) / (2 * h)
                #expect(Swift.abs(g.weights[l][k] - difference) <= 1e-7 * max(1, Swift.abs(difference)), "W\(l)[\(k)]")
            }
            guard net.hasBias else { continue }
            for k in 0..<net.biases[l].count {
                let saved = net.biases[l][k]
                net.biases[l][k] = saved + h
                let up = loss(net)
                net.biases[l][k] = saved - h
                let down = loss(net)
                net.biases[l][k] = saved
                let difference = (up - down) / (2 * h)
                #expect(Swift.abs(g.biases[l][k] - difference) <= 1e-7 * max(1, Swift.abs(difference)), "b\(l)[\(k)]")
            }
        }
    }

    /// The outputs of a K-output network are those of its K one-output subnetworks (the shared
    /// hidden layers with one row of the last layer each).
    @Test("each output of a 3-output network is the one-output network on its last-layer row")
    func vectorOutputsAreRows() throws {
        let network = try Self.networks()[0]
        let net = TrainableNetwork(network, inputDimension: 4, width: 16, outputs: 3, seed: 9)
        let x = Self.points.flatMap { $0 }
        let n = Self.points.count
        let all = net.outputs(x, count: n)
        var single = TrainableNetwork(network, inputDimension: 4, width: 16, seed: 9)
        let last = network.depth - 1
        for l in 0..<last {
            single.weights[l] = net.weights[l]
            single.biases[l] = net.biases[l]
        }
        for a in 0..<3 {
            single.weights[last] = Array(net.weights[last][(a * 16)..<(a * 16 + 16)])
            single.biases[last] = [net.biases[last][a]]
            let f = single.outputs(x, count: n)
            for i in 0..<n { #expect(Swift.abs(all[i * 3 + a] - f[i]) <= 1e-14 * max(1, Swift.abs(f[i]))) }
        }
    }
}
