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
/// Phi(min(h, k)) or max(0, Phi(h) + Phi(k) - 1)). Relative accuracy about 1e-15, tails included.
public enum BivariateNormal {
    /// Standard normal distribution function, accurate in both tails.
    @inlinable public static func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// P(Z1 < h, Z2 < k) for the correlation angle `angle` (rho = cos theta).
    public static func cdf(_ h: Double, _ k: Double, angle: CorrelationAngle) -> Double {
        let rho = angle.rho
        let s = angle.sine
        if s == 0 || angle.theta == 0 || angle.complement == 0 {
            return rho > 0 ? phi(min(h, k)) : max(0, phi(h) + phi(k) - 1)
        }
        let lower = -39.0
        if h <= lower { return 0 }
        // cos theta computed from the angle keeps rho's small deviations from +-1.
        let integrand: (Double) -> Double = { x in
            exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() * phi((k - rho * x) / s)
        }
        // The inner function steps at x0 = k/rho over a width ~ s/|rho|: give the step its own
        // panels (an adaptive rule whose nodes all miss a thin layer would never see it).
        var cuts = [lower]
        if rho != 0 {
            let x0 = k / rho, w = 12 * s / Swift.abs(rho)
            for x in [x0 - w, x0, x0 + w] where x > lower && x < h { cuts.append(x) }
        }
        cuts.append(h)
        let quadrature = AdaptiveGaussLegendre(relativeTolerance: 1e-15, maxDepth: 40)
        var total = 0.0
        for i in 0..<(cuts.count - 1) {
            // Relative to each piece: the tilted terms multiply far-tail probabilities by large
            // exponentials, so tails need relative, not absolute, accuracy.
            total += quadrature.integrate(cuts[i], cuts[i + 1], scale: 0, integrand).value
        }
        return min(1, max(0, total))
    }
}
