import Foundation
import NeuralKernels
import _NumericalBackends

/// A one-hidden-layer network without biases in Golikov's normalised weights,
///
///     f(x) = sigma sum_{r=1}^d a^_r phi(c w^_r . x),      c = sigma_w / sqrt(d_in),
///
/// a^_r and the rows w^_r standard normal at init (drawn as ``TrainableNetwork`` draws its
/// weights: the d x d_in input matrix row-major, then the readout), trained by SGD with
/// per-layer learning rates eta^_a, eta^_w on (a^, w^) (``WidthScaling`` sets sigma and the
/// rates from the exponents; Proofs/infinite-width-limits-of-classifiers.md).
///
/// A specialised trainer rather than a generalised ``TrainableNetwork``: SGD with small
/// batches at width 2^16 needs the neurons processed in cache-sized blocks (forward for the
/// logits, then per block the pre-activations again, the gradients and the update in place,
/// two BLAS products per block), per-layer learning rates, the logistic loss and the IC
/// correction, none of which the general multi-layer trainer has. Every pass costs
/// O(N d d_in) through dgemm, for a batch of N inputs.
public struct ScaledNetwork: Sendable {
    public let activation: Activation
    public let inputDimension: Int
    public let width: Int
    /// sigma.
    public let readoutMultiplier: Double
    /// c = sigma_w / sqrt(d_in).
    public let inputMultiplier: Double
    /// w^, row-major d x d_in.
    public var input: [Double]
    /// a^, d values.
    public var readout: [Double]

    /// Positive slope and negative slope of a positively homogeneous (piecewise-linear)
    /// activation, evaluated inline instead of through its closures.
    let slopes: (positive: Double, negative: Double)?

    public init(
        activation: Activation, inputDimension: Int, width: Int, sigmaW: Double = 1,
        readoutMultiplier: Double, seed: UInt64
    ) {
        precondition(inputDimension >= 1 && width >= 1)
        self.activation = activation
        self.inputDimension = inputDimension
        self.width = width
        self.readoutMultiplier = readoutMultiplier
        inputMultiplier = sigmaW / Double(inputDimension).squareRoot()
        var random = GaussianRandomSource(seed: seed)
        var w = [Double](repeating: 0, count: width * inputDimension)
        for k in 0..<w.count { w[k] = random.normal() }
        var a = [Double](repeating: 0, count: width)
        for k in 0..<width { a[k] = random.normal() }
        input = w
        readout = a
        slopes = activation.homogeneity == 1 ? (activation(1), -activation(-1)) : nil
    }

    /// The network of a scaling at a width.
    public init(_ scaling: WidthScaling, activation: Activation, inputDimension: Int, width: Int, seed: UInt64) {
        self.init(
            activation: activation, inputDimension: inputDimension, width: width, sigmaW: scaling.sigmaW,
            readoutMultiplier: scaling.readoutMultiplier(width: width), seed: seed)
    }

    /// Scratch space for passes over batches of up to `count` inputs.
    public final class Workspace: @unchecked Sendable {
        let count: Int
        /// Neurons per block: the N x block pre-activations stay within about 2 MB.
        let block: Int
        var pre: [Double]
        var derivative: [Double]
        init(count: Int, width: Int) {
            self.count = count
            block = max(1, min(width, (1 << 18) / max(count, 1)))
            pre = [Double](repeating: 0, count: count * block)
            derivative = pre
        }
    }

    public func workspace(count: Int) -> Workspace { Workspace(count: count, width: width) }

    /// phi (and phi' into `derivative` when asked) over n values in place.
    @inline(__always)
    static func activate(
        _ h: UnsafeMutablePointer<Double>, _ n: Int, derivative d: UnsafeMutablePointer<Double>?,
        activation: Activation, slopes: (positive: Double, negative: Double)?
    ) {
        if let (p, m) = slopes {
            if let d {
                for k in 0..<n {
                    let x = h[k]
                    let slope = x < 0 ? m : p
                    d[k] = slope
                    h[k] = slope * x
                }
            } else {
                for k in 0..<n {
                    let x = h[k]
                    h[k] = (x < 0 ? m : p) * x
                }
            }
        } else {
            if let d { for k in 0..<n { d[k] = activation.derivative(h[k]) } }
            for k in 0..<n { h[k] = activation(h[k]) }
        }
    }

    /// Pre-activations of neurons r0 ..< r0 + nb on N inputs: H = c X W_block^T (N x nb).
    @inline(__always)
    static func preActivations(
        _ x: UnsafePointer<Double>, count: Int, inputDimension d: Int, multiplier c: Double,
        from r0: Int, _ nb: Int, _ w: UnsafePointer<Double>, into h: UnsafeMutablePointer<Double>
    ) {
        BLAS.gemm(
            .none, .transpose, m: count, n: nb, k: d, alpha: c, x, lda: d,
            w + r0 * d, ldb: d, beta: 0, h, ldc: nb)
    }

    /// f on N inputs (row-major N x d_in) into `out`.
    public func logits(
        _ x: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>, workspace ws: Workspace
    ) {
        precondition(count <= ws.count)
        for i in 0..<count { out[i] = 0 }
        input.withUnsafeBufferPointer { w in
            readout.withUnsafeBufferPointer { a in
                ws.pre.withUnsafeMutableBufferPointer { h in
                    var r0 = 0
                    while r0 < width {
                        let nb = min(ws.block, width - r0)
                        Self.preActivations(
                            x, count: count, inputDimension: inputDimension, multiplier: inputMultiplier,
                            from: r0, nb, w.baseAddress!, into: h.baseAddress!)
                        Self.activate(
                            h.baseAddress!, count * nb, derivative: nil, activation: activation, slopes: slopes)
                        BLAS.gemm(
                            .none, .none, m: count, n: 1, k: nb, alpha: readoutMultiplier, h.baseAddress!, lda: nb,
                            a.baseAddress! + r0, ldb: 1, beta: 1, out, ldc: 1)
                        r0 += nb
                    }
                }
            }
        }
    }

    /// f on a batch (row-major N x d_in).
    public func logits(_ x: [Double], count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ws = workspace(count: count)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer {
                logits(xp.baseAddress!, count: count, into: $0.baseAddress!, workspace: ws)
            }
        }
        return out
    }

    /// One SGD step on a batch: with g_i the loss derivative at input i divided by the batch
    /// size, a^ <- a^ - eta^_a sigma A^T g and W^ <- W^ - eta^_w c M^T X, M_ir = sigma g_i a^_r phi'(h_ir),
    /// block by block (each block's gradient needs only its own weights and g).
    public mutating func descend(
        _ x: UnsafePointer<Double>, count: Int, seed g: UnsafePointer<Double>,
        readoutRate: Double, inputRate: Double, workspace ws: Workspace
    ) {
        precondition(count <= ws.count)
        let d = inputDimension
        let sigma = readoutMultiplier
        let c = inputMultiplier
        let width = self.width
        let activation = self.activation
        let slopes = self.slopes
        input.withUnsafeMutableBufferPointer { w in
            readout.withUnsafeMutableBufferPointer { a in
                ws.pre.withUnsafeMutableBufferPointer { h in
                    ws.derivative.withUnsafeMutableBufferPointer { m in
                        var r0 = 0
                        while r0 < width {
                            let nb = min(ws.block, width - r0)
                            Self.preActivations(
                                x, count: count, inputDimension: d, multiplier: c, from: r0, nb,
                                UnsafePointer(w.baseAddress!), into: h.baseAddress!)
                            Self.activate(
                                h.baseAddress!, count * nb, derivative: m.baseAddress!, activation: activation,
                                slopes: slopes)
                            // M = sigma g a^T o phi'(H), before a^ moves.
                            for i in 0..<count {
                                let gi = sigma * g[i]
                                let row = i * nb
                                for r in 0..<nb { m[row + r] *= gi * a[r0 + r] }
                            }
                            if readoutRate != 0 {
                                BLAS.gemm(
                                    .transpose, .none, m: nb, n: 1, k: count, alpha: -readoutRate * sigma,
                                    h.baseAddress!, lda: nb,
                                    g, ldb: 1, beta: 1, a.baseAddress! + r0, ldc: 1)
                            }
                            if inputRate != 0 {
                                BLAS.gemm(
                                    .transpose, .none, m: nb, n: d, k: count, alpha: -inputRate * c, m.baseAddress!,
                                    lda: nb,
                                    x, ldb: d, beta: 1, w.baseAddress! + r0 * d, ldc: d)
                            }
                            r0 += nb
                        }
                    }
                }
            }
        }
    }

    /// The learning-rate weighted tangent kernels on N inputs (row-major N x N each):
    ///
    ///     K_a(x, x') = eta^_a sigma^2 sum_r phi(h_r) phi(h_r')
    ///     K_w(x, x') = eta^_w sigma^2 c^2 <x, x'> sum_r a^_r^2 phi'(h_r) phi'(h_r')
    ///
    /// (df(x) = -(K_a + K_w)(x, x_k) l'_k after one small SGD step on x_k: Golikov's kernels,
    /// and with eta^_a = eta^_w = 1 at the NTK point the empirical NTK).
    public func tangentKernels(_ x: [Double], count n: Int, readoutRate: Double, inputRate: Double)
        -> (readout: [Double], input: [Double])
    {
        var ka = [Double](repeating: 0, count: n * n)
        var kw = ka
        guard n > 0 else { return (ka, kw) }
        let ws = workspace(count: n)
        let sigma2 = readoutMultiplier * readoutMultiplier
        x.withUnsafeBufferPointer { xp in
            input.withUnsafeBufferPointer { w in
                ws.pre.withUnsafeMutableBufferPointer { h in
                    ws.derivative.withUnsafeMutableBufferPointer { m in
                        ka.withUnsafeMutableBufferPointer { kap in
                            kw.withUnsafeMutableBufferPointer { kwp in
                                var r0 = 0
                                while r0 < width {
                                    let nb = min(ws.block, width - r0)
                                    Self.preActivations(
                                        xp.baseAddress!, count: n, inputDimension: inputDimension,
                                        multiplier: inputMultiplier, from: r0, nb, w.baseAddress!, into: h.baseAddress!)
                                    Self.activate(
                                        h.baseAddress!, n * nb, derivative: m.baseAddress!, activation: activation,
                                        slopes: slopes)
                                    for i in 0..<n { for r in 0..<nb { m[i * nb + r] *= readout[r0 + r] } }
                                    BLAS.syrkUpper(
                                        n: n, k: nb, alpha: readoutRate * sigma2, h.baseAddress!, lda: nb,
                                        beta: 1, kap.baseAddress!, ldc: n)
                                    BLAS.syrkUpper(
                                        n: n, k: nb, alpha: inputRate * sigma2, m.baseAddress!, lda: nb,
                                        beta: 1, kwp.baseAddress!, ldc: n)
                                    r0 += nb
                                }
                            }
                        }
                    }
                }
            }
        }
        let c2 = inputMultiplier * inputMultiplier
        for i in 0..<n {
            for j in i..<n {
                var dot = 0.0
                for k in 0..<inputDimension { dot += x[i * inputDimension + k] * x[j * inputDimension + k] }
                kw[i * n + j] *= c2 * dot
                ka[j * n + i] = ka[i * n + j]
                kw[j * n + i] = kw[i * n + j]
            }
        }
        return (ka, kw)
    }
}
