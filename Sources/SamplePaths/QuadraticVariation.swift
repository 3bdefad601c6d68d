import Foundation

/// Regularity of a periodic sample path from quadratic variations of p-th order differences
/// across dyadic scales (Proofs/quadratic-variation-estimator.md).
///
/// For a Gaussian path whose covariance is C(h) = C(0) - c |h|^{2a} + smooth + ..., the p-th
/// difference Delta_h^p x_i = sum_k (-1)^{p-k} binom(p, k) x_{i+kh} (p > a) has
/// E[(Delta_h^p x)^2] ~ K h^{2a} as h -> 0, so the empirical mean V(h) over all i gives
/// a = slope(log V against log h) / 2. The fit uses the dyadic scales h = 2^j, j in `scales`.
public struct QuadraticVariation: Sendable {
    public let order: Int
    public let scales: ClosedRange<Int>

    public init(order: Int = 4, scales: ClosedRange<Int> = 2...7) {
        precondition(order >= 1 && scales.lowerBound >= 0)
        self.order = order; self.scales = scales
    }

    /// (log2 h, log2 V(h)) for every scale.
    public func variogram(_ x: [Double]) -> [(Double, Double)] {
        let n = x.count
        var binomials = [Double](repeating: 1, count: order + 1)
        for k in 1...order { binomials[k] = binomials[k - 1] * Double(order - k + 1) / Double(k) }
        return scales.map { j in
            let h = 1 << j
            var sum = 0.0
            for i in 0..<n {
                var d = 0.0
                for k in 0...order {
                    let sign: Double = (order - k) % 2 == 0 ? 1 : -1
                    d += sign * binomials[k] * x[(i + k * h) % n]
                }
                sum += d * d
            }
            return (Double(j), log2(sum / Double(n)))
        }
    }

    /// The estimated regularity a: half the least-squares slope of log V against log h.
    public func regularity(_ x: [Double]) -> Double {
        let points = variogram(x)
        let m = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.0 } / m, my = points.reduce(0) { $0 + $1.1 } / m
        var sxy = 0.0, sxx = 0.0
        for (u, v) in points { sxy += (u - mx) * (v - my); sxx += (u - mx) * (u - mx) }
        return 0.5 * sxy / sxx
    }
}
