import Foundation

/// Polynomial activations c0 + c1 x + ... + cp x^p, with exact duals through the Hermite
/// expansion (``HermiteDual`` in Duals/, Proofs/polynomial-duals.md):
///
///     E[P(u) Q(v)] = sum_k k! a_k(q1) b_k(q2) c^k,
///     a_k(q) = sum_{j >= k, j - k even} p_j q^{(j-k)/2} j! / (k! ((j-k)/2)! 2^{(j-k)/2}),
///
/// which is z^j = sum_k j!/(k! m! 2^m) He_k(z) (j = k + 2m) with u = sqrt(q) z and
/// E[He_k(z1) He_l(z2)] = k! rho^k delta_kl. The NNGP of a depth-L network is then a
/// polynomial in t of degree p^{L-1}: finite rank.
extension Activation {
    /// The polynomial with coefficients c0, c1, ..., cp (ascending powers).
    public static func polynomial(_ coefficients: [Double]) -> Activation {
        var c = coefficients
        while c.count > 1, c.last == 0 { c.removeLast() }
        if c.isEmpty { c = [0] }
        let degree = c.count - 1
        let derivativeCoefficients = degree == 0 ? [0.0] : (1...degree).map { Double($0) * c[$0] }
        let evens = c.enumerated().allSatisfy { $0.offset % 2 == 0 || $0.element == 0 }
        let odds = c.enumerated().allSatisfy { $0.offset % 2 == 1 || $0.element == 0 }
        let parity: Parity = odds && !evens ? .odd : (evens ? .even : .neither)
        let frozen = c
        // phi' constant up to degree 1. (Higher degrees have the Hermite closed form of phi'';
        // declaring it would change the gradients' last digits, so it is not done here.)
        let secondDerivative: (@Sendable (GaussianPair) -> Double)? =
            degree <= 1 ? ClosedFormDuals.affineSecondDerivative : nil
        let branch = Branch(value: { horner(frozen, $0) }, derivative: { horner(derivativeCoefficients, $0) })
        return Activation(
            name: "poly(" + c.map(formatParameter).joined(separator: ",") + ")",
            smooth: branch,
            regularity: .polynomial(degree: degree),
            parity: parity,
            closedForm: ClosedFormDuals(
                reference: "Hermite expansion; Proofs/polynomial-duals.md",
                smoothNNGP: { q1, q2, cov in HermiteDual.expectation(frozen, frozen, q1, q2, cov) },
                derivative: { q1, q2, cov in
                    HermiteDual.expectation(derivativeCoefficients, derivativeCoefficients, q1, q2, cov)
                },
                secondDerivative: secondDerivative))
    }
}

@inline(__always) func horner(_ coefficients: [Double], _ x: Double) -> Double {
    var result = 0.0
    for coeff in coefficients.reversed() { result = result * x + coeff }
    return result
}

extension ActivationCatalogue {
    static let polynomialFamily: [Entry] = [
        Entry(
            "poly", parameters: ["c0", "c1", "...", "cp"], "c0 + c1 x + ... + cp x^p (at most 64 coefficients)",
            examples: ["poly(0,1,1)"]
        ) { p in
            try count("poly", p, 1...64, "coefficients c0,c1,...,cp, e.g. poly(0,1,0.5)")
            return .polynomial(p)
        }
    ]
}
