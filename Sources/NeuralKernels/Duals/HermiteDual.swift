import Foundation

/// Exact duals of polynomial activations through the Hermite expansion
/// (Proofs/polynomial-duals.md): for P(x) = sum_j p_j x^j and Var u = q,
///
///     P(u) = sum_k a_k(q) He_k(u / sqrt q) q^{k/2},
///     a_k(q) = sum_{j >= k, j - k even} p_j q^{(j-k)/2} j! / (k! ((j-k)/2)! 2^{(j-k)/2}),
///
/// (z^j = sum_k j!/(k! m! 2^m) He_k(z), j = k + 2m), and E[He_k(z1) He_l(z2)] = k! rho^k
/// delta_kl gives
///
///     E[P(u) Q(v)] = sum_k k! a_k(q1) b_k(q2) c^k.
///
/// A finite sum of products of exact coefficients: accurate to rounding for moderate degrees.
public enum HermiteDual {
    /// E[P(u) Q(v)] for polynomials P, Q (ascending coefficients), Var u = q1, Var v = q2, Cov = c.
    public static func expectation(_ p: [Double], _ q: [Double], _ q1: Double, _ q2: Double, _ c: Double) -> Double {
        func hermiteCoefficients(_ coeffs: [Double], _ variance: Double) -> [Double] {
            var a = [Double](repeating: 0, count: coeffs.count)
            for (j, cj) in coeffs.enumerated() where cj != 0 {
                var m = 0
                while 2 * m <= j {
                    let k = j - 2 * m
                    // j! / (k! m! 2^m)
                    var factor = 1.0
                    for i in stride(from: j, to: k, by: -1) { factor *= Double(i) }
                    for i in stride(from: m, to: 0, by: -1) { factor /= Double(i) * 2 }
                    a[k] += cj * pow(variance, Double(m)) * factor
                    m += 1
                }
            }
            return a
        }
        let a = hermiteCoefficients(p, q1)
        let b = hermiteCoefficients(q, q2)
        var total = 0.0
        var power = 1.0
        var factorial = 1.0
        for k in 0..<min(a.count, b.count) {
            if k > 0 {
                power *= c
                factorial *= Double(k)
            }
            total += factorial * a[k] * b[k] * power
        }
        return total
    }
}
