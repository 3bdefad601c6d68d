import Foundation

/// Closed-form duals of sin and cos, from the characteristic function of the centred pair
/// (u, v) with Var u = q1, Var v = q2, Cov = c (Proofs/trigonometric-duals.md):
///
///     E[sin u sin v] = e^{-(q1 + q2)/2} sinh c,   E[cos u cos v] = e^{-(q1 + q2)/2} cosh c.
///
/// sin' = cos and cos' = -sin, so each activation's derivative dual is the other's NNGP dual.
/// Exact to a few ulps for every admissible (q1, q2, c).
public enum TrigonometricDuals {
    /// E[sin u sin v] = e^{-(q1 + q2)/2} sinh c.
    public static func sinProduct(q1: Double, q2: Double, c: Double) -> Double {
        exp(-0.5 * (q1 + q2)) * sinh(c)
    }

    /// E[cos u cos v] = e^{-(q1 + q2)/2} cosh c.
    public static func cosProduct(q1: Double, q2: Double, c: Double) -> Double {
        exp(-0.5 * (q1 + q2)) * cosh(c)
    }
}
