import Foundation

/// Closed-form dual maps of ELU(alpha) (Tsuchida, Pearce, van der Heide, Roosta, Gallagher,
/// "Avoiding kernel fixed points: computing with ELU and GELU infinite networks", AAAI 2021),
/// derived again in Proofs/elu-family-duals.md, for a general Gaussian pair:
///
///     E[phi(u) phi(v)] = E[uv; u>0, v>0]
///                      + alpha (E[u e^v; u>0, v<0] - E[u; u>0, v<0]) + (u <-> v)
///                      + alpha^2 (E[e^{u+v}; u<0, v<0] - E[e^u; ..] - E[e^v; ..] + P(u<0, v<0))
///
/// with every term reduced by exponential tilting (E[e^v F(u, v)] = e^{q2/2} E[F(u + c, v + q2)])
/// and Stein's lemma to arc-cosine kernels, univariate normal functions and the bivariate
/// normal distribution function ``BivariateNormal``. SELU and CELU follow by scaling.
public enum ExponentialLinearDuals {
    /// E[u; u > a, v < b] by Stein's lemma:
    /// q1 p_u(a) P(v < b | u = a) - c p_v(b) P(u > a | v = b).
    ///
    /// The conditional offsets b - c a/q1 and c b/q2 - a are passed in closed form by the
    /// callers (for the thresholds used they are -q2 sin^2 theta, 0, ...): formed by
    /// subtraction they would cancel near rho = +-1, where they are divided by the vanishing
    /// conditional spread.
    static func truncatedMean(_ p: GaussianPair, a: Double, b: Double,
                              vOffset: Double, uOffset: Double) -> Double {
        let s1 = p.q1.squareRoot(), s2 = p.q2.squareRoot()
        let sine = p.angle.sine
        let condV = s2 * sine, condU = s1 * sine        // conditional standard deviations
        let pa = exp(-0.5 * a * a / p.q1) / (s1 * (2 * Double.pi).squareRoot())
        let pb = exp(-0.5 * b * b / p.q2) / (s2 * (2 * Double.pi).squareRoot())
        return p.q1 * pa * cdfLimit(vOffset, condV) - p.c * pb * cdfLimit(uOffset, condU)
    }

    /// E[u; u > -c, v < -q2]: offsets b - c a/q1 = -q2 sin^2 theta and c b/q2 - a = 0.
    static func tiltedTruncatedMean(_ p: GaussianPair) -> Double {
        let sine = p.angle.sine
        return truncatedMean(p, a: -p.c, b: -p.q2, vOffset: -p.q2 * sine * sine, uOffset: 0)
    }

    /// Phi(x / s), with its limits when the conditional spread s vanishes (rho = +-1).
    static func cdfLimit(_ x: Double, _ s: Double) -> Double {
        if s > 0 { return BivariateNormal.phi(x / s) }
        return x > 0 ? 1 : (x < 0 ? 0 : 0.5)
    }

    /// P(u < a, v < b) for the pair, through the standardised bivariate normal. `logWeight`:
    /// the log of the factor the caller multiplies it by; relative to the dual's scale
    /// sqrt(q1 q2) it tells the bivariate normal how much absolute accuracy is needed.
    static func lower(_ p: GaussianPair, _ a: Double, _ b: Double, logWeight: Double) -> Double {
        let weight = exp(logWeight) / max(1, (p.q1 * p.q2).squareRoot())
        return BivariateNormal.cdf(a / p.q1.squareRoot(), b / p.q2.squareRoot(), angle: p.angle, weight: weight)
    }

    /// P(u > a, v < b) = P(-u < -a, v < b): the pair (-u, v) has the negated correlation, so
    /// no subtraction (which would cancel in the tails).
    static func upperLower(_ p: GaussianPair, _ a: Double, _ b: Double, logWeight: Double) -> Double {
        let weight = exp(logWeight) / max(1, (p.q1 * p.q2).squareRoot())
        return BivariateNormal.cdf(-a / p.q1.squareRoot(), b / p.q2.squareRoot(), angle: p.angle.negated, weight: weight)
    }

    /// E[ELU_alpha(u) ELU_alpha(v)].
    public static func nngp(_ p: GaussianPair, alpha: Double) -> Double {
        if p.q1 <= 0 || p.q2 <= 0 { return DualActivation(.elu(alpha)).nngpByQuadrature(p) }
        let q1 = p.q1, q2 = p.q2, c = p.c
        let positive = ArcCosine.expectation(order: 1, p)
        // E[u e^v; u>0, v<0] = e^{q2/2} (E[u; u > -c, v < -q2] + c P(u > -c, v < -q2)).
        let uExpV = exp(0.5 * q2) * (tiltedTruncatedMean(p) + c * upperLower(p, -c, -q2, logWeight: 0.5 * q2))
        let uNeg = truncatedMean(p, a: 0, b: 0, vOffset: 0, uOffset: 0)
        let swapped = GaussianPair(q1: q2, q2: q1, c: c, angle: p.angle)
        let vExpU = exp(0.5 * q1) * (tiltedTruncatedMean(swapped) + c * upperLower(swapped, -c, -q1, logWeight: 0.5 * q1))
        let vNeg = truncatedMean(swapped, a: 0, b: 0, vOffset: 0, uOffset: 0)
        let both = exp(0.5 * (q1 + q2) + c) * lower(p, -(q1 + c), -(q2 + c), logWeight: 0.5 * (q1 + q2) + c)
        let expU = exp(0.5 * q1) * lower(p, -q1, -c, logWeight: 0.5 * q1)
        let expV = exp(0.5 * q2) * lower(p, -c, -q2, logWeight: 0.5 * q2)
        let quadrant = p.angle.complement / (2 * Double.pi)      // P(u < 0, v < 0)
        return positive + alpha * (uExpV - uNeg) + alpha * (vExpU - vNeg)
            + alpha * alpha * (both - expU - expV + quadrant)
    }

    /// E[ELU_alpha'(u) ELU_alpha'(v)] with ELU' = 1 (x > 0), alpha e^x (x < 0).
    public static func derivative(_ p: GaussianPair, alpha: Double) -> Double {
        if p.q1 <= 0 || p.q2 <= 0 { return DualActivation(.elu(alpha)).derivativeByQuadrature(p) }
        let q1 = p.q1, q2 = p.q2, c = p.c
        let quadrant = p.angle.complement / (2 * Double.pi)      // P(u > 0, v > 0)
        let swapped = GaussianPair(q1: q2, q2: q1, c: c, angle: p.angle)
        let expV = exp(0.5 * q2) * upperLower(p, -c, -q2, logWeight: 0.5 * q2)        // E[e^v; u > 0, v < 0]
        let expU = exp(0.5 * q1) * upperLower(swapped, -c, -q1, logWeight: 0.5 * q1)  // E[e^u; v > 0, u < 0]
        let both = exp(0.5 * (q1 + q2) + c) * lower(p, -(q1 + c), -(q2 + c), logWeight: 0.5 * (q1 + q2) + c)
        return quadrant + alpha * (expV + expU) + alpha * alpha * both
    }

    // MARK: Continuation to signed angles (Proofs/elu-family-duals.md, "Continuation to signed angles")

    /// The odd part, in the signed correlation angle theta, of the analytic continuation of
    /// E[ELU_alpha(u) ELU_alpha(v)] for equal variances q1 = q2 = q, at the pair's angle
    /// theta in (0, pi/2) (rho > 0): O(theta) = (K(theta) - K(-theta))/2, where K(theta) is the dual
    /// written as an analytic function of theta. So the continued dual is K(-theta) = K(theta) - 2 O(theta).
    ///
    /// Every bivariate normal term is written through Owen's T (``OwensT``); with
    /// sigma = sqrt q, s = sin theta, T1 = T(sigma rho, s/rho), T2 = T(sigma (1 + rho), tan(theta/2)):
    ///
    ///     O = q (s - theta rho)/(2 pi)
    ///       + 2 alpha e^{q/2} (-(q p_a/2) erf(sigma s/sqrt 2) + q rho T1)
    ///       + alpha^2 (2 e^{q/2} T1 - 2 e^{q + q rho} T2 - theta/(2 pi)),
    ///
    /// p_a = exp(-q rho^2/2)/(sigma sqrt(2 pi)). NaN when q1 != q2 or rho <= 0.
    public static func nngpOddPart(_ p: GaussianPair, alpha: Double) -> Double {
        guard p.q1 == p.q2, p.q1 > 0, p.rho > 0 else { return .nan }
        let q = p.q1, sigma = q.squareRoot(), rho = p.rho, s = p.angle.sine, theta = p.angle.theta
        let t1 = OwensT.value(sigma * rho, s / rho)
        let t2 = OwensT.value(sigma * (1 + rho), s / (1 + rho))
        let pa = exp(-0.5 * q * rho * rho) / (sigma * (2 * Double.pi).squareRoot())
        let positive = q * (s - theta * rho) / (2 * Double.pi)
        let mixed = exp(0.5 * q) * (-0.5 * q * pa * erf(sigma * s / 2.0.squareRoot()) + q * rho * t1)
        let negative = 2 * exp(0.5 * q) * t1 - 2 * exp(q + q * rho) * t2 - theta / (2 * Double.pi)
        return positive + 2 * alpha * mixed + alpha * alpha * negative
    }

    /// The odd part of the continued E[ELU_alpha'(u) ELU_alpha'(v)], as ``nngpOddPart(_:alpha:)``:
    ///
    ///     O' = -theta/(2 pi) + 2 alpha e^{q/2} T1 - 2 alpha^2 e^{q + q rho} T2.
    public static func derivativeOddPart(_ p: GaussianPair, alpha: Double) -> Double {
        guard p.q1 == p.q2, p.q1 > 0, p.rho > 0 else { return .nan }
        let q = p.q1, sigma = q.squareRoot(), rho = p.rho, s = p.angle.sine, theta = p.angle.theta
        let t1 = OwensT.value(sigma * rho, s / rho)
        let t2 = OwensT.value(sigma * (1 + rho), s / (1 + rho))
        return -theta / (2 * Double.pi) + 2 * alpha * exp(0.5 * q) * t1 - 2 * alpha * alpha * exp(q + q * rho) * t2
    }
}
