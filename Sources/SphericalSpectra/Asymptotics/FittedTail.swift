import Foundation

/// The large-k expansion of mu_k fitted to accurately computed eigenvalues:
///
///     mu_k = sum_{j<J} c_j G_k(d, a_0 + j) + (-1)^k sum_{j<J} c'_j G_k(d, b_0 + j) + O(rho^-k)
///
/// (G_k in closed form, ``SingularExpansion``). This is exact in structure for kernels
/// kappa = F(sqrt(1 - t)) near t = 1 and F'(sqrt(1 + t)) near -1 with F, F' analytic: the odd
/// powers of the square roots are the singular terms (1 -+ t)^{a_0 + j}, the rest is analytic
/// and contributes only geometrically small coefficients. The leading exponents a_0, b_0
/// (half-integers, or absent) are chosen by out-of-sample validation: fit on the first two
/// thirds of the window, predict the last third, keep the simplest model that predicts within
/// the data's error estimates. The final fit uses the whole window.
///
/// Error estimate at k: |M_J - M_{J+1}| + |M_J - M_J(training only)| + 3 sigma_M(k) + 1e-14 |M_J|
/// -- the model's sensitivity to its truncation and to its data, plus the propagated data
/// error sigma_M(k)^2 = g(k)^T (A^T W^2 A)^{-1} g(k) of the weighted least squares (the data's
/// error bounds taken as standard deviations; g(k) the fitted terms' G_k). Checked against
/// mpmath references in the fixture tests (no resolved value may exceed its estimate).
public struct FittedTail: AsymptoticTail {
    public let expansion: SingularExpansion
    /// The k range of the fitted data.
    public let window: ClosedRange<Int>
    /// Largest |model - data| / (data error) on the validation third.
    public let validationMisfit: Double
    /// M_{J+1} on the whole window and M_J on the training part, when their fits succeeded.
    private let alternatives: [SingularExpansion]
    /// Covariance of the final fit's coefficients (data errors taken as standard deviations),
    /// in the order of `expansion.upper` then `expansion.lower`.
    private let covariance: [[Double]]

    /// Candidate leading exponents a_0, b_0 at each endpoint (nil: no singular term there).
    static let candidateExponents: [Double?] = [nil, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]
    /// Stands for an absent endpoint when the simplest model is chosen: larger than any candidate.
    static let absentExponentRank = 100.0
    /// Terms J per endpoint.
    static let terms = 3
    /// The first k fitted: mu_0 ... mu_3 are far from asymptotic.
    static let firstFittedK = 4
    /// The window [K/2, K] must hold at least this many k beyond its start.
    static let minimumSpan = 15
    /// About this many pairs (k, k + 1) of rows at most.
    static let maximumPairs = 240
    /// Rows per fitted coefficient, at least.
    static let rowsPerCoefficient = 3
    /// Data errors are at least this relative rounding of the values.
    static let dataErrorFloor = 1e-15
    /// The best model's validation misfit (in data errors) above which no model is accepted.
    static let acceptableMisfit = 20.0
    /// Models within max(`simplicityMisfit`, `simplicityRatio` x best) count as fitting; the
    /// simplest (largest leading exponents) of those is kept.
    static let simplicityMisfit = 4.0
    static let simplicityRatio = 1.5
    /// The propagated least-squares error enters three times (3 standard deviations).
    static let covarianceSigmas = 3.0

    /// Fits the tail to `mu[k]` with absolute error estimates `error[k]`, k = 0...mu.count-1,
    /// using the window of k where the data are accurate to `accuracy` relatively. Nil when the
    /// data do not follow any candidate expansion (smooth kernels, too short a window).
    public init?(fitting mu: [Double], error: [Double], dimension d: Int, accuracy: Double = 1e-9) {
        guard
            let last = mu.indices.last(where: {
                $0 >= Self.firstFittedK && error[$0] <= accuracy * Swift.abs(mu[$0])
            })
        else { return nil }
        let k2 = last
        let k1 = max(Self.firstFittedK, k2 / 2)
        guard k2 - k1 >= Self.minimumSpan else { return nil }
        // Rows: pairs (k, k+1) so both parities are represented, at most ~240 pairs.
        let stride = max(1, (k2 - k1) / Self.maximumPairs)
        var rows: [Int] = []
        var k = k1
        while k <= k2 {
            rows.append(k)
            if k + 1 <= k2 { rows.append(k + 1) }
            k += 2 * stride
        }
        let sigma = rows.map { max(error[$0], Self.dataErrorFloor * Swift.abs(mu[$0]), .leastNormalMagnitude) }
        let data = rows.map { mu[$0] }
        let cut = rows.count * 2 / 3
        let train = Array(0..<cut)
        let test = Array(cut..<rows.count)

        func model(_ a0: Double?, _ b0: Double?, terms: Int, using idx: [Int]) -> SingularExpansion? {
            fitted(a0, b0, terms: terms, using: idx)?.expansion
        }
        func fitted(
            _ a0: Double?, _ b0: Double?, terms: Int,
            using idx: [Int]
        ) -> (expansion: SingularExpansion, covariance: [[Double]])? {
            var columns: [[Double]] = []
            var kinds: [(upper: Bool, exponent: Double)] = []
            let kmin = rows[idx.first!]
            let kmax = rows[idx.last!]
            for (upper, e0) in [(true, a0), (false, b0)] {
                guard let e0 else { continue }
                for j in 0..<terms {
                    let g = SingularExpansion.gegenbauerCoefficients(
                        ofPower: e0 + Double(j), dimension: d,
                        from: kmin, through: kmax)
                    columns.append(
                        idx.map { i in
                            let kk = rows[i]
                            return (upper || kk % 2 == 0 ? 1 : -1) * g[kk - kmin]
                        })
                    kinds.append((upper, e0 + Double(j)))
                }
            }
            guard !columns.isEmpty, idx.count >= Self.rowsPerCoefficient * columns.count,
                let (x, covariance) = LeastSquares.solveWithCovariance(
                    columns: columns, rhs: idx.map { data[$0] }, weights: idx.map { 1 / sigma[$0] })
            else { return nil }
            var up: [SingularExpansion.Term] = []
            var low: [SingularExpansion.Term] = []
            for (c, kind) in zip(x, kinds) {
                let term = SingularExpansion.Term(exponent: kind.exponent, coefficient: c)
                if kind.upper { up.append(term) } else { low.append(term) }
            }
            return (SingularExpansion(dimension: d, upper: up, lower: low), covariance)
        }
        func misfit(_ e: SingularExpansion, _ idx: [Int]) -> Double {
            let kmin = rows[idx.first!]
            let kmax = rows[idx.last!]
            let values = e.coefficients(from: kmin, through: kmax)
            return idx.map { Swift.abs(values[rows[$0] - kmin] - data[$0]) / sigma[$0] }.max() ?? .infinity
        }

        let terms = Self.terms
        var scored: [(a0: Double?, b0: Double?, chi: Double)] = []
        for a0 in Self.candidateExponents {
            for b0 in Self.candidateExponents where a0 != nil || b0 != nil {
                guard let e = model(a0, b0, terms: terms, using: train) else { continue }
                let chi = misfit(e, test)
                if chi.isFinite { scored.append((a0, b0, chi)) }
            }
        }
        guard let best = scored.map(\.chi).min(), best <= Self.acceptableMisfit else { return nil }
        let threshold = max(Self.simplicityMisfit, Self.simplicityRatio * best)
        let absent = Self.absentExponentRank
        let simplest = scored.filter { $0.chi <= threshold }
            .max { ($0.a0 ?? absent) + ($0.b0 ?? absent) < ($1.a0 ?? absent) + ($1.b0 ?? absent) }!
        let all = Array(rows.indices)
        guard let (final, covariance) = fitted(simplest.a0, simplest.b0, terms: terms, using: all) else { return nil }
        var alternatives: [SingularExpansion] = []
        if let e = model(simplest.a0, simplest.b0, terms: terms + 1, using: all) { alternatives.append(e) }
        if let e = model(simplest.a0, simplest.b0, terms: terms, using: train) { alternatives.append(e) }
        expansion = final
        window = k1...k2
        validationMisfit = simplest.chi
        self.alternatives = alternatives
        self.covariance = covariance
    }

    public func errorEstimates(from k0: Int, through k1: Int, values m: [Double]) -> [Double] {
        // Basis values g_i(k) of the fitted terms, in the covariance's order.
        var basis: [[Double]] = []
        for term in expansion.upper {
            basis.append(
                SingularExpansion.gegenbauerCoefficients(
                    ofPower: term.exponent, dimension: expansion.dimension, from: k0, through: k1))
        }
        for term in expansion.lower {
            let g = SingularExpansion.gegenbauerCoefficients(
                ofPower: term.exponent, dimension: expansion.dimension,
                from: k0, through: k1)
            basis.append(g.indices.map { (k0 + $0) % 2 == 0 ? g[$0] : -g[$0] })
        }
        // The covariance is that of the final fit, one row per term (LeastSquares).
        var err = m.map { Swift.abs($0) * Self.roundingFloor }
        for i in err.indices {
            var v = 0.0
            for a in basis.indices {
                for b in basis.indices { v += basis[a][i] * covariance[a][b] * basis[b][i] }
            }
            err[i] += Self.covarianceSigmas * max(v, 0).squareRoot()
        }
        Self.addDisagreement(&err, values: m, alternatives: alternatives, weight: 1, from: k0, through: k1)
        // Without both alternatives the truncation or data sensitivity is unmeasured: the error
        // is taken as large as the value.
        if alternatives.count < 2 { err = zip(err, m).map { $0 + Swift.abs($1) } }
        return err
    }
}
