import Foundation

/// The expansion with the exact singular terms at t = +1 from the kernel's continuation in the
/// signed angle (``EndpointExpansion/continuedSingularFit(of:exponent:range:degree:points:)``),
/// truncated after b_J, with a remainder bound validated against accurate quadrature values.
/// The lower endpoint, when singular (no bias), keeps the t-space fit.
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
public struct ContinuedEndpointTail: AsymptoticTail {
    public let expansion: SingularExpansion
    public let window: ClosedRange<Int>
    /// Largest (|model - data| + error) / |model| on the validation window.
    public let validationMisfit: Double
    /// The same truncation of the second continued fit.
    private let alternative: SingularExpansion
    /// Bounds sum_i factor_i |G_k(d, exponent_i)| on the remainder: the next orders'
    /// closed-form eigenvalues scaled by Q_J.
    public let remainderBound: [(exponent: Double, factor: Double)]
    /// The propagated error of the exact-in-principle coefficients: epsilon and d b_j / d S(y_i)
    /// of the upper terms j <= min(J, 1).
    private let coefficientError: (epsilon: Double, derivatives: [[Double]])

    /// The two continued fits share the kernel's systematic value errors, so their
    /// disagreement is taken ten times (measured: b_0 of the 3-layer ELU NNGP agrees to 2e-11
    /// between the fits, 7e-11 with the reference).
    static let disagreementWeight = 10.0
    /// Truncation orders J that compete.
    public static let defaultOrders = [2, 3, 4, 5, 6]
    /// Relative accuracies asked of the validation values, loosest last: fast decays at large d
    /// leave few values accurate to 1e-6 (each value's error enters Q).
    static let validationTolerances = [1e-6, 1e-5, 1e-4]
    /// Fewest validation values.
    static let minimumWindow = 4
    /// The first k used: mu_0 ... mu_3 are far from asymptotic.
    static let firstValidatedK = 4
    /// Validation starts this far past the truncation's order a + J.
    static let windowOffset = 2.0
    /// Number of omitted orders whose terms scale the remainder bound.
    static let remainderOrders = 3
    /// The smallest Q_J: the remainder bound is at least twice the next orders' terms.
    static let minimumRemainderFactor = 2.0
    /// The model must already match the top of the window to this relative accuracy.
    static let topAgreement = 1e-3
    /// For k up to k0 + this (k0 the first k evaluated) the value errors are propagated through
    /// d b_j / d S_i exactly; further out the leading term dominates and the triangle
    /// inequality over j is as tight.
    static let exactPropagationRange = 256

    private init(
        expansion: SingularExpansion, window: ClosedRange<Int>, validationMisfit: Double,
        alternative: SingularExpansion, remainderBound: [(exponent: Double, factor: Double)],
        coefficientError: (epsilon: Double, derivatives: [[Double]])
    ) {
        self.expansion = expansion
        self.window = window
        self.validationMisfit = validationMisfit
        self.alternative = alternative
        self.remainderBound = remainderBound
        self.coefficientError = coefficientError
    }

    /// The truncations after b_J for each J in `orders` of the continued expansion of `kernel`
    /// at t = +1 (leading exponent a), each validated against the quadrature values `mu`,
    /// `error` (k = 0...mu.count - 1); models whose validation fails are dropped, and the result
    /// is empty when the kernel has no continuation.
    public static func truncations(
        kernel: some DotProductKernel, exponent a: Double, dimension d: Int,
        mu: [Double], error: [Double],
        orders: [Int] = defaultOrders
    ) -> [ContinuedEndpointTail] {
        guard let (first, derivatives) = EndpointExpansion.continuedSingularFit(of: kernel, exponent: a),
            let second = EndpointExpansion.continuedSingularTerms(
                of: kernel, exponent: a,
                range: EndpointFits.secondRange,
                degree: EndpointFits.secondContinuedDegree)
        else { return [] }
        // Worst-case error of the singular part's values: both branches to the kernel's value
        // accuracy (relative to max |kappa| = kappa(1) for these positive-definite kernels).
        let valueError = 2 * kernel.valueAccuracy * Swift.abs(kernel.value(1, oneMinusT: 0, onePlusT: 2))
        var lower: [SingularExpansion.Term] = []
        var lower2: [SingularExpansion.Term] = []
        if let l = EndpointExpansion.singularTerms(of: kernel, at: .lower, exponent: a),
            let l2 = EndpointExpansion.singularTerms(
                of: kernel, at: .lower, exponent: a,
                range: EndpointFits.secondRange,
                analyticDegree: EndpointFits.secondAnalyticDegree)
        {
            if EndpointFits.isSingular(l, l2, upperLead: Swift.abs(first[0].coefficient)) {
                lower = l
                lower2 = l2
            }
        } else {
            return []
        }
        func accurate(_ tolerance: Double) -> [Int] {
            mu.indices.filter { $0 >= firstValidatedK && mu[$0] != 0 && error[$0] <= tolerance * Swift.abs(mu[$0]) }
        }
        var out: [ContinuedEndpointTail] = []
        for J in orders where J < first.count {
            var window: [Int] = []
            for tolerance in validationTolerances where window.count < minimumWindow {
                window = accurate(tolerance).filter { Double($0) >= a + Double(J) + windowOffset }
            }
            guard let low = window.first, let top = window.last, window.count >= minimumWindow else { continue }
            let model = SingularExpansion(dimension: d, upper: Array(first.prefix(J + 1)), lower: lower)
            let alternative = SingularExpansion(dimension: d, upper: Array(second.prefix(J + 1)), lower: lower2)
            // b_0 and b_1 carry the worst-case propagated value error; the higher coefficients,
            // whose worst-case sensitivities are 1e8 ... 1e12 and far from their actual errors, are
            // covered by the two fits' disagreement.
            let coefficientError = (epsilon: valueError, derivatives: Array(derivatives.prefix(min(J, 1) + 1)))
            let values = model.coefficients(from: low, through: top)
            // The next orders' terms, sum_{J < j <= J + 3} |b_j G_k(d, a + j)|, as the remainder's scale.
            let next = (J + 1)...min(J + remainderOrders, first.count - 1)
            var scale = [Double](repeating: 0, count: top - low + 1)
            for j in next {
                let g = SingularExpansion.gegenbauerCoefficients(
                    ofPower: a + Double(j), dimension: d,
                    from: low, through: top)
                for i in scale.indices { scale[i] += Swift.abs(first[j].coefficient * g[i]) }
            }
            var q = minimumRemainderFactor
            var r = 0.0
            var valid = true
            for k in window {
                let m = values[k - low]
                let sk = scale[k - low]
                guard m.isFinite, m != 0, sk > 0, sk.isFinite else {
                    valid = false
                    break
                }
                q = max(q, (Swift.abs(m - mu[k]) + error[k]) / sk)
                r = max(r, (Swift.abs(m - mu[k]) + error[k]) / Swift.abs(m))
            }
            // The top of the window must already be close (the model is meant for the tail).
            let mTop = values[top - low]
            guard valid, q.isFinite, (Swift.abs(mTop - mu[top]) + error[top]) <= topAgreement * Swift.abs(mTop)
            else { continue }
            out.append(
                ContinuedEndpointTail(
                    expansion: model, window: low...top, validationMisfit: r, alternative: alternative,
                    remainderBound: next.map { (a + Double($0), q * Swift.abs(first[$0].coefficient)) },
                    coefficientError: coefficientError))
        }
        return out
    }

    public func errorEstimates(from k0: Int, through k1: Int, values m: [Double]) -> [Double] {
        var err = m.map { Swift.abs($0) * Self.roundingFloor }
        let (epsilon, derivatives) = coefficientError
        if let a = expansion.upper.first?.exponent {
            // epsilon sum_i |sum_j G_k(d, a + j) d b_j / d S_i|.
            let g = derivatives.indices.map {
                SingularExpansion.gegenbauerCoefficients(
                    ofPower: a + Double($0), dimension: expansion.dimension,
                    from: k0, through: k1)
            }
            let perTerm = derivatives.map { $0.reduce(0) { $0 + Swift.abs($1) } }
            let rows = derivatives.first?.count ?? 0
            for i in err.indices {
                var bound = 0.0
                if i <= Self.exactPropagationRange {
                    for row in 0..<rows {
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
        for bound in remainderBound where bound.factor > 0 {
            let g = SingularExpansion.gegenbauerCoefficients(
                ofPower: bound.exponent, dimension: expansion.dimension,
                from: k0, through: k1)
            for i in err.indices { err[i] += bound.factor * Swift.abs(g[i]) }
        }
        Self.addDisagreement(
            &err, values: m, alternatives: [alternative], weight: Self.disagreementWeight,
            from: k0, through: k1)
        return err
    }
}
