import Foundation

extension BivariateNormal {
    /// Relative tolerance of the rough pass that finds the integral's size.
    static let roughTolerance = 1e-3
    /// Relative tolerance of the accurate pass, against half the rough size.
    static let accurateTolerance = 1e-15
    /// Bisection depth of both passes.
    static let conditionalDepth = 40
    /// The integrand is negligible next to its values near h below h - 40 and below -39
    /// (phi(-39) = 1e-331 underflows).
    static let negligibleBelowH = 40.0
    static let negligibleBelow = -39.0
    /// Half-width of the panels around the inner function's step at x0 = k/rho, in its widths
    /// s/|rho|.
    static let stepHalfWidths = 12.0
    /// Bisections for the mode: 60 halve any bracket below 1e-12 relative.
    static let modeBisections = 60
    static let modeTolerance = 1e-12

    /// P(Z1 < h, Z2 < k) by adaptive integration, to relative accuracy about 1e-15.
    ///
    /// Two passes: a rough one (relative tolerance 1e-3) finds the size I of the integral, and
    /// the accurate one measures every panel against I, so panels where the integrand is
    /// negligible next to I stop at once instead of being resolved to 1e-15 of their own tiny
    /// value (which made a call cost about 1 ms). `estimate`, when given, is a value known to
    /// a relative accuracy of a few per cent or better (Genz's, where it exceeds 1e-13) and
    /// replaces the rough pass.
    public static func adaptive(
        _ h: Double, _ k: Double, angle: CorrelationAngle, estimate: Double? = nil,
        logScale: Double = 0
    ) -> Double {
        let rho = angle.rho
        let s = angle.sine
        if s == 0 || angle.theta == 0 || angle.complement == 0 {
            return exp(logScale)
                * (rho > 0 ? StandardNormal.cdf(min(h, k)) : max(0, StandardNormal.cdf(h) + StandardNormal.cdf(k) - 1))
        }
        let lower = min(negligibleBelow, h - negligibleBelowH)
        // cos theta computed from the angle keeps rho's small deviations from +-1; with a scale,
        // the integrand e^L phi(x) Phi(z) is formed from logs (either factor may be out of range).
        let integrand: (Double) -> Double =
            logScale == 0
            ? { x in exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() * StandardNormal.cdf((k - rho * x) / s) }
            : { x in
                exp(logScale - 0.5 * x * x + StandardNormal.logCDF((k - rho * x) / s)) / (2 * Double.pi).squareRoot()
            }
        // The inner function steps at x0 = k/rho over a width ~ s/|rho|: give the step its own
        // panels (an adaptive rule whose nodes all miss a thin layer would never see it).
        var inner: [Double] = []
        if rho != 0 {
            let x0 = k / rho
            let w = stepHalfWidths * s / Swift.abs(rho)
            inner += [x0 - w, x0, x0 + w]
        }
        // Far in the tails the mass sits in a layer of width 1/slope at h, or of width
        // 1/sqrt(curvature) around an interior mode, which a panel of width 30 would miss.
        inner += massCuts(h, k, rho: rho, sine: s, lower: min(-negligibleBelowH, lower))
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
            size = integral(
                AdaptiveGaussLegendre(relativeTolerance: roughTolerance, maxDepth: conditionalDepth),
                scale: 0)
        }
        // Half the rough size: its own error is far below that, so no panel is judged against
        // more than the true integral.
        let total = integral(
            AdaptiveGaussLegendre(relativeTolerance: accurateTolerance, maxDepth: conditionalDepth),
            scale: 0.5 * size)
        return max(0, logScale == 0 ? min(1, total) : total)
    }

    /// Cut points around the mass of the conditional integrand f(x) = phi(x) Phi((k - rho x)/s)
    /// on (-inf, h]. f is log-concave (a product of log-concave functions), so
    /// (log f)'(x) = -x - (rho/s) m(z), z = (k - rho x)/s, m = phi/Phi, decreases: bisection
    /// finds the mode x*. If it is h, the mass lies within a few 1/(log f)'(h) of h; otherwise
    /// within a few sigma of x*, sigma^-2 = -(log f)''(x*) = 1 + (rho/s)^2 m (z + m).
    static func massCuts(
        _ h: Double, _ k: Double, rho: Double, sine s: Double,
        lower: Double = -negligibleBelowH
    ) -> [Double] {
        let ratio = rho / s
        func millsRatio(_ z: Double) -> Double {
            // phi(z)/Phi(z); below StandardNormal.logCDFSeriesBelow (-37) phi and Phi underflow,
            // and the series to r^3 is good to its first omitted term 105 r^4 < 3e-11, ample
            // for placing cuts.
            if z < StandardNormal.logCDFSeriesBelow {
                let r = 1 / (z * z)
                return -z / (1 - r * (1 - 3 * r * (1 - 5 * r)))
            }
            return exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() / StandardNormal.cdf(z)
        }
        func slope(_ x: Double) -> Double { -x - ratio * millsRatio((k - rho * x) / s) }
        let atH = slope(h)
        if atH >= 0 {
            let width = 1 / max(atH, PanelScale.smallestRate)
            return [1.0, 4, 12, 40].map { h - $0 * width }
        }
        var a = lower
        var b = h
        if slope(a) <= 0 { return [] }
        for _ in 0..<modeBisections where b - a > modeTolerance * max(1, Swift.abs(a)) {
            let m = 0.5 * (a + b)
            if slope(m) > 0 { a = m } else { b = m }
        }
        let mode = 0.5 * (a + b)
        let z = (k - rho * mode) / s
        let m = millsRatio(z)
        let sigma = 1 / (1 + ratio * ratio * max(0, m * (z + m))).squareRoot()
        return [-12.0, -5, -2, -0.5, 0.5, 2, 5, 12].map { mode + $0 * sigma }
    }
}
