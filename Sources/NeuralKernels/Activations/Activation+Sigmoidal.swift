import Foundation

/// Smooth activations without closed-form duals: tanh, sigmoid, softplus, SiLU, Mish.
/// Their duals come from the wedge quadrature.
extension Activation {
    public static let tanh = Activation(
        name: "tanh",
        smooth: Branch(
            value: { Foundation.tanh($0) },
            derivative: {
                let c = Foundation.cosh($0)
                return 1 / (c * c)
            }),
        parity: .odd)

    /// The logistic function 1 / (1 + e^{-x}).
    public static let sigmoid = Activation(
        name: "sigmoid",
        smooth: Branch(
            value: logistic,
            derivative: {
                let s = logistic($0)
                return s * (1 - s)
            }),
        parity: .neither)

    /// softplus(beta): log(1 + e^{beta x}) / beta, computed without overflow.
    public static func softplus(_ beta: Double = 1) -> Activation {
        Activation(
            name: "softplus(\(formatParameter(beta)))",
            smooth: Branch(value: { softplusValue(beta * $0) / beta }, derivative: { logistic(beta * $0) }),
            parity: .neither)
    }

    /// SiLU (swish), x sigmoid(x).
    public static let silu = Activation(
        name: "silu",
        smooth: Branch(
            value: { $0 * logistic($0) },
            derivative: { x in
                let s = logistic(x)
                return s * (1 + x * (1 - s))
            }),
        parity: .neither)

    /// Mish, x tanh(softplus(x)).
    public static let mish = Activation(
        name: "mish",
        smooth: Branch(
            value: { $0 * Foundation.tanh(softplusValue($0)) },
            derivative: { x in
                let t = Foundation.tanh(softplusValue(x))
                return t + x * (1 - t * t) * logistic(x)
            }),
        parity: .neither)
}

@inline(__always) @Sendable func logistic(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}

/// log(1 + e^x) without overflow or cancellation.
@inline(__always) func softplusValue(_ x: Double) -> Double {
    x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
}

extension ActivationCatalogue {
    static let sigmoidalFamily: [Entry] = [
        Entry("tanh", "tanh(x)", .tanh),
        Entry("sigmoid", "1 / (1 + e^{-x})", .sigmoid),
        Entry(
            "softplus", positive: "beta", "log(1 + e^{beta x}) / beta (beta 1 if not given)",
            examples: ["softplus(1)"]
        ) { .softplus($0) },
        Entry("silu", "x / (1 + e^{-x}) (swish)", .silu),
        Entry("mish", "x tanh(log(1 + e^x))", .mish),
    ]
}
