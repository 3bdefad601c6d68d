import Foundation

extension BivariateNormal {
    /// Panels are cut at the peak +- these widths, and at theta +- these multiples of sin theta
    /// (continued by factors of 3 until they reach the interval's length).
    static let dreznerGrading: [Double] = [1, 3, 9, 27, 81]
    static let dreznerGradingRatio = 3.0
    /// Points of the Gauss-Legendre rule on each panel.
    static let dreznerPointsPerPanel = 20
    /// The end theta is mapped to u = (1 + t)/(1 - t), t = tan((a - pi/2)/2), above this t, and
    /// to tan(a/2) itself below it (a small, rho -> +-1), where (1 + t) would cancel.
    static let dreznerRelativeEndAbove = -0.5

    /// Phi2(h, k; rho) by Drezner and Wesolowsky's form. With t = pi/2 - p (p between pi/2 and
    /// the correlation angle theta, so rho -> +-1 keeps full accuracy: cos t = sin p):
    ///
    ///     Phi(h) Phi(k) +- (1/2 pi) integral exp(-E(p)) dp   (over [theta, pi/2] or [pi/2, theta]),
    ///     E(p) = (h^2 + k^2 - 2 h k cos p) / (2 sin^2 p)
    ///          = ((h - k)^2 + 4 h k sin^2(p/2)) / (2 sin^2 p) = ((h + k)^2 - 4 h k cos^2(p/2)) / (2 sin^2 p),
    ///
    /// the form without cancellation chosen by p. For rho >= 0 a sum of positive terms; for
    /// rho < 0 the integral is subtracted, and the absolute error is about 1e-15 Phi(h) Phi(k).
    /// The integral is taken on panels graded around the integrand's peak: in the far tails its
    /// mass sits in a layer of width about 1/|E'| (at an end) or 1/sqrt(E'') (inside), far
    /// thinner than the interval, which a fixed rule misses (Genz's forms lost 27% at
    /// h = k = -14.2, rho = 0.9993, and 2% at |h| = |k| = 17, rho = -0.999, by dropping terms
    /// below e^{-100}). E is unimodal: in t, E' = (-h k cos^2 t + 2 E cos^2 t sin t)/cos^3 t
    /// vanishes only at sin t* = h/k or k/h, i.e. cos p* = sign(h k) min(|h|, |k|)/max(|h|, |k|),
    /// where E'' = 2 E; the peak is p* clamped to the interval. Cuts at the peak +- {1, 3, 9,
    /// 27, 81} widths (width 1/max(|E'|, sqrt(2 E), 1)) and at theta +- 3^j sin theta, j = 0, 1,
    /// ... up to 81 sin theta or the interval's length, 20-point Gauss-Legendre on each panel,
    /// in u = tan(a/2) (below), where the exponent needs no trigonometric call.
    /// Relative accuracy about 1e-14 for rho >= 0 (BivariateNormalTests: both tail fixtures,
    /// limits to -37). Proofs/elu-family-duals.md, "Numerics".
    ///
    /// With `logScale` L the value is e^L Phi2, its terms formed as exp(L + log Phi(h) + log Phi(k))
    /// and exp(L - E(peak)) times the normalised integral; `product` is e^L Phi(h) Phi(k), the
    /// size of the terms that cancel when rho < 0.
    static func dreznerGraded(_ h: Double, _ k: Double, angle: CorrelationAngle, logScale: Double = 0)
        -> (value: Double, product: Double)
    {
        if angle.theta == 0 {
            let v = exp(logScale + StandardNormal.logCDF(min(h, k)))
            return (v, v)
        }
        if angle.complement == 0 {
            // Phi(h) + Phi(k) - 1 = Phi(h) - Phi(-k): not a tail unless it vanishes.
            return (
                exp(logScale) * max(0, StandardNormal.cdf(h) - StandardNormal.cdf(-k)),
                exp(logScale + StandardNormal.logCDF(h) + StandardNormal.logCDF(k))
            )
        }
        let hk = h * k
        let difference = (h - k) * (h - k)
        let sum = (h + k) * (h + k)
        let right = 0.5 * Double.pi
        func exponent(_ p: Double) -> Double {
            let c = sin(p)
            if p <= right {
                let half = sin(0.5 * p)
                return (difference + 4 * hk * half * half) / (2 * c * c)
            }
            let half = cos(0.5 * p)
            return (sum - 4 * hk * half * half) / (2 * c * c)
        }
        func slope(_ p: Double) -> Double {
            let c = sin(p)
            let s = cos(p)
            return (-hk * c * c + 2 * exponent(p) * c * c * s) / (c * c * c)
        }
        let lo = min(angle.theta, right)
        let hi = max(angle.theta, right)
        // The peak of exp(-E) (in p) and the width of its layer.
        var peak = right
        if hk != 0 {
            let ratio = min(Swift.abs(h), Swift.abs(k)) / max(Swift.abs(h), Swift.abs(k))
            peak = min(hi, max(lo, acos(hk > 0 ? ratio : -ratio)))
        }
        let e0 = exponent(peak)
        let width = 1 / max(Swift.abs(slope(peak)), (2 * max(e0, 0)).squareRoot(), 1)
        var cuts: Set<Double> = [lo, hi]
        // Near rho = +-1 the term (h -+ k)^2 / (2 sin^2 p) varies on the scale sin theta next to
        // the end p = theta (sin p vanishes just beyond it): cuts graded on that scale too.
        for m in dreznerGrading {
            for p in [peak - m * width, peak + m * width] where p > lo && p < hi { cuts.insert(p) }
        }
        // From theta the grading runs past 81 sin theta until it reaches the interval's scale:
        // where sin theta is far below it (rho within 1e-6 of +-1), one panel from 81 sin theta
        // to order one under-resolves exp(-E), E ~ (h -+ k)^2 / (2 p^2) rising steeply from that
        // end (3e-11 lost at rho = 1 - 2^-52, h = -3, k = -2).
        let sine = angle.sine
        var m = 1.0
        while m <= dreznerGrading.last! || m * sine < hi - lo {
            for p in [angle.theta - m * sine, angle.theta + m * sine] where p > lo && p < hi { cuts.insert(p) }
            m *= dreznerGradingRatio
        }
        // Each panel is integrated in u = tan(a/2), a = p on the side p < pi/2 and a = pi - p on
        // the other, where sin p = 2u/(1 + u^2), sin^2(a/2) = u^2/(1 + u^2), |dp| = 2 du/(1 + u^2):
        //     E = (A (1 + u^2) + B u^2) (1 + u^2) / (8 u^2),  u in (0, 1],
        // with A = (h - k)^2, B = 4hk for p < pi/2 and A = (h + k)^2, B = -4hk beyond: the same
        // sums without cancellation as in p, and no trigonometric call per node (the sines
        // and cosines were 60% of a deep ELU fit's time). u is within a factor pi/4 of a/2 and
        // smooth, so the 20-point rule on the same panels keeps its accuracy; a = pi - p beyond
        // pi/2 keeps the map regular as p -> pi (tan(p/2) would blow up there).
        let beyond = angle.theta > right
        let (a2, b2) = beyond ? (sum, -4 * hk) : (difference, 4 * hk)
        // Only the ends must be mapped accurately (interior cuts merely partition): pi/2 -> 1
        // exactly, and theta -> tan(a/2) formed relative to that end, (1 + t)/(1 - t) with
        // t = tan((a - pi/2)/2) (a - pi/2 is exact), so a tiny interval (rho near 0) keeps its
        // width; tan(a/2) itself for small a (rho -> +-1).
        let endAngle = beyond ? angle.complement : angle.theta
        let t = tan(0.5 * (endAngle - right))
        let uEnd = t > dreznerRelativeEndAbove ? (1 + t) / (1 - t) : tan(0.5 * endAngle)
        let interior = cuts.filter { $0 != lo && $0 != hi }.map { tan(0.5 * (beyond ? Double.pi - $0 : $0)) }
        let sorted = [uEnd] + interior.filter { $0 > uEnd && $0 < 1 }.sorted() + [1.0]
        let rule = GaussLegendre.rule(count: dreznerPointsPerPanel)
        var integral = 0.0
        for i in 0..<(sorted.count - 1) {
            let mid = 0.5 * (sorted[i] + sorted[i + 1])
            let half = 0.5 * (sorted[i + 1] - sorted[i])
            var panel = 0.0
            for j in 0..<rule.nodes.count {
                let u = mid + half * rule.nodes[j]
                let u2 = u * u
                let onePlus = 1 + u2
                let e = (a2 * onePlus + b2 * u2) * onePlus / (8 * u2)
                // Relative to the peak, so the panel sums cannot underflow; e^{-e0} comes last.
                panel += rule.weights[j] * exp(e0 - e) * 2 / onePlus
            }
            integral += half * panel
        }
        // In double range the unscaled value is formed first and scaled once (the arithmetic, and
        // so the rounding, of the plain Phi2); otherwise each term from logs.
        let direct = StandardNormal.cdf(h) * StandardNormal.cdf(k)
        let decay = exp(-e0)
        let factor = exp(logScale)
        if direct > directFactorAbove && decay > directFactorAbove && factor.isFinite {
            let tail = decay * integral / (2 * Double.pi)
            return (factor * max(0, angle.rho >= 0 ? direct + tail : direct - tail), factor * direct)
        }
        let tail = exp(logScale - e0) * integral / (2 * Double.pi)
        let product = exp(logScale + StandardNormal.logCDF(h) + StandardNormal.logCDF(k))
        return (max(0, angle.rho >= 0 ? product + tail : product - tail), product)
    }
}
