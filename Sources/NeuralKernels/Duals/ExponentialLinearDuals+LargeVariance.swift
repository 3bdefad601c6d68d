import Foundation

/// The ELU duals' tilted terms at large variances, as 1-D conditional integrals whose
/// integrands never leave double range (Proofs/elu-family-duals.md, "Large variances").
///
/// With sigma_i = sqrt(q_i), rho = cos theta, s = sin theta and v = sigma_2 z, u | v ~
/// N(rho sigma_1 z, (sigma_1 s)^2); substituting w = -sigma_2 z (v < 0),
///
///     E[e^v F(u); v < 0] = (1/(sigma_2 sqrt(2 pi))) integral_0^inf e^{-w - w^2/(2 q2)} E[F(u) | v = -w] dw,
///
/// so the tilting factor e^{q2/2}, which overflows for q2 > 1419, and the Gaussian tail it
/// multiplies, which underflows, never appear: e^{-w} is the exact product. The inner
/// expectations are closed forms, E[e^u; u < 0] through the scaled complementary error function
/// ``erfcx(_:)``. Every integrand is positive, so adaptive Gauss-Legendre (relative tolerance
/// 1e-15) gives each term to about 1e-15 relative; panels are cut at the inner functions' steps
/// (width sigma_2 s/|rho| in w) and on the scale of e^{-w}.
extension ExponentialLinearDuals {
    /// erfcx switches to its asymptotic series here (8 terms: first omitted term below 1e-17).
    static let erfcxSeriesFrom = 25.0
    /// The tilted integrals end at w = 40, where e^{-w} = 4e-18 of the first panel's scale.
    static let tiltedIntegralEnd = 40.0
    /// Fixed cuts on the scale of e^{-w}, and the grading around each feature (in its widths).
    static let tiltedCuts: Set<Double> = [0, 0.25, 0.5, 1, 2, 4, 8, 16, 24, 32]
    static let featureGrading: [Double] = [0, 1, 3, 9, 27, 81]
    /// Relative tolerance of each panel, against the rough sum.
    static let tiltedTolerance = 1e-15

    /// erfcx(x) = e^{x^2} erfc(x) for x >= 0, without overflow: below 25 the product with x^2
    /// split exactly (fma) so e^{x^2} carries no rounding of x^2; above, the asymptotic series
    /// 1/(x sqrt pi) sum_k (-1)^k (2k - 1)!!/(2 x^2)^k, whose first omitted term is below 1e-17.
    static func erfcx(_ x: Double) -> Double {
        precondition(x >= 0 || x.isNaN, "erfcx is used for x >= 0")
        if x < erfcxSeriesFrom {
            let hi = x * x
            let lo = fma(x, x, -hi)
            return exp(hi) * exp(lo) * erfc(x)
        }
        let r = 1 / (2 * x * x)
        var term = 1.0
        var sum = 1.0
        for k in 1...8 {
            term *= -Double(2 * k - 1) * r
            sum += term
        }
        return sum / (x * Double.pi.squareRoot())
    }

    /// e^{s^2/2} Phi(-s) = erfcx(s/sqrt 2)/2 for s >= 0.
    static func scaledNormalTail(_ s: Double) -> Double { 0.5 * erfcx(s / 2.0.squareRoot()) }

    /// E[e^w; w < 0] for w ~ N(m, S^2): e^{m + S^2/2} Phi(-(m + S^2)/S), by erfcx where the
    /// factor e^{m + S^2/2} would overflow (m + S^2 >= 0).
    static func exponentialBelowZero(mean m: Double, sd S: Double) -> Double {
        if S == 0 { return m < 0 ? exp(m) : (m == 0 ? 0.5 : 0) }
        let x = (m + S * S) / (S * 2.0.squareRoot())
        if x >= 0 {
            let z = m / S
            return 0.5 * erfcx(x) * exp(-0.5 * z * z)
        }
        return exp(m + 0.5 * S * S) * StandardNormal.cdf(-(m + S * S) / S)
    }

    /// E[w; w > 0] for w ~ N(m, S^2): m Phi(m/S) + S pdf(m/S), with the Mills-ratio form where
    /// m Phi(m/S) and S pdf(m/S) cancel (m/S < -1).
    static func positivePartMean(mean m: Double, sd S: Double) -> Double {
        if S == 0 { return max(m, 0) }
        let z = m / S
        let density = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
        if z >= -1 { return m * StandardNormal.cdf(z) + S * density }
        // Phi(z) = pdf(z) R(t), t = -z, with the Mills ratio R(t) = sqrt(pi/2) erfcx(t/sqrt 2):
        // the mean is S pdf(z) (1 - t R(t)), which stays finite where pdf(z) and Phi(z) underflow.
        let t = -z
        let mills = (Double.pi / 2).squareRoot() * erfcx(t / 2.0.squareRoot())
        return S * density * (1 - t * mills)
    }

    /// (1/(sigma_2 sqrt(2 pi))) integral_0^inf e^{-w - w^2/(2 q2)} inner(w) dw with panels cut at
    /// `features` (points in w with their widths).
    static func tiltedIntegral(
        q2: Double, features: [(at: Double, width: Double)],
        _ inner: (Double) -> Double
    ) -> Double {
        let sigma2 = q2.squareRoot()
        var cuts = tiltedCuts
        let end = tiltedIntegralEnd
        for f in features where f.width > 0 && f.width.isFinite {
            for m in featureGrading {
                for p in [f.at - m * f.width, f.at + m * f.width] where p > 0 && p < end { cuts.insert(p) }
            }
        }
        let sorted = cuts.filter { $0 < end }.sorted() + [end]
        let rule = AdaptiveGaussLegendre(relativeTolerance: tiltedTolerance, maxDepth: 30)
        let f: (Double) -> Double = { w in exp(-w - 0.5 * (w / sigma2) * w / sigma2) * inner(w) }
        // The integral is of the order of its first panel's value (the integrand is largest near w = 0
        // unless inner steps up later): a rough sum sets the scale each panel is judged against.
        var rough = 0.0
        for i in 0..<(sorted.count - 1) { rough += GaussLegendre.rule(count: 8).integrate(sorted[i], sorted[i + 1], f) }
        var total = 0.0
        for i in 0..<(sorted.count - 1) {
            total += rule.integrate(sorted[i], sorted[i + 1], scale: 0.5 * Swift.abs(rough), f).value
        }
        return total / (sigma2 * (2 * Double.pi).squareRoot())
    }

    /// The tilted terms with v the tilted variable (`p` as given) at large variances:
    /// E[e^v; u > 0, v < 0], E[e^v; u < 0, v < 0], E[e^{u+v}; u < 0, v < 0] and E[u e^v; u > 0, v < 0].
    static func largeVarianceTerms(_ p: GaussianPair, full: Bool, withBoth: Bool = true)
        -> (upper: Double, lower: Double, both: Double, uExp: Double)
    {
        let sigma1 = p.q1.squareRoot()
        let sigma2 = p.q2.squareRoot()
        let rho = p.rho
        let s = p.angle.sine
        let ratio = sigma1 / sigma2
        // u | v = -w: mean m(w) = -rho (sigma1/sigma2) w, spread S = sigma1 s.
        let spread = sigma1 * s
        let stepWidth = rho == 0 ? 0 : sigma2 * s / Swift.abs(rho)
        func upperProbability(_ w: Double) -> Double {  // P(u > 0 | v = -w) = Phi(m/S)
            if s == 0 { return rho < 0 ? 1 : (rho > 0 ? 0 : 0.5) }
            return StandardNormal.cdf(-rho * w / (sigma2 * s))
        }
        func lowerProbability(_ w: Double) -> Double {
            if s == 0 { return rho > 0 ? 1 : (rho < 0 ? 0 : 0.5) }
            return StandardNormal.cdf(rho * w / (sigma2 * s))
        }
        let atZero = [(at: 0.0, width: stepWidth)]
        let upper = tiltedIntegral(q2: p.q2, features: atZero, upperProbability)
        let lower = tiltedIntegral(q2: p.q2, features: atZero, lowerProbability)
        // E[e^u; u < 0 | v] steps where m + S^2 = 0: w = sigma1 sigma2 s^2 / rho.
        guard withBoth || full else { return (upper, lower, .nan, .nan) }
        var bothFeatures = atZero
        if rho > 0 { bothFeatures.append((at: sigma2 * sigma1 * s * s / rho, width: stepWidth)) }
        bothFeatures.append((at: 0, width: 1 / max(ratio * Swift.abs(rho), PanelScale.smallestRate)))
        let both =
            !withBoth
            ? .nan
            : tiltedIntegral(q2: p.q2, features: bothFeatures) { w in
                exponentialBelowZero(mean: -rho * ratio * w, sd: spread)
            }
        guard full else { return (upper, lower, both, .nan) }
        let uExp = tiltedIntegral(q2: p.q2, features: atZero) { w in
            positivePartMean(mean: -rho * ratio * w, sd: spread)
        }
        return (upper, lower, both, uExp)
    }
}
