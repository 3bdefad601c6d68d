import Foundation

/// Weighted linear least squares min_x || W (A x - b) || for the small, possibly badly scaled
/// systems of the asymptotic fits (a few columns, at most a few hundred rows), by Householder
/// QR after scaling each column to unit norm. O(rows cols^2).
enum LeastSquares {
    /// After scaling to unit norm, a column whose remaining norm in the QR step is below this is
    /// taken as dependent on the previous ones (the fit is refused rather than ill-determined).
    static let dependentColumnNorm = 1e-13

    /// `columns[j][i]` is A[i][j]; returns nil if a column is (numerically) dependent.
    static func solve(columns: [[Double]], rhs: [Double], weights: [Double]) -> [Double]? {
        solveWithCovariance(columns: columns, rhs: rhs, weights: weights)?.x
    }

    /// The solution and (A^T W^2 A)^{-1}, the covariance of x when the weights are the inverse
    /// standard deviations of the right-hand side (R^{-1} R^{-T} from the QR factor, unscaled).
    static func solveWithCovariance(columns: [[Double]], rhs: [Double], weights: [Double]) -> (
        x: [Double], covariance: [[Double]]
    )? {
        let p = columns.count
        let m = rhs.count
        guard p >= 1, m >= p else { return nil }
        var a = columns.map { col in zip(col, weights).map { $0 * $1 } }
        var b = zip(rhs, weights).map { $0 * $1 }
        var scale = [Double](repeating: 1, count: p)
        for j in 0..<p {
            let norm = a[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, norm.isFinite else { return nil }
            scale[j] = norm
            a[j] = a[j].map { $0 / norm }
        }
        for j in 0..<p {
            var norm = 0.0
            for i in j..<m { norm += a[j][i] * a[j][i] }
            norm = norm.squareRoot()
            guard norm > dependentColumnNorm else { return nil }
            let alpha = a[j][j] > 0 ? -norm : norm
            var v = [Double](repeating: 0, count: m)
            for i in j..<m { v[i] = a[j][i] }
            v[j] -= alpha
            let vv = v[j...].reduce(0) { $0 + $1 * $1 }
            if vv == 0 { continue }
            for c in j..<p {
                var dot = 0.0
                for i in j..<m { dot += v[i] * a[c][i] }
                let f = 2 * dot / vv
                for i in j..<m { a[c][i] -= f * v[i] }
            }
            var dot = 0.0
            for i in j..<m { dot += v[i] * b[i] }
            let f = 2 * dot / vv
            for i in j..<m { b[i] -= f * v[i] }
        }
        var x = [Double](repeating: 0, count: p)
        for j in stride(from: p - 1, through: 0, by: -1) {
            var s = b[j]
            for c in (j + 1)..<max(p, j + 1) { s -= a[c][j] * x[c] }
            x[j] = s / a[j][j]
        }
        // R^{-1} (upper triangular): R[j][c] = a[c][j] for c >= j.
        var inverse = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for col in 0..<p {
            for j in stride(from: col, through: 0, by: -1) {
                var s = j == col ? 1.0 : 0.0
                for c in (j + 1)..<max(p, j + 1) { s -= a[c][j] * inverse[c][col] }
                inverse[j][col] = s / a[j][j]
            }
        }
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for i in 0..<p {
            for j in 0..<p {
                var s = 0.0
                for c in 0..<p { s += inverse[i][c] * inverse[j][c] }
                covariance[i][j] = s / (scale[i] * scale[j])
            }
        }
        return (zip(x, scale).map { $0 / $1 }, covariance)
    }
}
