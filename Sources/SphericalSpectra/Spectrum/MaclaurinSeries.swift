import Foundation

/// The Maclaurin series kappa(t) = sum_n a_n t^n of a dot-product kernel with a_n >= 0, and the
/// Funk-Hecke eigenvalues it gives without quadrature.
///
/// With P_k(1) = 1 and the probability measure on S^{d-1}, the eigenvalue of t^n is
///
///     m(n, k) = n! Gamma(d/2) / (2^n ((n - k)/2)! Gamma((n + k + d)/2))   for n >= k, n - k even,
///
/// and 0 otherwise (Proofs/spectral-quadrature.md, "Entire kernels"), so
/// mu_k = sum_j a_{k+2j} m(k+2j, k): a sum of non-negative terms. Schoenberg's theorem makes
/// a_n >= 0 for every kernel positive definite on all spheres, so nothing cancels and every
/// mu_k comes out to a relative accuracy of a few ulps times the size of the logarithms
/// involved (about 1e-13 at mu_k ~ 1e-300): far below quadrature's rounding floor of about
/// 1e-17 mu_0, which a super-polynomially decaying spectrum reaches within a few dozen k.
public struct MaclaurinSeries: Sendable {
    /// log a_n (-infinity where a_n = 0); a_n must be >= 0 and the ratio of successive
    /// non-zero terms must eventually decrease (true for entire kernels).
    public let logCoefficient: @Sendable (Int) -> Double

    public init(logCoefficient: @escaping @Sendable (Int) -> Double) {
        self.logCoefficient = logCoefficient
    }

    /// log m(n, k) on S^{d-1}, and the sum of the magnitudes of the logarithms it is made of
    /// (their rounding is what limits the accuracy).
    static func logMoment(n: Int, k: Int, dimension d: Int) -> (value: Double, size: Double) {
        let half = Double(d) / 2
        let factorial: Double = lgamma(Double(n) + 1)
        let gammaHalf: Double = lgamma(half)
        let power: Double = Double(n) * M_LN2
        let lower: Double = lgamma(Double(n - k) / 2 + 1)
        let upper: Double = lgamma(Double(n + k) / 2 + half)
        let value: Double = factorial + gammaHalf - power - lower - upper
        let size: Double = Swift.abs(factorial) + Swift.abs(gammaHalf) + power + Swift.abs(lower) + Swift.abs(upper)
        return (value, size)
    }

    /// mu_k and an error bound (rounding of the logarithms plus the truncated tail) for
    /// Most terms summed per k; a series that has not settled by then gets an infinite error.
    static let maximumTerms = 4000
    /// Settled once the terms fall geometrically, by at least this ratio ...
    static let settledRatio = 0.5
    /// ... and below this fraction of the sum (or below e^-745, where they underflow).
    static let settledFraction = 1e-20
    static let underflowLogTerm = -745.0
    /// Where the last term's log is below -690 (terms near 1e-300) the error has this floor,
    /// else the smallest subnormal: the value may have underflowed to 0.
    static let tinyLogTerm = -690.0
    static let tinyErrorFloor = 1e-300
    /// The rounding of each logarithm counts 8 ulps on top of the sizes of its pieces.
    static let baseLogUlps = 8.0

    /// k = 0...kmax; an infinite error where the series does not settle within 4000 terms.
    public func eigenvalues(dimension d: Int, kmax: Int) -> (mu: [Double], error: [Double]) {
        var mu = [Double](repeating: 0, count: kmax + 1)
        var error = [Double](repeating: .infinity, count: kmax + 1)
        let eps = Double.ulpOfOne
        for k in 0...kmax {
            var sum = 0.0
            var rounding = 0.0
            var previous = -Double.infinity
            var settled = false
            for j in 0..<Self.maximumTerms {
                let n = k + 2 * j
                let la = logCoefficient(n)
                if la == -.infinity { continue }  // a zero coefficient
                let (lm, size) = MaclaurinSeries.logMoment(n: n, k: k, dimension: d)
                let logTerm = la + lm
                let term = exp(logTerm)
                sum += term
                // Each logarithm is rounded relatively: the term's relative error is about eps
                // times the sizes of the pieces of its logarithm (the coefficient's counted as
                // twice its magnitude plus log n!, which such coefficients usually contain).
                let logSize: Double = Self.baseLogUlps + 2 * Swift.abs(la) + lgamma(Double(n) + 1) + size
                rounding += term * 2 * eps * logSize
                let ratio = previous == -.infinity ? 1 : exp(logTerm - previous)
                previous = logTerm
                // Stop when the terms fall geometrically (ratio <= 1/2) below 1e-20 of the sum;
                // the rest is then at most term * ratio / (1 - ratio).
                // (Terms below e^-745 underflow: then mu_k < 1e-300 and the sum may be 0.)
                if ratio <= Self.settledRatio
                    && ((sum > 0 && term <= Self.settledFraction * sum) || logTerm < Self.underflowLogTerm)
                {
                    rounding += term * ratio / (1 - ratio)
                    settled = true
                    break
                }
            }
            if settled {
                mu[k] = sum
                let floor = previous < Self.tinyLogTerm ? Self.tinyErrorFloor : Double.leastNonzeroMagnitude
                error[k] = rounding + 2 * eps * sum + floor
            }
        }
        return (mu, error)
    }
}
