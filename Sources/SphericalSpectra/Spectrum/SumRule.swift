/// The sum check kappa(1) = sum_k N(d, k) mu_k (Mercer's theorem at x = x'; P_k(1) = 1).
///
/// `residual` = kappa(1) - sum_{k<=kmax} N(d, k) mu_k should be explained by
/// `tailEstimate` (the neglected sum_{k>kmax} N(d, k) mu_k, from the fitted asymptotic
/// expansion: N(d, k) mu_k ~ k^{-1-2a} sums to about kmax N mu_kmax / (2a)) plus
/// `errorSum` = sum_k N(d, k) error_k. Checked in SumRuleTests.
public struct SumRule: Sendable, Equatable {
    public let kernelAtOne: Double
    public let partialSum: Double
    public let residual: Double
    public let tailEstimate: Double
    public let errorSum: Double

    /// Whether the check can say anything: the error bounds and the tail estimate are finite
    /// and together below kappa(1). In high dimension N(d, k) grows like k^{d-2}, so values at
    /// quadrature's rounding floor weighted by it swamp kappa(1) (d = 4096: error sum 1e195).
    public var isCheckable: Bool {
        errorSum.isFinite && tailEstimate.isFinite && errorSum + Swift.abs(tailEstimate) <= Swift.abs(kernelAtOne)
    }

    public init(kernelAtOne: Double, partialSum: Double, tailEstimate: Double, errorSum: Double) {
        self.kernelAtOne = kernelAtOne
        self.partialSum = partialSum
        self.residual = kernelAtOne - partialSum
        self.tailEstimate = tailEstimate
        self.errorSum = errorSum
    }
}
