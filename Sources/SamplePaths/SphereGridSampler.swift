import Foundation
import _NumericalBackends

/// Exact Gaussian-process samples of a dot-product kernel on the whole sphere S^2, on an
/// equirectangular grid, by Cholesky factorisation (LAPACK dpotrf) of the grid's Gram matrix.
///
/// Grid: colatitudes theta_i = (i + 1/2) pi / rows (cell centres, so no two points coincide at
/// the poles) and longitudes phi_j = 2 pi j / columns; point x = (sin theta cos phi,
/// sin theta sin phi, cos theta); K_{ab} = kappa(<x_a, x_b>). A sample is L z with K = L L^T
/// and z standard normal. The Gram matrix of a smooth kernel on thousands of points is
/// numerically singular (its Mercer eigenvalues decay fast), so dpotrf is retried with a
/// diagonal jitter epsilon kappa(1), epsilon = 1e-12, 1e-11, ... 1e-6; the jitter used is
/// reported (`jitter`), never hidden: the samples then have covariance K + epsilon kappa(1) I.
/// O(N^3 / 3) for N = rows x columns points: a few thousand points take a second or two.
public struct SphereGridSampler: Sendable {
    public let rows: Int
    public let columns: Int
    /// The relative diagonal jitter that made the factorisation succeed (0 if none was needed).
    public let jitter: Double
    private let factor: [Double]

    public var count: Int { rows * columns }

    /// The unit vector of grid point (i, j), index i * columns + j.
    public static func point(_ i: Int, _ j: Int, rows: Int, columns: Int) -> (Double, Double, Double) {
        let theta = (Double(i) + 0.5) * Double.pi / Double(rows)
        let phi = 2 * Double.pi * Double(j) / Double(columns)
        return (sin(theta) * cos(phi), sin(theta) * sin(phi), cos(theta))
    }

    /// `kernel(t)` at t = <x, x'> in [-1, 1].
    public init(rows: Int, columns: Int, kernel: @escaping @Sendable (Double) -> Double) throws {
        precondition(rows >= 2 && columns >= 2)
        self.rows = rows
        self.columns = columns
        let n = rows * columns
        let points = (0..<n).map { Self.point($0 / columns, $0 % columns, rows: rows, columns: columns) }
        let rowsOfK = concurrentMap(n, block: 16) { a -> [Double] in
            let p = points[a]
            return (0..<n).map { b in
                let q = points[b]
                return kernel(max(-1, min(1, p.0 * q.0 + p.1 * q.1 + p.2 * q.2)))
            }
        }
        let gram = rowsOfK.flatMap { $0 }
        let scale = kernel(1)
        var used = 0.0
        var epsilon = 0.0
        var result: [Double]? = nil
        while result == nil {
            var k = gram
            if epsilon > 0 { for a in 0..<n { k[a * n + a] += epsilon * scale } }
            do {
                try LAPACK.cholesky(&k, n: n)
                result = k
                used = epsilon
            } catch {
                guard epsilon < 1e-6 else { throw error }
                epsilon = epsilon == 0 ? 1e-12 : epsilon * 10
            }
        }
        factor = result!
        jitter = used
    }

    /// `m` independent samples (values at the grid points, row-major), seeded.
    public func sample(paths m: Int, seed: UInt) -> [[Double]] {
        let random = GSLRandom(seed: seed)
        return (0..<m).map { _ in
            var z = (0..<count).map { _ in random.normal() }
            LAPACK.lowerTriangularMultiply(factor, n: count, &z)
            return z
        }
    }
}
