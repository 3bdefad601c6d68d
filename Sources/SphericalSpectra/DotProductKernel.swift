/// A dot-product kernel kappa(<x, x'>) on the unit sphere S^{d-1}, evaluated as a function of
/// t = <x, x'> in [-1, 1].
///
/// The Funk-Hecke quadrature samples kappa at t = 1 - 2u^2 and t = -1 + 2u^2, where 1 - t
/// (or 1 + t) = 2u^2 is exact while t itself is rounded; kernels singular at t = +-1 should
/// use the exact `oneMinusT` / `onePlusT` (for example sqrt(1 - t)), so that the integrand
/// stays accurate to the last digit next to the endpoints.
public protocol DotProductKernel: Sendable {
    /// kappa(t), with 1 - t and 1 + t given exactly.
    func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double
    /// A short human-readable name.
    var name: String { get }
    /// Relative accuracy of `value`, as a fraction of max |kappa| (defaults to 4 ulps).
    var valueAccuracy: Double { get }
    /// What the kernel's structure predicts for the decay of mu_k (defaults to `.unknown`).
    var predictedDecay: PredictedDecay { get }
    /// The prediction for even and odd k separately (defaults to `predictedDecay` for both).
    var parityDecay: ParityDecay { get }
    /// The kernel's Maclaurin series in t when known in closed form with non-negative
    /// coefficients (entire kernels such as the Gaussian); nil otherwise (the default).
    var maclaurinSeries: MaclaurinSeries? { get }
    /// The singular part y^a B(y) = sum_j b_j (1 - t)^{a + j} of kappa at t = 1 - y, computed
    /// exactly as the odd part (K(theta) - K(-theta))/2 of the kernel's analytic continuation in
    /// the signed angle theta (Proofs/endpoint-expansion.md); nil (the default) when the kernel
    /// cannot be continued, and then ``EndpointExpansion`` fits the singular terms in t-space.
    func upperSingularPart(oneMinusT y: Double) -> Double?
}

extension DotProductKernel {
    public var valueAccuracy: Double { 4 * Double.ulpOfOne }
    public func upperSingularPart(oneMinusT y: Double) -> Double? { nil }
    public var predictedDecay: PredictedDecay { .unknown }
    public var maclaurinSeries: MaclaurinSeries? { nil }
    public var parityDecay: ParityDecay {
        .same(predictedDecay, reason: "no parity structure is known for this kernel; both parities are predicted alike")
    }
    /// kappa(t).
    public func callAsFunction(_ t: Double) -> Double { value(t, oneMinusT: 1 - t, onePlusT: 1 + t) }
}
