import Foundation

/// The bivariate standard normal distribution function
/// Phi2(h, k; rho) = P(Z1 < h, Z2 < k), Corr(Z1, Z2) = rho = cos theta.
///
/// Conditioning on Z1:
///
///     Phi2(h, k; rho) = integral_{-inf}^{h} phi(x) Phi((k - rho x) / sin theta) dx,
///
/// integrated by adaptive Gauss-Legendre on pieces split at x = k / rho, where the inner
/// normal function steps (its width is sin theta, which comes from the accurate correlation
/// angle, so the limit rho -> +-1 is approached smoothly; rho = +-1 exactly is the limit
/// Phi(min(h, k)) or max(0, Phi(h) + Phi(k) - 1)). Relative accuracy about 1e-15, tails
/// included, at about 1 ms a call; `cdf` uses Genz's faster method wherever the value is not
/// a far tail.
public enum BivariateNormal {
    /// Standard normal distribution function, accurate in both tails.
    @inlinable public static func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// P(Z1 < h, Z2 < k) for the correlation angle `angle` (rho = cos theta).
    ///
    /// Genz's method first (a few microseconds, absolute error about 1e-16). Where its value is
    /// below 1e-7 -- a tail, where the ELU duals multiply it by exponentials as large as e^{2q}
    /// and need it to relative accuracy -- the value must come from a form without
    /// cancellation: for rho >= 0 Drezner's integral, a sum of positive terms, on panels graded
    /// around its peak (``dreznerGraded(_:_:angle:)``); for rho < 0 that form subtracts the
    /// integral from Phi(h) Phi(k), and where the cancellation costs digits the caller needs,
    /// the adaptive conditional integral below is used (about 0.1 ms). Checked in BivariateNormalTests against mpmath values at up to 40 digits
    /// beyond their cancellation, limits down to -37.
    ///
    /// `weight`: the caller multiplies the value by it and adds the product to quantities of
    /// order one. Where weight times the cancellation error stays below 1e-14, the costly
    /// relative route is skipped. The default asks for relative accuracy.
    public static func cdf(_ h: Double, _ k: Double, angle: CorrelationAngle, weight: Double = .infinity) -> Double {
        min(1, scaledCDF(h, k, angle: angle, logScale: 0, absoluteTolerance: weight.isFinite ? 1e-14 / weight : 0))
    }

    /// e^{logScale} Phi2(h, k; rho), formed without overflow or underflow of either factor (the
    /// ELU duals multiply values as small as e^{-2q} by e^{2q}, beyond double range for q above
    /// about 350), to relative accuracy about 1e-14, or to `absoluteTolerance` where a
    /// relatively accurate value would need the slow route (rho < 0 with cancellation).
    public static func scaledCDF(_ h: Double, _ k: Double, angle: CorrelationAngle, logScale: Double,
                                 absoluteTolerance: Double) -> Double {
        let fast = genz(h, k, angle: angle)
        if fast >= 1e-7 && logScale < 700 { return exp(logScale) * fast }
        let graded = dreznerGraded(h, k, angle: angle, logScale: logScale)
        if angle.rho >= 0 { return graded.value }
        // rho < 0: Drezner's integral is subtracted from Phi(h) Phi(k); the difference carries
        // an absolute error of about 1e-15 Phi(h) Phi(k) (scaled), at most 1e-14 measured.
        let error = 1e-14 * graded.product
        if error <= 1e-14 * graded.value || error <= absoluteTolerance { return graded.value }
        // The graded value is known to a few per cent where the unscaled value exceeds 1e-13.
        let estimate = graded.value * exp(-logScale) > 1e-13 ? graded.value : nil
        return adaptive(h, k, angle: angle, estimate: estimate, logScale: logScale)
    }

    /// log Phi(x), accurate where Phi(x) underflows: below -37 from the asymptotic series
    /// Phi(x) = phi(x)/(-x) (1 - r + 3 r^2 - 15 r^3 + ... + 135135 r^7...), r = 1/x^2, whose
    /// first omitted term is below 2e-17 there.
    @inlinable public static func logPhi(_ x: Double) -> Double {
        if x > -37 { return log(phi(x)) }
        let r = 1 / (x * x)
        let series = 1 - r * (1 - 3 * r * (1 - 5 * r * (1 - 7 * r * (1 - 9 * r * (1 - 11 * r * (1 - 13 * r))))))
        return -0.5 * x * x - log(-x) - 0.5 * log(2 * Double.pi) + log(series)
    }

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
        if angle.theta == 0 { let v = exp(logScale + logPhi(min(h, k))); return (v, v) }
        if angle.complement == 0 {
            // Phi(h) + Phi(k) - 1 = Phi(h) - Phi(-k): not a tail unless it vanishes.
            return (exp(logScale) * max(0, phi(h) - phi(-k)), exp(logScale + logPhi(h) + logPhi(k)))
        }
        let hk = h * k, difference = (h - k) * (h - k), sum = (h + k) * (h + k)
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
            let c = sin(p), s = cos(p)
            return (-hk * c * c + 2 * exponent(p) * c * c * s) / (c * c * c)
        }
        let lo = min(angle.theta, right), hi = max(angle.theta, right)
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
        for m in [1.0, 3, 9, 27, 81] {
            for p in [peak - m * width, peak + m * width] where p > lo && p < hi { cuts.insert(p) }
        }
        // From theta the grading runs past 81 sin theta until it reaches the interval's scale:
        // where sin theta is far below it (rho within 1e-6 of +-1), one panel from 81 sin theta
        // to order one under-resolves exp(-E), E ~ (h -+ k)^2 / (2 p^2) rising steeply from that
        // end (3e-11 lost at rho = 1 - 2^-52, h = -3, k = -2).
        let sine = angle.sine
        var m = 1.0
        while m <= 81 || m * sine < hi - lo {
            for p in [angle.theta - m * sine, angle.theta + m * sine] where p > lo && p < hi { cuts.insert(p) }
            m *= 3
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
        let uEnd = t > -0.5 ? (1 + t) / (1 - t) : tan(0.5 * endAngle)
        let interior = cuts.filter { $0 != lo && $0 != hi }.map { tan(0.5 * (beyond ? Double.pi - $0 : $0)) }
        let sorted = [uEnd] + interior.filter { $0 > uEnd && $0 < 1 }.sorted() + [1.0]
        let rule = GaussLegendre.rule(count: 20)
        var integral = 0.0
        for i in 0..<(sorted.count - 1) {
            let mid = 0.5 * (sorted[i] + sorted[i + 1]), half = 0.5 * (sorted[i + 1] - sorted[i])
            var panel = 0.0
            for j in 0..<rule.nodes.count {
                let u = mid + half * rule.nodes[j], u2 = u * u, onePlus = 1 + u2
                let e = (a2 * onePlus + b2 * u2) * onePlus / (8 * u2)
                // Relative to the peak, so the panel sums cannot underflow; e^{-e0} comes last.
                panel += rule.weights[j] * exp(e0 - e) * 2 / onePlus
            }
            integral += half * panel
        }
        // In double range the unscaled value is formed first and scaled once (the arithmetic, and
        // so the rounding, of the plain Phi2); otherwise each term from logs.
        let direct = phi(h) * phi(k), decay = exp(-e0), factor = exp(logScale)
        if direct > 1e-290 && decay > 1e-290 && factor.isFinite {
            let tail = decay * integral / (2 * Double.pi)
            return (factor * max(0, angle.rho >= 0 ? direct + tail : direct - tail), factor * direct)
        }
        let tail = exp(logScale - e0) * integral / (2 * Double.pi)
        let product = exp(logScale + logPhi(h) + logPhi(k))
        return (max(0, angle.rho >= 0 ? product + tail : product - tail), product)
    }

    /// Gauss-Legendre rules of 6, 12, 20 (Genz's) and 32, 48 points: the nodes in (-1, 0) and
    /// their weights.
    static let genzRules: [(nodes: [Double], weights: [Double])] = [6, 12, 20, 32, 48].map { n in
        let rule = GaussLegendre.rule(count: n)
        let pairs = zip(rule.nodes, rule.weights).filter { $0.0 < 0 }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    /// Phi2(h, k; rho) by Genz's BVND (Genz 2004, "Numerical computation of rectangular
    /// bivariate and trivariate normal and t probabilities", Stat. Comput. 14, 251-260):
    /// Drezner and Wesolowsky's integral over asin(rho) for |rho| < 0.925, and for larger |rho|
    /// the integral in sqrt(1 - rho^2) with the singular part removed in closed form.
    /// 1 - rho^2 = sin^2 theta is taken from the angle, so rho -> +-1 keeps full accuracy.
    /// Absolute accuracy about 1e-16 (checked against the adaptive route in BivariateNormalTests).
    /// `ruleIndex` forces one of `genzRules` instead of Genz's choice by |rho|.
    public static func genz(_ lowerH: Double, _ lowerK: Double, angle: CorrelationAngle, ruleIndex: Int? = nil) -> Double {
        // BVND computes P(X > h, Y > k); P(X < h, Y < k) = P(X > -h, Y > -k).
        let r = angle.rho
        if angle.theta == 0 { return phi(min(lowerH, lowerK)) }
        if angle.complement == 0 { return max(0, phi(lowerH) + phi(lowerK) - 1) }
        var h = -lowerH, k = -lowerK
        let absR = Swift.abs(r)
        let rule = ruleIndex.map { genzRules[$0] } ?? (absR < 0.3 ? genzRules[0] : (absR < 0.75 ? genzRules[1] : genzRules[2]))
        var hk = h * k
        var bvn = 0.0
        if absR < 0.925 {
            let hs = (h * h + k * k) / 2, asr = asin(r)
            for (x, w) in zip(rule.nodes, rule.weights) {
                var sn = sin(asr * (1 + x) / 2)
                bvn += w * exp((sn * hk - hs) / (1 - sn * sn))
                sn = sin(asr * (1 - x) / 2)
                bvn += w * exp((sn * hk - hs) / (1 - sn * sn))
            }
            return min(1, max(0, bvn * asr / (4 * Double.pi) + phi(-h) * phi(-k)))
        }
        if r < 0 { k = -k; hk = -hk }
        let sine = angle.sine
        let asq = sine * sine                   // (1 - r)(1 + r)
        var a = sine
        let bs = (h - k) * (h - k)
        let c = (4 - hk) / 8, d = (12 - hk) / 16
        var asr = -(bs / asq + hk) / 2
        if asr > -100 {
            bvn = a * exp(asr) * (1 - c * (bs - asq) * (1 - d * bs / 5) / 3 + c * d * asq * asq / 5)
        }
        if hk > -100 {
            let b = bs.squareRoot()
            let sp = (2 * Double.pi).squareRoot() * phi(-b / a)
            bvn -= exp(-hk / 2) * sp * b * (1 - c * bs * (1 - d * bs / 5) / 3)
        }
        a /= 2
        for (x, w) in zip(rule.nodes, rule.weights) {
            for sign in [-1.0, 1.0] {
                let xs = (a * (sign * x + 1)) * (a * (sign * x + 1))
                let rs = (1 - xs).squareRoot()
                asr = -(bs / xs + hk) / 2
                if asr > -100 {
                    let sp = 1 + c * xs * (1 + d * xs)
                    let ep = exp(-hk * xs / (2 * (1 + rs) * (1 + rs))) / rs
                    bvn += a * w * exp(asr) * (ep - sp)
                }
            }
        }
        bvn = -bvn / (2 * Double.pi)
        if r > 0 {
            bvn += phi(-max(h, k))
        } else if h >= k {
            bvn = -bvn
        } else {
            let l = h < 0 ? phi(k) - phi(h) : phi(-h) - phi(-k)
            bvn = l - bvn
        }
        return min(1, max(0, bvn))
    }

    /// P(Z1 < h, Z2 < k) by adaptive integration, to relative accuracy about 1e-15.
    ///
    /// Two passes: a rough one (relative tolerance 1e-3) finds the size I of the integral, and
    /// the accurate one measures every panel against I, so panels where the integrand is
    /// negligible next to I stop at once instead of being resolved to 1e-15 of their own tiny
    /// value (which made a call cost about 1 ms). `estimate`, when given, is a value known to
    /// a relative accuracy of a few per cent or better (Genz's, where it exceeds 1e-13) and
    /// replaces the rough pass.
    public static func adaptive(_ h: Double, _ k: Double, angle: CorrelationAngle, estimate: Double? = nil,
                                logScale: Double = 0) -> Double {
        let rho = angle.rho
        let s = angle.sine
        if s == 0 || angle.theta == 0 || angle.complement == 0 {
            return exp(logScale) * (rho > 0 ? phi(min(h, k)) : max(0, phi(h) + phi(k) - 1))
        }
        // Below h - 40 (and below -39) the integrand is negligible next to its values near h.
        let lower = min(-39.0, h - 40)
        // cos theta computed from the angle keeps rho's small deviations from +-1; with a scale,
        // the integrand e^L phi(x) Phi(z) is formed from logs (either factor may be out of range).
        let integrand: (Double) -> Double = logScale == 0
            ? { x in exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() * phi((k - rho * x) / s) }
            : { x in exp(logScale - 0.5 * x * x + logPhi((k - rho * x) / s)) / (2 * Double.pi).squareRoot() }
        // The inner function steps at x0 = k/rho over a width ~ s/|rho|: give the step its own
        // panels (an adaptive rule whose nodes all miss a thin layer would never see it).
        var inner: [Double] = []
        if rho != 0 {
            let x0 = k / rho, w = 12 * s / Swift.abs(rho)
            inner += [x0 - w, x0, x0 + w]
        }
        // Far in the tails the mass sits in a layer of width 1/slope at h, or of width
        // 1/sqrt(curvature) around an interior mode, which a panel of width 30 would miss.
        inner += massCuts(h, k, rho: rho, sine: s, lower: min(-40, lower))
        let cuts = [lower] + Set(inner.filter { $0 > lower && $0 < h }).sorted() + [h]
        func integral(_ quadrature: AdaptiveGaussLegendre, scale: Double) -> Double {
            var total = 0.0
            for i in 0..<(cuts.count - 1) {
                total += quadrature.integrate(cuts[i], cuts[i + 1], scale: scale, integrand).value
            }
            return total
        }
        let size: Double
        if let estimate, estimate > 0 {
            size = estimate
        } else {
            size = integral(AdaptiveGaussLegendre(relativeTolerance: 1e-3, maxDepth: 40), scale: 0)
        }
        // Half the rough size: its own error is far below that, so no panel is judged against
        // more than the true integral.
        let total = integral(AdaptiveGaussLegendre(relativeTolerance: 1e-15, maxDepth: 40), scale: 0.5 * size)
        return max(0, logScale == 0 ? min(1, total) : total)
    }

    /// Cut points around the mass of the conditional integrand f(x) = phi(x) Phi((k - rho x)/s)
    /// on (-inf, h]. f is log-concave (a product of log-concave functions), so
    /// (log f)'(x) = -x - (rho/s) m(z), z = (k - rho x)/s, m = phi/Phi, decreases: bisection
    /// finds the mode x*. If it is h, the mass lies within a few 1/(log f)'(h) of h; otherwise
    /// within a few sigma of x*, sigma^-2 = -(log f)''(x*) = 1 + (rho/s)^2 m (z + m).
    static func massCuts(_ h: Double, _ k: Double, rho: Double, sine s: Double, lower: Double = -40) -> [Double] {
        let ratio = rho / s
        func millsRatio(_ z: Double) -> Double {
            // phi(z)/Phi(z); below z = -37 both underflow and the asymptotic series is exact
            // to double precision.
            if z < -37 { let r = 1 / (z * z); return -z / (1 - r * (1 - 3 * r * (1 - 5 * r))) }
            return exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() / phi(z)
        }
        func slope(_ x: Double) -> Double { -x - ratio * millsRatio((k - rho * x) / s) }
        let atH = slope(h)
        if atH >= 0 {
            let width = 1 / max(atH, 1e-300)
            return [1.0, 4, 12, 40].map { h - $0 * width }
        }
        var a = lower, b = h
        if slope(a) <= 0 { return [] }
        for _ in 0..<60 where b - a > 1e-12 * max(1, Swift.abs(a)) {
            let m = 0.5 * (a + b)
            if slope(m) > 0 { a = m } else { b = m }
        }
        let mode = 0.5 * (a + b), z = (k - rho * mode) / s, m = millsRatio(z)
        let sigma = 1 / (1 + ratio * ratio * max(0, m * (z + m))).squareRoot()
        return [-12.0, -5, -2, -0.5, 0.5, 2, 5, 12].map { mode + $0 * sigma }
    }
}
