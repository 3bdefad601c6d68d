import Foundation
import NeuralKernels
import _ParallelFill

/// The NNGP or NTK of a deep fully connected network as a GP covariance on data, with its
/// derivatives with respect to log sigma_w^2 and log sigma_b^2 (NTK parametrisation,
/// sigma_i = 1, Neural Tangents' input kernel sigma_w^2 <x, x'>/d + sigma_b^2).
///
/// Each entry is pushed through the layers on its own, carrying (Sigma, Theta) and their two
/// parameter derivatives; the per-point variances Sigma_l(x, x) and their derivatives are
/// computed once per point and layer (O(n L)), so memory is the n x n outputs plus O(n L),
/// never O(n^2 L). Rows are spread over all cores by ``ParallelFill``.
/// The chain rule through each layer (Proofs/gp-regression-marginal-likelihood.md):
///
///     Sigma' = w2 F + b2,               dSigma' = [dw2] F + w2 dF + [db2]
///     Theta' = Sigma' + w2 D Theta,      dTheta' = dSigma' + [dw2] D Theta + w2 dD Theta + w2 D dTheta
///
/// with F, D the dual maps at (q1, q2, Sigma) and dF, dD from ``DualPartials``.
public struct NetworkCovariance: Sendable {
    public let activation: Activation
    public let depth: Int
    public let kind: KernelKind
    let partials: DualPartials
    /// Whether costly duals take the Hermite series route (``seriesPaths(_:w2:b2:)``); off only in
    /// tests that compare it with the direct partials.
    var seriesRoute = true
    /// Gets the fraction of each n x n fill done (about every 1 % of its rows), from any thread:
    /// for a progress display where one evaluation can take long (the direct partials).
    public var progress: (@Sendable (Double) -> Void)? = nil

    public init(activation: Activation, depth: Int, kind: KernelKind) {
        precondition(depth >= 1)
        self.activation = activation
        self.depth = depth
        self.kind = kind
        partials = DualPartials(activation)
    }

    /// A value with its derivatives with respect to w2 = sigma_w^2 and b2 = sigma_b^2.
    struct Dual3 {
        var v: Double
        var w: Double
        var b: Double
    }

    /// The dense layer as this covariance parametrises it: sigma_w^2 and sigma_b^2 themselves.
    struct Weights {
        let w2: Double
        let b2: Double
    }

    /// The dual maps at one layer and their derivatives, as ``DualPartials/evaluate`` gives them.
    typealias Partials = (f: Double, d: Double, df: (Double, Double), dd: (Double, Double))

    /// What a layer carries: Sigma and Theta with their derivatives in (w2, b2) (only the values
    /// unless `gradient`). Between a nonlinearity and the next dense layer, `r` holds the duals
    /// F, D and their derivatives; the dense map is the chain rule of the type's documentation.
    struct Carrier: LayerCarrier {
        var s: Dual3
        var t: Dual3
        var r: Partials = (0, 0, (0, 0), (0, 0))
        let gradient: Bool
        let ntk: Bool

        init(s: Dual3, gradient: Bool, ntk: Bool) {
            self.s = s
            self.t = s
            self.gradient = gradient
            self.ntk = ntk
        }

        @inline(__always)
        func dense(_ weights: Weights) -> Carrier {
            let w2 = weights.w2
            let b2 = weights.b2
            var next = self
            if !gradient {
                let sigma = w2 * r.f + b2
                if ntk { next.t.v = sigma + w2 * r.d * t.v }
                next.s.v = sigma
                return next
            }
            next.s = Dual3(v: w2 * r.f + b2, w: r.f + w2 * r.df.0, b: w2 * r.df.1 + 1)
            if ntk {
                next.t = Dual3(
                    v: next.s.v + w2 * r.d * t.v,
                    w: next.s.w + r.d * t.v + w2 * r.dd.0 * t.v + w2 * r.d * t.w,
                    b: next.s.b + w2 * r.dd.1 * t.v + w2 * r.d * t.b)
            }
            return next
        }
    }

    /// Per point, the variance fed to each nonlinearity l = 1..L-1 with its derivatives, flat:
    /// point i, layer l at index i (L - 1) + l. Flat storage keeps the hot loop free of
    /// per-entry array retains (which contend across threads). With `series`, a point's duals
    /// at u = v come from its expansions (``seriesPaths(_:w2:b2:)``) where they were accepted.
    func pointVariances(_ norms: [Double], w2: Double, b2: Double, series: SeriesPaths? = nil) -> [Dual3] {
        var out: [Dual3] = []
        out.reserveCapacity(norms.count * (depth - 1))
        for (i, g) in norms.enumerated() {
            let first = Carrier(s: Dual3(v: w2 * g + b2, w: g, b: 1), gradient: true, ntk: false)
            _ = LayerRecursion.propagate(
                afterFirstLayer: first, depth: depth,
                weights: { _ in Weights(w2: w2, b2: b2) }
            ) { l, x in
                out.append(x.s)
                var y = x
                let q = x.s
                y.r = partials.evaluate(
                    q1: q.v, q2: q.v, c: q.v, d1: (q.w, q.w, q.w), d2: (q.b, q.b, q.b), ntk: false,
                    series: diagonalJet(series, point: i, layer: l))
                return y
            }
        }
        return out
    }

    /// One entry: kernel value and (optionally) its derivatives w.r.t. w2 and b2, from the
    /// input kernel g = <x, x'>/d and the two points' variance paths (L - 1 values each).
    @inline(__always)
    func entry(
        g: Double, _ a: UnsafeMutablePointer<Dual3>, _ bPath: UnsafeMutablePointer<Dual3>, w2: Double, b2: Double,
        gradient: Bool, series: (SeriesView, SeriesView)? = nil
    ) -> Dual3 {
        let ntk = kind == .ntk
        let first = Carrier(s: Dual3(v: w2 * g + b2, w: g, b: 1), gradient: gradient, ntk: ntk)
        let out = LayerRecursion.propagate(
            afterFirstLayer: first, depth: depth,
            weights: { _ in Weights(w2: w2, b2: b2) }
        ) { l, x in
            let p = a[l]
            let q = bPath[l]
            var y = x
            let jet = series.flatMap { $0.0.jet(l, $0.1, q1: p.v, q2: q.v, c: x.s.v, gradient: gradient, ntk: ntk) }
            if gradient {
                y.r = partials.evaluate(
                    q1: p.v, q2: q.v, c: x.s.v, d1: (p.w, q.w, x.s.w), d2: (p.b, q.b, x.s.b), ntk: ntk,
                    series: jet)
                return y
            }
            if let jet {
                y.r.f = jet.nngp
                if ntk { y.r.d = jet.derivative }
                return y
            }
            let pair = GaussianPair(q1: p.v, q2: q.v, c: x.s.v)
            // Both duals from one jet where there is one (ELU: 5 bivariate normal values, not 8).
            let both = ntk ? partials.jet?(pair).map { ($0.nngp, $0.derivative) } : nil
            y.r.f = both?.0 ?? partials.nngp(pair)
            if ntk { y.r.d = both?.1 ?? partials.derivative(pair) }
            return y
        }!
        return ntk ? out.t : out.s
    }

    /// The n x n training covariance and, if asked, its derivatives with respect to
    /// log sigma_w^2 and log sigma_b^2 (row-major).
    public func matrices(_ x: [[Double]], sigmaW2 w2: Double, sigmaB2 b2: Double, gradient: Bool)
        -> (k: [Double], dLogW2: [Double], dLogB2: [Double])
    {
        let norms = Self.norms(x)
        let series = seriesPaths(norms, w2: w2, b2: b2, progress: progress)
        let paths = pointVariances(norms, w2: w2, b2: b2, series: series)
        let outputs = Self.symmetricFill(
            x, norms: norms, paths: paths, rowLength: depth - 1, series: series, outputs: gradient ? 3 : 1,
            progress: progress
        ) {
            i, j, g, pathI, pathJ, views, out in
            let e = entry(g: g, pathI, pathJ, w2: w2, b2: b2, gradient: gradient, series: views)
            out[0][i, j] = e.v
            if gradient {
                out[1][i, j] = w2 * e.w
                out[2][i, j] = b2 * e.b
            }
        }
        return (outputs[0], gradient ? outputs[1] : [], gradient ? outputs[2] : [])
    }

    /// |x_i|^2 / d for each row.
    static func norms(_ x: [[Double]]) -> [Double] {
        let d = Double(x.first?.count ?? 1)
        return x.map { row in row.reduce(0.0) { $0 + $1 * $1 } / d }
    }

    /// The symmetric n x n fill the training matrices share: for every i <= j, `store` gets
    /// g = <x_i, x_j>/d (|x_i|^2/d on the diagonal), the two points' per-layer paths (`rowLength`
    /// entries of `paths` each), their series views (where `series` is given) and the `outputs`
    /// matrices to write; the lower triangles are mirrored.
    static func symmetricFill<Path>(
        _ x: [[Double]], norms: [Double], paths: [Path], rowLength: Int, series: SeriesPaths?, outputs count: Int,
        progress: (@Sendable (Double) -> Void)? = nil,
        _ store:
            @Sendable (
                _ i: Int, _ j: Int, _ g: Double, _ pathI: UnsafeMutablePointer<Path>,
                _ pathJ: UnsafeMutablePointer<Path>, _ series: (SeriesView, SeriesView)?, _ out: [SharedRows<Double>]
            ) -> Void
    ) -> [[Double]] {
        let n = x.count
        let d = x.first?.count ?? 0
        let flat = x.flatMap { $0 }
        var outputs = [[Double]](repeating: [Double](repeating: 0, count: n * n), count: count)
        Self.withSeries([series], hidden: rowLength) { seriesRows in
            ParallelFill.withShared(reading: [flat], rowLength: d) { points in
                ParallelFill.withShared(reading: [paths], rowLength: rowLength) { variancePaths in
                    let points = points[0]
                    let path = variancePaths[0]
                    let seriesRow = seriesRows?[0]
                    ParallelFill.symmetric(&outputs, n: n, progress: progress) { i, out in
                        let row = points.row(i)
                        for j in i..<n {
                            var g = 0.0
                            if i == j {
                                g = norms[i]
                            } else {
                                let col = points.row(j)
                                for m in 0..<d { g += row[m] * col[m] }
                                g /= Double(d)
                            }
                            store(i, j, g, path.row(i), path.row(j), seriesRow.map { ($0.view(i), $0.view(j)) }, out)
                        }
                    }
                }
            }
        }
        return outputs
    }

    /// The m x n cross-covariance between `test` and `train` rows (row-major) and the test
    /// points' own variances k(x*, x*).
    public func cross(_ test: [[Double]], _ train: [[Double]], sigmaW2 w2: Double, sigmaB2 b2: Double)
        -> (k: [Double], diagonal: [Double])
    {
        let m = test.count
        let n = train.count
        let d = train.first?.count ?? 0
        func norms(_ x: [[Double]]) -> [Double] { x.map { $0.reduce(0) { $0 + $1 * $1 } / Double(d) } }
        let nTest = norms(test)
        let nTrain = norms(train)
        // Both sets' expansions at one common order, so their rows line up.
        let expansions = [seriesExpansions(nTest, w2: w2, b2: b2), seriesExpansions(nTrain, w2: w2, b2: b2)]
        let order = Self.largestOrder(expansions.compactMap { $0 }.flatMap { $0 })
        let series = expansions.map { $0.map { pack($0, order: order) } }
        let paths = [
            pointVariances(nTest, w2: w2, b2: b2, series: series[0]),
            pointVariances(nTrain, w2: w2, b2: b2, series: series[1]),
        ]
        var outputs = [[Double](repeating: 0, count: m * n)]
        var diagonal = [Double](repeating: 0, count: m)
        Self.withSeries(series, hidden: depth - 1) { seriesRows in
            ParallelFill.withShared(reading: [test.flatMap { $0 }, train.flatMap { $0 }], rowLength: d) { points in
                ParallelFill.withShared(reading: paths, rowLength: depth - 1) { variancePaths in
                    let testPoints = points[0]
                    let trainPoints = points[1]
                    let testPath = variancePaths[0]
                    let trainPath = variancePaths[1]
                    ParallelFill.withShared(&outputs, rowLength: n) { out in
                        let k = out[0]
                        ParallelFill.forEach(m) { i in
                            let row = testPoints.row(i)
                            for j in 0..<n {
                                let col = trainPoints.row(j)
                                var g = 0.0
                                for c in 0..<d { g += row[c] * col[c] }
                                k[i, j] =
                                    entry(
                                        g: g / Double(d), testPath.row(i), trainPath.row(j),
                                        w2: w2, b2: b2, gradient: false,
                                        series: seriesRows.map { ($0[0].view(i), $0[1].view(j)) }
                                    ).v
                            }
                        }
                    }
                    for i in 0..<m {
                        diagonal[i] =
                            entry(
                                g: nTest[i], testPath.row(i), testPath.row(i), w2: w2, b2: b2, gradient: false,
                                series: seriesRows.map { ($0[0].view(i), $0[0].view(i)) }
                            ).v
                    }
                }
            }
        }
        return (outputs[0], diagonal)
    }
}
