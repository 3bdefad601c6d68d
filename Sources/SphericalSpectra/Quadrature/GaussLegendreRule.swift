import Foundation
import _NumericalBackends

/// n-point Gauss-Legendre rules on [0, 1/sqrt 2] with weights accurate to a few ulps.
///
/// Nodes: Tricomi's asymptotic initial guess x_i ~ (1 - 1/(8n^2) + 1/(8n^3)) cos(pi (4i - 1)/(4n + 2))
/// refined by Newton's method on P_n (three-term recurrence) until the step is below 1e-16,
/// the positive half only (x_{n+1-i} = -x_i exactly); weights from
///
///     w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)
///
/// at the converged node. O(n^2) once per n (about 3 Newton steps per node), cached. (GSL's
/// Golub-Welsch rule, used before, took 70 ms at n = 1200 and its weights had relative
/// errors up to 4e-12 at n = 260; GaussLegendreRuleTests compares both.)
public enum GaussLegendreRule {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [Int: GSL.GaussRule] = [:]

    /// The rule on [0, 1/sqrt 2].
    public static func halfInterval(count n: Int) throws -> GSL.GaussRule {
        lock.lock()
        if let rule = cache[n] { lock.unlock(); return rule }
        lock.unlock()
        let (x, w) = standard(count: n)
        let h = 0.5.squareRoot() / 2
        let rule = GSL.GaussRule(nodes: x.map { h * ($0 + 1) }, weights: w.map { h * $0 })
        lock.lock()
        if cache.count > 16 { cache.removeAll() }
        cache[n] = rule
        lock.unlock()
        return rule
    }

    /// Nodes (ascending) and weights of the n-point rule on [-1, 1].
    ///
    /// Four nodes at a time (SIMD): Tricomi's guess is accurate to O(n^-4), so one Newton step
    /// lands within ~1e-20; a second evaluation there gives the weight (and a last correction,
    /// kept only if it is not yet below 1e-16). Nodes whose step is still larger iterate alone.
    static func standard(count n: Int) -> (nodes: [Double], weights: [Double]) {
        precondition(n >= 1)
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        let nn = Double(n)
        let scale = 1 - 1 / (8 * nn * nn) + 1 / (8 * nn * nn * nn)
        let half = (n + 1) / 2
        func guess(_ i: Int) -> Double {
            if n % 2 == 1 && i == half { return 0 }
            return scale * cos(Double.pi * (4 * Double(i) - 1) / (4 * nn + 2))
        }
        func store(_ i: Int, _ x: Double, _ dp: Double) {
            let w = 2 / ((1 - x * x) * dp * dp)
            nodes[n - i] = x; weights[n - i] = w
            nodes[i - 1] = -x; weights[i - 1] = w
        }
        var i = 1
        while i + 3 <= half {
            var x = SIMD4<Double>(guess(i), guess(i + 1), guess(i + 2), guess(i + 3))
            var (p, dp) = legendre4(n, x)
            x -= p / dp
            (p, dp) = legendre4(n, x)
            let dx = p / dp
            for lane in 0..<4 {
                var xl = x[lane], dpl = dp[lane], step = dx[lane]
                // Rarely needed: a node whose second step is not yet negligible.
                var iterations = 0
                while Swift.abs(step) > 1e-16 && iterations < 6 {
                    xl -= step
                    let (pl, d) = legendre(n, xl)
                    dpl = d; step = pl / d; iterations += 1
                }
                store(i + lane, xl, dpl)
            }
            i += 4
        }
        while i <= half {
            var x = guess(i)
            var (p, dp) = legendre(n, x)
            for _ in 0..<8 {
                let dx = p / dp
                x -= dx
                (p, dp) = legendre(n, x)
                if Swift.abs(dx) <= 1e-16 { break }
            }
            store(i, x, dp)
            i += 1
        }
        return (nodes, weights)
    }

    /// P_n and P_n' at four points.
    static func legendre4(_ n: Int, _ x: SIMD4<Double>) -> (SIMD4<Double>, SIMD4<Double>) {
        var p0 = SIMD4<Double>(repeating: 1), p1 = x
        if n == 0 { return (p0, .zero) }
        for j in stride(from: 2, through: n, by: 1) {
            let p2 = (Double(2 * j - 1) * x * p1 - Double(j - 1) * p0) / Double(j)
            p0 = p1; p1 = p2
        }
        return (p1, Double(n) * (x * p1 - p0) / (x * x - 1))
    }

    /// P_n(x) and P_n'(x).
    static func legendre(_ n: Int, _ x: Double) -> (Double, Double) {
        var p0 = 1.0, p1 = x
        if n == 0 { return (1, 0) }
        for j in stride(from: 2, through: n, by: 1) {
            let p2 = (Double(2 * j - 1) * x * p1 - Double(j - 1) * p0) / Double(j)
            p0 = p1; p1 = p2
        }
        return (p1, Double(n) * (x * p1 - p0) / (x * x - 1))
    }
}
