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
///
/// One method per file: BivariateNormal+Genz, +Drezner (graded tails), +ConditionalIntegral
/// (adaptive); StandardNormal holds Phi, phi and log Phi.
public enum BivariateNormal {
    /// Genz's absolute error (about 1e-16) is a relative error below 1e-9 wherever his value is
    /// at least this: above it `scaledCDF` takes Genz's value; below it, a tail, the graded forms.
    static let genzRelativeAbove = 1e-7

    /// exp(logScale) overflows near 709.78; below 700 the scale and Genz's value are formed as a
    /// plain product with room to spare, above it every term is formed from logs.
    static let directLogScaleBelow = 700.0

    /// Relative size of the absolute error of Drezner's subtracted form for rho < 0, against
    /// Phi(h) Phi(k) (about 1e-15 expected, at most 1e-14 measured in BivariateNormalTests).
    static let dreznerCancellationError = 1e-14

    /// Where the unscaled graded value exceeds this, it is known to a few per cent even after the
    /// cancellation (error 1e-14 of a product at most 1), so it can seed the adaptive integral.
    static let gradedEstimateAbove = 1e-13

    /// Smallest factor multiplied as a plain double (Drezner's Phi(h) Phi(k) and e^{-E}, the ELU
    /// duals' e^x Phi): above it each factor is a normal double with full relative precision
    /// and the plain product keeps the rounding of ordinary arguments; below it, near the
    /// subnormal range (2.2e-308), the terms are formed from logs.
    static let directFactorAbove = 1e-290

    /// The absolute accuracy that callers of ``cdf(_:_:angle:weight:)`` with a finite weight
    /// need after multiplying by it: 1e-14, the duals' relative accuracy on values of order one.
    static let weightedAbsoluteAccuracy = 1e-14

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
        min(
            1,
            scaledCDF(
                h, k, angle: angle, logScale: 0,
                absoluteTolerance: weight.isFinite ? weightedAbsoluteAccuracy / weight : 0))
    }

    /// e^{logScale} Phi2(h, k; rho), formed without overflow or underflow of either factor (the
    /// ELU duals multiply values as small as e^{-2q} by e^{2q}, beyond double range for q above
    /// about 350), to relative accuracy about 1e-14, or to `absoluteTolerance` where a
    /// relatively accurate value would need the slow route (rho < 0 with cancellation).
    public static func scaledCDF(
        _ h: Double, _ k: Double, angle: CorrelationAngle, logScale: Double,
        absoluteTolerance: Double
    ) -> Double {
        let fast = genz(h, k, angle: angle)
        if fast >= genzRelativeAbove && logScale < directLogScaleBelow { return exp(logScale) * fast }
        let graded = dreznerGraded(h, k, angle: angle, logScale: logScale)
        if angle.rho >= 0 { return graded.value }
        // rho < 0: Drezner's integral is subtracted from Phi(h) Phi(k); the difference carries
        // an absolute error of about 1e-15 Phi(h) Phi(k) (scaled), at most 1e-14 measured.
        let error = dreznerCancellationError * graded.product
        if error <= dreznerCancellationError * graded.value || error <= absoluteTolerance { return graded.value }
        // The graded value is known to a few per cent where the unscaled value exceeds 1e-13.
        let estimate = graded.value * exp(-logScale) > gradedEstimateAbove ? graded.value : nil
        return adaptive(h, k, angle: angle, estimate: estimate, logScale: logScale)
    }

}
