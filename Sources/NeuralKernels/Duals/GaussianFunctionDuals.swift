import Foundation

/// Closed-form duals of the activations built from the Gaussian: erf, GELU and the Gaussian
/// bump exp(-x^2/2), for a centred pair with Var u = q1, Var v = q2, Cov(u, v) = c
/// (Proofs/erf-gelu-gaussian-duals.md). All are smooth in (q1, q2, c) up to rho = +-1, so they
/// are written in the second moments alone; each is a few elementary functions, accurate to
/// a few ulps.
public enum GaussianFunctionDuals {
    /// The duals of erf.
    public static let erf = ClosedFormDuals(
        reference: "Williams (1997); Proofs/erf-gelu-gaussian-duals.md",
        smoothNNGP: erfNNGP, derivative: erfDerivative)

    /// The duals of GELU.
    public static let gelu = ClosedFormDuals(
        reference: "Tsuchida, Pearce, van der Heide, Roosta, Gallagher (2021); Proofs/erf-gelu-gaussian-duals.md",
        smoothNNGP: geluNNGP, derivative: geluDerivative)

    /// The duals of the Gaussian bump.
    public static let gaussian = ClosedFormDuals(
        reference: "Gaussian integral of exp(-(u^2+v^2)/2); Proofs/erf-gelu-gaussian-duals.md",
        smoothNNGP: gaussianNNGP, derivative: gaussianDerivative)

    /// Williams (1997): E[erf u erf v] = (2/pi) asin(2c / sqrt((1 + 2 q1)(1 + 2 q2))).
    public static func erfNNGP(q1: Double, q2: Double, c: Double) -> Double {
        let s = ((1 + 2 * q1) * (1 + 2 * q2)).squareRoot()
        return 2 / Double.pi * asin(min(1, max(-1, 2 * c / s)))
    }

    /// E[erf' u erf' v] = (4/pi) / sqrt((1 + 2 q1)(1 + 2 q2) - 4 c^2), the c-derivative of
    /// ``erfNNGP(q1:q2:c:)`` (Price's theorem).
    public static func erfDerivative(q1: Double, q2: Double, c: Double) -> Double {
        4 / Double.pi / ((1 + 2 * q1) * (1 + 2 * q2) - 4 * c * c).squareRoot()
    }

    /// GELU, x Phi(x). With s = sqrt((1 + q1)(1 + q2)), D = s^2 - c^2, kappa = (1 - q1 q2)/s^2:
    ///
    ///     E[phi(u) phi(v)] = c/4 + c asin(c/s)/(2 pi) + (q1 q2 + c^2 kappa) / (2 pi sqrt D)
    ///
    /// (Tsuchida, Pearce, van der Heide, Roosta, Gallagher 2021; derived again by Stein's lemma
    /// in the Proofs page).
    public static func geluNNGP(q1: Double, q2: Double, c: Double) -> Double {
        let s2 = (1 + q1) * (1 + q2)
        let s = s2.squareRoot()
        let d = (s - c) * (s + c)
        let kappa = (1 - q1 * q2) / s2
        return c / 4 + c * asin(min(1, max(-1, c / s))) / (2 * Double.pi)
            + (q1 * q2 + c * c * kappa) / (2 * Double.pi * d.squareRoot())
    }

    /// E[phi'(u) phi'(v)] for GELU: the c-derivative of ``geluNNGP(q1:q2:c:)`` (Price's theorem),
    ///
    ///     1/4 + asin(c/s)/(2 pi) + (c + 2 c kappa + n c / D) / (2 pi sqrt D),  n = q1 q2 + c^2 kappa.
    public static func geluDerivative(q1: Double, q2: Double, c: Double) -> Double {
        let s2 = (1 + q1) * (1 + q2)
        let s = s2.squareRoot()
        let d = (s - c) * (s + c)
        let kappa = (1 - q1 * q2) / s2
        let n = q1 * q2 + c * c * kappa
        return 0.25 + asin(min(1, max(-1, c / s))) / (2 * Double.pi)
            + (c + 2 * c * kappa + n * c / d) / (2 * Double.pi * d.squareRoot())
    }

    /// The Gaussian bump: E[phi(u) phi(v)] = 1 / sqrt((1 + q1)(1 + q2) - c^2).
    public static func gaussianNNGP(q1: Double, q2: Double, c: Double) -> Double {
        1 / ((1 + q1) * (1 + q2) - c * c).squareRoot()
    }

    /// E[phi'(u) phi'(v)] = c / ((1 + q1)(1 + q2) - c^2)^{3/2} for the Gaussian bump.
    public static func gaussianDerivative(q1: Double, q2: Double, c: Double) -> Double {
        let d = (1 + q1) * (1 + q2) - c * c
        return c / (d * d.squareRoot())
    }
}
