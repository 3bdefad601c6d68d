import Foundation
import NeuralKernels
import _NumericalBackends

/// A finite-width fully connected network with K outputs (K = 1 unless asked; the hidden
/// layers are shared by all outputs), trainable by full-batch gradient descent: the finite
/// object whose infinite-width training dynamics ``EnsembleDynamics`` describes.
///
/// Parameters and their scaling are those of ``RandomMLP`` (and the same seed draws the same
/// network): NTK parametrisation h_{l+1} = sigma_w / sqrt(n_l) W_{l+1} a_l + sigma_b b_{l+1}
/// with W standard normal and b of standard deviation sigma_i; standard parametrisation
/// W ~ N(0, sigma_w^2 / n_l), b ~ N(0, sigma_b^2 sigma_i^2) used as they are. Gradients are
/// with respect to the stored parameters, so gradient descent in the NTK parametrisation is
/// kernel gradient descent with the NTK at infinite width (Jacot et al. 2018). With K outputs
/// the last layer has K rows; at infinite width the outputs are K independent GPs with NTK
/// Theta (x) I_K, and at width N the cross-output NTK (through the shared hidden layers)
/// is O(N^-1/2).
///
/// Forward and backward passes work on whole batches through BLAS (dgemm): a batch of N
/// inputs costs O(N sum_l n_l n_{l+1}) per pass.
public struct TrainableNetwork: Sendable {
    public let network: NetworkKernel
    /// n_0 = d, n_1 ... n_{L-1}, n_L = K (the number of outputs).
    public let widths: [Int]
    /// Row-major n_{l+1} x n_l weights per layer, as stored parameters.
    public var weights: [[Double]]
    public var biases: [[Double]]

    /// Draws a network exactly as ``RandomMLP/init(_:inputDimension:width:random:)`` does (for
    /// K > 1 the same draws in the same order, the last layer's K x n_{L-1} weights row by row).
    public init(_ network: NetworkKernel, inputDimension: Int, width: Int, outputs: Int = 1, seed: UInt64) {
        precondition(outputs >= 1, "a network has at least one output")
        var random = GaussianRandomSource(seed: seed)
        self.network = network
        widths = [inputDimension] + Array(repeating: width, count: network.depth - 1) + [outputs]
        weights = []
        biases = []
        for l in 0..<network.depth {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            let wScale = network.parametrization == .standard ? network.sigmaW / Double(nIn).squareRoot() : 1
            var w = [Double](repeating: 0, count: nIn * nOut)
            for k in 0..<w.count { w[k] = wScale * random.normal() }
            var b = [Double](repeating: 0, count: nOut)
            let bScale = network.parametrization == .standard ? network.sigmaB * network.sigmaI : network.sigmaI
            if network.sigmaB > 0 { for k in 0..<nOut { b[k] = bScale * random.normal() } }
            weights.append(w)
            biases.append(b)
        }
    }

    /// The number of outputs K.
    public var outputCount: Int { widths[widths.count - 1] }

    /// Whether biases are trained parameters (sigma_b > 0).
    public var hasBias: Bool { network.sigmaB > 0 }

    /// Multipliers of the stored weights and biases of layer l in the forward pass.
    func factors(_ l: Int) -> (weight: Double, bias: Double) {
        network.parametrization == .standard
            ? (1, 1)
            : (network.sigmaW / Double(widths[l]).squareRoot(), network.sigmaB)
    }

    /// Buffers for the passes of one batch size, reused from step to step (a step at width
    /// 4096 would otherwise allocate, zero and fault in megabytes of fresh pages).
    public final class Workspace: @unchecked Sendable {
        public let count: Int
        /// inputs[l]: the N x n_l input of layer l (inputs[0] = x, then phi(h_l)).
        var inputs: [[Double]]
        /// pre[l]: layer l's N x n_{l+1} output h_{l+1} (the last is f).
        var pre: [[Double]]
        /// deltas[l]: seed_i d f(x_i) / d h_{l+1}, N x n_{l+1}.
        var deltas: [[Double]]
        var weightGradients: [[Double]]
        var biasGradients: [[Double]]

        public init(for network: TrainableNetwork, count: Int) {
            self.count = count
            let w = network.widths
            inputs = (0..<network.network.depth).map { [Double](repeating: 0, count: count * w[$0]) }
            pre = (0..<network.network.depth).map { [Double](repeating: 0, count: count * w[$0 + 1]) }
            deltas = pre
            weightGradients = network.weights.map { [Double](repeating: 0, count: $0.count) }
            biasGradients = network.biases.map { [Double](repeating: 0, count: $0.count) }
        }

        /// The outputs f(x) of the last forward pass, row-major N x K.
        public var outputs: [Double] { pre.last! }

        /// gradient += c (theta - theta_0): the gradient of the penalty c/2 ||theta - theta_0||^2.
        func addDecay(
            _ c: Double, from network: TrainableNetwork, towards initial: (weights: [[Double]], biases: [[Double]])
        ) {
            for l in 0..<network.weights.count {
                for k in 0..<network.weights[l].count {
                    weightGradients[l][k] += c * (network.weights[l][k] - initial.weights[l][k])
                }
                guard network.hasBias else { continue }
                for k in 0..<network.biases[l].count {
                    biasGradients[l][k] += c * (network.biases[l][k] - initial.biases[l][k])
                }
            }
        }
    }

    /// The forward pass of `x` (row-major N x d, N = workspace.count) into the workspace.
    public func forward(_ x: [Double], into ws: Workspace) {
        precondition(x.count == ws.count * widths[0])
        let depth = network.depth
        let count = ws.count
        let activation = PointwiseActivation(network.activation)
        ws.inputs[0] = x
        for l in 0..<depth {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            let (wf, bf) = factors(l)
            ws.pre[l].withUnsafeMutableBufferPointer { h in
                if hasBias {
                    biases[l].withUnsafeBufferPointer { b in
                        for i in 0..<count { for j in 0..<nOut { h[i * nOut + j] = bf * b[j] } }
                    }
                }
                ws.inputs[l].withUnsafeBufferPointer { a in
                    weights[l].withUnsafeBufferPointer { w in
                        BLAS.gemm(
                            .none, .transpose, m: count, n: nOut, k: nIn, alpha: wf, a.baseAddress!, lda: nIn,
                            w.baseAddress!, ldb: nIn, beta: hasBias ? 1 : 0, h.baseAddress!, ldc: nOut)
                    }
                }
            }
            if l < depth - 1 {
                ws.pre[l].withUnsafeBufferPointer { h in
                    ws.inputs[l + 1].withUnsafeMutableBufferPointer { a in activation.apply(h, into: a) }
                }
            }
        }
    }

    /// Backpropagates `seed` (row-major N x K, one value per output) into ws.deltas: row i of
    /// deltas[l] is sum_a seed_ia d f_a(x_i) / d h_{l+1}.
    public func backward(seed: [Double], in ws: Workspace) {
        let depth = network.depth
        let count = ws.count
        precondition(seed.count == count * outputCount, "one seed per batch row and output")
        let activation = PointwiseActivation(network.activation)
        ws.deltas[depth - 1] = seed
        for l in stride(from: depth - 1, to: 0, by: -1) {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            let wf = factors(l).weight
            // Moved out while written: reading deltas[l] and writing deltas[l - 1] in place would
            // be overlapping accesses to the one array of arrays.
            var back: [Double] = []
            swap(&back, &ws.deltas[l - 1])
            back.withUnsafeMutableBufferPointer { back in
                ws.deltas[l].withUnsafeBufferPointer { d in
                    weights[l].withUnsafeBufferPointer { w in
                        BLAS.gemm(
                            .none, .none, m: count, n: nIn, k: nOut, alpha: wf, d.baseAddress!, lda: nOut,
                            w.baseAddress!, ldb: nIn, beta: 0, back.baseAddress!, ldc: nIn)
                    }
                }
                ws.pre[l - 1].withUnsafeBufferPointer { h in activation.multiplyByDerivative(h, back) }
            }
            swap(&back, &ws.deltas[l - 1])
        }
    }

    /// Gradients of sum_i sum_a seed_ia f_a(x_i) with respect to the stored parameters, from the
    /// workspace's last forward and backward passes, into ws.weightGradients / biasGradients.
    public func accumulateGradients(in ws: Workspace) {
        let count = ws.count
        for l in 0..<network.depth {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            let (wf, bf) = factors(l)
            ws.weightGradients[l].withUnsafeMutableBufferPointer { g in
                ws.deltas[l].withUnsafeBufferPointer { d in
                    ws.inputs[l].withUnsafeBufferPointer { a in
                        BLAS.gemm(
                            .transpose, .none, m: nOut, n: nIn, k: count, alpha: wf, d.baseAddress!, lda: nOut,
                            a.baseAddress!, ldb: nIn, beta: 0, g.baseAddress!, ldc: nIn)
                    }
                }
            }
            guard hasBias else { continue }
            ws.biasGradients[l].withUnsafeMutableBufferPointer { b in
                ws.deltas[l].withUnsafeBufferPointer { d in
                    for j in 0..<nOut { b[j] = 0 }
                    for i in 0..<count { for j in 0..<nOut { b[j] += d[i * nOut + j] } }
                    for j in 0..<nOut { b[j] *= bf }
                }
            }
        }
    }

    /// theta <- theta - eta * gradient, from the workspace's gradients.
    public mutating func descend(learningRate eta: Double, in ws: Workspace) {
        for l in 0..<network.depth {
            weights[l].withUnsafeMutableBufferPointer { w in
                ws.weightGradients[l].withUnsafeBufferPointer { g in
                    for k in 0..<w.count { w[k] -= eta * g[k] }
                }
            }
            guard hasBias else { continue }
            biases[l].withUnsafeMutableBufferPointer { b in
                ws.biasGradients[l].withUnsafeBufferPointer { g in
                    for k in 0..<b.count { b[k] -= eta * g[k] }
                }
            }
        }
    }

    /// Pre-activations and activations of a batch, layer by layer.
    public struct Pass: Sendable {
        public let count: Int
        /// inputs[l] is the N x n_l input of layer l (inputs[0] = x, then phi(h_l)).
        public let inputs: [[Double]]
        /// preActivations[l] is h_{l+1} = layer l's N x n_{l+1} output (the last is f).
        public let preActivations: [[Double]]
        /// The outputs f(x), row-major N x K.
        public var outputs: [Double] { preActivations.last! }
    }

    /// The forward pass of `x` (row-major N x d).
    public func forward(_ x: [Double], count: Int) -> Pass {
        let ws = Workspace(for: self, count: count)
        forward(x, into: ws)
        return Pass(count: count, inputs: ws.inputs, preActivations: ws.pre)
    }

    /// The outputs f(x) on a batch, row-major N x K.
    public func outputs(_ x: [Double], count: Int) -> [Double] { forward(x, count: count).outputs }

    /// Backpropagated sensitivities: rows of deltas[l] are seed_i d f(x_i)/d h_{l+1}.
    func sensitivities(_ pass: Pass, seed: [Double]) -> [[Double]] {
        let ws = Workspace(for: self, count: pass.count)
        ws.inputs = pass.inputs
        ws.pre = pass.preActivations
        backward(seed: seed, in: ws)
        return ws.deltas
    }

    /// Gradients of sum_i sum_a seed_ia f_a(x_i) with respect to the stored weights and biases.
    public func gradients(_ pass: Pass, seed: [Double]) -> (weights: [[Double]], biases: [[Double]]) {
        let ws = Workspace(for: self, count: pass.count)
        ws.inputs = pass.inputs
        ws.pre = pass.preActivations
        backward(seed: seed, in: ws)
        accumulateGradients(in: ws)
        return (ws.weightGradients, ws.biasGradients)
    }

    /// The empirical NTK <grad f(x_i), grad f(x_j)> on a batch (row-major N x N), by layers:
    /// sum_l wf_l^2 (A_l A_l^T) o (D_l D_l^T) + bf_l^2 D_l D_l^T, with A_l the layer's inputs and
    /// D_l the sensitivities df/dh_{l+1} (o the entrywise product). Scalar-output networks only.
    public func empiricalNTK(_ x: [Double], count: Int) -> [Double] {
        precondition(outputCount == 1, "the empirical NTK of a scalar-output network")
        let pass = forward(x, count: count)
        let deltas = sensitivities(pass, seed: [Double](repeating: 1, count: count))
        var ntk = [Double](repeating: 0, count: count * count)
        var aa = ntk
        var dd = ntk
        for l in 0..<network.depth {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            let (wf, bf) = factors(l)
            pass.inputs[l].withUnsafeBufferPointer { ap in
                aa.withUnsafeMutableBufferPointer { cp in
                    BLAS.syrkUpper(n: count, k: nIn, ap.baseAddress!, lda: nIn, cp.baseAddress!, ldc: count)
                }
            }
            deltas[l].withUnsafeBufferPointer { dp in
                dd.withUnsafeMutableBufferPointer { cp in
                    BLAS.syrkUpper(n: count, k: nOut, dp.baseAddress!, lda: nOut, cp.baseAddress!, ldc: count)
                }
            }
            let biasTerm = hasBias ? bf * bf : 0
            for i in 0..<count {
                for j in i..<count {
                    let k = i * count + j
                    ntk[k] += wf * wf * aa[k] * dd[k] + biasTerm * dd[k]
                }
            }
        }
        for i in 0..<count { for j in 0..<i { ntk[i * count + j] = ntk[j * count + i] } }
        return ntk
    }

    /// All parameters as one vector (weights then biases, layer by layer).
    public var parameters: [Double] {
        var out: [Double] = []
        for l in 0..<network.depth {
            out.append(contentsOf: weights[l])
            if hasBias { out.append(contentsOf: biases[l]) }
        }
        return out
    }
}
