import Foundation

/// Regularity of a periodic sample path from quadratic variations of p-th order differences
/// across dyadic scales: an L2 (Besov-type) regularity (Proofs/quadratic-variation-estimator.md).
///
/// For a Gaussian path whose covariance is C(h) = C(0) - c |h|^{2a} + smooth + ..., the p-th
/// difference (``PeriodicDifferences``, p > a) has E[(Delta_h^p x)^2] ~ K h^{2a} as h -> 0, so
/// the empirical mean V(h) over all i gives a = slope(log V against log h) / 2. The fit uses
/// the dyadic scales h = 2^j grid steps, j in `scales`. Saturates at p for smooth paths.
public struct QuadraticVariation: Sendable {
    public let order: Int
    public let scales: ClosedRange<Int>

    public init(order: Int = 4, scales: ClosedRange<Int> = 2...7) {
        precondition(order >= 1 && scales.lowerBound >= 0)
        self.order = order
        self.scales = scales
    }

    /// (log2 h, log2 V(h)) for every scale.
    public func variogram(_ x: [Double]) -> [(Double, Double)] {
        let differences = PeriodicDifferences(order: order)
        return scales.map { j in
            let d = differences(x, lag: 1 << j)
            return (Double(j), log2(d.reduce(0) { $0 + $1 * $1 } / Double(x.count)))
        }
    }

    /// The fit over `scales`, with its scale-wise local exponents.
    public func fit(_ x: [Double]) -> LogLogFit {
        LogLogFit(points: variogram(x).map { (log2h: $0.0, log2value: $0.1) }, power: 2)
    }

    /// The estimated regularity a: half the least-squares slope of log V against log h.
    public func regularity(_ x: [Double]) -> Double { fit(x).exponent }
}
