import Foundation
import _ParallelFill

/// The Gram matrix route for positively homogeneous activations (ReLU, leaky ReLU, abs, step,
/// ReLU^p, identity) on points of unequal norms.
///
/// Each hidden layer's duals at variances (q1, q2) and covariance c are
/// (q1 q2)^{p/2} kappa(rho) and (q1 q2)^{(p-1)/2} kappa'(rho) with rho = c / sqrt(q1 q2)
/// (``NormalisedDualTable``), so per entry and layer the work is a correlation from per-point
/// data, one table evaluation, and products by per-point scales. The correlation is formed as
/// 1 - rho = (s - c) / s with s = sqrt(q1) sqrt(q2) from per-point square roots; where
/// 1 - rho < 1e-3 as ((s - c) + s_lo) / s with s + s_lo the product in double-double (an fma
/// recovers its rounding), so 1 - rho keeps its relative accuracy near rho = 1 as in
/// ``CorrelationAngle``.
///
/// Diagonal entries are computed as the per-entry recursion computes them (rho = 1 exactly:
/// E[phi(u)^2] and E[phi'(u)^2] at each layer's variance), bit for bit, and so are the
/// layers of identical points (rho = 1 and equal variances).
struct HomogeneousGramRoute: Sendable {
    /// Per hidden layer and point: what an entry needs of the point.
    struct PointLayer: Sendable {
        /// q, the variance fed to the nonlinearity.
        var variance: Double
        /// sqrt(q) rounded, and the rest: sqrt(q) = root + rootLow to about 1e-32.
        var root: Double
        var rootLow: Double
        var inverseRoot: Double
        /// q^{p/2} and q^{(p-1)/2}.
        var nngpScale: Double
        var derivativeScale: Double
        /// E[phi(u)^2] (the variance after the nonlinearity) and E[phi'(u)^2].
        var secondMoment: Double
        var derivativeSecondMoment: Double
    }

    let n: Int
    let d: Int
    let table: NormalisedDualTable
    let dense: [DenseLayer]
    /// [layer * n + point].
    let layers: [PointLayer]
    let variances: [Double]

    /// The route, or nil where it does not apply: an activation without homogeneity, a table
    /// not accurate to 1e-14, or a variance so small or large that per-point powers would
    /// underflow or overflow (those pairs take the per-entry route).
    init?(network: NetworkKernel, inputDimension d: Int, variances: [Double], pre: [[Double]], post: [[Double]]) {
        guard let table = NormalisedDualTable(network.activation),
            max(table.error.nngp, table.error.derivative) <= 1e-14
        else { return nil }
        let p = Double(table.degree)
        let n = variances.count
        let dual = DualActivation(network.activation)
        var layers: [PointLayer] = []
        layers.reserveCapacity(pre.count * n)
        for l in 0..<pre.count {
            for i in 0..<n {
                let q = pre[l][i]
                guard q.isFinite, q > 1e-100, q < 1e100, post[l][i].isFinite else { return nil }
                let root = q.squareRoot()
                let rootLow = fma(-root, root, q) / (2 * root)
                let derivativeSecondMoment = dual.derivative(GaussianPair(q1: q, q2: q, c: q))
                layers.append(
                    PointLayer(
                        variance: q, root: root, rootLow: rootLow, inverseRoot: 1 / root,
                        nngpScale: table.degree == 1 ? root : pow(q, 0.5 * p),
                        derivativeScale: table.degree == 1 ? 1 : pow(q, 0.5 * (p - 1)),
                        secondMoment: post[l][i], derivativeSecondMoment: derivativeSecondMoment))
            }
        }
        self.n = n
        self.d = d
        self.table = table
        self.dense = (0..<network.depth).map { network.denseLayer($0, inputWidth: Double(d)) }
        self.layers = layers
        self.variances = variances
    }

    /// Entry (i, j) for i != j from <x_i, x_j>, or the diagonal for i == j.
    @inline(__always)
    func entry(_ i: Int, _ j: Int, dot: Double, _ p: UnsafeMutablePointer<PointLayer>, wantNTK: Bool)
        -> (nngp: Double, ntk: Double)
    {
        let dd = Double(d)
        let first = dense[0](
            KernelState(q1: variances[i], q2: variances[j], nngp: i == j ? variances[i] : dot / dd, ntk: 0))
        let output = LayerRecursion.propagate(afterFirstLayer: first, depth: dense.count, weights: { dense[$0] }) {
            l, state in
            let a = p[l * n + i]
            let b = p[l * n + j]
            let nngp: Double
            let derivative: Double
            if i == j {
                nngp = a.secondMoment
                derivative = a.derivativeSecondMoment
            } else {
                let c = state.nngp
                let s = a.root * b.root
                let inverse = a.inverseRoot * b.inverseRoot
                var oneMinus = (s - c) * inverse
                var onePlus = (s + c) * inverse
                if oneMinus < 1e-3 {
                    // Near rho = 1 the rounding of s (1e-16) would be most of 1 - rho: the product
                    // in double-double (an fma, a call on baseline x86-64, so only here).
                    let sLow = fma(a.root, b.root, -s) + (a.root * b.rootLow + a.rootLow * b.root)
                    // Below 2^-100, 1 - rho is the double-double product's own rounding (identical
                    // points give about 1e-32): rho = 1, as the per-entry route finds for them.
                    let deficit = ((s - c) + sLow) * inverse
                    oneMinus = deficit < 0x1p-100 ? 0 : deficit
                    onePlus = ((s + c) + sLow) * inverse
                }
                oneMinus = min(2, max(0, oneMinus))
                onePlus = min(2, max(0, onePlus))
                if oneMinus == 0 && a.variance == b.variance {
                    // u = v: the diagonal's values, so that the next layer again finds c = q
                    // exactly (q^p kappa(1) may differ from E[phi(u)^2] in the last bit).
                    nngp = a.secondMoment
                    derivative = a.derivativeSecondMoment
                } else {
                    let k = table(oneMinusRho: oneMinus, onePlusRho: onePlus)
                    nngp = a.nngpScale * b.nngpScale * k.nngp
                    derivative = wantNTK ? a.derivativeScale * b.derivativeScale * k.derivative : 0
                }
            }
            return KernelState(q1: a.secondMoment, q2: b.secondMoment, nngp: nngp, ntk: state.ntk * derivative)
        }!
        return (output.nngp, output.ntk)
    }

    /// Fills the selected matrices of the points `flat` (n rows of d).
    func fill(
        _ storage: [UnsafeMutablePointer<Double>], flat: [Double], selection: GramMatrix.Selection,
        progress: (@Sendable (Double) -> Void)?
    ) {
        let wantNTK = selection.ntk
        ParallelFill.withShared(reading: [layers], rowLength: n) { shared in
            let points = shared[0]
            GramMatrix.fill(storage, n: n, d: d, flat: flat, selection: selection, progress: progress) { i, j, dot in
                entry(i, j, dot: dot, points.base, wantNTK: wantNTK)
            }
        }
    }
}
