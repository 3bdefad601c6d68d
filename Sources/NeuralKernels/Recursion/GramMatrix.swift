import Foundation

/// Which kernel of the network: the NNGP Sigma_L or the NTK Theta_L.
public enum KernelKind: String, Sendable, CaseIterable {
    case nngp, ntk
}

/// The Gram matrix K[i][j] = k(x_i, x_j) of a network's NNGP or NTK on data points, with
/// Neural Tangents' input convention <x, x'>/d.
///
/// Memory is the n x n result plus O(n) per layer of per-point variances, never
/// O(n^2 x layers): each entry is pushed through all layers on its own.
/// When every point has the same norm (unit-norm data, points on a sphere), the entries are
/// functions of <x_i, x_j> alone and go through a ``SphereKernelTable`` (the whole deep
/// kernel tabulated once, accurate to about 1e-14 of kappa(1)); otherwise each entry uses the duals at its own
/// pair of variances (closed forms, or the wedge quadrature, which is slower).
public struct GramMatrix: Sendable {
    public let count: Int
    /// Row-major count x count values.
    public var values: [Double]

    public subscript(i: Int, j: Int) -> Double { values[i * count + j] }

    /// Computes the Gram matrix of `points` (rows, all of the same dimension).
    /// `progress` receives the fraction of work done, from any thread.
    public init(points: [[Double]], network: NetworkKernel, kind: KernelKind,
                progress: (@Sendable (Double) -> Void)? = nil) throws {
        let n = points.count
        guard n > 0 else { throw KernelError.invalidData("no data points") }
        let d = points[0].count
        guard d > 0 else { throw KernelError.invalidData("data points have no coordinates") }
        for (i, p) in points.enumerated() where p.count != d {
            throw KernelError.invalidData("row \(i + 1) has \(p.count) values; expected \(d) like the first row")
        }
        count = n
        let flat = points.flatMap { $0 }
        let dd = Double(d)
        let variances = (0..<n).map { i -> Double in
            var s = 0.0
            for k in 0..<d { s += flat[i * d + k] * flat[i * d + k] }
            return s / dd
        }
        let v0 = variances[0]
        let equalNorms = v0 > 0 && variances.allSatisfy { Swift.abs($0 - v0) <= 1e-13 * v0 }

        // Per-entry evaluator: (i, j, <x_i, x_j>/d) -> kernel value.
        let entry: @Sendable (Int, Int, Double) -> Double
        if equalNorms {
            var spherical = network
            spherical.inputDimension = d
            let table = SphereKernelTable(try SphereKernel(spherical, inputVariance: v0))
            let inverse = 1 / v0
            if kind == .nngp {
                entry = { i, j, dot in table.nngp(i == j ? 1 : min(1, max(-1, dot * inverse))) }
            } else {
                entry = { i, j, dot in table.ntk(i == j ? 1 : min(1, max(-1, dot * inverse))) }
            }
        } else {
            let diagonal = GramMatrix.layerVariances(variances, network: network)
            let dual = DualActivation(network.activation)
            let net = network
            entry = { i, j, dot in
                var state = net.denseLayer(0, inputWidth: dd)(
                    KernelState(q1: variances[i], q2: variances[j], nngp: i == j ? variances[i] : dot, ntk: 0))
                for l in 1..<net.depth {
                    let q1 = diagonal[l - 1][i], q2 = diagonal[l - 1][j]
                    let pair = GaussianPair(q1: q1, q2: q2, c: state.nngp)
                    let nngp = dual.nngp(pair)
                    let derivative = dual.derivative(pair)
                    state = KernelState(q1: diagonal[l - 1 + net.depth - 1][i], q2: diagonal[l - 1 + net.depth - 1][j],
                                        nngp: nngp, ntk: state.ntk * derivative)
                    state = net.denseLayer(l, inputWidth: dd)(state)
                }
                return kind == .nngp ? state.nngp : state.ntk
            }
        }

        var result = [Double](repeating: 0, count: n * n)
        let chunks = max(1, min(n, ProcessInfo.processInfo.activeProcessorCount * 8))
        let done = Locked(0)
        result.withUnsafeMutableBufferPointer { out in
            let base = UnsafeSendablePointer(out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                // Rows chunk, chunk + chunks, ...: balanced over the triangle.
                var i = chunk
                while i < n {
                    for j in i..<n {
                        var dot = 0.0
                        for k in 0..<d { dot += flat[i * d + k] * flat[j * d + k] }
                        let v = entry(i, j, dot / dd)
                        base.pointer[i * n + j] = v
                        base.pointer[j * n + i] = v
                    }
                    if let progress {
                        let rowsDone = done.withLock { count -> Int in count += 1; return count }
                        if rowsDone % max(1, n / 100) == 0 { progress(Double(rowsDone) / Double(n)) }
                    }
                    i += chunks
                }
            }
        }
        values = result
    }

    /// Per layer l = 1..L-1, the variance fed to the l-th nonlinearity (rows 0..<L-1) and the
    /// variance after it, E[phi(u)^2] (rows L-1..<2(L-1)), for every point.
    static func layerVariances(_ input: [Double], network: NetworkKernel) -> [[Double]] {
        let dual = DualActivation(network.activation)
        var pre: [[Double]] = [], post: [[Double]] = []
        var q = input.map { network.sigmaW * network.sigmaW * $0 + network.sigmaB * network.sigmaB * network.sigmaI * network.sigmaI }
        for _ in 1..<max(network.depth, 1) {
            pre.append(q)
            let m2 = q.map { dual.secondMoment(q: $0) }
            post.append(m2)
            q = m2.map { network.sigmaW * network.sigmaW * $0 + network.sigmaB * network.sigmaB * network.sigmaI * network.sigmaI }
        }
        return pre + post
    }
}

/// A raw pointer that disjoint workers write through (each entry by exactly one worker).
struct UnsafeSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}
