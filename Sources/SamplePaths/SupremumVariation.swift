import Foundation

/// Hoelder-type regularity of a periodic path from the largest p-th differences across dyadic
/// scales: M(h) = max_i |Delta_h^p x_i| ~ h^a, a = slope(log M against log h).
///
/// Unlike ``QuadraticVariation`` (a mean square, Besov-type), this sees the worst point: a
/// piecewise-smooth path with kinks has M(h) ~ h (a = 1) at scales below the kink spacing,
/// while its mean square of differences can still scale as h^3 (a = 1.5).
///
/// Known bias for a stationary Gaussian path: M(h) is the maximum of about N = n / h weakly
/// dependent Gaussians of standard deviation sqrt(V(h)), so M(h) ~ sqrt(V(h)) sqrt(2 ln N) and
/// the slope is a - 1/(2 ln(n/h)) to leading order (about -0.06 for n/h = 2^12);
/// ``gaussianBias(points:)`` gives this correction averaged over the fitted scales
/// (Proofs/quadratic-variation-estimator.md, section "Sup-norm estimator").
public struct SupremumVariation: Sendable {
    public let order: Int
    public let scales: ClosedRange<Int>

    public init(order: Int = 4, scales: ClosedRange<Int> = 2...7) {
        precondition(order >= 1 && scales.lowerBound >= 0)
        self.order = order
        self.scales = scales
    }

    /// (log2 h, log2 M(h)) for every scale.
    public func profile(_ x: [Double]) -> [(Double, Double)] {
        let differences = PeriodicDifferences(order: order)
        return scales.map { j in
            let d = differences(x, lag: 1 << j)
            return (Double(j), log2(d.reduce(0) { max($0, Swift.abs($1)) }))
        }
    }

    public func fit(_ x: [Double]) -> LogLogFit {
        LogLogFit(points: profile(x).map { (log2h: $0.0, log2value: $0.1) }, power: 1)
    }

    public func regularity(_ x: [Double]) -> Double { fit(x).exponent }

    /// The leading-order bias -1/(2 ln(n/h)) of the slope for Gaussian paths on n points,
    /// least-squares weighted as the fit weights the scales: the slope of
    /// (1/2) log2(2 ln(n / 2^j)) against j.
    public func gaussianBias(points n: Int) -> Double {
        let pts = scales.map { j in (log2h: Double(j), log2value: 0.5 * log2(2 * log(Double(n) / Double(1 << j)))) }
        return LogLogFit(points: pts, power: 1).exponent
    }
}
