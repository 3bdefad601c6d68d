import Foundation

/// ELU, SELU and CELU: x for x >= 0 and a scaled exponential for x < 0.
///
/// Their duals go through the wedge quadrature (exact in structure); the closed forms of
/// Tsuchida et al. (2021) use the bivariate normal distribution function and serve as a
/// cross-check in the tests.
extension Activation {
    /// SELU constants of Klambauer et al. (2017).
    public static let seluLambda = 1.0507009873554804934193349852946
    public static let seluAlpha = 1.6732632423543772848170429916717

    /// ELU(alpha): x for x >= 0, alpha (e^x - 1) for x < 0. C^1 only when alpha = 1.
    public static func elu(_ alpha: Double = 1) -> Activation {
        let regularity: Regularity = alpha == 1 ? .kink(degree: 2, jump: -1) : .kink(degree: 1, jump: 1 - alpha)
        return Activation(
            name: "elu(\(formatParameter(alpha)))",
            negative: Branch(value: { alpha * expm1($0) }, derivative: { alpha * exp($0) }),
            positive: .monomial(1, 1),
            regularity: regularity, parity: .neither)
    }

    /// SELU: lambda * ELU(alpha) with the self-normalising constants; degree 1, jump lambda (1 - alpha).
    public static let selu: Activation = {
        let l = seluLambda, a = seluAlpha
        return Activation(
            name: "selu",
            negative: Branch(value: { l * a * expm1($0) }, derivative: { l * a * exp($0) }),
            positive: .monomial(l, 1),
            regularity: .kink(degree: 1, jump: l * (1 - a)), parity: .neither)
    }()

    /// CELU(alpha): x for x >= 0, alpha (e^{x/alpha} - 1) for x < 0. Always C^1; the second
    /// derivative jumps by -1/alpha.
    public static func celu(_ alpha: Double = 1) -> Activation {
        Activation(
            name: "celu(\(formatParameter(alpha)))",
            negative: Branch(value: { alpha * expm1($0 / alpha) }, derivative: { exp($0 / alpha) }),
            positive: .monomial(1, 1),
            regularity: .kink(degree: 2, jump: -1 / alpha), parity: .neither)
    }
}
