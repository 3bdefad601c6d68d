import Foundation

extension GegenbauerSpectrum {
    /// Step 3: at each k the estimate with the smallest error among the quadrature value, the
    /// tail models (``AsymptoticTail``) and the Maclaurin series; exact zeros past a finite rank.
    struct Selection {
        private(set) var estimates: [Estimate]
        private(set) var method: [Method]
        /// The first tail model (the most specific one that validated), if any.
        private(set) var tail: AsymptoticTail? = nil
        /// The quadrature values, untouched by the selection.
        private let quadrature: [Estimate]
        private var kq: Int { quadrature.count - 1 }
        private var kmax: Int { estimates.count - 1 }

        /// The eigenvalue-fitted expansion (``FittedTail``) is tried on data accurate to 1e-9
        /// first; kernels whose eigenvalues reach the rounding floor early (deep ELU NTKs: k^-5
        /// from mu_0 ~ 4) leave too short a window there, so it falls back to 1e-7 ... 1e-3 (the
        /// fit weights each value by its error, and the model's error estimate carries the
        /// data's through the least-squares covariance).
        static let fitAccuracies = [1e-9, 1e-7, 1e-5, 1e-4, 1e-3]
        /// A model replaces a quadrature value only where its estimate is this much smaller.
        static let replacementMargin = 4.0
        /// Models are checked against each other on the first 256 k they share.
        static let contradictionRange = 256

        init(measurement: Measurement, kmax: Int) {
            quadrature = measurement.values
            estimates =
                measurement.values
                + [Estimate](repeating: Estimate(value: 0, error: 0), count: kmax - measurement.degree)
            method = [Method](repeating: .quadrature, count: kmax + 1)
        }

        /// The measurement ``DecayFit`` uses: the quadrature values where a model or the series
        /// replaced them, and the selection's values (exact zeros past a finite rank) elsewhere.
        func measurement() -> [Estimate] {
            (0...kq).map { k in
                method[k] == .asymptotic || method[k] == .maclaurinSeries ? quadrature[k] : estimates[k]
            }
        }

        /// Past the rank p: zero by structure; where measured (k <= kq) the bound is what was measured.
        mutating func zeroPastRank(_ p: Int) {
            guard p < kmax else { return }
            for k in (p + 1)...kmax where k > kq || Swift.abs(estimates[k].value) <= estimates[k].error {
                let e = estimates[k]
                estimates[k] = Estimate(value: 0, error: k > kq ? 0 : Swift.abs(e.value) + e.error)
                method[k] = .exactZero
            }
        }

        /// The tail models of `kernel` validated on the quadrature values, best first.
        ///
        /// (a) Half-integer leading exponent (activations non-smooth at 0, Laplace): the singular
        /// terms' coefficients from the kernel next to t = +-1. Where the kernel continues to
        /// signed angles (arc-cosine and ELU-family networks) the coefficients at t = +1 are exact
        /// and several truncations compete, each with its validated remainder bound
        /// (``ContinuedEndpointTail``); otherwise they are fitted in t-space (``EndpointTail``).
        /// (b) The expansion fitted to the eigenvalues (``FittedTail``).
        private func models(
            kernel: some DotProductKernel, predictedDecay: PredictedDecay,
            dimension d: Int
        ) -> [AsymptoticTail] {
            let mu = quadrature.map(\.value)
            let error = quadrature.map(\.error)
            var models: [AsymptoticTail] = []
            if case .algebraic(let a) = predictedDecay, a > 0, (2 * a).rounded() == 2 * a, Int(2 * a) % 2 == 1 {
                let continued = ContinuedEndpointTail.truncations(
                    kernel: kernel, exponent: a, dimension: d,
                    mu: mu, error: error)
                if !continued.isEmpty {
                    models.append(contentsOf: continued)
                } else if let endpoint = EndpointTail(kernel: kernel, exponent: a, dimension: d, mu: mu, error: error) {
                    models.append(endpoint)
                }
            }
            var fitted: FittedTail? = nil
            for accuracy in Self.fitAccuracies where fitted == nil {
                fitted = FittedTail(fitting: mu, error: error, dimension: d, accuracy: accuracy)
            }
            if let fitted { models.append(fitted) }
            return models
        }

        /// Models that contradict each other cannot both be within their estimates: where
        /// |m_A - m_B| > e_A + e_B, the true error of A is at most |m_A - m_B| + e_B if B's bound
        /// holds, and the other way round. Each model's estimates are scaled up by the largest
        /// such factor over the first 256 k they share, on its whole range, which keeps every
        /// estimate a bound as long as one of the two was. (The 3-layer ELU NTK on the circle:
        /// a model fitted on k <= 51 claimed 4.5e-15 at k = 52 and was 8.8e-15 off, 4.1x below
        /// quadrature's estimate, which the 4x margin let through, issue 20; from k = 65 a
        /// truncation accurate to 1e-21 contradicts it.) Only those first k are evaluated for the
        /// check (kmax may be 10^7).
        private func contradictionFactors(_ models: [AsymptoticTail]) -> [Double] {
            var factor = [Double](repeating: 1, count: models.count)
            let range = Self.contradictionRange
            guard models.count > 1, let latest = models.map(\.window.lowerBound).max(), latest <= kmax else {
                return factor
            }
            let through = min(kmax, latest + range - 1)
            let head = models.map { $0.values(from: $0.window.lowerBound, through: through) }
            for a in models.indices {
                for b in models.indices where b != a {
                    let sa = models[a].window.lowerBound
                    let sb = models[b].window.lowerBound
                    for k in max(sa, sb)...through where k - max(sa, sb) < range {
                        let ma = head[a].mu[k - sa]
                        let ea = head[a].error[k - sa]
                        let mb = head[b].mu[k - sb]
                        let eb = head[b].error[k - sb]
                        let gap = Swift.abs(ma - mb)
                        if gap.isFinite, ea > 0, gap > ea + eb { factor[a] = max(factor[a], (gap + eb) / ea) }
                    }
                }
            }
            return factor
        }

        /// Two models of the tail, each with its own error estimate; at every k the value with
        /// the smallest estimate (quadrature or a model) is kept. A model replaces a quadrature
        /// value only where its estimate is clearly (4x) smaller: quadrature values are
        /// measurements, the models extrapolate under the assumption that their remainder does
        /// not grow past the validation window, and where both estimates are close the
        /// measurement is usually far better than its rounding bound (the 3-layer ELU NNGP on
        /// S^9 at k = 17: quadrature 3.6e-8 actual / 3.3e-5 estimated, the J = 3 truncation
        /// 7.1e-6 / 2.6e-5). Each model's full range is evaluated once, one model at a time.
        /// Beyond the quadrature where no model is finite, only a bound (assumes |mu_k| does
        /// not grow).
        mutating func selectTail(kernel: some DotProductKernel, predictedDecay: PredictedDecay, dimension d: Int) {
            let models = models(kernel: kernel, predictedDecay: predictedDecay, dimension: d)
            tail = models.first
            if kq < kmax { for k in (kq + 1)...kmax { estimates[k].error = .infinity } }
            let factor = contradictionFactors(models)
            for (model, scale) in zip(models, factor) {
                let start = model.window.lowerBound
                let (m, e) = model.values(from: start, through: kmax)
                for k in start...kmax {
                    let margin = method[k] == .quadrature && k <= kq ? Self.replacementMargin : 1.0
                    let estimate = scale * e[k - start]
                    if margin * estimate < estimates[k].error {
                        estimates[k] = Estimate(value: m[k - start], error: estimate)
                        method[k] = .asymptotic
                    }
                }
            }
            if kq < kmax {
                let bound =
                    (max(kq / 2, 0)...kq).map { Swift.abs(estimates[$0].value) + estimates[$0].error }
                    .max() ?? 0
                for k in (kq + 1)...kmax where !estimates[k].error.isFinite {
                    estimates[k] = Estimate(value: 0, error: bound)
                    method[k] = .bound
                }
            }
        }

        /// Entire kernels: positive sums, accurate far below quadrature's floor.
        mutating func adopt(_ series: MaclaurinSeries, dimension d: Int) {
            let (m, e) = series.eigenvalues(dimension: d, kmax: kmax)
            for k in 0...kmax where e[k] < estimates[k].error && method[k] != .exactZero {
                estimates[k] = Estimate(value: m[k], error: e[k])
                method[k] = .maclaurinSeries
            }
        }
    }
}
