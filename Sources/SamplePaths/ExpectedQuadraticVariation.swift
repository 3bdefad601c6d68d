import Foundation

/// The exact expected value of the quadratic-variation estimator (``QuadraticVariation``) on
/// the paths a ``CirculantSampler`` draws, at given dyadic scales: its bias against the theory
/// exponent, without sampling (Proofs/quadratic-variation-estimator.md, "Coarse-scale bias").
///
/// One path x is Gaussian with circulant covariance of eigenvalues lambda_m, so its p-th
/// differences at lag h have covariance eigenvalues mu_m = lambda_m (2 sin(pi m h / n))^{2p}
/// and the empirical variogram is V-hat(h) = (1/n) sum_m mu_m Z_m^2 with Z_m independent
/// standard normals (in a real orthonormal eigenbasis). The estimator is the least-squares
/// slope of log2 V-hat(2^j) against j, halved; it is linear in the log2 V-hat, so its mean is
/// the same slope of
///
///     E log2 V-hat(h) = log2 E V(h) + E ln(Q) / ln 2,   Q = sum_m w_m Z_m^2,  w_m = mu_m / sum mu,
///
/// with E ln Q = int_0^inf (e^{-t} - prod_m (1 + 2 t w_m)^{-1/2}) dt / t (Frullani:
/// ln q = int_0^inf (e^{-t} - e^{-t q}) dt / t; E e^{-tQ} is the chi-square product). Two parts
/// of the bias: the curvature of log E V (the O(h^{2p}) smooth part and higher singular terms
/// of the kernel, largest at coarse scales) and the Jensen term E ln Q < 0 (few effectively
/// independent differences at coarse lags), which grows with h and lowers the slope.
public struct ExpectedQuadraticVariation: Sendable {
    public let order: Int
    public let scales: ClosedRange<Int>
    /// log2 E V(2^j) for j in `scales`.
    public let log2Variogram: [Double]
    /// E log2 V-hat(2^j) for j in `scales`.
    public let expectedLog2Variogram: [Double]

    public init(sampler: CirculantSampler, order p: Int, scales: ClosedRange<Int>) {
        self.order = p
        self.scales = scales
        let lambdas = sampler.eigenvalues
        let n = sampler.count
        var logMean: [Double] = []
        var logExpected: [Double] = []
        for j in scales {
            let h = 1 << j
            // mu_m for m = 0 ... n/2, with multiplicity 2 for 0 < m < n/2 (mu_{n-m} = mu_m).
            var mu: [(value: Double, count: Double)] = []
            var total = 0.0
            for m in 0...(n / 2) {
                let s = 2 * sin(Double.pi * Double((m * h) % n) / Double(n))
                let value = lambdas[m] * pow(s * s, Double(p))
                let count: Double = (m == 0 || 2 * m == n) ? 1 : 2
                if value > 0 {
                    mu.append((value, count))
                    total += count * value
                }
            }
            logMean.append(log2(total / Double(n)))
            logExpected.append(
                log2(total / Double(n)) + Self.expectedLog(weights: mu.map { ($0.value / total, $0.count) }) / log(2))
        }
        log2Variogram = logMean
        expectedLog2Variogram = logExpected
    }

    /// E ln Q for Q = sum_m c_m w_m Z_m^2 (weight w_m with multiplicity c_m, sum c_m w_m = 1),
    /// by the trapezoidal rule in u = ln t from -40, step 0.2, until the integrand is below 1e-18
    /// (it decays like t^{-k/2} for k effective terms, so up to u = 90 for one term): the
    /// integrand is analytic in the strip |Im u| < pi / 2 and decays exponentially at both
    /// ends, so the rule's error is about exp(-pi^2 / 0.2), far below double precision. At each t the terms with
    /// 2 t w < 1e-3 enter through the series 2tw - (2tw)^2/2 + (2tw)^3/3 of log1p (power sums
    /// precomputed; truncation below 2.5e-10 of the log-product), so the cost is not n per node.
    public static func expectedLog(weights: [(weight: Double, count: Double)]) -> Double {
        let sorted = weights.filter { $0.weight > 0 }.sorted { $0.weight > $1.weight }
        guard !sorted.isEmpty else { return .nan }
        let m = sorted.count
        // Suffix power sums: s_r[k] = sum_{i >= k} c_i w_i^r.
        var s1 = [Double](repeating: 0, count: m + 1)
        var s2 = s1
        var s3 = s1
        for i in stride(from: m - 1, through: 0, by: -1) {
            let w = sorted[i].weight
            let c = sorted[i].count
            s1[i] = s1[i + 1] + c * w
            s2[i] = s2[i + 1] + c * w * w
            s3[i] = s3[i + 1] + c * w * w * w
        }
        let step = 0.2
        var sum = 0.0
        var u = -40.0
        while u <= 200 {
            let t = exp(u)
            // First index with 2 t w < 1e-3 (weights decrease).
            var lo = 0
            var hi = m
            while lo < hi {
                let mid = (lo + hi) / 2
                if 2 * t * sorted[mid].weight < 1e-3 { hi = mid } else { lo = mid + 1 }
            }
            let x = 2 * t
            var logProduct = -0.5 * (x * s1[lo] - x * x * s2[lo] / 2 + x * x * x * s3[lo] / 3)
            for i in 0..<lo {
                logProduct -= 0.5 * sorted[i].count * log1p(x * sorted[i].weight)
                if logProduct < -800 { break }
            }
            // f(t) = e^{-t} - E e^{-tQ}; dt / t = du.
            let tail = exp(logProduct)
            sum += exp(-t) - tail
            if u > 0 && tail < 1e-18 { break }
            u += step
        }
        return sum * step
    }

    /// The estimator's expected value: the least-squares slope of E log2 V-hat against j, halved.
    public var expected: Double {
        LogLogFit(points: zip(scales, expectedLog2Variogram).map { (log2h: Double($0), log2value: $1) }, power: 2)
            .exponent
    }

    /// The same slope of log2 E V alone (the variogram's curvature, no Jensen term).
    public var curvatureOnly: Double {
        LogLogFit(points: zip(scales, log2Variogram).map { (log2h: Double($0), log2value: $1) }, power: 2).exponent
    }
}
