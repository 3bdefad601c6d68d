import Foundation

/// sin and cos, whose duals follow from the characteristic function of (u, v):
///
///     E[sin u sin v] = e^{-(q1 + q2)/2} sinh c,   E[cos u cos v] = e^{-(q1 + q2)/2} cosh c.
///
/// (Proofs/trigonometric-duals.md.)
extension Activation {
    public static let sin = Activation(
        name: "sin",
        smooth: Branch(value: { Foundation.sin($0) }, derivative: { Foundation.cos($0) }),
        parity: .odd,
        closedForm: ClosedFormDuals(
            reference: "characteristic function; Proofs/trigonometric-duals.md",
            smoothNNGP: { q1, q2, c in exp(-0.5 * (q1 + q2)) * sinh(c) },
            derivative: { q1, q2, c in exp(-0.5 * (q1 + q2)) * cosh(c) }))

    public static let cos = Activation(
        name: "cos",
        smooth: Branch(value: { Foundation.cos($0) }, derivative: { -Foundation.sin($0) }),
        parity: .even,
        closedForm: ClosedFormDuals(
            reference: "characteristic function; Proofs/trigonometric-duals.md",
            smoothNNGP: { q1, q2, c in exp(-0.5 * (q1 + q2)) * cosh(c) },
            derivative: { q1, q2, c in exp(-0.5 * (q1 + q2)) * sinh(c) }))
}
