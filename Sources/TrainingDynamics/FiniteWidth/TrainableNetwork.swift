import Foundation
import NeuralKernels
import _NumericalBackends

/// A finite-width fully connected network with scalar output, trainable by full-batch
/// gradient descent: the finite object whose infinite-width training dynamics
/// ``EnsembleDynamics`` describes.
///
/// Parameters and their scaling are those of ``RandomMLP`` (and the same seed draws the same
/// network): NTK parametrisation h_{l+1} = sigma_w / sqrt(n_l) W_{l+1} a_l + sigma_b b_{l+1}
/// with W standard normal and b of standard deviation sigma_i; standard parametrisation
/// W ~ N(0, sigma_w^2 / n_l), b ~ N(0, sigma_b^2 sigma_i^2) used as they are. Gradients are
/// with respect to the stored parameters, so gradient descent in the NTK parametrisation is
/// kernel gradient descent with the NTK at infinite width (Jacot et al. 2018).
///
/// Forward and backward passes work on whole batches through BLAS (dgemm): a batch of N
/// inputs costs O(N sum_l n_l n_{l+1}) per pass.
public struct TrainableNetwork: Sendable {
    public let network: NetworkKernel
    /// n_0 = d, n_1 ... n_{L-1}, n_L = 1.
    public let widths: [Int]
    /// Row-major n_{l+1} x n_l weights per layer, as stored parameters.
    public var weights: [[Double]]
    public var biases: [[Double]]

    /// Draws a network exactly as ``RandomMLP/init(_:inputDimension:width:random:)`` does.
    public init(_ network: NetworkKernel, inputDimension: Int, width: Int, seed: UInt64) {
        var random = GaussianRandomSource(seed: seed)
        self.network = network
        widths = [inputDimension] + Array(repeating: width, count: network.depth - 1) + [1]
        weights = []
        biases = []
        for l in 0..<network.depth {
            let nIn = widths[l], nOut = widths[l + 1]
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

    /// Whether biases are trained parameters (sigma_b > 0).
    public var hasBias: Bool { network.sigmaB > 0 }

    /// Multipliers of the stored weights and biases of layer l in the forward pass.
    func factors(_ l: Int) -> (weight: Double, bias: Double) {
        network.parametrization == .standard
            ? (1, 1)
            : (network.sigmaW / Double(widths[l]).squareRoot(), network.sigmaB)
    }

    /// Pre-activations and activations of a batch, layer by layer.
    public struct Pass: Sendable {
        public let count: Int
        /// inputs[l] is the N x n_l input of layer l (inputs[0] = x, then phi(h_l)).
        public let inputs: [[Double]]
        /// preActivations[l] is h_{l+1} = layer l's N x n_{l+1} output (the last is f).
        public let preActivations: [[Double]]
        /// The outputs f(x), one per batch row.
        public var outputs: [Double] { preActivations.last! }
    }

    /// The forward pass of `x` (row-major N x d).
    public func forward(_ x: [Double], count: Int) -> Pass {
        precondition(x.count == count * widths[0])
        let depth = network.depth
        var inputs: [[Double]] = [x]
        var pre: [[Double]] = []
        for l in 0..<depth {
            let nIn = widths[l], nOut = widths[l + 1]
            let (wf, bf) = factors(l)
            var h = [Double](repeating: 0, count: count * nOut)
            if hasBias {
                let b = biases[l]
                for i in 0..<count { for j in 0..<nOut { h[i * nOut + j] = bf * b[j] } }
            }
            BLAS.gemm(.none, .transpose, m: count, n: nOut, k: nIn, alpha: wf, inputs[l], weights[l],
                      beta: hasBias ? 1 : 0, &h)
            pre.append(h)
            if l < depth - 1 { inputs.append(h.map { network.activation($0) }) }
        }
        return Pass(count: count, inputs: inputs, preActivations: pre)
    }

    /// The outputs f(x) on a batch.
    public func outputs(_ x: [Double], count: Int) -> [Double] { forward(x, count: count).outputs }

    /// Backpropagated sensitivities df/dh_l of each output to each layer's pre-activations,
    /// seeded with `seed` (N values) at the output: rows of deltas[l] are seed_i d f(x_i)/d h_{l+1}.
    func sensitivities(_ pass: Pass, seed: [Double]) -> [[Double]] {
        let depth = network.depth, count = pass.count
        var deltas = [[Double]](repeating: [], count: depth)
        deltas[depth - 1] = seed
        for l in stride(from: depth - 1, to: 0, by: -1) {
            let nIn = widths[l], nOut = widths[l + 1]
            var back = [Double](repeating: 0, count: count * nIn)
            BLAS.gemm(.none, .none, m: count, n: nIn, k: nOut, alpha: factors(l).weight, deltas[l], weights[l], &back)
            let h = pass.preActivations[l - 1]
            for k in 0..<back.count { back[k] *= network.activation.derivative(h[k]) }
            deltas[l - 1] = back
        }
        return deltas
    }

    /// Gradients of sum_i seed_i f(x_i) with respect to the stored weights and biases.
    public func gradients(_ pass: Pass, seed: [Double]) -> (weights: [[Double]], biases: [[Double]]) {
        let deltas = sensitivities(pass, seed: seed)
        var gw: [[Double]] = [], gb: [[Double]] = []
        for l in 0..<network.depth {
            let nIn = widths[l], nOut = widths[l + 1]
            let (wf, bf) = factors(l)
            var g = [Double](repeating: 0, count: nOut * nIn)
            BLAS.gemm(.transpose, .none, m: nOut, n: nIn, k: pass.count, alpha: wf, deltas[l], pass.inputs[l], &g)
            gw.append(g)
            var b = [Double](repeating: 0, count: nOut)
            if hasBias {
                for i in 0..<pass.count { for j in 0..<nOut { b[j] += deltas[l][i * nOut + j] } }
                for j in 0..<nOut { b[j] *= bf }
            }
            gb.append(b)
        }
        return (gw, gb)
    }

    /// The empirical NTK <grad f(x_i), grad f(x_j)> on a batch (row-major N x N), by layers:
    /// sum_l wf_l^2 (A_l A_l^T) o (D_l D_l^T) + bf_l^2 D_l D_l^T, with A_l the layer's inputs and
    /// D_l the sensitivities df/dh_{l+1} (o the entrywise product).
    public func empiricalNTK(_ x: [Double], count: Int) -> [Double] {
        let pass = forward(x, count: count)
        let deltas = sensitivities(pass, seed: [Double](repeating: 1, count: count))
        var ntk = [Double](repeating: 0, count: count * count)
        var aa = ntk, dd = ntk
        for l in 0..<network.depth {
            let nIn = widths[l], nOut = widths[l + 1]
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
