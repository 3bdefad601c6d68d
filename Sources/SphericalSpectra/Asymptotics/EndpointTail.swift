import Foundation

/// The expansion with coefficients from the kernel's local expansion at t = +1 (and t = -1
/// where the kernel is singular there), ``EndpointExpansion``, checked against the quadrature
/// values where they are accurate.
///
/// Error estimate at k: |M(y0 = 1/2, Ja = J = 6) - M(y0 = 3/4, Ja = 7, J = 6)| (the coefficients'
/// uncertainty) + r |M| + 1e-14 |M|, r the largest (|M - mu| + error)/|M| over the validation
/// window: the top 16 values (of the top half of the range) accurate to 1e-8 (else 1e-6).
/// Taking r as the relative remainder further out assumes |R_k/mu_k| does not grow past the
/// window: true for the omitted singular terms (their ratio to the leading one falls like
/// k^-2 per term) and for the analytic remainder (geometric against algebraic) once
/// k > ((d - 1) + 2a)/log(rho) (Proofs/endpoint-expansion.md).
public struct EndpointTail: AsymptoticTail {
    public let expansion: SingularExpansion
    public let window: ClosedRange<Int>
    /// Largest (|model - data| + error) / |model| on the validation window.
    public let validationMisfit: Double
    /// The same expansion from the second t-space fit (y0 = 3/4, analytic degree 7).
    private let alternative: SingularExpansion
    /// The relative size of the remainder R_k from the window on: `validationMisfit`.
    public var relativeRemainder: Double { validationMisfit }

    /// Relative accuracies asked of the validation values, loosest last.
    static let validationTolerances = [1e-8, 1e-6]
    /// Accurate values needed before the window is taken.
    static let minimumAccurate = 8
    /// The window: at most this many of the accurate values in the top half of the range ...
    static let windowLength = 16
    /// ... and at least this many.
    static let minimumWindow = 4
    /// The first k used: mu_0 ... mu_3 are far from asymptotic.
    static let firstValidatedK = 4
    /// The largest relative misfit on the window for which the model is kept.
    static let largestMisfit = 1e-3

    /// Checks the expansion of `kernel` at its endpoints (leading exponent a) against the
    /// quadrature values `mu`, `error` (k = 0...mu.count - 1). Nil when a fit fails or the model
    /// misses the data by more than 1e-3.
    public init?(kernel: some DotProductKernel, exponent a: Double, dimension d: Int, mu: [Double], error: [Double]) {
        guard let upper = EndpointExpansion.singularTerms(of: kernel, at: .upper, exponent: a),
            let upper2 = EndpointExpansion.singularTerms(
                of: kernel, at: .upper, exponent: a,
                range: EndpointFits.secondRange,
                analyticDegree: EndpointFits.secondAnalyticDegree),
            let lower = EndpointExpansion.singularTerms(of: kernel, at: .lower, exponent: a),
            let lower2 = EndpointExpansion.singularTerms(
                of: kernel, at: .lower, exponent: a,
                range: EndpointFits.secondRange,
                analyticDegree: EndpointFits.secondAnalyticDegree)
        else { return nil }
        let singularBelow = EndpointFits.isSingular(lower, lower2, upperLead: Swift.abs(upper[0].coefficient))
        let model = SingularExpansion(dimension: d, upper: upper, lower: singularBelow ? lower : [])
        let alternative = SingularExpansion(dimension: d, upper: upper2, lower: singularBelow ? lower2 : [])
        var accurate: [Int] = []
        for tolerance in Self.validationTolerances where accurate.count < Self.minimumAccurate {
            accurate = mu.indices.filter {
                $0 >= Self.firstValidatedK && error[$0] <= tolerance * Swift.abs(mu[$0]) && mu[$0] != 0
            }
        }
        guard let top = accurate.last, accurate.count >= Self.minimumAccurate else { return nil }
        let window = Array(accurate.filter { $0 >= top / 2 }.suffix(Self.windowLength))
        guard let low = window.first, window.count >= Self.minimumWindow else { return nil }
        let values = model.coefficients(from: low, through: top)
        var r = 0.0
        for k in window {
            let m = values[k - low]
            guard m != 0, m.isFinite else { return nil }
            r = max(r, (Swift.abs(m - mu[k]) + error[k]) / Swift.abs(m))
        }
        guard r <= Self.largestMisfit else { return nil }
        expansion = model
        self.window = low...top
        validationMisfit = r
        self.alternative = alternative
    }

    public func errorEstimates(from k0: Int, through k1: Int, values m: [Double]) -> [Double] {
        var err = m.map { Swift.abs($0) * Self.roundingFloor }
        for i in err.indices { err[i] += relativeRemainder * Swift.abs(m[i]) }
        Self.addDisagreement(&err, values: m, alternatives: [alternative], weight: 1, from: k0, through: k1)
        return err
    }
}
