import Foundation
import NeuralKernels
import _NumericalBackends

/// A finite-width network with a bottleneck, F = f o g, trained by full-batch gradient descent
/// on 1/(2n) sum_j r_j^2: the finite object whose infinite-width limit ``BottleneckDynamics``
/// describes (Proofs/bottleneck-dynamics.md, "Finite width").
///
/// The encoder is one ``TrainableNetwork`` g: R^d -> R^k of hidden width N with k outputs
/// sharing its hidden layers, as in the paper; its infinite-width limit is k independent GPs
/// with NTK Theta_g (x) I_k, and at width N the cross-output NTK through the shared hidden
/// layers is O(N^-1/2), one more O(N^-1/2) source of the finite-width gap. The decoder is mirrored: f = (f^(1) - f^(2)) / sqrt 2 with f^(1), f^(2) of width N
/// drawn from one seed, so f_0 = 0 and grad_z f_0 = 0 exactly, as in the infinite-width model.
/// Both halves use the NTK parametrisation (fan-in k for the decoder's first layer).
public struct FiniteBottleneckNetwork: Sendable {
    public var encoder: TrainableNetwork
    public var decoders: (TrainableNetwork, TrainableNetwork)
    public let width: Int

    public init(
        encoder: NetworkKernel, decoder: NetworkKernel, inputDimension: Int, bottleneck k: Int,
        hiddenWidth: Int, seed: UInt64
    ) throws {
        guard k >= 1, hiddenWidth >= 1, inputDimension >= 1 else {
            throw TrainingError.invalidParameter(
                name: "bottleneck network", value: "k \(k), width \(hiddenWidth), d \(inputDimension)",
                allowed: "k, hidden width and input dimension >= 1")
        }
        guard encoder.parametrization == .ntk, decoder.parametrization == .ntk else {
            throw TrainingError.invalidParameter(name: "parametrization", value: "standard", allowed: "ntk")
        }
        self.encoder = TrainableNetwork(
            encoder, inputDimension: inputDimension, width: hiddenWidth, outputs: k,
            seed: seed &* 1_000_003)
        let f = TrainableNetwork(decoder, inputDimension: k, width: hiddenWidth, seed: seed &* 1_000_003 &+ 999_999)
        decoders = (f, f)
        width = k
    }

    /// The features g(X), row-major n x k, of inputs row-major n x d.
    public func features(_ x: [Double], count n: Int) -> [Double] { encoder.outputs(x, count: n) }

    /// F(X) = (f1(g(X)) - f2(g(X))) / sqrt 2.
    public func outputs(_ x: [Double], count n: Int) -> [Double] {
        let z = features(x, count: n)
        let a = decoders.0.outputs(z, count: n)
        let b = decoders.1.outputs(z, count: n)
        return (0..<n).map { (a[$0] - b[$0]) / 2.squareRoot() }
    }

    /// The run recorded at steps 0, every, ..., steps: losses, outputs on the training points and
    /// features (n x k) at each recorded step.
    public struct Trajectory: Sendable {
        public let steps: [Int]
        public let trainLoss: [Double]
        public let trainOutputs: [[Double]]
        public let features: [[Double]]
    }

    /// Full-batch gradient descent with learning rate eta on all parameters at once.
    public mutating func train(
        inputs x: [Double], targets y: [Double], learningRate eta: Double, steps: Int, every: Int = 1
    ) throws -> Trajectory {
        let n = y.count
        let k = width
        precondition(x.count == n * encoder.widths[0])
        let encoderSpace = TrainableNetwork.Workspace(for: encoder, count: n)
        let decoderSpaces = (
            TrainableNetwork.Workspace(for: decoders.0, count: n), TrainableNetwork.Workspace(for: decoders.1, count: n)
        )
        var recorded: [Int] = []
        var losses: [Double] = []
        var outs: [[Double]] = []
        var feats: [[Double]] = []
        let root2 = 2.squareRoot()
        for s in 0...steps {
            encoder.forward(x, into: encoderSpace)
            let z = encoderSpace.outputs
            decoders.0.forward(z, into: decoderSpaces.0)
            decoders.1.forward(z, into: decoderSpaces.1)
            let f = (0..<n).map { (decoderSpaces.0.outputs[$0] - decoderSpaces.1.outputs[$0]) / root2 }
            let r = (0..<n).map { f[$0] - y[$0] }
            let loss = r.reduce(0) { $0 + $1 * $1 } / (2 * Double(n))
            guard loss.isFinite else {
                throw TrainingError.nonFinite(
                    "finite bottleneck network diverged at step \(s): lower the learning rate \(eta)")
            }
            if s % every == 0 || s == steps {
                recorded.append(s)
                losses.append(loss)
                outs.append(f)
                feats.append(z)
            }
            if s == steps { break }
            // dL/dz_i = (r_i / n) grad_z F(z_i), from both decoder copies before they move.
            var sensitivity = [Double](repeating: 0, count: n * k)
            for (copy, sign) in [(0, 1.0), (1, -1.0)] {
                let net = copy == 0 ? decoders.0 : decoders.1
                let ws = copy == 0 ? decoderSpaces.0 : decoderSpaces.1
                net.backward(seed: r.map { sign * $0 / (Double(n) * root2) }, in: ws)
                net.accumulateGradients(in: ws)
                let wf = net.factors(0).weight
                let hidden = net.widths[1]
                ws.deltas[0].withUnsafeBufferPointer { d in
                    net.weights[0].withUnsafeBufferPointer { w in
                        sensitivity.withUnsafeMutableBufferPointer { g in
                            BLAS.gemm(
                                .none, .none, m: n, n: k, k: hidden, alpha: wf, d.baseAddress!, lda: hidden,
                                w.baseAddress!, ldb: k, beta: 1, g.baseAddress!, ldc: k)
                        }
                    }
                }
            }
            encoder.backward(seed: sensitivity, in: encoderSpace)
            encoder.accumulateGradients(in: encoderSpace)
            encoder.descend(learningRate: eta, in: encoderSpace)
            decoders.0.descend(learningRate: eta, in: decoderSpaces.0)
            decoders.1.descend(learningRate: eta, in: decoderSpaces.1)
        }
        return Trajectory(steps: recorded, trainLoss: losses, trainOutputs: outs, features: feats)
    }
}
