import Foundation
import NeuralKernels
import _ParallelFill

/// The covariance's partial derivatives in the entries of its first layer, for per-input
/// (ARD) first-layer weights (Proofs/gp-regression-marginal-likelihood.md, section 5).
///
/// Entry K_ij depends on the first layer only through Sigma^1_ij, Sigma^1_ii and Sigma^1_jj
/// (the pair's covariance and the two variances that start the points' variance paths). With
///
///     A_ij = dK_ij / dSigma^1_ij,   B_ij = dK_ij / dSigma^1_ii,   C_ij = dK_ij / dSigma^1_jj
///
/// (B_ij = C_ji by symmetry), any change of the first layer changes K by
/// dK_ij = A_ij dSigma^1_ij + B_ij dSigma^1_ii + C_ij dSigma^1_jj. The deeper layers' sigma_w^2
/// and sigma_b^2 are the two other directions. Forward mode, as in ``NetworkCovariance``'s
/// chain rule, with the five directions (Sigma^1_ij, Sigma^1_ii, Sigma^1_jj, w2 of layers >= 2,
/// b2 of layers >= 2) and the duals' partials from ``DualPartials/partials(q1:q2:c:ntk:)``.
extension NetworkCovariance {
    /// The matrices of ``firstLayerPartials(_:sigmaW2:sigmaB2:)``, row-major n x n, all
    /// symmetric as stored (the lower triangles mirror the upper ones).
    public struct FirstLayerPartials: Sendable {
        /// K itself: the entries of ``matrices(_:sigmaW2:sigmaB2:gradient:)`` with `gradient: true`
        /// (the same operations; the value-only path may differ by a few ulps where it takes both
        /// duals from one jet).
        public let k: [Double]
        /// A_ij = dK_ij / dSigma^1_ij.
        public let pair: [Double]
        /// Upper triangle (i <= j): B_ij = dK_ij / dSigma^1_ii; mirrored. On the diagonal the mean
        /// of B_ii and C_ii (equal by the exchangeability of the pair (x_i, x_i)).
        public let first: [Double]
        /// Upper triangle (i <= j): C_ij = dK_ij / dSigma^1_jj; mirrored.
        public let second: [Double]
        /// w2 dK/dw2 through the layers after the first only (w2 = sigma_w^2 of layers 2...L;
        /// zero at depth 1).
        public let dLogW2Deep: [Double]
        /// b2 dK/db2 through every layer (the first layer's bias moves all three Sigma^1 entries).
        public let dLogB2: [Double]
        public let n: Int

        /// dK_ij / dSigma^1_ii for every ordered pair: B_ij above the diagonal, C_ji below it.
        @inline(__always) public func own(_ i: Int, _ j: Int) -> Double {
            i <= j ? first[i * n + j] : second[i * n + j]
        }
    }

    /// A value with its derivatives in the five directions of the first-layer partials.
    struct Dual5 {
        var v: Double, c: Double, q1: Double, q2: Double, w: Double, b: Double
        static func + (x: Dual5, y: Dual5) -> Dual5 {
            Dual5(v: x.v + y.v, c: x.c + y.c, q1: x.q1 + y.q1, q2: x.q2 + y.q2, w: x.w + y.w, b: x.b + y.b)
        }
        static func * (a: Double, x: Dual5) -> Dual5 {
            Dual5(v: a * x.v, c: a * x.c, q1: a * x.q1, q2: a * x.q2, w: a * x.w, b: a * x.b)
        }
    }

    /// A point's variance Sigma_l(x, x) with its derivatives in its own Sigma^1(x, x) and in the
    /// deep w2, b2.
    struct PointDual { var v: Double, own: Double, w: Double, b: Double }

    /// The dual maps at one layer and their changes along the five directions.
    struct FirstLayerCarrier: LayerCarrier {
        var s: Dual5
        var t: Dual5
        var f = Dual5(v: 0, c: 0, q1: 0, q2: 0, w: 0, b: 0)
        var d = Dual5(v: 0, c: 0, q1: 0, q2: 0, w: 0, b: 0)
        let ntk: Bool

        init(s: Dual5, ntk: Bool) {
            self.s = s
            self.t = s
            self.ntk = ntk
        }

        /// Sigma' = w2 F + b2, Theta' = Sigma' + w2 D Theta, with [dw2] and [db2] in the
        /// deep directions.
        @inline(__always)
        func dense(_ weights: Weights) -> FirstLayerCarrier {
            let w2 = weights.w2
            let b2 = weights.b2
            var next = self
            var sigma = w2 * f
            sigma.v += b2
            sigma.w += f.v
            sigma.b += 1
            next.s = sigma
            if ntk {
                // d(w2 D Theta) = [dw2] D Theta + w2 dD Theta + w2 D dTheta.
                var theta = sigma + (w2 * t.v) * d + (w2 * d.v) * t
                theta.v = sigma.v + w2 * d.v * t.v
                theta.w += d.v * t.v
                next.t = theta
            }
            return next
        }
    }

    /// Per point, the variance fed to each nonlinearity l = 1..L-1 with its derivatives in its own
    /// Sigma^1(x, x) and the deep w2, b2; flat as in ``pointVariances(_:w2:b2:series:)``, with the
    /// duals at u = v from `series` where given.
    func pointVariancePartials(_ norms: [Double], w2: Double, b2: Double, series: SeriesPaths? = nil) -> [PointDual] {
        var out: [PointDual] = []
        out.reserveCapacity(norms.count * (depth - 1))
        for (i, g) in norms.enumerated() {
            // A point's own variance: the c, q1 and q2 directions all move together.
            let s1 = Dual5(v: w2 * g + b2, c: 1, q1: 0, q2: 0, w: 0, b: 0)
            let first = FirstLayerCarrier(s: s1, ntk: false)
            _ = LayerRecursion.propagate(
                afterFirstLayer: first, depth: depth,
                weights: { _ in Weights(w2: w2, b2: b2) }
            ) { l, x in
                out.append(PointDual(v: x.s.v, own: x.s.c, w: x.s.w, b: x.s.b))
                var y = x
                let q = x.s.v
                let p = partials.partials(
                    q1: q, q2: q, c: q, ntk: false, series: diagonalJet(series, point: i, layer: l))
                let slope = p.df.q1 + p.df.q2 + p.df.c
                y.f = Dual5(v: p.f, c: slope * x.s.c, q1: 0, q2: 0, w: slope * x.s.w, b: slope * x.s.b)
                return y
            }
        }
        return out
    }

    /// One entry with its five partials, from the first-layer values and the two points'
    /// variance paths.
    @inline(__always)
    func firstLayerEntry(
        sigma1: Double, _ a: UnsafeMutablePointer<PointDual>, _ bPath: UnsafeMutablePointer<PointDual>,
        w2: Double, b2: Double, series: (SeriesView, SeriesView)? = nil
    ) -> Dual5 {
        let ntk = kind == .ntk
        let first = FirstLayerCarrier(s: Dual5(v: sigma1, c: 1, q1: 0, q2: 0, w: 0, b: 0), ntk: ntk)
        let out = LayerRecursion.propagate(
            afterFirstLayer: first, depth: depth,
            weights: { _ in Weights(w2: w2, b2: b2) }
        ) { l, x in
            let p = a[l]
            let q = bPath[l]
            var y = x
            let jet = series.flatMap { $0.0.jet(l, $0.1, q1: p.v, q2: q.v, c: x.s.v, gradient: true, ntk: ntk) }
            let e = partials.partials(q1: p.v, q2: q.v, c: x.s.v, ntk: ntk, series: jet)
            // The q1 argument moves along (own of point i) and the deep directions of its path,
            // the q2 argument along point j's, the covariance along all five.
            @inline(__always) func change(_ g: (q1: Double, q2: Double, c: Double), _ value: Double) -> Dual5 {
                var r = g.c * x.s
                r.v = value
                r.q1 += g.q1 * p.own
                r.q2 += g.q2 * q.own
                r.w += g.q1 * p.w + g.q2 * q.w
                r.b += g.q1 * p.b + g.q2 * q.b
                return r
            }
            y.f = change(e.df, e.f)
            if ntk { y.d = change(e.dd, e.d) }
            return y
        }!
        return ntk ? out.t : out.s
    }

    /// K and its partials in the first-layer entries (``FirstLayerPartials``) at sigma_w^2 = w2
    /// (every layer's) and sigma_b^2 = b2, with Sigma^1 = w2 <x, x'>/d + b2 computed as in
    /// ``matrices(_:sigmaW2:sigmaB2:gradient:)``. Cost: that of the gradient path of `matrices`
    /// (the same dual evaluations per entry, five directions instead of two), memory 6 n^2.
    public func firstLayerPartials(_ x: [[Double]], sigmaW2 w2: Double, sigmaB2 b2: Double) -> FirstLayerPartials {
        let n = x.count
        let norms = Self.norms(x)
        let series = seriesPaths(norms, w2: w2, b2: b2, progress: progress)
        let paths = pointVariancePartials(norms, w2: w2, b2: b2, series: series)
        let outputs = Self.symmetricFill(
            x, norms: norms, paths: paths, rowLength: depth - 1, series: series, outputs: 6, progress: progress
        ) {
            i, j, g, pathI, pathJ, views, out in
            let e = firstLayerEntry(sigma1: w2 * g + b2, pathI, pathJ, w2: w2, b2: b2, series: views)
            out[0][i, j] = e.v
            out[1][i, j] = e.c
            out[2][i, j] = i == j ? 0.5 * (e.q1 + e.q2) : e.q1
            out[3][i, j] = i == j ? 0.5 * (e.q1 + e.q2) : e.q2
            out[4][i, j] = depth > 1 ? w2 * e.w : 0
            out[5][i, j] = b2 * (e.b + e.c + e.q1 + e.q2)
        }
        return FirstLayerPartials(
            k: outputs[0], pair: outputs[1], first: outputs[2], second: outputs[3],
            dLogW2Deep: outputs[4], dLogB2: outputs[5], n: n)
    }
}
