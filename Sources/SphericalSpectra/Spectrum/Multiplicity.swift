import Foundation

/// The multiplicity N(d, k) of the degree-k spherical harmonics on S^{d-1}:
///
///     N(d, k) = (2k + d - 2)/k * binom(k + d - 3, k - 1),   N(d, 0) = 1
///             = (2k + d - 2)/(d - 2) * prod_{j=1}^{d-3} (k + j)/j        (d >= 3)
///
/// (d = 2: N = 2 for k >= 1; d = 3: N = 2k + 1.) Evaluated by the O(d) product, exact while
/// (2k + d - 2) binom(k + d - 3, d - 3) < 2^53, relative error below 2 d ulps beyond.
/// Checked in MultiplicityTests (against the binomial form and the dimension of the
/// harmonic polynomials).
public enum Multiplicity {
    public static func value(dimension d: Int, degree k: Int) -> Double {
        precondition(d >= 2 && k >= 0)
        if k == 0 { return 1 }
        if d == 2 { return 2 }
        // binom(k + d - 3, d - 3) by C_{j} = C_{j-1} (k + j) / j: every C_j is an integer, so
        // each step is exact while the product stays below 2^53.
        var binomial = 1.0
        for j in stride(from: 1, through: d - 3, by: 1) { binomial = binomial * Double(k + j) / Double(j) }
        return Double(2 * k + d - 2) * binomial / Double(d - 2)
    }

    /// log N(d, k) = log((2k + d - 2)/k) + log Gamma(k + d - 2) - log Gamma(k) - log Gamma(d - 1),
    /// finite where N itself overflows (d = 4096, k >= 90); relative error about 1e-15 times
    /// the size of the log-gammas.
    public static func logValue(dimension d: Int, degree k: Int) -> Double {
        precondition(d >= 2 && k >= 0)
        if k == 0 { return 0 }
        if d == 2 { return log(2.0) }
        let dd = Double(d)
        let kk = Double(k)
        return log(2 * kk + dd - 2) - log(kk) + lgamma(kk + dd - 2) - lgamma(kk) - lgamma(dd - 1)
    }

    /// N(d, k) for k = 0...kmax (O(d kmax)).
    public static func values(dimension d: Int, upTo kmax: Int) -> [Double] {
        (0...kmax).map { value(dimension: d, degree: $0) }
    }
}
