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
/// O(n^2 x layers): each entry is pushed through all layers on its own. The result can be
/// computed into caller storage (``compute(points:network:kind:into:progress:)``: `rkhs gram`
/// computes into the mapped output file), and both kernels in one pass
/// (``both(points:network:progress:)``).
///
/// Routes, fastest first:
/// * every point of one norm (unit-norm data, points on a sphere): the entries are functions
///   of <x_i, x_j> alone and go through a ``SphereKernelTable`` (the whole deep kernel
///   tabulated once, accurate to about 1e-14 of kappa(1));
/// * positively homogeneous activations (ReLU, leaky ReLU, abs, step, ReLU^p) on unequal
///   norms: ``HomogeneousGramRoute``, per layer a table of the normalised duals in the
///   correlation times per-point scales (within about 1e-15 of the per-entry route);
/// * activations with costly duals (quadrature, the ELU family) on unequal norms:
///   ``HermiteSeriesGramRoute``, per layer and point the activation's Hermite coefficients,
///   per entry a Mehler series cut where its remainder is bounded below 1e-14 of
///   sqrt(K_ii K_jj) (the direct duals where it cannot be);
/// * otherwise each entry uses the duals at its own pair of variances (cheap closed forms).
public struct GramMatrix: Sendable {
    public let count: Int
    /// Row-major count x count values.
    public var values: [Double]

    public subscript(i: Int, j: Int) -> Double { values[i * count + j] }

    /// Computes the Gram matrix of `points` (rows, all of the same dimension).
    /// `progress` receives the fraction of work done, from any thread.
    public init(
        points: [[Double]], network: NetworkKernel, kind: KernelKind,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws {
        let n = try GramMatrix.validate(points).n
        // Uninitialised storage: every entry is written exactly once, and the pages are
        // first touched by the parallel workers instead of a single-threaded memset.
        var result = [Double](unsafeUninitializedCapacity: n * n) { _, count in count = n * n }
        try result.withUnsafeMutableBufferPointer { buffer in
            try GramMatrix.compute(
                points: points, network: network, kind: kind, into: buffer.baseAddress!, progress: progress)
        }
        count = n
        values = result
    }

    private init(count: Int, values: [Double]) {
        self.count = count
        self.values = values
    }

    /// The NNGP and the NTK Gram matrices in one pass: the NTK recursion carries the NNGP, so
    /// each entry's layers are walked once. Bit-identical to the two matrices computed apart
    /// (for closed forms with a ``DualJet``, whose NNGP may differ in the last bit from the plain
    /// closed form, the two are computed apart).
    public static func both(
        points: [[Double]], network: NetworkKernel,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws -> (nngp: GramMatrix, ntk: GramMatrix) {
        let n = try validate(points).n
        var nngp = [Double](unsafeUninitializedCapacity: n * n) { _, count in count = n * n }
        var ntk = [Double](unsafeUninitializedCapacity: n * n) { _, count in count = n * n }
        try nngp.withUnsafeMutableBufferPointer { a in
            try ntk.withUnsafeMutableBufferPointer { b in
                try compute(
                    points: points, network: network, nngp: a.baseAddress!, ntk: b.baseAddress!, progress: progress)
            }
        }
        return (GramMatrix(count: n, values: nngp), GramMatrix(count: n, values: ntk))
    }

    /// Computes the Gram matrix into caller-owned storage of n * n doubles (row-major, possibly
    /// uninitialised), for example a mapped output file, so that the matrix exists once.
    public static func compute(
        points: [[Double]], network: NetworkKernel, kind: KernelKind,
        into storage: UnsafeMutablePointer<Double>,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws {
        try compute(
            points: points, network: network, nngp: kind == .nngp ? storage : nil,
            ntk: kind == .ntk ? storage : nil, progress: progress)
    }

    /// Number of points and their dimension, after checking the rows.
    static func validate(_ points: [[Double]]) throws -> (n: Int, d: Int) {
        let n = points.count
        guard n > 0 else { throw KernelError.invalidData("no data points") }
        let d = points[0].count
        guard d > 0 else { throw KernelError.invalidData("data points have no coordinates") }
        for (i, p) in points.enumerated() where p.count != d {
            throw KernelError.invalidData("row \(i + 1) has \(p.count) values; expected \(d) like the first row")
        }
        return (n, d)
    }

    /// Which of the two matrices a fill writes: `outputs[0]` is the NNGP when `nngp`, else the
    /// NTK; with both, `outputs[1]` is the NTK.
    struct Selection: Sendable {
        let nngp: Bool
        let ntk: Bool
        /// Stores an entry's (NNGP, NTK) into the selected rows.
        @inline(__always)
        func store(_ rows: [UnsafeMutablePointer<Double>], _ j: Int, _ value: (nngp: Double, ntk: Double)) {
            if nngp {
                rows[0][j] = value.nngp
                if ntk { rows[1][j] = value.ntk }
            } else {
                rows[0][j] = value.ntk
            }
        }
    }

    /// The routes, writing whichever of `nngp` and `ntk` is given (at least one).
    /// `seriesRoutes` false forces the per-entry route on unequal norms (for cross-checks).
    static func compute(
        points: [[Double]], network: NetworkKernel, nngp: UnsafeMutablePointer<Double>?,
        ntk: UnsafeMutablePointer<Double>?, progress: (@Sendable (Double) -> Void)?,
        seriesRoutes: Bool = true
    ) throws {
        let (n, d) = try validate(points)
        precondition(nngp != nil || ntk != nil)
        let selection = Selection(nngp: nngp != nil, ntk: ntk != nil)
        let storage = [nngp, ntk].compactMap { $0 }
        let flat = points.flatMap { $0 }
        let dd = Double(d)
        let variances = (0..<n).map { i -> Double in
            var s = 0.0
            for k in 0..<d { s += flat[i * d + k] * flat[i * d + k] }
            return s / dd
        }
        let v0 = variances[0]
        let equalNorms = v0 > 0 && variances.allSatisfy { Swift.abs($0 - v0) <= 1e-13 * v0 }

        if equalNorms {
            var spherical = network
            spherical.inputDimension = d
            let sphere = try SphereKernel(spherical, inputVariance: v0)
            let table = SphereKernelTable(sphere)
            let inverse = 1 / (v0 * dd)
            if max(table.error.nngp, table.error.ntk) <= 1e-13 {
                fillFromTable(
                    storage, n: n, d: d, flat: flat, table: table, selection: selection,
                    diagonal: sphere(1), inverse: inverse, progress: progress)
            } else {
                // Not analytic in sqrt(1 - t) (a discontinuous activation at depth >= 3):
                // evaluate the exact sphere kernel per entry.
                fill(storage, n: n, d: d, flat: flat, selection: selection, progress: progress) { i, j, dot in
                    sphere(i == j ? 1 : min(1, max(-1, dot * inverse)))
                }
            }
            return
        }
        if seriesRoutes, HermiteSeriesGramRoute.applies(to: network.activation) {
            // Progress shared by the expansions (~1 ms per point and layer) and the entries
            // (~0.1 us per entry and layer), in proportion to those costs.
            let share = 1 / (1 + 5e-5 * Double(n))
            let build = progress.map { p in { @Sendable (f: Double) in p(share * f) } }
            let rest = progress.map { p in { @Sendable (f: Double) in p(share + (1 - share) * f) } }
            if let route = HermiteSeriesGramRoute(
                network: network, inputDimension: d, variances: variances,
                progress: build)
            {
                route.fill(storage, flat: flat, selection: selection, progress: rest)
                return
            }
        }
        let (pre, post) = layerVariances(variances, network: network)
        if seriesRoutes,
            let route = HomogeneousGramRoute(
                network: network, inputDimension: d, variances: variances, pre: pre, post: post)
        {
            route.fill(storage, flat: flat, selection: selection, progress: progress)
            return
        }
        let dual = DualActivation(network.activation)
        if selection.nngp && selection.ntk && network.activation.closedForm?.jet != nil {
            // The jet's NNGP may differ from the plain closed form's in the last bit: two passes,
            // each as it would run alone.
            try compute(
                points: points, network: network, nngp: nngp, ntk: nil,
                progress: progress.map { p in { @Sendable f in p(0.5 * f) } })
            try compute(
                points: points, network: network, nngp: nil, ntk: ntk,
                progress: progress.map { p in { @Sendable f in p(0.5 + 0.5 * f) } })
            return
        }
        let net = network
        let wantNTK = selection.ntk
        fill(storage, n: n, d: d, flat: flat, selection: selection, progress: progress) { i, j, dot in
            let input = KernelState(q1: variances[i], q2: variances[j], nngp: i == j ? variances[i] : dot / dd, ntk: 0)
            let output = net.propagate(input, inputWidth: dd) { l, state in
                let pair = GaussianPair(q1: pre[l][i], q2: pre[l][j], c: state.nngp)
                // The NNGP needs no derivative dual; the NTK takes both at once.
                let (nngp, derivative) = wantNTK ? dual.both(pair) : (dual.nngp(pair), 0)
                return KernelState(q1: post[l][i], q2: post[l][j], nngp: nngp, ntk: state.ntk * derivative)
            }!
            return (output.nngp, output.ntk)
        }
    }

    /// The hot loop for tabulated kernels: four columns at a time, so the four dot products
    /// and the four table evaluations are independent chains the CPU overlaps.
    static func fillFromTable(
        _ storage: [UnsafeMutablePointer<Double>], n: Int, d: Int, flat: [Double],
        table: SphereKernelTable, selection: Selection,
        diagonal: (nngp: Double, ntk: Double), inverse: Double,
        progress: (@Sendable (Double) -> Void)?
    ) {
        if selection.nngp && selection.ntk {
            fill(storage, n: n, d: d, flat: flat, selection: selection, progress: progress) { i, j, dot in
                i == j ? diagonal : table(min(1, max(-1, dot * inverse)))  // the diagonal exact, not interpolated
            }
            return
        }
        let nngp = selection.nngp
        @Sendable @inline(__always) func kernel(_ dot: Double) -> Double {
            let t = min(1, max(-1, dot * inverse))
            return nngp ? table.nngp(t) : table.ntk(t)
        }
        let top = nngp ? diagonal.nngp : diagonal.ntk
        fillUpper(storage, n: n, d: d, flat: flat, progress: progress) { i, x, outRows in
            let row = x.row(i)
            let outRow = outRows[0]
            outRow[i] = top  // exact, not interpolated
            var j = i + 1
            while j + 4 <= n {
                let c0 = x.row(j)
                let c1 = c0 + d
                let c2 = c1 + d
                let c3 = c2 + d
                var s0 = 0.0
                var s1 = 0.0
                var s2 = 0.0
                var s3 = 0.0
                for k in 0..<d {
                    let r = row[k]
                    s0 += r * c0[k]
                    s1 += r * c1[k]
                    s2 += r * c2[k]
                    s3 += r * c3[k]
                }
                outRow[j] = kernel(s0)
                outRow[j + 1] = kernel(s1)
                outRow[j + 2] = kernel(s2)
                outRow[j + 3] = kernel(s3)
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

    /// Fills the symmetric matrices from `entry(i, j, <x_i, x_j>)` = (NNGP, NTK).
    @inline(__always)
    static func fill(
        _ storage: [UnsafeMutablePointer<Double>], n: Int, d: Int, flat: [Double],
        selection: Selection, progress: (@Sendable (Double) -> Void)?,
        _ entry: @Sendable (Int, Int, Double) -> (nngp: Double, ntk: Double)
    ) {
        fillUpper(storage, n: n, d: d, flat: flat, progress: progress) { i, x, outRows in
            let row = x.row(i)
            for j in i..<n {
                let col = x.row(j)
                var dot = 0.0
                for k in 0..<d { dot += row[k] * col[k] }
                selection.store(outRows, j, entry(i, j, dot))
            }
        }
    }

    /// The symmetric fill over the points `flat` (n rows of d): `upperRow(i, points, rows i)`
    /// writes entries j >= i of row i of each matrix in `storage`.
    @inline(__always)
    static func fillUpper(
        _ storage: [UnsafeMutablePointer<Double>], n: Int, d: Int, flat: [Double],
        progress: (@Sendable (Double) -> Void)?,
        _ upperRow: @Sendable (Int, SharedRows<Double>, [UnsafeMutablePointer<Double>]) -> Void
    ) {
        ParallelFill.withShared(reading: [flat], rowLength: d) { points in
            let x = points[0]
            ParallelFill.symmetric(storage: storage, n: n, progress: progress) { i, out in
                upperRow(i, x, out.map { $0.row(i) })
            }
        }
    }

    /// Per hidden layer l = 0..<L-1 and point, the variance fed to the nonlinearity (`pre`) and
    /// the variance after it, E[phi(u)^2] (`post`).
    static func layerVariances(_ input: [Double], network: NetworkKernel) -> (pre: [[Double]], post: [[Double]]) {
        let dual = DualActivation(network.activation)
        let hidden = max(network.depth, 1) - 1
        var pre = [[Double]](repeating: [], count: hidden)
        var post = pre
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
