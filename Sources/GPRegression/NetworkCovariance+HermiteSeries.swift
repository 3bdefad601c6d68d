import Foundation
import NeuralKernels
import _ParallelFill

/// The Hermite series route of the covariance and its gradients, for activations whose duals
/// are costly (quadrature: tanh, softplus, SiLU, mish, user activations; as the Gram matrix's
/// ``HermiteCoefficients/isWorthwhile(for:)`` decides), Proofs/hermite-series-duals.md.
///
/// Each point's variance at each hidden layer gets its Hermite coefficients once (a 1-D
/// quadrature, about 1 ms), and an entry's duals with their scaling derivatives and slopes (a
/// ``DualJet``) are then series in its correlation
/// (``HermiteCoefficients/jet(_:_:_:_:order:rho:gradient:ntk:tolerance:)``), certified to 2e-14
/// (F, D) and 1e-11 (S, T, dD/dc) of their scales, at 256, 512 or 1024 orders per point
/// (``HermiteCoefficients/forGradients(_:variance:)``). Where a series cannot be certified (|rho|
/// near 1, slowly decaying coefficients) or a point's coefficients were refused, that
/// layer-entry takes the direct partials (``DualPartials``) as before. A point's own variance at
/// the next layer is its expansion's energy E[phi(u)^2] (the same rule, accurate to about 1e-15,
/// where the wedge quadrature was measured 2.6e-13 off at q = 1), and its scaling derivative at
/// u = v the moment (1/2) E[phi(u)^2 (z^2 - 1)].
extension NetworkCovariance {
    /// Per point and hidden layer: the coefficient rows (``HermiteCoefficients/write(row:)``) and
    /// scalars, nil where the expansion was refused. Flat, point i layer l at i (L - 1) + l.
    struct SeriesPaths: Sendable {
        let order: Int
        /// Doubles per point and layer.
        let layerLength: Int
        var rows: [Double]
        var scalars: [HermiteCoefficients.Scalars?]
    }

    /// One point's view of the series paths, for the entry loops.
    struct SeriesView {
        let rows: UnsafeMutablePointer<Double>
        let scalars: UnsafeMutablePointer<HermiteCoefficients.Scalars?>
        let layerLength: Int
        let order: Int

        /// The jet at layer l of this point and `other` at variances q1, q2 and covariance c, or
        /// nil (direct partials).
        @inline(__always)
        func jet(
            _ l: Int, _ other: SeriesView, q1: Double, q2: Double, c: Double, gradient: Bool, ntk: Bool
        ) -> DualJet? {
            guard let a = scalars[l], let b = other.scalars[l], a.variance == q1, b.variance == q2 else { return nil }
            // u = v: one point with itself (the diagonal, or a layer of identical points).
            if c == a.variance && a.variance == b.variance { return HermiteCoefficients.diagonalJet(a) }
            let rho = c / (a.variance.squareRoot() * b.variance.squareRoot())
            return HermiteCoefficients.jet(
                rows + l * layerLength, a, other.rows + l * other.layerLength, b, order: order, rho: rho,
                gradient: gradient, ntk: ntk)
        }
    }

    /// Whether this covariance takes the series route.
    var usesSeries: Bool { seriesRoute && depth > 1 && HermiteCoefficients.isWorthwhile(for: activation) }

    /// The points' expansions along their variance paths, Sigma_1 = w2 |x|^2/d + b2 and
    /// Sigma_{l+1} = w2 E[phi(u)^2] + b2 (the direct dual's second moment where an expansion was
    /// refused), packed at their largest order; nil where the route does not apply.
    func seriesPaths(
        _ norms: [Double], w2: Double, b2: Double, progress: (@Sendable (Double) -> Void)? = nil
    ) -> SeriesPaths? {
        seriesExpansions(norms, w2: w2, b2: b2, progress: progress).map { pack($0, order: Self.largestOrder($0)) }
    }

    /// [layer][point] expansions (``seriesPaths(_:w2:b2:progress:)``), points in parallel.
    func seriesExpansions(
        _ norms: [Double], w2: Double, b2: Double, progress: (@Sendable (Double) -> Void)? = nil
    ) -> [[HermiteCoefficients?]]? {
        guard usesSeries else { return nil }
        let n = norms.count
        let hidden = depth - 1
        let activation = activation
        let partials = partials
        var q = norms.map { w2 * $0 + b2 }
        var layers: [[HermiteCoefficients?]] = []
        for l in 0..<hidden {
            // One expansion per point, in parallel: each a 1-D quadrature of 1 ... 5 ms.
            let current = q
            let report: (@Sendable (Int) -> Void)? = progress.map { p in
                { @Sendable done in p((Double(l * n) + Double(done)) / Double(hidden * n)) }
            }
            let expansions =
                (try? SlotArray<HermiteCoefficients?>.map(n, progress: report) { i in
                    HermiteCoefficients.forGradients(activation, variance: current[i])
                }) ?? Array(repeating: nil, count: n)
            for i in 0..<n {
                // The direct path's second moment where the expansion was refused (a closed-form
                // jet's where there is one, as the point's direct path finds it).
                let second = expansions[i]?.valueEnergy ?? partials.scalings(q1: q[i], q2: q[i], c: q[i], ntk: false).f
                q[i] = w2 * second + b2
            }
            layers.append(expansions)
        }
        return layers
    }

    /// The largest order among the expansions.
    static func largestOrder(_ layers: [[HermiteCoefficients?]]) -> Int {
        layers.joined().compactMap { $0?.value.count }.max().map { $0 - 1 } ?? HermiteCoefficients.defaultOrder
    }

    /// The expansions as flat rows of one common `order` (at least each one's own).
    func pack(_ layers: [[HermiteCoefficients?]], order: Int) -> SeriesPaths {
        let hidden = layers.count
        let n = layers.first?.count ?? 0
        let layerLength = HermiteCoefficients.rowLength(order: order)
        var rows = [Double](repeating: 0, count: n * hidden * layerLength)
        var scalars = [HermiteCoefficients.Scalars?](repeating: nil, count: n * hidden)
        rows.withUnsafeMutableBufferPointer { r in
            for i in 0..<n {
                for l in 0..<hidden {
                    guard let e = layers[l][i] else { continue }
                    e.write(row: r.baseAddress! + (i * hidden + l) * layerLength, order: order)
                    scalars[i * hidden + l] = e.scalars
                }
            }
        }
        return SeriesPaths(order: order, layerLength: layerLength, rows: rows, scalars: scalars)
    }

    /// The diagonal jet of point i at layer l, where its expansion was accepted.
    func diagonalJet(_ series: SeriesPaths?, point i: Int, layer l: Int) -> DualJet? {
        series?.scalars[i * (depth - 1) + l].map { HermiteCoefficients.diagonalJet($0) }
    }

    /// Read-only shared views of a series paths' storage, for the entry loops.
    struct SeriesRows: Sendable {
        let rows: SharedRows<Double>
        let scalars: SharedRows<HermiteCoefficients.Scalars?>
        let layerLength: Int
        let order: Int

        @inline(__always) func view(_ i: Int) -> SeriesView {
            SeriesView(rows: rows.row(i), scalars: scalars.row(i), layerLength: layerLength, order: order)
        }
    }

    /// Shared views of the series paths for the duration of `body`: nil if any is nil (the
    /// route does not apply).
    static func withSeries<R>(_ series: [SeriesPaths?], hidden: Int, _ body: ([SeriesRows]?) -> R) -> R {
        let present = series.compactMap { $0 }
        guard present.count == series.count, let first = present.first else { return body(nil) }
        return ParallelFill.withShared(reading: present.map(\.rows), rowLength: hidden * first.layerLength) { rows in
            ParallelFill.withShared(reading: present.map(\.scalars), rowLength: hidden) { scalars in
                body(
                    (0..<present.count).map { s in
                        SeriesRows(
                            rows: rows[s], scalars: scalars[s], layerLength: first.layerLength, order: first.order)
                    })
            }
        }
    }
}
