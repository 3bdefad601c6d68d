import Foundation
import _ParallelFill

/// The Gram matrix route for activations whose duals are costly (quadrature: tanh, softplus,
/// SiLU, mish, user and piecewise activations; the ELU family's bivariate-normal closed forms)
/// on points of unequal norms.
///
/// Each point's variance at each hidden layer gets its Hermite coefficients once
/// (``HermiteCoefficients``, a 1-D quadrature), and an entry's duals are then Mehler series
/// in its correlation, cut where the rest is bounded below 1e-14 of sqrt(E_i E_j)
/// (Proofs/hermite-series-duals.md). Where the series cannot certify that within 256 terms
/// (|rho| close to 1 with slowly decaying coefficients) or a point's coefficients were
/// refused, that entry takes the direct duals at its pair of variances. Diagonal entries and
/// layers of identical points take the expansions' energies, E[phi(u)^2] and E[phi'(u)^2].
///
/// Cost: O(n K N) for the coefficients (K = 256 orders, N ~ 2400 nodes, per hidden layer:
/// about 1 ms per point and layer) plus O(n^2 K') for the entries, K' the terms an entry needs
/// (tens at moderate |rho|: about 0.1 us per entry and layer).
struct HermiteSeriesGramRoute: Sendable {
    /// Per hidden layer and point.
    struct PointLayer: Sendable {
        var variance: Double
        var root: Double
        /// E[phi(u)^2] and E[phi'(u)^2] at this variance.
        var secondMoment: Double
        var derivativeSecondMoment: Double
        var valueError: Double
        var derivativeError: Double
        /// Whether the coefficients were accepted (otherwise every entry of this point uses
        /// the direct duals at this layer).
        var hasSeries: Bool
    }

    let n: Int
    let d: Int
    let order: Int
    let dense: [DenseLayer]
    let dual: DualActivation
    /// [layer * n + point].
    let layers: [PointLayer]
    /// [(layer * n + point) * (order + 1) + k]: a_k, b_k and the logs of their tail energies.
    let value: [Double]
    let derivative: [Double]
    let logValueTail: [Double]
    let logDerivativeTail: [Double]
    let variances: [Double]
    /// Entries whose series was certified, and those that took the direct duals (layer-entries).
    let tolerance = 1e-14

    /// Whether the activation's duals are costly enough for this route to pay.
    static func applies(to activation: Activation) -> Bool {
        guard activation.homogeneity == nil else { return false }
        if case .polynomial = activation.regularity { return false }
        return activation.closedForm.map { !$0.isCheap } ?? true
    }

    /// The route for `network` on points of the given input variances |x|^2 / d, or nil where
    /// the activation's duals are cheap (``applies(to:)``). Each point's variances through the
    /// layers are carried by the expansions' own energies (E[phi(u)^2] by the 24-node rule,
    /// which agrees with the 16-node one to 1e-14 and is itself accurate to about 1e-15); a point
    /// whose expansion is refused at a layer takes the direct dual's second moments there.
    /// `progress` gets the fraction of the expansions done.
    init?(
        network: NetworkKernel, inputDimension d: Int, variances: [Double],
        progress: (@Sendable (Double) -> Void)? = nil
    ) {
        guard HermiteSeriesGramRoute.applies(to: network.activation) else { return nil }
        let n = variances.count
        let order = HermiteCoefficients.defaultOrder
        let width = order + 1
        let dual = DualActivation(network.activation)
        let activation = network.activation
        let dense = (0..<network.depth).map { network.denseLayer($0, inputWidth: Double(d)) }
        let hidden = network.depth - 1
        var layers: [PointLayer] = []
        layers.reserveCapacity(hidden * n)
        var value = [Double](repeating: 0, count: hidden * n * width)
        var derivative = value
        var logValueTail = value
        var logDerivativeTail = value
        var q = variances.map { dense[0].nngp($0) }
        for l in 0..<hidden {
            // One expansion per point, in parallel: each is a 1-D quadrature of ~1 ms.
            let current = q
            let total = Double(hidden * n)
            let before = Double(l * n)
            let step = max(1, n / 100)
            let report: (@Sendable (Int) -> Void)? = progress.map { p in
                { @Sendable done in if done % step == 0 { p((before + Double(done)) / total) } }
            }
            let expansions =
                (try? SlotArray<HermiteCoefficients?>.map(n, progress: report) { i in
                    HermiteCoefficients(activation, variance: current[i], order: order)
                }) ?? Array(repeating: nil, count: n)
            for i in 0..<n {
                let index = l * n + i
                if let e = expansions[i] {
                    for k in 0..<width {
                        value[index * width + k] = e.value[k]
                        derivative[index * width + k] = e.derivative[k]
                        logValueTail[index * width + k] = e.logValueTail[k]
                        logDerivativeTail[index * width + k] = e.logDerivativeTail[k]
                    }
                    layers.append(
                        PointLayer(
                            variance: q[i], root: q[i].squareRoot(), secondMoment: e.valueEnergy,
                            derivativeSecondMoment: e.derivativeEnergy, valueError: e.valueError,
                            derivativeError: e.derivativeError, hasSeries: true))
                } else {
                    let pair = GaussianPair(q1: q[i], q2: q[i], c: q[i])
                    layers.append(
                        PointLayer(
                            variance: q[i], root: q[i].squareRoot(), secondMoment: dual.nngp(pair),
                            derivativeSecondMoment: dual.derivative(pair), valueError: 0,
                            derivativeError: 0, hasSeries: false))
                }
                q[i] = dense[l + 1].nngp(layers[index].secondMoment)
            }
        }
        self.n = n
        self.d = d
        self.order = order
        self.dense = dense
        self.dual = dual
        self.layers = layers
        self.value = value
        self.derivative = derivative
        self.logValueTail = logValueTail
        self.logDerivativeTail = logDerivativeTail
        self.variances = variances
    }

    /// Views of the per-point arrays that concurrent workers read.
    struct Views {
        let points: UnsafeMutablePointer<PointLayer>
        let value: UnsafeMutablePointer<Double>
        let derivative: UnsafeMutablePointer<Double>
        let logValueTail: UnsafeMutablePointer<Double>
        let logDerivativeTail: UnsafeMutablePointer<Double>
    }

    /// Entry (i, j) for i != j from <x_i, x_j>, or the diagonal for i == j.
    @inline(__always)
    func entry(_ i: Int, _ j: Int, dot: Double, _ v: Views, wantNTK: Bool) -> (nngp: Double, ntk: Double) {
        let dd = Double(d)
        let width = order + 1
        let first = dense[0](
            KernelState(q1: variances[i], q2: variances[j], nngp: i == j ? variances[i] : dot / dd, ntk: 0))
        let output = LayerRecursion.propagate(afterFirstLayer: first, depth: dense.count, weights: { dense[$0] }) {
            l, state in
            let ia = l * n + i
            let ib = l * n + j
            let a = v.points[ia]
            let b = v.points[ib]
            let nngp: Double
            let derivative: Double
            let c = state.nngp
            if i == j || (c == a.variance && a.variance == b.variance) {
                // u = v: the diagonal's values (as the per-entry route finds for identical points).
                nngp = a.secondMoment
                derivative = a.derivativeSecondMoment
            } else {
                let series = a.hasSeries && b.hasSeries
                let rho = Swift.min(1, Swift.max(-1, c / (a.root * b.root)))
                // Each dual from its series where that is certified, else directly: the NNGP
                // never depends on whether the NTK is wanted (fused and separate passes agree).
                let s =
                    series
                    ? HermiteCoefficients.sum(
                        v.value + ia * width, v.value + ib * width, v.logValueTail + ia * width,
                        v.logValueTail + ib * width, count: width, energies: (a.secondMoment, b.secondMoment),
                        errors: (a.valueError, b.valueError), rho: rho, tolerance: tolerance) : nil
                // The pair (its correlation angle) only where a direct dual needs it.
                func pair() -> GaussianPair { GaussianPair(q1: a.variance, q2: b.variance, c: c) }
                nngp = s?.value ?? dual.nngp(pair())
                if wantNTK {
                    let t =
                        series
                        ? HermiteCoefficients.sum(
                            v.derivative + ia * width, v.derivative + ib * width, v.logDerivativeTail + ia * width,
                            v.logDerivativeTail + ib * width, count: width,
                            energies: (a.derivativeSecondMoment, b.derivativeSecondMoment),
                            errors: (a.derivativeError, b.derivativeError), rho: rho, tolerance: tolerance) : nil
                    derivative = t?.value ?? dual.derivative(pair())
                } else {
                    derivative = 0
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
        let width = order + 1
        ParallelFill.withShared(reading: [layers], rowLength: n) { shared in
            ParallelFill.withShared(reading: [value, derivative, logValueTail, logDerivativeTail], rowLength: width) {
                c in
                let points = shared[0]
                GramMatrix.fill(storage, n: n, d: d, flat: flat, selection: selection, progress: progress) {
                    i, j, dot in
                    let views = Views(
                        points: points.base, value: c[0].base, derivative: c[1].base,
                        logValueTail: c[2].base, logDerivativeTail: c[3].base)
                    return entry(i, j, dot: dot, views, wantNTK: wantNTK)
                }
            }
        }
    }
}
