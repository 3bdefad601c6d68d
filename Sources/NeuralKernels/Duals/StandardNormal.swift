import Foundation

/// The standard normal distribution: density phi(x) = e^{-x^2/2} / sqrt(2 pi), distribution
/// function Phi(x) = integral_{-inf}^{x} phi, and log Phi where Phi underflows.
public enum StandardNormal {
    /// Phi(x) = erfc(-x / sqrt 2) / 2, accurate in both tails (erfc keeps relative accuracy
    /// where Phi is tiny; near 1 the rounding of 1 is the limit).
    @inlinable public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// phi(x) = e^{-x^2/2} / sqrt(2 pi).
    @inlinable public static func density(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }

    /// Below this argument `logCDF` uses the asymptotic series instead of log(cdf(x)): Phi(-37)
    /// is about 6e-300, near the bottom of double range (log of a subnormal loses digits), and
    /// the series' first omitted term is below 2e-17 there.
    @inlinable public static var logCDFSeriesBelow: Double { -37 }

    /// log Phi(x), accurate where Phi(x) underflows: below -37 (`logCDFSeriesBelow`) from the
    /// asymptotic series Phi(x) = phi(x)/(-x) (1 - r + 3 r^2 - 15 r^3 + ... + 135135 r^7...),
    /// r = 1/x^2, whose first omitted term is below 2e-17 there.
    @inlinable public static func logCDF(_ x: Double) -> Double {
        if x > logCDFSeriesBelow { return log(cdf(x)) }
        let r = 1 / (x * x)
        let series = 1 - r * (1 - 3 * r * (1 - 5 * r * (1 - 7 * r * (1 - 9 * r * (1 - 11 * r * (1 - 13 * r))))))
        return -0.5 * x * x - log(-x) - 0.5 * log(2 * Double.pi) + log(series)
    }
}
