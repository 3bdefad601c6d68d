import Foundation

/// ELU, SELU and CELU: x for x >= 0 and a scaled exponential for x < 0.
///
/// Their duals are the closed forms of Tsuchida et al. (2021) (``ExponentialLinearDuals``,
/// with the bivariate normal distribution function); the wedge quadrature cross-checks them.
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
            regularity: regularity, parity: .neither,
            closedForm: ClosedFormDuals(
                reference: "Tsuchida et al. (2021); Proofs/elu-family-duals.md", isCheap: false,
                nngp: { ExponentialLinearDuals.nngp($0, alpha: alpha) },
                derivative: { ExponentialLinearDuals.derivative($0, alpha: alpha) },
                nngpOddPart: { ExponentialLinearDuals.nngpOddPart($0, alpha: alpha) },
                derivativeOddPart: { ExponentialLinearDuals.derivativeOddPart($0, alpha: alpha) },
                jet: { ExponentialLinearDuals.jet($0, alpha: alpha) }))
    }

    /// SELU: lambda * ELU(alpha) with the self-normalising constants; degree 1, jump lambda (1 - alpha).
    public static let selu: Activation = {
        let l = seluLambda
        let a = seluAlpha
        return Activation(
            name: "selu",
            negative: Branch(value: { l * a * expm1($0) }, derivative: { l * a * exp($0) }),
            positive: .monomial(l, 1),
            regularity: .kink(degree: 1, jump: l * (1 - a)), parity: .neither,
            closedForm: ClosedFormDuals(
                reference: "lambda^2 times the ELU(alpha) duals; Proofs/elu-family-duals.md", isCheap: false,
                nngp: { l * l * ExponentialLinearDuals.nngp($0, alpha: a) },
                derivative: { l * l * ExponentialLinearDuals.derivative($0, alpha: a) },
                nngpOddPart: { l * l * ExponentialLinearDuals.nngpOddPart($0, alpha: a) },
                derivativeOddPart: { l * l * ExponentialLinearDuals.derivativeOddPart($0, alpha: a) },
                jet: { ExponentialLinearDuals.jet($0, alpha: a)?.scaled(by: l * l) }))
    }()

    /// CELU(alpha): x for x >= 0, alpha (e^{x/alpha} - 1) for x < 0. Always C^1; the second
    /// derivative jumps by -1/alpha.
    public static func celu(_ alpha: Double = 1) -> Activation {
        // CELU(alpha)(x) = alpha ELU(1)(x/alpha): the duals at the pair scaled by 1/alpha^2.
        let s = alpha * alpha
        @Sendable func scaled(_ p: GaussianPair) -> GaussianPair {
            GaussianPair(q1: p.q1 / s, q2: p.q2 / s, c: p.c / s, angle: p.angle)
        }
        return Activation(
            name: "celu(\(formatParameter(alpha)))",
            negative: Branch(value: { alpha * expm1($0 / alpha) }, derivative: { exp($0 / alpha) }),
            positive: .monomial(1, 1),
            regularity: .kink(degree: 2, jump: -1 / alpha), parity: .neither,
            closedForm: ClosedFormDuals(
                reference: "CELU(alpha)(x) = alpha ELU(1)(x/alpha); Proofs/elu-family-duals.md", isCheap: false,
                nngp: { s * ExponentialLinearDuals.nngp(scaled($0), alpha: 1) },
                derivative: { ExponentialLinearDuals.derivative(scaled($0), alpha: 1) },
                nngpOddPart: { s * ExponentialLinearDuals.nngpOddPart(scaled($0), alpha: 1) },
                derivativeOddPart: { ExponentialLinearDuals.derivativeOddPart(scaled($0), alpha: 1) },
                jet: { ExponentialLinearDuals.jet(scaled($0), alpha: 1)?.argumentsScaled(by: s) }))
    }
}

extension ActivationCatalogue {
    static let exponentialLinearFamily: [Entry] = [
        Entry(
            "elu", positive: "alpha", "x for x >= 0, alpha (e^x - 1) for x < 0 (alpha 1 if not given)",
            examples: ["elu(1)", "elu(0.5)"]
        ) { .elu($0) },
        Entry("selu", "lambda elu(alpha)(x) with the self-normalising constants of Klambauer et al. (2017)", .selu),
        Entry(
            "celu", positive: "alpha", "x for x >= 0, alpha (e^{x/alpha} - 1) for x < 0 (alpha 1 if not given)",
            examples: ["celu(2)"]
        ) { .celu($0) },
    ]
}
