import Foundation

/// Closed-form duals of sin and cos, from the characteristic function of the centred pair
/// (u, v) with Var u = q1, Var v = q2, Cov = c (Proofs/trigonometric-duals.md):
///
///     E[sin u sin v] = e^{-(q1 + q2)/2} sinh c,   E[cos u cos v] = e^{-(q1 + q2)/2} cosh c.
///
/// sin' = cos and cos' = -sin, so each activation's derivative dual is the other's NNGP dual.
/// Exact to a few ulps for every admissible (q1, q2, c).
public enum TrigonometricDuals {
    /// The duals of sin: E[sin u sin v] and E[cos u cos v].
    public static let sin = ClosedFormDuals(
        reference: "characteristic function; Proofs/trigonometric-duals.md",
        smoothNNGP: sinProduct, derivative: cosProduct)

    /// The duals of cos: E[cos u cos v] and E[sin u sin v].
    public static let cos = ClosedFormDuals(
        reference: "characteristic function; Proofs/trigonometric-duals.md",
        smoothNNGP: cosProduct, derivative: sinProduct)

    /// E[sin u sin v] = e^{-(q1 + q2)/2} sinh c.
    public static func sinProduct(q1: Double, q2: Double, c: Double) -> Double {
        exp(-0.5 * (q1 + q2)) * sinh(c)
    }

    /// E[cos u cos v] = e^{-(q1 + q2)/2} cosh c.
    public static func cosProduct(q1: Double, q2: Double, c: Double) -> Double {
        exp(-0.5 * (q1 + q2)) * cosh(c)
    }
}
