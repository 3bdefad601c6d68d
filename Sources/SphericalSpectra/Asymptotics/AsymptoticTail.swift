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
public struct AsymptoticTail: Sendable {
    public let expansion: SingularExpansion
    /// The k range of the fitted data.
    public let window: ClosedRange<Int>
    /// Largest |model - data| / (data error) on the validation third.
    public let validationMisfit: Double
    private let alternatives: [SingularExpansion]
    /// Covariance of the final fit's coefficients (data errors taken as standard deviations),
    /// in the order of `expansion.upper` then `expansion.lower`.
    private let covariance: [[Double]]
    /// For expansions whose coefficients come from the kernel itself (``endpoint(kernel:exponent:dimension:mu:error:)``):
    /// the largest relative misfit against accurate quadrature values, |model - data| + error
    /// over |model|, taken as the relative size of the remainder R_k from there on.
    public let relativeRemainder: Double?
    /// For expansions with exact singular coefficients truncated after b_J
    /// (``continuedEndpoint(kernel:exponent:dimension:mu:error:)``): the remainder bound
    /// Q |G_k(d, a + J + 1)|, the first omitted order's closed-form eigenvalue scaled by a factor
    /// validated against accurate quadrature values.
    /// Bounds sum_i factor_i |G_k(d, exponent_i)| added to the error estimate.
    public let remainderBound: [(exponent: Double, factor: Double)]?
    /// The propagated error of exact-in-principle coefficients: epsilon and d b_j / d S(y_i) of
    /// the upper terms (``EndpointExpansion/continuedSingularFit(of:exponent:range:degree:points:)``).
    private let coefficientError: (epsilon: Double, derivatives: [[Double]])?

    private init(expansion: SingularExpansion, window: ClosedRange<Int>, validationMisfit: Double,
                 alternatives: [SingularExpansion], covariance: [[Double]], relativeRemainder: Double? = nil,
                 remainderBound: [(exponent: Double, factor: Double)]? = nil,
                 coefficientError: (epsilon: Double, derivatives: [[Double]])? = nil) {
        self.expansion = expansion; self.window = window; self.validationMisfit = validationMisfit
        self.alternatives = alternatives; self.covariance = covariance; self.relativeRemainder = relativeRemainder
        self.remainderBound = remainderBound
        self.coefficientError = coefficientError
    }

    /// The expansions with the exact singular terms at t = +1 from the kernel's continuation in
    /// the signed angle (``EndpointExpansion/continuedSingularFit(of:exponent:range:degree:points:)``),
    /// truncated after b_J for each J in `orders`, each with its own error estimate (models whose
    /// validation fails are dropped; empty when the kernel has no continuation). The lower
    /// endpoint, when singular (no bias), keeps the t-space fit.
    ///
    /// Error estimate at k for the truncation J (Proofs/endpoint-expansion.md):
    ///
    ///     10 |M_J - M'_J| + eps sum_i |sum_{j <= min(J, 1)} G_k(d, a + j) d b_j / d S_i|
    ///       + Q_J sum_{J < j <= J + 3} |b_j G_k(d, a + j)| + 1e-14 |M_J|,
    ///
    /// M'_J the same truncation of the second fit ((y0, degree) = (3/4, 14) against (1/2, 12); the
    /// fits share the kernel's systematic value errors, hence the factor 10: b_0 of the 3-layer
    /// ELU NNGP agrees to 2e-11 between them and to 7e-11 with the reference); the second term the
    /// worst-case propagation of value errors eps = 2 valueAccuracy kappa(1) into b_0 and b_1; the
    /// third the next three orders' terms scaled by Q_J = max(2, max (|M_J - mu_k| + error_k) / scale_k)
    /// over the validation window (the quadrature values past k = a + J + 2 accurate to 1e-6,
    /// or 1e-5, 1e-4 when fewer than 4 are). The remainder R_k = sum_{j > J} b_j G_k(d, a + j) +
    /// (the analytic part's geometrically small eigenvalues) is dominated by those next orders
    /// once k is past a + J + 1, so R_k / scale_k does not grow past the window; the bound
    /// holds there by construction. FixtureTests check it against the mpmath eigenvalues.
    public static func continuedEndpoint(kernel: some DotProductKernel, exponent a: Double, dimension d: Int,
                                         mu: [Double], error: [Double], orders: [Int] = [2, 3, 4, 5, 6]) -> [AsymptoticTail] {
        guard let (first, derivatives) = EndpointExpansion.continuedSingularFit(of: kernel, exponent: a),
              let second = EndpointExpansion.continuedSingularTerms(of: kernel, exponent: a, range: 0.75, degree: 14)
        else { return [] }
        // Worst-case error of the singular part's values: both branches to the kernel's value
        // accuracy (relative to max |kappa| = kappa(1) for these positive-definite kernels).
        let valueError = 2 * kernel.valueAccuracy * Swift.abs(kernel.value(1, oneMinusT: 0, onePlusT: 2))
        var lower: [SingularExpansion.Term] = [], lower2: [SingularExpansion.Term] = []
        if let l = EndpointExpansion.singularTerms(of: kernel, at: .lower, exponent: a),
           let l2 = EndpointExpansion.singularTerms(of: kernel, at: .lower, exponent: a, range: 0.75, analyticDegree: 7) {
            let lead = Swift.abs(first[0].coefficient)
            if Swift.abs(l[0].coefficient) > 100 * Swift.abs(l[0].coefficient - l2[0].coefficient) + 1e-10 * lead {
                lower = l; lower2 = l2
            }
        } else {
            return []
        }
        func accurate(_ tolerance: Double) -> [Int] {
            mu.indices.filter { $0 >= 4 && mu[$0] != 0 && error[$0] <= tolerance * Swift.abs(mu[$0]) }
        }
        var out: [AsymptoticTail] = []
        for J in orders where J < first.count {
            // Values accurate to 1e-6 where there are at least 4 past a + J + 2, else 1e-5, 1e-4
            // (fast decays at large d leave few: each value's error enters Q).
            var window: [Int] = []
            for tolerance in [1e-6, 1e-5, 1e-4] where window.count < 4 {
                window = accurate(tolerance).filter { Double($0) >= a + Double(J) + 2 }
            }
            guard let low = window.first, let top = window.last, window.count >= 4 else { continue }
            let model = SingularExpansion(dimension: d, upper: Array(first.prefix(J + 1)), lower: lower)
            let alternative = SingularExpansion(dimension: d, upper: Array(second.prefix(J + 1)), lower: lower2)
            // b_0 and b_1 carry the worst-case propagated value error; the higher coefficients,
            // whose worst-case sensitivities are 1e8 ... 1e12 and far from their actual errors, are
            // covered by the two fits' disagreement.
            let coefficientError = (epsilon: valueError, derivatives: Array(derivatives.prefix(min(J, 1) + 1)))
            let values = model.coefficients(from: low, through: top)
            // The next orders' terms, sum_{J < j <= J + 3} |b_j G_k(d, a + j)|, as the remainder's scale.
            let next = (J + 1)...min(J + 3, first.count - 1)
            var scale = [Double](repeating: 0, count: top - low + 1)
            for j in next {
                let g = SingularExpansion.gegenbauerCoefficients(ofPower: a + Double(j), dimension: d, from: low, through: top)
                for i in scale.indices { scale[i] += Swift.abs(first[j].coefficient * g[i]) }
            }
            var q = 2.0, r = 0.0
            var valid = true
            for k in window {
                let m = values[k - low], sk = scale[k - low]
                guard m.isFinite, m != 0, sk > 0, sk.isFinite else { valid = false; break }
                q = max(q, (Swift.abs(m - mu[k]) + error[k]) / sk)
                r = max(r, (Swift.abs(m - mu[k]) + error[k]) / Swift.abs(m))
            }
            // The top of the window must already be close (the model is meant for the tail).
            let mTop = values[top - low]
            guard valid, q.isFinite, (Swift.abs(mTop - mu[top]) + error[top]) <= 1e-3 * Swift.abs(mTop) else { continue }
            out.append(AsymptoticTail(expansion: model, window: low...top, validationMisfit: r,
                                      alternatives: [alternative], covariance: [],
                                      remainderBound: next.map { (a + Double($0), q * Swift.abs(first[$0].coefficient)) },
                                      coefficientError: coefficientError))
        }
        return out
    }

    /// The expansion with coefficients from the kernel's local expansion at t = +1 (and t = -1
    /// where the kernel is singular there), ``EndpointExpansion``, checked against the
    /// quadrature values `mu`, `error` (k = 0...mu.count - 1) where they are accurate.
    ///
    /// Error estimate at k: |M(y0 = 1/2, Ja = J = 6) - M(y0 = 3/4, Ja = 7, J = 6)| (the coefficients'
    /// uncertainty) + r |M| + 1e-14 |M|, r the largest (|M - mu| + error)/|M| over the validation
    /// window: the top 16 values (of the top half of the range) accurate to 1e-8 (else 1e-6).
    /// Taking r as the relative remainder further out assumes |R_k/mu_k| does not grow past the
    /// window: true for the omitted singular terms (their ratio to the leading one falls like
    /// k^-2 per term) and for the analytic remainder (geometric against algebraic) once
    /// k > ((d - 1) + 2a)/log(rho) (Proofs/endpoint-expansion.md). Nil when a fit fails or the
    /// model misses the data by more than 1e-3.
    public static func endpoint(kernel: some DotProductKernel, exponent a: Double, dimension d: Int,
                                mu: [Double], error: [Double]) -> AsymptoticTail? {
        guard let upper = EndpointExpansion.singularTerms(of: kernel, at: .upper, exponent: a),
              let upper2 = EndpointExpansion.singularTerms(of: kernel, at: .upper, exponent: a, range: 0.75, analyticDegree: 7),
              let lower = EndpointExpansion.singularTerms(of: kernel, at: .lower, exponent: a),
              let lower2 = EndpointExpansion.singularTerms(of: kernel, at: .lower, exponent: a, range: 0.75, analyticDegree: 7)
        else { return nil }
        // The lower endpoint counts as singular when its leading coefficient stands clear of
        // the two fits' disagreement (a kernel analytic at t = -1 fits noise there).
        let lead = Swift.abs(upper[0].coefficient)
        let singularBelow = Swift.abs(lower[0].coefficient) > 100 * Swift.abs(lower[0].coefficient - lower2[0].coefficient) + 1e-10 * lead
        let model = SingularExpansion(dimension: d, upper: upper, lower: singularBelow ? lower : [])
        let alternative = SingularExpansion(dimension: d, upper: upper2, lower: singularBelow ? lower2 : [])
        // Validation window.
        var accurate: [Int] = []
        for tolerance in [1e-8, 1e-6] where accurate.count < 8 {
            accurate = mu.indices.filter { $0 >= 4 && error[$0] <= tolerance * Swift.abs(mu[$0]) && mu[$0] != 0 }
        }
        guard let top = accurate.last, accurate.count >= 8 else { return nil }
        let window = Array(accurate.filter { $0 >= top / 2 }.suffix(16))
        guard let low = window.first, window.count >= 4 else { return nil }
        let values = model.coefficients(from: low, through: top)
        var r = 0.0
        for k in window {
            let m = values[k - low]
            guard m != 0, m.isFinite else { return nil }
            r = max(r, (Swift.abs(m - mu[k]) + error[k]) / Swift.abs(m))
        }
        guard r <= 1e-3 else { return nil }
        return AsymptoticTail(expansion: model, window: low...top, validationMisfit: r,
                              alternatives: [alternative], covariance: [], relativeRemainder: r)
    }

    static let candidateExponents: [Double?] = [nil, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]

    /// Fits the tail to `mu[k]` with absolute error estimates `error[k]`, k = 0...mu.count-1,
    /// using the window of k where the data are accurate to `accuracy` relatively. Nil when the
    /// data do not follow any candidate expansion (smooth kernels, too short a window).
    public static func fit(mu: [Double], error: [Double], dimension d: Int, accuracy: Double = 1e-9) -> AsymptoticTail? {
        guard let last = mu.indices.last(where: { $0 >= 4 && error[$0] <= accuracy * Swift.abs(mu[$0]) }) else { return nil }
        let k2 = last, k1 = max(4, k2 / 2)
        guard k2 - k1 >= 15 else { return nil }
        // Rows: pairs (k, k+1) so both parities are represented, at most ~240 rows.
        let stride = max(1, (k2 - k1) / 240)
        var rows: [Int] = []
        var k = k1
        while k <= k2 { rows.append(k); if k + 1 <= k2 { rows.append(k + 1) }; k += 2 * stride }
        let sigma = rows.map { max(error[$0], 1e-15 * Swift.abs(mu[$0]), .leastNormalMagnitude) }
        let data = rows.map { mu[$0] }
        let cut = rows.count * 2 / 3
        let train = Array(0..<cut), test = Array(cut..<rows.count)

        func model(_ a0: Double?, _ b0: Double?, terms: Int, using idx: [Int]) -> SingularExpansion? {
            fitted(a0, b0, terms: terms, using: idx)?.expansion
        }
        func fitted(_ a0: Double?, _ b0: Double?, terms: Int, using idx: [Int]) -> (expansion: SingularExpansion, covariance: [[Double]])? {
            var columns: [[Double]] = []
            var kinds: [(upper: Bool, exponent: Double)] = []
            let kmin = rows[idx.first!], kmax = rows[idx.last!]
            for (upper, e0) in [(true, a0), (false, b0)] {
                guard let e0 else { continue }
                for j in 0..<terms {
                    let g = SingularExpansion.gegenbauerCoefficients(ofPower: e0 + Double(j), dimension: d, from: kmin, through: kmax)
                    columns.append(idx.map { i in
                        let kk = rows[i]
                        return (upper || kk % 2 == 0 ? 1 : -1) * g[kk - kmin]
                    })
                    kinds.append((upper, e0 + Double(j)))
                }
            }
            guard !columns.isEmpty, idx.count >= 3 * columns.count,
                  let (x, covariance) = LeastSquares.solveWithCovariance(columns: columns, rhs: idx.map { data[$0] }, weights: idx.map { 1 / sigma[$0] })
            else { return nil }
            var up: [SingularExpansion.Term] = [], low: [SingularExpansion.Term] = []
            for (c, kind) in zip(x, kinds) {
                let term = SingularExpansion.Term(exponent: kind.exponent, coefficient: c)
                if kind.upper { up.append(term) } else { low.append(term) }
            }
            return (SingularExpansion(dimension: d, upper: up, lower: low), covariance)
        }
        func misfit(_ e: SingularExpansion, _ idx: [Int]) -> Double {
            let kmin = rows[idx.first!], kmax = rows[idx.last!]
            let values = e.coefficients(from: kmin, through: kmax)
            return idx.map { Swift.abs(values[rows[$0] - kmin] - data[$0]) / sigma[$0] }.max() ?? .infinity
        }

        let terms = 3
        var scored: [(a0: Double?, b0: Double?, chi: Double)] = []
        for a0 in candidateExponents {
            for b0 in candidateExponents where a0 != nil || b0 != nil {
                guard let e = model(a0, b0, terms: terms, using: train) else { continue }
                let chi = misfit(e, test)
                if chi.isFinite { scored.append((a0, b0, chi)) }
            }
        }
        guard let best = scored.map(\.chi).min(), best <= 20 else { return nil }
        let threshold = max(4, 1.5 * best)
        let simplest = scored.filter { $0.chi <= threshold }
            .max { ($0.a0 ?? 100) + ($0.b0 ?? 100) < ($1.a0 ?? 100) + ($1.b0 ?? 100) }!
        let all = Array(rows.indices)
        guard let (final, covariance) = fitted(simplest.a0, simplest.b0, terms: terms, using: all) else { return nil }
        var alternatives: [SingularExpansion] = []
        if let e = model(simplest.a0, simplest.b0, terms: terms + 1, using: all) { alternatives.append(e) }
        if let e = model(simplest.a0, simplest.b0, terms: terms, using: train) { alternatives.append(e) }
        return AsymptoticTail(expansion: final, window: k1...k2, validationMisfit: simplest.chi,
                              alternatives: alternatives, covariance: covariance, relativeRemainder: nil)
    }

    /// Model values and error estimates for k in k0...k1.
    public func values(from k0: Int, through k1: Int) -> (mu: [Double], error: [Double]) {
        let m = expansion.coefficients(from: k0, through: k1)
        // Basis values g_i(k) of the fitted terms, in the covariance's order.
        var basis: [[Double]] = []
        for term in expansion.upper {
            basis.append(SingularExpansion.gegenbauerCoefficients(ofPower: term.exponent, dimension: expansion.dimension, from: k0, through: k1))
        }
        for term in expansion.lower {
            let g = SingularExpansion.gegenbauerCoefficients(ofPower: term.exponent, dimension: expansion.dimension, from: k0, through: k1)
            basis.append(g.indices.map { (k0 + $0) % 2 == 0 ? g[$0] : -g[$0] })
        }
        var err = m.map { Swift.abs($0) * 1e-14 }
        if let (epsilon, derivatives) = coefficientError, let a = expansion.upper.first?.exponent {
            // epsilon sum_i |sum_j G_k(d, a + j) d b_j / d S_i| for k up to k0 + 256; further out
            // the leading term dominates and the triangle inequality over j is as tight.
            let g = derivatives.indices.map { SingularExpansion.gegenbauerCoefficients(ofPower: a + Double($0), dimension: expansion.dimension, from: k0, through: k1) }
            let perTerm = derivatives.map { $0.reduce(0) { $0 + Swift.abs($1) } }
            let m = derivatives.first?.count ?? 0
            for i in err.indices {
                var bound = 0.0
                if i <= 256 {
                    for row in 0..<m {
                        var s = 0.0
                        for j in derivatives.indices { s += g[j][i] * derivatives[j][row] }
                        bound += Swift.abs(s)
                    }
                } else {
                    for j in derivatives.indices { bound += Swift.abs(g[j][i]) * perTerm[j] }
                }
                err[i] += epsilon * bound
            }
        }
        if let bounds = remainderBound {
            for bound in bounds where bound.factor > 0 {
                let g = SingularExpansion.gegenbauerCoefficients(ofPower: bound.exponent, dimension: expansion.dimension, from: k0, through: k1)
                for i in err.indices { err[i] += bound.factor * Swift.abs(g[i]) }
            }
        } else if let r = relativeRemainder {
            for i in err.indices { err[i] += r * Swift.abs(m[i]) }
        } else if basis.count == covariance.count {
            for i in err.indices {
                var v = 0.0
                for a in basis.indices { for b in basis.indices { v += basis[a][i] * covariance[a][b] * basis[b][i] } }
                err[i] += 3 * max(v, 0).squareRoot()
            }
        } else {
            err = m.map { Swift.abs($0) }
        }
        // The continued models' two fits share the kernel's systematic value errors, so their
        // disagreement is taken ten times (measured: b_0 of the 3-layer ELU NNGP agrees to 2e-11
        // between the fits, 7e-11 with the reference).
        let alternativeWeight = coefficientError == nil ? 1.0 : 10.0
        for alt in alternatives {
            let a = alt.coefficients(from: k0, through: k1)
            for i in err.indices { err[i] += alternativeWeight * Swift.abs(a[i] - m[i]) }
        }
        if relativeRemainder == nil && remainderBound == nil && alternatives.count < 2 { err = zip(err, m).map { $0 + Swift.abs($1) } }
        return (m, err)
    }
}
