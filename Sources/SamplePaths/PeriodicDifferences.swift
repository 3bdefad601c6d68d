import Foundation

/// p-th order differences of a periodic sequence at lag h (in grid steps):
///
///     Delta_h^p x_i = sum_{k=0}^{p} (-1)^{p-k} binom(p, k) x_{(i + k h) mod n}
///
/// They annihilate polynomials of degree < p, which is why they see a path's roughness
/// |h|^a only (p > a) and not its smooth part (Proofs/quadratic-variation-estimator.md).
public struct PeriodicDifferences: Sendable {
    public let order: Int
    /// (-1)^{p-k} binom(p, k), k = 0 ... p.
    public let weights: [Double]

    public init(order: Int) {
        precondition(order >= 1)
        self.order = order
        var binomials = [Double](repeating: 1, count: order + 1)
        for k in 1...order { binomials[k] = binomials[k - 1] * Double(order - k + 1) / Double(k) }
        weights = (0...order).map { k in ((order - k) % 2 == 0 ? 1 : -1) * binomials[k] }
    }

    /// Delta_h^p x_i for every i (n values, periodic).
    public func callAsFunction(_ x: [Double], lag h: Int) -> [Double] {
        let n = x.count
        var out = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xp in
            for i in 0..<n {
                var d = 0.0
                for k in 0...order { d += weights[k] * xp[(i + k * h) % n] }
                out[i] = d
            }
        }
        return out
    }

    /// The weights of the expected square as a function of the lag difference:
    ///
    ///     E[(Delta_h^p x)^2] = sum_{r=-p}^{p} (-1)^r binom(2p, p + r) C(r h)
    ///
    /// (Vandermonde's identity applied to sum_{k,l} w_k w_l C((k - l) h)); index r + p.
    public var covarianceWeights: [Double] {
        let m = 2 * order
        var binomials = [Double](repeating: 1, count: m + 1)
        for k in 1...m { binomials[k] = binomials[k - 1] * Double(m - k + 1) / Double(k) }
        return (0...m).map { i in ((i - order) % 2 == 0 ? 1 : -1) * binomials[i] }
    }
}
