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
    /// e^L E[u; u > a, v < b] by Stein's lemma:
    /// q1 p_u(a) P(v < b | u = a) - c p_v(b) P(u > a | v = b), each product formed from logs
    /// (the tilting factor e^L may be far out of double range, the probabilities far below it);
    /// with `uBelow`, e^L E[u; u < a, v < b] = -q1 p_u(a) P(v < b | u = a) - c p_v(b) P(u < a | v = b).
    ///
    /// The conditional offsets b - c a/q1 (`vOffset`) and c b/q2 - a (`uOffset`; a - c b/q2
    /// with `uBelow`) are passed in closed form by the callers (for the thresholds used they
    /// are -q2 sin^2 theta, 0, ...): formed by subtraction they would cancel near rho = +-1,
    /// where they are divided by the vanishing conditional spread.
    static func truncatedMean(
        _ p: GaussianPair, a: Double, b: Double,
        vOffset: Double, uOffset: Double, logScale: Double = 0, uBelow: Bool = false,
        exponents: (Double, Double)? = nil
    ) -> Double {
        let s1 = p.q1.squareRoot()
        let s2 = p.q2.squareRoot()
        let sine = p.angle.sine
        let condV = s2 * sine
        let condU = s1 * sine  // conditional standard deviations
        let root2pi = (2 * Double.pi).squareRoot()
        // logScale - a^2/(2 q1) and logScale - b^2/(2 q2); callers with a large logScale pass them
        // in closed form (formed by subtraction they lose q 1e-16 absolute, and a^2 overflows
        // beyond q = 1e154).
        let (e1, e2) = exponents ?? ((a / s1) * (a / s1), (b / s2) * (b / s2))
        let first = scaledProduct(exponents == nil ? logScale - 0.5 * e1 : e1, vOffset, condV) / (s1 * root2pi)
        let second = scaledProduct(exponents == nil ? logScale - 0.5 * e2 : e2, uOffset, condU) / (s2 * root2pi)
        return (uBelow ? -p.q1 : p.q1) * first - p.c * second
    }

    /// e^x Phi(y / s) (its limits when s = 0): a plain product in double range, so ordinary
    /// arguments round as before; from logs where either factor leaves the range.
    static func scaledProduct(_ x: Double, _ y: Double, _ s: Double) -> Double {
        let factor = exp(x)
        let probability = s > 0 ? StandardNormal.cdf(y / s) : (y > 0 ? 1 : (y < 0 ? 0 : 0.5))
        if factor.isFinite && factor > BivariateNormal.directFactorAbove
            && (probability > BivariateNormal.directFactorAbove || probability == 0 && s == 0)
        {
            return factor * probability
        }
        return exp(x + logCDFLimit(y, s))
    }

    /// log Phi(x / s), with its limits when the conditional spread s vanishes (rho = +-1).
    static func logCDFLimit(_ x: Double, _ s: Double) -> Double {
        if s > 0 { return StandardNormal.logCDF(x / s) }
        return x > 0 ? 0 : (x < 0 ? -.infinity : log(0.5))
    }

    /// e^{logScale} P(u < a, v < b) for the pair, through the standardised bivariate normal,
    /// which the caller multiplies by e^{logWeight}: accurate to 1e-14 of the dual's scale
    /// max(1, sqrt(q1 q2)) after both factors, at least.
    static func lower(_ p: GaussianPair, _ a: Double, _ b: Double, logScale: Double = 0, logWeight: Double = 0)
        -> Double
    {
        BivariateNormal.scaledCDF(
            a / p.q1.squareRoot(), b / p.q2.squareRoot(), angle: p.angle, logScale: logScale,
            absoluteTolerance: 1e-14 * max(1, p.q1.squareRoot() * p.q2.squareRoot()) * exp(-logWeight))
    }

    /// e^{logScale} P(u > a, v < b) = e^{logScale} P(-u < -a, v < b): the pair (-u, v) has the
    /// negated correlation, so no subtraction (which would cancel in the tails). Accuracy as
    /// for ``lower(_:_:_:logScale:logWeight:)``.
    static func upperLower(_ p: GaussianPair, _ a: Double, _ b: Double, logScale: Double = 0, logWeight: Double = 0)
        -> Double
    {
        lower(
            GaussianPair(q1: p.q1, q2: p.q2, c: -p.c, angle: p.angle.negated), -a, b, logScale: logScale,
            logWeight: logWeight)
    }

    /// Whether the closed form applies: both variances positive and finite. (Its tilting factors
    /// e^{q/2}, e^{(q1+q2)/2 + c} are never formed on their own: every product with the small
    /// probabilities they multiply is formed from logs.)
    @inlinable static func closedFormApplies(_ p: GaussianPair) -> Bool {
        p.q1 > 0 && p.q2 > 0 && p.q1.isFinite && p.q2.isFinite
    }

    /// Largest exponent (q1 + q2)/2 + max(c, 0) of the factor e^{q + q rho} that the odd parts'
    /// closed forms form on its own: e^640 = 9e277 leaves room below the overflow at e^709.78
    /// for the polynomial factors multiplying it.
    @usableFromInline static let largestOddPartExponent = 640.0

    /// Largest variance at which the tilted terms are formed as e^{q/2} times plain
    /// probabilities (the rounding the spectra's fixtures were measured with); beyond it, as
    /// one scaled quantity (see ``TiltedTerms``).
    static let largestPlainTiltVariance = 100.0

    /// Whether the odd parts' closed forms apply: they still form e^{q + q rho} on its own.
    @inlinable static func oddPartsApply(_ p: GaussianPair) -> Bool {
        p.q1 > 0 && p.q2 > 0 && 0.5 * (p.q1 + p.q2) + max(p.c, 0) <= largestOddPartExponent
    }

    /// E[ELU_alpha(u) ELU_alpha(v)].
    public static func nngp(_ p: GaussianPair, alpha: Double) -> Double {
        if !closedFormApplies(p) { return DualActivation(.elu(alpha)).nngpByQuadrature(p) }
        return TiltedTerms(p, alpha: alpha, full: true).nngp
    }

    /// E[ELU_alpha'(u) ELU_alpha'(v)] with ELU' = 1 (x > 0), alpha e^x (x < 0).
    public static func derivative(_ p: GaussianPair, alpha: Double) -> Double {
        if !closedFormApplies(p) { return DualActivation(.elu(alpha)).derivativeByQuadrature(p) }
        return TiltedTerms(p, alpha: alpha, full: false).derivative
    }

    /// Both duals with their scaling derivatives and dD/dc (``DualJet``), from the same five
    /// bivariate normal values the NNGP dual needs (Proofs/elu-family-duals.md, "First
    /// derivatives"): about the cost of one NNGP dual, where central differences cost ten.
    /// Nil where the closed form does not apply (a degenerate pair).
    public static func jet(_ p: GaussianPair, alpha: Double) -> DualJet? {
        guard closedFormApplies(p) else { return nil }
        let t = TiltedTerms(p, alpha: alpha, full: true)
        let q1 = p.q1
        let q2 = p.q2
        let c = p.c
        let sine = p.angle.sine
        let swapped = GaussianPair(q1: q2, q2: q1, c: c, angle: p.angle)
        let f = t.nngp
        let d = t.derivative
        let root2pi = (2 * Double.pi).squareRoot()
        // E[e^u phi(v); u < 0]: the tilt by e^u gives e^{q1/2} E[phi(v + c); u < -q1].
        let g1 = t.vExpU + alpha * (t.both - t.expU)
        let g2 = t.uExpV + alpha * (t.both - t.expV)
        // E[delta(u) phi(v)] = p_u(0) E[phi(v) | u = 0], v | u = 0 ~ N(0, s^2), s = sqrt(q2) sin theta:
        // E[phi(v)] = s/sqrt(2 pi) + alpha (e^{s^2/2} Phi(-s) - 1/2). Weighted by 1 - alpha.
        func atZero(_ qOther: Double, _ qHere: Double) -> Double {
            let s = qOther.squareRoot() * sine
            let mean = s / root2pi + alpha * (scaledNormalTail(s) - 0.5)
            return mean / (root2pi * qHere.squareRoot())
        }
        // S_i = q_i E[phi''(u_i) phi(v_j)] + c D (heat equation and Price's theorem), with
        // phi'' = alpha e^x 1{x < 0} + (1 - alpha) delta_0.
        let s1 = q1 * (alpha * g1 + (1 - alpha) * atZero(q2, q1)) + c * d
        let s2 = q2 * (alpha * g2 + (1 - alpha) * atZero(q1, q2)) + c * d
        // T_1 = E[u phi''(u) phi'(v)] = alpha E[u e^u phi'(v); u < 0] (u delta(u) = 0); tilted:
        // alpha e^{q1/2} { E[u + q1; u < -q1, v > -c] + alpha e^{c + q2/2} E[u + q1 + c; u < -q1 - c, v < -q2 - c] }.
        // By (u, v) -> (-u, -v), E[u; u < -q1, v > -c] = -E[u; u > q1, v < c], whose
        // conditional offsets are 0 and -q1 sin^2 theta. Every term carries its tilting factor.
        func derivativeScaling(_ p: GaussianPair, _ tilt: Double) -> Double {
            let q = p.q1
            let r = p.q2
            let linear =
                -truncatedMean(
                    p, a: q, b: c, vOffset: 0, uOffset: -q * sine * sine, logScale: 0.5 * q,
                    exponents: (0, 0.5 * q * sine * sine)) + q * tilt
            let corner =
                truncatedMean(
                    p, a: -(q + c), b: -(r + c), vOffset: -r * sine * sine,
                    uOffset: -q * sine * sine, logScale: 0.5 * (q + r) + c, uBelow: true,
                    exponents: (0.5 * r * sine * sine, 0.5 * q * sine * sine))
                + (q + c) * t.both
            return alpha * (linear + alpha * corner)
        }
        let t1 = derivativeScaling(p, t.tiltU)
        let t2 = derivativeScaling(swapped, t.tiltV)
        // E[phi''(u) phi''(v)] = alpha^2 E[e^{u+v}; u, v < 0]
        //   + alpha (1 - alpha) (p_v(0) E[e^u; u < 0 | v = 0] + (u <-> v)) + (1 - alpha)^2 p(0, 0).
        var slope = alpha * alpha * t.both
        if alpha != 1 {
            func tilted(_ qHere: Double, _ qOther: Double) -> Double {
                let s = qHere.squareRoot() * sine
                return scaledNormalTail(s) / (root2pi * qOther.squareRoot())
            }
            let density = 1 / (2 * Double.pi * q1.squareRoot() * q2.squareRoot() * sine)
            slope += alpha * (1 - alpha) * (tilted(q1, q2) + tilted(q2, q1)) + (1 - alpha) * (1 - alpha) * density
        }
        return DualJet(
            nngp: f, derivative: d, nngpScaling: (s1, s2), derivativeScaling: (t1, t2),
            derivativeSlope: slope)
    }

    /// The tilted expectations the ELU duals are assembled from, for one pair: five bivariate
    /// normal values (three when only the derivative dual is wanted, `full == false`), each
    /// already multiplied by its tilting factor (formed from logs, never on its own).
    struct TiltedTerms {
        let alpha: Double
        let tiltV: Double  // e^{q2/2} P(u > -c, v < -q2) = E[e^v; u > 0, v < 0]
        let tiltU: Double  // e^{q1/2} P(v > -c, u < -q1) = E[e^u; v > 0, u < 0]
        let both: Double  // e^{(q1+q2)/2 + c} P(u < -q1-c, v < -q2-c) = E[e^{u+v}; u, v < 0]
        let expU: Double, expV: Double  // E[e^u; u < 0, v < 0], E[e^v; u < 0, v < 0]
        let uExpV: Double, vExpU: Double  // E[u e^v; u > 0, v < 0], E[v e^u; v > 0, u < 0]
        let uNeg: Double, vNeg: Double  // E[u; u > 0, v < 0], E[v; v > 0, u < 0]
        let positive: Double  // E[uv; u > 0, v > 0]
        let quadrant: Double  // P(u < 0, v < 0) = P(u > 0, v > 0)

        init(_ p: GaussianPair, alpha: Double, full: Bool) {
            self.alpha = alpha
            let q1 = p.q1
            let q2 = p.q2
            let c = p.c
            let swapped = GaussianPair(q1: q2, q2: q1, c: c, angle: p.angle)
            quadrant = p.angle.complement / (2 * Double.pi)
            // In double range the factors e^{q/2} times the plain probabilities, rounding as the
            // spectra's fixtures were measured with (the continued-singular-term fits and the
            // spectra at d = 10 move by 1e-10 and 1e-6 under one-ulp changes here); beyond it
            // every term is formed as one scaled quantity.
            // Up to q = 100: the scaled bivariate normal values' exponents L - E(peak) cancel to
            // about q 1e-16 absolute, so by q = 355 the derivative dual is off by 2e-12 relative
            // (CELU(2) at q = 1421.29, rho = -0.8 in duals-large-variance-celu2.csv).
            let inRange = oddPartsApply(p) && max(q1, q2) <= largestPlainTiltVariance
            let eU = exp(0.5 * q1)
            let eV = exp(0.5 * q2)
            var pUpperV = Double.nan
            var pUpperU = Double.nan
            if inRange {
                pUpperV = upperLower(p, -c, -q2, logWeight: 0.5 * q2)
                pUpperU = upperLower(swapped, -c, -q1, logWeight: 0.5 * q1)
                tiltV = eV * pUpperV
                tiltU = eU * pUpperU
                both = exp(0.5 * (q1 + q2) + c) * lower(p, -(q1 + c), -(q2 + c), logWeight: 0.5 * (q1 + q2) + c)
            } else {
                // Beyond double range of the tilting factors: 1-D conditional integrals whose
                // integrands stay in range (ExponentialLinearDuals+LargeVariance.swift). The
                // scaled bivariate normal values lose e^{|error of L - E|} ~ 1 + q 1e-16
                // relative, and overflow once q1 q2 does.
                let v = largeVarianceTerms(p, full: full)
                let u = largeVarianceTerms(swapped, full: full, withBoth: false)
                tiltV = v.upper
                tiltU = u.upper
                both = v.both
                if full {
                    expV = v.lower
                    expU = u.lower
                    uExpV = v.uExp
                    vExpU = u.uExp
                    uNeg = truncatedMean(p, a: 0, b: 0, vOffset: 0, uOffset: 0)
                    vNeg = truncatedMean(swapped, a: 0, b: 0, vOffset: 0, uOffset: 0)
                    positive = ArcCosine.expectation(order: 1, p)
                } else {
                    expU = .nan
                    expV = .nan
                    uExpV = .nan
                    vExpU = .nan
                    uNeg = .nan
                    vNeg = .nan
                    positive = .nan
                }
                return
            }
            guard full else {
                expU = .nan
                expV = .nan
                uExpV = .nan
                vExpU = .nan
                uNeg = .nan
                vNeg = .nan
                positive = .nan
                return
            }
            expU = eU * lower(p, -q1, -c, logWeight: 0.5 * q1)
            expV = eV * lower(p, -c, -q2, logWeight: 0.5 * q2)
            let sine = p.angle.sine
            uExpV = eV * (truncatedMean(p, a: -c, b: -q2, vOffset: -q2 * sine * sine, uOffset: 0) + c * pUpperV)
            vExpU = eU * (truncatedMean(swapped, a: -c, b: -q1, vOffset: -q1 * sine * sine, uOffset: 0) + c * pUpperU)
            uNeg = truncatedMean(p, a: 0, b: 0, vOffset: 0, uOffset: 0)
            vNeg = truncatedMean(swapped, a: 0, b: 0, vOffset: 0, uOffset: 0)
            positive = ArcCosine.expectation(order: 1, p)
        }

        var nngp: Double {
            positive + alpha * (uExpV - uNeg) + alpha * (vExpU - vNeg) + alpha * alpha * (both - expU - expV + quadrant)
        }

        var derivative: Double { quadrant + alpha * (tiltV + tiltU) + alpha * alpha * both }
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
    /// p_a = exp(-q rho^2/2)/(sigma sqrt(2 pi)). NaN when q1 != q2, rho <= 0 or the variance is
    /// beyond the range of its factor e^{q + q rho} (``oddPartsApply(_:)``).
    public static func nngpOddPart(_ p: GaussianPair, alpha: Double) -> Double {
        guard p.q1 == p.q2, p.rho > 0, oddPartsApply(p) else { return .nan }
        let q = p.q1
        let sigma = q.squareRoot()
        let rho = p.rho
        let s = p.angle.sine
        let theta = p.angle.theta
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
        guard p.q1 == p.q2, p.rho > 0, oddPartsApply(p) else { return .nan }
        let q = p.q1
        let sigma = q.squareRoot()
        let rho = p.rho
        let s = p.angle.sine
        let theta = p.angle.theta
        let t1 = OwensT.value(sigma * rho, s / rho)
        let t2 = OwensT.value(sigma * (1 + rho), s / (1 + rho))
        return -theta / (2 * Double.pi) + 2 * alpha * exp(0.5 * q) * t1 - 2 * alpha * alpha * exp(q + q * rho) * t2
    }
}
