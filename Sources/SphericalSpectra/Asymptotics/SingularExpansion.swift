import Foundation
import _NumericalBackends

/// Endpoint singular terms kappa_sing(t) = sum_j c_j (1 - t)^{a_j} + sum_j c'_j (1 + t)^{b_j}
/// and their Mercer eigenvalues on S^{d-1} in closed form.
///
/// For a > -1 not an integer (Proofs/gegenbauer-coefficients-of-singular-terms.md):
///
///     mu_k[(1 - t)^a] = G_k(d, a) = 2^{a+d-2} Gamma(a + (d-1)/2) Gamma(d/2) Gamma(k - a)
///                                   / (sqrt(pi) Gamma(-a) Gamma(k + a + d - 1))
///     mu_k[(1 + t)^b] = (-1)^k G_k(d, b)
///     G_k(d, a) ~ C(d, a) k^{-(d-1) - 2a},  C(d, a) = 2^{a+d-2} Gamma(a + (d-1)/2) Gamma(d/2) / (sqrt(pi) Gamma(-a))
///
/// Evaluated by log-gamma (GSL) at the first k and the exact ratio
/// G_{k+1}/G_k = (k - a)/(k + a + d - 1) upward: relative error about (|log Gamma(k)| + sqrt(k)) eps.
/// Checked against quadrature of (1 - t)^a in SingularExpansionTests.
public struct SingularExpansion: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        public let exponent: Double
        public let coefficient: Double
        public init(exponent: Double, coefficient: Double) {
            self.exponent = exponent
            self.coefficient = coefficient
        }
    }

    public let dimension: Int
    /// Terms c (1 - t)^a at t = +1.
    public let upper: [Term]
    /// Terms c (1 + t)^b at t = -1.
    public let lower: [Term]

    public init(dimension: Int, upper: [Term], lower: [Term]) {
        self.dimension = dimension
        self.upper = upper
        self.lower = lower
    }

    /// mu_k of the singular terms for k in k0...k1.
    public func coefficients(from k0: Int, through k1: Int) -> [Double] {
        var out = [Double](repeating: 0, count: k1 - k0 + 1)
        for term in upper where term.coefficient != 0 {
            let g = SingularExpansion.gegenbauerCoefficients(
                ofPower: term.exponent, dimension: dimension, from: k0, through: k1)
            for i in out.indices { out[i] += term.coefficient * g[i] }
        }
        for term in lower where term.coefficient != 0 {
            let g = SingularExpansion.gegenbauerCoefficients(
                ofPower: term.exponent, dimension: dimension, from: k0, through: k1)
            for i in out.indices { out[i] += ((k0 + i) % 2 == 0 ? 1 : -1) * term.coefficient * g[i] }
        }
        return out
    }

    /// The leading term C(d, a) c_+ of mu_k ~ C(d, a) c_+ k^{-(d-1)-2a} from t = +1 (nil without upper terms).
    public var leadingUpperConstant: Double? {
        guard let first = upper.first else { return nil }
        return SingularExpansion.leadingConstant(dimension: dimension, exponent: first.exponent) * first.coefficient
    }

    /// G_k(d, a) for k = k0...k1 (a > -1, not an integer).
    public static func gegenbauerCoefficients(ofPower a: Double, dimension d: Int, from k0: Int, through k1: Int)
        -> [Double]
    {
        precondition(a > -1 && a != a.rounded() && d >= 2 && k0 >= 0 && k1 >= k0)
        let dd = Double(d)
        let logG0 =
            (a + dd - 2) * log(2.0) + lg(a + 0.5 * (dd - 1)).0 + lg(0.5 * dd).0 - 0.5 * log(Double.pi)
            - lg(-a).0 + lg(Double(k0) - a).0 - lg(Double(k0) + a + dd - 1).0
        let sign = lg(-a).1 * lg(Double(k0) - a).1
        var out = [Double](repeating: 0, count: k1 - k0 + 1)
        var g = sign * exp(logG0)
        for i in out.indices {
            out[i] = g
            let k = Double(k0 + i)
            g *= (k - a) / (k + a + dd - 1)
        }
        return out
    }

    /// C(d, a) = 2^{a+d-2} Gamma(a + (d-1)/2) Gamma(d/2) / (sqrt(pi) Gamma(-a)).
    public static func leadingConstant(dimension d: Int, exponent a: Double) -> Double {
        let dd = Double(d)
        let l = (a + dd - 2) * log(2.0) + lg(a + 0.5 * (dd - 1)).0 + lg(0.5 * dd).0 - 0.5 * log(Double.pi) - lg(-a).0
        return lg(-a).1 * exp(l)
    }

    /// (log |Gamma(x)|, sign Gamma(x)) from GSL; x is never a pole here (a is not an integer).
    private static func lg(_ x: Double) -> (Double, Double) {
        guard let r = try? GSL.logGamma(x) else { return (.nan, 1) }
        return (r.log.value, r.sign)
    }
}
