import Foundation

/// A dual map at fixed equal variances q1 = q2 = q, tabulated once as a Chebyshev series in
/// theta = arccos(rho) on [0, pi], for fast repeated evaluation.
///
/// Why theta: for an activation non-smooth only at 0, the dual has algebraic singularities
/// (1 -+ rho)^{m+1/2} at rho = +-1, which are analytic functions of theta (1 - cos theta =
/// 2 sin^2(theta/2)); every wedge of ``WedgeQuadrature`` has endpoints linear in theta. So the
/// Chebyshev coefficients in theta decay geometrically and the degree is chosen adaptively
/// until they fall below 1e-15 of the largest (the noise level of the sampled quadrature values) (Proofs/tabulated-duals.md). `error` is the
/// size of the discarded tail plus the observed mismatch at off-grid check points.
public struct TabulatedDual: Sendable {
    public let q: Double
    public let coefficients: [Double]
    /// Estimated maximum absolute error of the table.
    public let error: Double
    /// Whether the coefficients decayed to the tolerance before the maximum degree.
    public let converged: Bool

    /// Tabulates `f(rho)` (for example `{ dual.nngp(q1: q, q2: q, c: q * $0) }`); samples are
    /// taken on all cores.
    /// Converged when the last eighth of the coefficients (at least 4) is below this of the
    /// largest: the sampled values themselves carry quadrature noise of a few 1e-16.
    static let convergedTail = 1e-15
    /// Coefficients below this of the largest are chopped (their sum enters ``error``).
    static let chopBelow = 1e-17

    public init(q: Double, maxDegree: Int = 1024, _ f: @Sendable (Double) -> Double) {
        self.q = q
        var n = 32
        var values = TabulatedDual.samples(n, f)
        var coeffs = TabulatedDual.chebyshevCoefficients(values)
        var converged = false
        while true {
            let scale = coeffs.map(Swift.abs).max() ?? 0
            let tail = coeffs.suffix(max(4, n / 8)).map(Swift.abs).max() ?? 0
            if tail <= TabulatedDual.convergedTail * scale || scale == 0 {
                converged = true
                break
            }
            if n >= maxDegree { break }
            // Nested Chebyshev-Lobatto grids: doubling n reuses every old sample.
            values = TabulatedDual.refine(values, n, f)
            n *= 2
            coeffs = TabulatedDual.chebyshevCoefficients(values)
        }
        // Chop the negligible tail.
        let scale = coeffs.map(Swift.abs).max() ?? 0
        var last = coeffs.count - 1
        while last > 0 && Swift.abs(coeffs[last]) <= TabulatedDual.chopBelow * scale { last -= 1 }
        let kept = Array(coeffs[0...last])
        let discarded = coeffs[(last + 1)...].reduce(0) { $0 + Swift.abs($1) }
        // Check at midpoints between nodes.
        var mismatch = 0.0
        for j in stride(from: 0, to: n, by: max(1, n / 16)) {
            let theta = Double.pi * (1 - cos(Double.pi * (Double(j) + 0.5) / Double(n))) / 2
            let exact = f(cos(theta))
            mismatch = max(mismatch, Swift.abs(TabulatedDual.clenshaw(kept, theta) - exact))
        }
        self.coefficients = kept
        self.error = discarded + mismatch + 4 * Double.ulpOfOne * scale
        self.converged = converged
    }

    /// The tabulated value at correlation rho.
    @inlinable public func callAsFunction(_ rho: Double) -> Double {
        TabulatedDual.clenshaw(coefficients, acos(min(1, max(-1, rho))))
    }

    /// The tabulated value at angle theta = arccos(rho).
    @inlinable public func value(theta: Double) -> Double { TabulatedDual.clenshaw(coefficients, theta) }

    /// Samples at the Chebyshev-Lobatto points of theta in [0, pi]: theta_j = pi (1 - cos(j pi / n)) / 2.
    static func samples(_ n: Int, _ f: @Sendable (Double) -> Double) -> [Double] {
        parallelMap(Array(0...n)) { (j: Int) -> Double in f(TabulatedDual.node(j, n)) }
    }

    /// rho at the j-th of n + 1 Chebyshev-Lobatto points in theta.
    static func node(_ j: Int, _ n: Int) -> Double {
        let x = cos(Double.pi * Double(j) / Double(n))
        return cos(Double.pi * (1 - x) / 2)
    }

    static func refine(_ old: [Double], _ n: Int, _ f: @Sendable (Double) -> Double) -> [Double] {
        let m = 2 * n
        let fresh = parallelMap(Array(0..<n)) { (i: Int) -> Double in f(TabulatedDual.node(2 * i + 1, m)) }
        var values = [Double](repeating: 0, count: m + 1)
        for j in 0...m { values[j] = j % 2 == 0 ? old[j / 2] : fresh[j / 2] }
        return values
    }

    /// Chebyshev coefficients of the interpolant through Lobatto samples (a direct DCT-I; n is
    /// at most a few hundred, so O(n^2) is negligible next to sampling).
    static func chebyshevCoefficients(_ values: [Double]) -> [Double] {
        let n = values.count - 1
        var coeffs = [Double](repeating: 0, count: n + 1)
        for k in 0...n {
            var sum = 0.0
            for j in 0...n {
                let w = (j == 0 || j == n) ? 0.5 : 1.0
                sum += w * values[j] * cos(Double.pi * Double(j * k % (2 * n)) / Double(n))
            }
            coeffs[k] = sum * 2 / Double(n)
        }
        coeffs[0] *= 0.5
        coeffs[n] *= 0.5
        return coeffs
    }

    /// Sum of c_k T_k(x) at x = 1 - 2 theta/pi (the samples were taken at x_j = cos(j pi/n),
    /// theta_j = pi (1 - x_j)/2), by Clenshaw's recurrence.
    @inlinable static func clenshaw(_ c: [Double], _ theta: Double) -> Double {
        let x = 1 - 2 * theta / Double.pi
        var b1 = 0.0
        var b2 = 0.0
        for k in stride(from: c.count - 1, through: 1, by: -1) {
            let b0 = 2 * x * b1 - b2 + c[k]
            b2 = b1
            b1 = b0
        }
        return x * b1 - b2 + c[0]
    }
}
