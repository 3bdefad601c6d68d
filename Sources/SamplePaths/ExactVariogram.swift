import Foundation
import NeuralKernels

/// The exact expected p-th order variogram of a stationary Gaussian process on the circle,
/// computed from its covariance without sampling (the "theory" curve):
///
///     V(h) = E[(Delta_h^p x)^2] = sum_{r=-p}^{p} (-1)^r binom(2p, p + r) C(r h)
///          = -sum_{r=-p}^{p} (-1)^r binom(2p, p + r) D(|r| h),     D(theta) = C(0) - C(theta)
///
/// (the weights sum to 0, so only the deficit D matters). If C(h) = C(0) - c|h|^{2a} + even
/// polynomial + o(|h|^{2a}) then V(h) = K_{p,a} h^{2a} + O(h^{2p}) + o(h^{2a})
/// (Proofs/quadratic-variation-estimator.md). `error` bounds the round-off of the sum from
/// the stated per-evaluation error of D; where it is not small against V, V is unresolved.
public struct ExactVariogram: Sendable {
    public let order: Int
    private let deficit: @Sendable (Double) -> Double
    private let deficitError: @Sendable (Double, Double) -> Double

    /// `deficit(theta)` = C(0) - C(theta); `deficitError(theta, value)` bounds its absolute error.
    public init(
        order: Int, deficit: @escaping @Sendable (Double) -> Double,
        deficitError: @escaping @Sendable (Double, Double) -> Double
    ) {
        self.order = order
        self.deficit = deficit
        self.deficitError = deficitError
    }

    /// From covariance values C(theta) by subtraction: each D carries ~ 4 eps |C(0)|.
    public init(order: Int, covariance: @escaping @Sendable (Double) -> Double) {
        let c0 = covariance(0)
        self.init(
            order: order, deficit: { c0 - covariance($0) },
            deficitError: { _, _ in 4 * Double.ulpOfOne * Swift.abs(c0) })
    }

    /// The NNGP (through ``SphereDeficit``, full relative accuracy) or the NTK (by
    /// subtraction; its paths are rough, a = m - 1/2, so the floor is far below V) of `sphere`.
    public init(order: Int, sphere: SphereKernel, kind: KernelKind) {
        if kind == .nngp {
            let d = SphereDeficit(sphere)
            // Relative accuracy of the deficit recursion: a few hundred ulps through the layers.
            self.init(
                order: order, deficit: { d.nngp(theta: $0) },
                deficitError: { _, value in 1e-13 * Swift.abs(value) + 1e-300 })
        } else {
            self.init(order: order) { theta in
                let s = sin(0.5 * theta)
                let c = cos(0.5 * theta)
                return sphere.values(cos(theta), oneMinusT: 2 * s * s, onePlusT: 2 * c * c).ntk
            }
        }
    }

    /// V at step h (radians) with a bound on its round-off error.
    public func callAsFunction(step h: Double) -> (value: Double, error: Double) {
        let w = PeriodicDifferences(order: order).covarianceWeights
        var value = 0.0
        var error = 0.0
        for r in 1...order {
            let d = deficit(Double(r) * h)
            // r and -r contribute equally.
            value -= 2 * w[order + r] * d
            error += 2 * Swift.abs(w[order + r]) * (deficitError(Double(r) * h, d) + Double.ulpOfOne * Swift.abs(d))
        }
        return (value, error)
    }
}
