import Foundation

/// A model of the Mercer eigenvalues' tail: the large-k expansion
///
///     mu_k = sum_j c_j G_k(d, a_0 + j) + (-1)^k sum_j c'_j G_k(d, b_0 + j) + R_k
///
/// (G_k in closed form, ``SingularExpansion``), valid from `window.lowerBound` on, with an
/// error estimate at each k that bounds |R_k| plus the coefficients' uncertainty. The models
/// differ in where the coefficients come from and hence in their error estimates:
///
/// * ``ContinuedEndpointTail``: exact singular coefficients at t = +1 from the kernel's
///   continuation in the signed angle, truncated after b_J, with a validated remainder bound;
/// * ``EndpointTail``: coefficients fitted to the kernel next to t = +-1, with a relative
///   remainder validated against quadrature;
/// * ``FittedTail``: coefficients fitted to the eigenvalues, with the least-squares error.
///
/// ``GegenbauerSpectrum`` keeps, at each k, the value with the smallest error estimate.
public protocol AsymptoticTail: Sendable {
    /// The singular terms whose closed-form eigenvalues are the model's values.
    var expansion: SingularExpansion { get }
    /// The k range of the data the model was fitted on or validated against.
    var window: ClosedRange<Int> { get }
    /// The largest misfit on the validation data (relative, or in units of the data's errors
    /// for ``FittedTail``).
    var validationMisfit: Double { get }
    /// Error estimates at k = k0...k1 of the model values `m` (m[i] at k0 + i).
    func errorEstimates(from k0: Int, through k1: Int, values m: [Double]) -> [Double]
}

extension AsymptoticTail {
    /// Model values and error estimates for k in k0...k1.
    public func values(from k0: Int, through k1: Int) -> (mu: [Double], error: [Double]) {
        let m = expansion.coefficients(from: k0, through: k1)
        return (m, errorEstimates(from: k0, through: k1, values: m))
    }

    /// Relative rounding of the closed-form values, added to every model's error estimate.
    static var roundingFloor: Double { 1e-14 }

    /// |m - alternative| at each k, `weight` times, added to `err`: the models' sensitivity to
    /// how their coefficients were obtained.
    static func addDisagreement(
        _ err: inout [Double], values m: [Double], alternatives: [SingularExpansion],
        weight: Double, from k0: Int, through k1: Int
    ) {
        for alt in alternatives {
            let a = alt.coefficients(from: k0, through: k1)
            for i in err.indices { err[i] += weight * Swift.abs(a[i] - m[i]) }
        }
    }
}

/// What the endpoint models share: the second fits, whose disagreement with the first measures
/// the coefficients' uncertainty, and the test whether t = -1 is singular.
enum EndpointFits {
    /// The second fits use kappa(1 -+ y) for y in (0, 3/4] (the first: (0, 1/2]) ...
    static let secondRange = 0.75
    /// ... with analytic degree 7 in t-space (the first: 6) ...
    static let secondAnalyticDegree = 7
    /// ... and degree 14 for the continued fit (the first: 12).
    static let secondContinuedDegree = 14

    /// The lower endpoint t = -1 counts as singular when its leading coefficient stands clear of
    /// the two t-space fits' disagreement (a kernel analytic at t = -1 fits noise there): by
    /// `singularLowerMargin` times that disagreement plus `singularLowerFloor` of the upper lead.
    static let singularLowerMargin = 100.0
    static let singularLowerFloor = 1e-10

    static func isSingular(
        _ lower: [SingularExpansion.Term], _ lower2: [SingularExpansion.Term],
        upperLead: Double
    ) -> Bool {
        let disagreement = Swift.abs(lower[0].coefficient - lower2[0].coefficient)
        return Swift.abs(lower[0].coefficient) > singularLowerMargin * disagreement + singularLowerFloor * upperLead
    }
}
