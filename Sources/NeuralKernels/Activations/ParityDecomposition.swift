import Foundation

/// The regularity at 0 of the even and odd parts of an activation,
/// phi_e(x) = (phi(x) + phi(-x))/2 and phi_o(x) = (phi(x) - phi(-x))/2.
///
/// Why it matters: for a centred Gaussian pair, E[phi(u) phi(v)] = E[phi_e(u) phi_e(v)] +
/// E[phi_o(u) phi_o(v)] (the cross terms vanish under (u, v) -> (-u, -v)), the first even and
/// the second odd in the correlation. Without biases the one-hidden-layer kernel's even Mercer
/// eigenvalues are therefore those of phi_e's kernel and its odd ones those of phi_o's, each
/// decaying at the rate of that part's own non-smoothness degree
/// (Proofs/parity-without-bias.md).
///
/// With D = P - N the difference of the analytic branches (P for x >= 0, N for x < 0), the
/// j-th derivative of phi jumps at 0 by J_j = D^(j)(0). phi_e's derivatives of odd order and
/// phi_o's of even order are the ones that can jump, each by J_j; so phi_e's degree is the
/// least odd j with J_j != 0 and phi_o's the least even one. ELU(1): D = x - (e^x - 1),
/// J_1 = 0, J_2 = J_3 = -1: phi_o has degree 2 and phi_e degree 3.
///
/// The J_j beyond the declared degree m are found numerically: D is interpolated at 21
/// Chebyshev points of [-1, 1] and its Taylor coefficients J_j / j! at 0 read off the
/// interpolant (absolute error below 1e-8 of max |D| for j <= 12); a coefficient counts as
/// non-zero above 1e-7 max |D|, and orders m...m+6 (at most 12) are examined, which finds
/// the first jump of the other parity for every activation whose branch difference is as
/// tame as e^x (1/10! = 2.8e-7) -- all built-in families. A part without a jump up to that
/// order is smooth; it is a polynomial (and then its kernel has finite rank) when its
/// degree-40 Chebyshev interpolant on [-4, 4] has no coefficient above 1e-13 of max |phi|
/// past some degree p, and zero when it has none at all.
public struct ParityDecomposition: Sendable, Equatable, CustomStringConvertible {
    /// How one parity part behaves at 0.
    public enum Part: Sendable, Equatable, CustomStringConvertible {
        /// The part is identically zero (phi is odd, or even).
        case zero
        /// The part is a polynomial of this degree.
        case polynomial(degree: Int)
        /// The part is analytic at 0 and not a polynomial.
        case analytic
        /// The part's derivative of this order jumps at 0 (lower ones are continuous).
        case kink(degree: Int)

        public var description: String {
            switch self {
            case .zero: return "zero"
            case .polynomial(let p): return "polynomial of degree \(p)"
            case .analytic: return "analytic"
            case .kink(let m): return "non-smooth of degree \(m)"
            }
        }
    }

    public let even: Part
    public let odd: Part

    public init(even: Part, odd: Part) {
        self.even = even
        self.odd = odd
    }

    public var description: String { "even part \(even), odd part \(odd)" }

    /// Decomposes `activation` (see the type's documentation for the method and accuracy).
    public init(_ activation: Activation) {
        var evenKink: Int? = nil
        var oddKink: Int? = nil
        if case .kink(let m, _) = activation.regularity {
            let order = max(m, min(m + 6, 12))
            let jumps = ParityDecomposition.taylorCoefficientsOfBranchDifference(activation, through: order)
            for j in m...order where Swift.abs(jumps.values[j]) > 1e-7 * jumps.scale || j == m {
                if j % 2 == 1, evenKink == nil { evenKink = j }
                if j % 2 == 0, oddKink == nil { oddKink = j }
            }
        }
        even = evenKink.map { .kink(degree: $0) } ?? ParityDecomposition.smoothPart(activation, sign: 1)
        odd = oddKink.map { .kink(degree: $0) } ?? ParityDecomposition.smoothPart(activation, sign: -1)
    }

    /// Taylor coefficients J_j / j! of D = P - N at 0, j = 0...order, from its Chebyshev
    /// interpolant on [-1, 1] (absolute error below 1e-8 max |D| for j <= 12); `scale` is
    /// max |D| on the points.
    static func taylorCoefficientsOfBranchDifference(_ a: Activation, through order: Int) -> (
        values: [Double], scale: Double
    ) {
        let n = 21
        let nodes = (0..<n).map { cos(Double.pi * (Double($0) + 0.5) / Double(n)) }
        let d = nodes.map { a.positive.value($0) - a.negative.value($0) }
        guard d.allSatisfy(\.isFinite) else { return ([Double](repeating: .nan, count: order + 1), 0) }
        let coefficients = chebyshevCoefficients(values: d, nodes: nodes)
        return (taylorCoefficients(ofChebyshev: coefficients, through: order), d.map { Swift.abs($0) }.max() ?? 0)
    }

    /// The even (sign = 1) or odd (sign = -1) part when it has no jump at 0.
    /// A polynomial has the same apparent degree on [-4, 4] and [-16, 16]; an entire function
    /// that is not one (sin, exp(-x^2/2)) needs visibly more terms on the wider interval.
    static func smoothPart(_ a: Activation, sign: Double) -> Part {
        func apparentDegree(radius: Double) -> Int?? {
            let n = 41
            let nodes = (0..<n).map { radius * cos(Double.pi * (Double($0) + 0.5) / Double(n)) }
            let part = nodes.map { 0.5 * (a($0) + sign * a(-$0)) }
            let scale = nodes.map { Swift.abs(a($0)) }.max() ?? 0
            guard part.allSatisfy(\.isFinite), scale > 0 else { return nil }
            let c = chebyshevCoefficients(values: part, nodes: nodes.map { $0 / radius })
            return .some(c.indices.last { Swift.abs(c[$0]) > 1e-13 * scale })
        }
        guard let narrow = apparentDegree(radius: 4), let wide = apparentDegree(radius: 16) else { return .analytic }
        switch (narrow, wide) {
        case (nil, nil): return .zero
        case (let p?, let q?) where p == q && p <= 24: return .polynomial(degree: p)
        default: return .analytic
        }
    }

    /// Chebyshev coefficients c_k (f = sum c_k T_k) of the interpolant at the first-kind
    /// points x_j = cos(pi (j + 1/2) / n).
    static func chebyshevCoefficients(values f: [Double], nodes: [Double]) -> [Double] {
        let n = f.count
        return (0..<n).map { k in
            var s = 0.0
            for j in 0..<n { s += f[j] * cos(Double.pi * Double(k) * (Double(j) + 0.5) / Double(n)) }
            return (k == 0 ? 1.0 : 2.0) * s / Double(n)
        }
    }

    /// Taylor coefficients at 0 of sum c_k T_k(x), through x^order (T_{k+1} = 2x T_k - T_{k-1}).
    static func taylorCoefficients(ofChebyshev c: [Double], through order: Int) -> [Double] {
        var out = [Double](repeating: 0, count: order + 1)
        var previous = [Double](repeating: 0, count: c.count + 1)  // T_{k-1}
        var current = previous  // T_k
        current[0] = 1
        for k in 0..<c.count {
            for j in 0...min(order, k) { out[j] += c[k] * current[j] }
            var next = [Double](repeating: 0, count: c.count + 1)
            for j in 0...k { next[j + 1] += 2 * current[j] }
            for j in 0...k { next[j] -= previous[j] }
            if k == 0 {
                next = [Double](repeating: 0, count: c.count + 1)
                next[1] = 1
            }
            previous = current
            current = next
        }
        return out
    }
}

extension Activation {
    /// Regularity of the even and odd parts at 0 (``ParityDecomposition``).
    public var parityDecomposition: ParityDecomposition { ParityDecomposition(self) }
}
