/// What a kernel's structure predicts for its Mercer eigenvalues on S^{d-1} (design.md §2).
///
/// If kappa(t) = analytic + c_+ (1 - t)^a + ... near t = 1 (a not an integer), then
///
///     mu_k ~ C(d, a) c_+ k^{-(d-1) - 2a}        (Proofs/gegenbauer-coefficients-of-singular-terms.md)
///
/// and the RKHS is the Sobolev space H^s(S^{d-1}) with s = (d - 1)/2 + a.
public enum PredictedDecay: Sendable, Equatable {
    /// kappa is a polynomial of this degree in t: mu_k = 0 for k > degree.
    case finiteRank(degree: Int)
    /// Identically zero (used for one parity of a kernel: e.g. the even k of an odd kernel).
    case vanishing
    /// kappa is analytic on [-1, 1]: mu_k decays faster than any power.
    case superPolynomial
    /// Leading singular exponent a at t = +1 (as above).
    case algebraic(a: Double)
    /// Nothing is known in advance.
    case unknown

    /// The predicted decay exponent p (mu_k ~ k^-p) on S^{d-1}, when algebraic.
    public func exponent(dimension d: Int) -> Double? {
        if case .algebraic(let a) = self { return Double(d - 1) + 2 * a }
        return nil
    }

    /// The Sobolev order s = (d - 1)/2 + a of the RKHS, when algebraic.
    public func sobolevOrder(dimension d: Int) -> Double? {
        if case .algebraic(let a) = self { return Double(d - 1) / 2 + a }
        return nil
    }
}

extension PredictedDecay {
    /// One phrase: "k^-4.0000", "super-polynomial", "zero beyond k = 3", "identically zero", "unknown".
    public func summary(dimension d: Int) -> String {
        switch self {
        case .algebraic: return String(format: "k^-%.4f", exponent(dimension: d)!)
        case .superPolynomial: return "super-polynomial"
        case .finiteRank(let p): return "zero beyond k = \(p)"
        case .vanishing: return "identically zero"
        case .unknown: return "unknown"
        }
    }
}
