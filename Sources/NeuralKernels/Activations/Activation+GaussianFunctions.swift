import Foundation

/// Activations built from the Gaussian: erf, GELU and the Gaussian bump, all with closed-form
/// duals (Proofs/erf-gelu-gaussian-duals.md).
extension Activation {
    /// erf(x). Williams (1997):
    ///
    ///     E[erf u erf v]   = (2/pi) asin(2c / sqrt((1 + 2 q1)(1 + 2 q2)))
    ///     E[erf' u erf' v] = (4/pi) / sqrt((1 + 2 q1)(1 + 2 q2) - 4 c^2)
    public static let erf = Activation(
        name: "erf",
        smooth: Branch(value: { Foundation.erf($0) }, derivative: { 2 / Double.pi.squareRoot() * exp(-$0 * $0) }),
        parity: .odd,
        closedForm: GaussianFunctionDuals.erf)

    /// GELU, x Phi(x) with the exact normal distribution function. With
    /// s = sqrt((1 + q1)(1 + q2)), D = s^2 - c^2, kappa = (1 - q1 q2)/s^2:
    ///
    ///     E[phi(u) phi(v)] = c/4 + c asin(c/s)/(2 pi) + (q1 q2 + c^2 kappa) / (2 pi sqrt D)
    ///
    /// (Tsuchida et al. 2021, derived again by Stein's lemma in the Proofs page); the
    /// derivative dual is its c-derivative by Price's theorem.
    public static let gelu = Activation(
        name: "gelu",
        smooth: Branch(
            value: { 0.5 * $0 * Foundation.erfc(-$0 / 2.0.squareRoot()) },
            derivative: { x in
                0.5 * Foundation.erfc(-x / 2.0.squareRoot()) + x * exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            }),
        parity: .neither,
        closedForm: GaussianFunctionDuals.gelu)

    /// The Gaussian bump exp(-x^2/2):
    ///
    ///     E[phi(u) phi(v)]   = 1 / sqrt((1 + q1)(1 + q2) - c^2)
    ///     E[phi'(u) phi'(v)] = c / ((1 + q1)(1 + q2) - c^2)^{3/2}
    public static let gaussian = Activation(
        name: "gaussian",
        smooth: Branch(value: { exp(-0.5 * $0 * $0) }, derivative: { -$0 * exp(-0.5 * $0 * $0) }),
        parity: .even,
        closedForm: GaussianFunctionDuals.gaussian)
}

extension ActivationCatalogue {
    static let gaussianFunctionFamily: [Entry] = [
        Entry("gelu", "x Phi(x), Phi the normal distribution function", .gelu),
        Entry("erf", "erf(x)", .erf),
        Entry("gaussian", "exp(-x^2/2)", .gaussian),
    ]
}
