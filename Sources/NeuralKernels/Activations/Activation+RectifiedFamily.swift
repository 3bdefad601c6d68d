import Foundation

/// The positively homogeneous activations: ReLU, LeakyReLU, Abs, step, ReLU^p, identity.
///
/// All are combinations phi(x) = a relu(x)^p + b relu(-x)^p, so their duals are combinations
/// of the arc-cosine kernels of Cho & Saul (2009) (see ``ArcCosine`` and
/// Proofs/arc-cosine-kernels.md). Like Neural Tangents' `ABRelu`, the family is one
/// constructor with named special cases.
extension Activation {
    /// ReLU, max(x, 0). Non-smooth of degree 1 (jump 1 in phi').
    public static let relu = rectifiedMonomial(power: 1, name: "relu")

    /// Heaviside step, 1 for x >= 0 and 0 for x < 0 (discontinuous: degree 0).
    ///
    /// Its derivative is 0 almost everywhere, so its NTK derivative dual is taken as 0,
    /// as Neural Tangents does for `Sign`.
    public static let step = rectifiedMonomial(power: 0, name: "step")

    /// The rectified monomial max(x, 0)^p, whose NNGP dual is the arc-cosine kernel of
    /// order p. Non-smooth of degree p with jump p! in the p-th derivative.
    public static func reluPower(_ p: Int) -> Activation {
        rectifiedMonomial(power: p, name: "relu_pow(\(p))")
    }

    /// LeakyReLU: x for x >= 0, `slope` * x for x < 0.
    public static func leakyReLU(_ slope: Double) -> Activation {
        piecewiseLinear(negativeSlope: slope, name: "leaky_relu(\(formatParameter(slope)))")
    }

    /// |x|: even, non-smooth of degree 1 with jump 2 in phi'.
    public static let abs = piecewiseLinear(negativeSlope: -1, name: "abs")

    /// Hardtanh, clip(x, -1, 1): kinks of degree 1 (jump -+1 in phi') at x = -1 and 1.
    /// Duals in closed form (``PiecewiseLinearDuals``: rectangle moments of the bivariate normal).
    public static let hardtanh = try! piecewise(pieces: [(nil, "-1"), (-1, "x"), (1, "1")], name: "hardtanh")

    /// ReLU6, min(max(x, 0), 6): kinks of degree 1 at x = 0 and 6.
    public static let relu6 = try! piecewise(pieces: [(nil, "0"), (0, "x"), (6, "6")], name: "relu6")

    /// The identity x (a polynomial of degree 1, odd).
    public static let identity = Activation(
        name: "identity", smooth: .monomial(1, 1), regularity: .polynomial(degree: 1),
        parity: .odd,
        closedForm: ClosedFormDuals(
            reference: "E[uv] = c", smoothNNGP: { _, _, c in c },
            derivative: { _, _, _ in 1 }, secondDerivative: ClosedFormDuals.affineSecondDerivative),
        homogeneity: 1)

    static func rectifiedMonomial(power p: Int, name: String) -> Activation {
        precondition(p >= 0, "relu_pow needs p >= 0")
        let factorial = (1...max(p, 1)).reduce(1.0) { $0 * Double($1) }
        return Activation(
            name: name,
            negative: .monomial(0, 0),
            positive: .monomial(1, p),
            regularity: .kink(degree: p, jump: factorial),
            parity: .neither,
            closedForm: ClosedFormDuals(
                reference: "Cho & Saul (2009), arc-cosine kernel of order \(p); Proofs/arc-cosine-kernels.md",
                nngp: { ArcCosine.expectation(order: p, $0) },
                derivative: { p == 0 ? 0 : Double(p * p) * ArcCosine.expectation(order: p - 1, $0) },
                nngpOddPart: { ArcCosine.oddPart(order: p, $0) },
                derivativeOddPart: { p == 0 ? 0 : Double(p * p) * ArcCosine.oddPart(order: p - 1, $0) },
                secondDerivative: p == 1 ? ClosedFormDuals.kinkSecondDerivative(jump: 1) : nil),
            homogeneity: p)
    }

    /// x for x >= 0, a x for x < 0, written as (1 - a) relu(x) + a x.
    ///
    ///     E[phi(u) phi(v)]   = (1 - a)^2 k1(u, v) + a c
    ///     E[phi'(u) phi'(v)] = (1 - a)^2 k0(u, v) + a
    ///
    /// with k_n the arc-cosine expectations (Proofs/arc-cosine-kernels.md).
    static func piecewiseLinear(negativeSlope a: Double, name: String) -> Activation {
        let parity: Parity = a == -1 ? .even : (a == 1 ? .odd : .neither)
        let regularity: Regularity = a == 1 ? .polynomial(degree: 1) : .kink(degree: 1, jump: 1 - a)
        let secondDerivative: @Sendable (GaussianPair) -> Double =
            a == 1 ? ClosedFormDuals.affineSecondDerivative : ClosedFormDuals.kinkSecondDerivative(jump: 1 - a)
        return Activation(
            name: name,
            negative: .monomial(a, 1),
            positive: .monomial(1, 1),
            regularity: regularity,
            parity: parity,
            closedForm: ClosedFormDuals(
                reference: "leaky ReLU as (1-a) relu + a x; Proofs/arc-cosine-kernels.md",
                nngp: { (1 - a) * (1 - a) * ArcCosine.expectation(order: 1, $0) + a * $0.c },
                derivative: { (1 - a) * (1 - a) * ArcCosine.expectation(order: 0, $0) + a },
                nngpOddPart: { (1 - a) * (1 - a) * ArcCosine.oddPart(order: 1, $0) },
                derivativeOddPart: { (1 - a) * (1 - a) * ArcCosine.oddPart(order: 0, $0) },
                secondDerivative: secondDerivative),
            homogeneity: 1)
    }
}

/// Formats an activation parameter the way the catalogue prints it: shortest round-trip form.
func formatParameter(_ x: Double) -> String {
    if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
}

extension ActivationCatalogue {
    static let rectifiedFamily: [Entry] = [
        Entry("relu", "max(x, 0)", .relu),
        Entry(
            "leaky_relu", parameters: ["slope"], "x for x >= 0, slope x for x < 0 (slope 0.01 if not given)",
            examples: ["leaky_relu(0.2)"]
        ) { p in
            try count("leaky_relu", p, 0...1, "one slope, e.g. leaky_relu(0.2)")
            return .leakyReLU(p.first ?? 0.01)
        },
        Entry("abs", "|x|", .abs),
        Entry("hardtanh", "clip(x, -1, 1)", .hardtanh),
        Entry("relu6", "min(max(x, 0), 6)", .relu6),
        Entry("step", "1 for x >= 0, 0 for x < 0", .step),
        Entry(
            "relu_pow", parameters: ["p"], "max(x, 0)^p, integer 0 <= p <= 20",
            examples: ["relu_pow(2)", "relu_pow(3)"]
        ) { p in
            try count("relu_pow", p, 1...1, "one integer power p >= 0, e.g. relu_pow(2)")
            guard p[0] >= 0, p[0] == p[0].rounded(), p[0] <= 20 else {
                throw KernelError.invalidActivationParameters(
                    name: "relu_pow", given: "\(p[0])", expected: "an integer power 0 <= p <= 20")
            }
            return .reluPower(Int(p[0]))
        },
        Entry("identity", "x", .identity),
    ]
}
