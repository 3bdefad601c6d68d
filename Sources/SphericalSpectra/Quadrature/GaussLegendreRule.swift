import Foundation
import _NumericalBackends

/// n-point Gauss-Legendre rules on [0, 1/sqrt 2] with weights accurate to a few ulps.
///
/// The nodes come from GSL (`gsl_integration_fixed_legendre`, Golub-Welsch); GSL's weights,
/// taken from eigenvector components, have relative errors up to 4e-12 at n = 260 (measured
/// in GaussLegendreRuleTests), which would cap the eigenvalues at ~1e-15 mu_0 absolute. So
/// each node is polished by one Newton step on P_n and the weight recomputed from
///
///     w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2),
///
/// with P_n, P_n' by the three-term recurrence: O(n^2) once per n, cached.
public enum GaussLegendreRule {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [Int: GSL.GaussRule] = [:]

    /// The rule on [0, 1/sqrt 2].
    public static func halfInterval(count n: Int) throws -> GSL.GaussRule {
        lock.lock()
        if let rule = cache[n] { lock.unlock(); return rule }
        lock.unlock()
        let raw: GSL.GaussRule
        do { raw = try GSL.gaussRule(.legendre, count: n, on: -1, 1) } catch { throw SpectralError.backend("\(error)") }
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        let h = 0.5.squareRoot() / 2
        for i in 0..<n {
            var x = raw.nodes[i]
            var (p, dp) = legendre(n, x)
            x -= p / dp
            (p, dp) = legendre(n, x)
            nodes[i] = h * (x + 1)
            weights[i] = h * 2 / ((1 - x * x) * dp * dp)
        }
        let rule = GSL.GaussRule(nodes: nodes, weights: weights)
        lock.lock()
        if cache.count > 16 { cache.removeAll() }
        cache[n] = rule
        lock.unlock()
        return rule
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
