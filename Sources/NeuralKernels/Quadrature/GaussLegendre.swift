import Foundation
import Synchronization

/// Gauss-Legendre rules on [-1, 1], computed by Newton's method on the three-term recurrence.
///
/// Nodes are accurate to a few ulps for the sizes used here (n <= a few hundred); the rule of
/// n points integrates polynomials of degree 2n - 1 exactly (checked in GaussLegendreTests).
public struct GaussLegendre: Sendable {
    public let nodes: [Double]
    public let weights: [Double]

    /// The n-point rule, cached.
    public static func rule(count n: Int) -> GaussLegendre {
        precondition(n >= 1)
        return cache.withLock { table in
            if let rule = table[n] { return rule }
            let rule = GaussLegendre(computing: n)
            table[n] = rule
            return rule
        }
    }

    private static let cache = Mutex<[Int: GaussLegendre]>([:])

    /// Newton's iteration on P_n stops at a step below 1e-16 (the nodes lie in (-1, 1), so this
    /// is below an ulp), after 100 steps at most.
    static let newtonStepTolerance = 1e-16
    static let newtonSteps = 100

    private init(computing n: Int) {
        var x = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            // Tricomi's initial guess, then Newton on P_n.
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<Self.newtonSteps {
                var p0 = 1.0
                var p1 = z
                if n == 1 {
                    p1 = z
                    p0 = 1
                }
                for k in 1..<max(n, 1) {
                    let p2 = ((2 * Double(k) + 1) * z * p1 - Double(k) * p0) / Double(k + 1)
                    p0 = p1
                    p1 = p2
                }
                // p1 = P_n(z), p0 = P_{n-1}(z)
                derivative = Double(n) * (z * p1 - p0) / (z * z - 1)
                let step = p1 / derivative
                z -= step
                if Swift.abs(step) < Self.newtonStepTolerance { break }
            }
            // Recompute the derivative at the converged node for the weight.
            var p0 = 1.0
            var p1 = z
            for k in 1..<max(n, 1) {
                let p2 = ((2 * Double(k) + 1) * z * p1 - Double(k) * p0) / Double(k + 1)
                p0 = p1
                p1 = p2
            }
            derivative = Double(n) * (z * p1 - p0) / (z * z - 1)
            x[i] = -z
            x[n - 1 - i] = z
            let weight = 2 / ((1 - z * z) * derivative * derivative)
            w[i] = weight
            w[n - 1 - i] = weight
        }
        if n % 2 == 1 { x[n / 2] = 0 }
        nodes = x
        weights = w
    }

    /// The integral of f over [a, b] by this rule.
    @inlinable public func integrate(_ a: Double, _ b: Double, _ f: (Double) -> Double) -> Double {
        let mid = 0.5 * (a + b)
        let half = 0.5 * (b - a)
        var sum = 0.0
        for i in 0..<nodes.count { sum += weights[i] * f(mid + half * nodes[i]) }
        return half * sum
    }
}
