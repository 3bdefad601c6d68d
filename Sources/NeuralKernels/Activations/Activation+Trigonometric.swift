import Foundation

/// sin and cos, whose duals follow from the characteristic function of (u, v)
/// (``TrigonometricDuals``, Proofs/trigonometric-duals.md):
///
///     E[sin u sin v] = e^{-(q1 + q2)/2} sinh c,   E[cos u cos v] = e^{-(q1 + q2)/2} cosh c.
extension Activation {
    public static let sin = Activation(
        name: "sin",
        smooth: Branch(value: { Foundation.sin($0) }, derivative: { Foundation.cos($0) }),
        parity: .odd,
        closedForm: TrigonometricDuals.sin)

    public static let cos = Activation(
        name: "cos",
        smooth: Branch(value: { Foundation.cos($0) }, derivative: { -Foundation.sin($0) }),
        parity: .even,
        closedForm: TrigonometricDuals.cos)
}

extension ActivationCatalogue {
    static let trigonometricFamily: [Entry] = [
        Entry("sin", "sin(x)", .sin),
        Entry("cos", "cos(x)", .cos),
    ]
}
