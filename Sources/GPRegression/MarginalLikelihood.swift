import Foundation
import _NumericalBackends

/// The log marginal likelihood of a zero-mean GP with covariance K + s2 I and its gradient
/// (Rasmussen & Williams 2006, eqs. 2.30 and 5.9):
///
///     log p(y) = -1/2 y^T A^{-1} y - 1/2 log det A - n/2 log 2 pi,      A = K + s2 I
///     d log p / d theta = 1/2 tr((alpha alpha^T - A^{-1}) dA/dtheta),   alpha = A^{-1} y
///
/// A = L L^T by LAPACK's Cholesky (dpotrf), log det A = 2 sum log L_ii, A^{-1} by dpotri; the
/// traces are O(n^2) sums against the derivative matrices. Accuracy: that of a backward-stable
/// Cholesky, relative error about n eps cond(A). Derivation and the tests that check it:
/// Proofs/gp-regression-marginal-likelihood.md.
public enum MarginalLikelihood {
    public struct Evaluation: Sendable {
        /// log p(y).
        public let value: Double
        /// d log p / d(log sigma_w^2, log sigma_b^2, log s2).
        public let gradient: [Double]
    }

    /// `k`, `dLogW2`, `dLogB2`: row-major n x n (the last two may be empty to skip the gradient).
    public static func evaluate(k: [Double], dLogW2: [Double], dLogB2: [Double], noise: Double, y: [Double]) throws
        -> Evaluation
    {
        let n = y.count
        let (a, alpha, value) = try factorise(k: k, noise: noise, y: y)
        guard !dLogW2.isEmpty else { return Evaluation(value: value, gradient: []) }
        let inverse = try LAPACK.choleskyInverse(factor: a, n: n)
        var gw = 0.0
        var gb = 0.0
        var trace = 0.0
        var aa = 0.0
        inverse.withUnsafeBufferPointer { w in
            dLogW2.withUnsafeBufferPointer { pw in
                dLogB2.withUnsafeBufferPointer { pb in
                    // Symmetric matrices: the diagonal plus twice the strict upper triangle.
                    for i in 0..<n {
                        let ai = alpha[i]
                        let d = ai * ai - w[i * n + i]
                        var rowW = 0.0
                        var rowB = 0.0
                        for j in (i + 1)..<max(n, i + 1) {
                            let m = ai * alpha[j] - w[i * n + j]
                            rowW += m * pw[i * n + j]
                            rowB += m * pb[i * n + j]
                        }
                        gw += d * pw[i * n + i] + 2 * rowW
                        gb += d * pb[i * n + i] + 2 * rowB
                        trace += w[i * n + i]
                        aa += ai * ai
                    }
                }
            }
        }
        return Evaluation(value: value, gradient: [0.5 * gw, 0.5 * gb, 0.5 * noise * (aa - trace)])
    }

    /// The Cholesky factor of A = K + s2 I (lower triangle, row-major), alpha = A^{-1} y and log p(y).
    static func factorise(k: [Double], noise: Double, y: [Double]) throws -> (
        factor: [Double], alpha: [Double], value: Double
    ) {
        let n = y.count
        var a = k
        for i in 0..<n { a[i * n + i] += noise }
        try LAPACK.cholesky(&a, n: n)
        var alpha = y
        try LAPACK.choleskySolve(factor: a, n: n, &alpha, nrhs: 1)
        var logDet = 0.0
        var fit = 0.0
        for i in 0..<n {
            logDet += 2 * log(a[i * n + i])
            fit += y[i] * alpha[i]
        }
        let value = -0.5 * fit - 0.5 * logDet - 0.5 * Double(n) * log(2 * Double.pi)
        return (a, alpha, value)
    }
}
