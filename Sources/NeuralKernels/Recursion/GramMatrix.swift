import Foundation
import _ParallelFill

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

        // Uninitialised storage: every entry is written exactly once below, and the pages are
        // first touched by the parallel workers instead of a single-threaded memset.
        var result = [Double](unsafeUninitializedCapacity: n * n) { _, count in count = n * n }
        if equalNorms {
            var spherical = network
            spherical.inputDimension = d
            let sphere = try SphereKernel(spherical, inputVariance: v0)
            let table = SphereKernelTable(sphere)
            let inverse = 1 / (v0 * dd)
            let wantNNGP = kind == .nngp
            if max(table.error.nngp, table.error.ntk) <= 1e-13 {
                let top = sphere(1)
                GramMatrix.fillFromTable(&result, n: n, d: d, flat: flat, table: table, nngp: wantNNGP,
                                         diagonal: wantNNGP ? top.nngp : top.ntk, inverse: inverse, progress: progress)
            } else {
                // Not analytic in sqrt(1 - t) (a discontinuous activation at depth >= 3):
                // evaluate the exact sphere kernel per entry.
                GramMatrix.fill(&result, n: n, d: d, flat: flat, progress: progress) { i, j, dot in
                    let t = i == j ? 1 : min(1, max(-1, dot * inverse))
                    return wantNNGP ? sphere.nngp(t) : sphere.ntk(t)
                }
            }
        } else {
            let (pre, post) = GramMatrix.layerVariances(variances, network: network)
            let dual = DualActivation(network.activation)
            let net = network
            GramMatrix.fill(&result, n: n, d: d, flat: flat, progress: progress) { i, j, dot in
                let input = KernelState(q1: variances[i], q2: variances[j], nngp: i == j ? variances[i] : dot / dd, ntk: 0)
                let output = net.propagate(input, inputWidth: dd) { l, state in
                    let pair = GaussianPair(q1: pre[l][i], q2: pre[l][j], c: state.nngp)
                    // The NNGP needs no derivative dual; the NTK takes both at once.
                    let (nngp, derivative) = kind == .nngp ? (dual.nngp(pair), 0) : dual.both(pair)
                    return KernelState(q1: post[l][i], q2: post[l][j], nngp: nngp, ntk: state.ntk * derivative)
                }!
                return kind == .nngp ? output.nngp : output.ntk
            }
        }
        values = result
    }

    /// The hot loop for tabulated kernels: four columns at a time, so the four dot products
    /// and the four table evaluations are independent chains the CPU overlaps.
    static func fillFromTable(_ result: inout [Double], n: Int, d: Int, flat: [Double],
                              table: SphereKernelTable, nngp: Bool, diagonal: Double, inverse: Double,
                              progress: (@Sendable (Double) -> Void)?) {
        @Sendable @inline(__always) func kernel(_ dot: Double) -> Double {
            let t = min(1, max(-1, dot * inverse))
            return nngp ? table.nngp(t) : table.ntk(t)
        }
        fillUpper(&result, n: n, d: d, flat: flat, progress: progress) { i, x, outRow in
            let row = x.row(i)
            outRow[i] = diagonal      // exact, not interpolated
            var j = i + 1
            while j + 4 <= n {
                let c0 = x.row(j), c1 = c0 + d, c2 = c1 + d, c3 = c2 + d
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                for k in 0..<d {
                    let r = row[k]
                    s0 += r * c0[k]; s1 += r * c1[k]; s2 += r * c2[k]; s3 += r * c3[k]
                }
                outRow[j] = kernel(s0); outRow[j + 1] = kernel(s1)
                outRow[j + 2] = kernel(s2); outRow[j + 3] = kernel(s3)
                j += 4
            }
            while j < n {
                let c = x.row(j)
                var s = 0.0
                for k in 0..<d { s += row[k] * c[k] }
                outRow[j] = kernel(s)
                j += 1
            }
        }
    }

    /// Fills the symmetric matrix from `entry(i, j, <x_i, x_j>)`.
    @inline(__always)
    static func fill(_ result: inout [Double], n: Int, d: Int, flat: [Double],
                     progress: (@Sendable (Double) -> Void)?,
                     _ entry: @Sendable (Int, Int, Double) -> Double) {
        fillUpper(&result, n: n, d: d, flat: flat, progress: progress) { i, x, outRow in
            let row = x.row(i)
            for j in i..<n {
                let col = x.row(j)
                var dot = 0.0
                for k in 0..<d { dot += row[k] * col[k] }
                outRow[j] = entry(i, j, dot)
            }
        }
    }

    /// The symmetric fill over the points `flat` (n rows of d): `upperRow(i, points, row i)`
    /// writes entries j >= i.
    @inline(__always)
    static func fillUpper(_ result: inout [Double], n: Int, d: Int, flat: [Double],
                          progress: (@Sendable (Double) -> Void)?,
                          _ upperRow: @Sendable (Int, SharedRows<Double>, UnsafeMutablePointer<Double>) -> Void) {
        var matrices = [result]
        result = []
        ParallelFill.withShared(reading: [flat], rowLength: d) { points in
            let x = points[0]
            ParallelFill.symmetric(&matrices, n: n, progress: progress) { i, out in upperRow(i, x, out[0].row(i)) }
        }
        result = matrices[0]
    }

    /// Per hidden layer l = 0..<L-1 and point, the variance fed to the nonlinearity (`pre`) and
    /// the variance after it, E[phi(u)^2] (`post`).
    static func layerVariances(_ input: [Double], network: NetworkKernel) -> (pre: [[Double]], post: [[Double]]) {
        let dual = DualActivation(network.activation)
        let hidden = max(network.depth, 1) - 1
        var pre = [[Double]](repeating: [], count: hidden), post = pre
        for v in input {
            _ = network.propagate(LayerVariance(v), inputWidth: 1) { l, q in
                pre[l].append(q.value)
                let m2 = dual.secondMoment(q: q.value)
                post[l].append(m2)
                return LayerVariance(m2)
            }
        }
        return (pre, post)
    }
}
