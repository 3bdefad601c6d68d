import CLAPACKE

/// Thin Swift forwards to the level-3 BLAS of OpenBLAS for row-major matrices, and the
/// pivoted Cholesky factorisation of LAPACK. C types never leave this file.
public enum BLAS {
    /// Whether a matrix operand is used as stored or transposed.
    public enum Transpose: Sendable {
        case none, transpose
        var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    /// C = alpha op(A) op(B) + beta C for row-major operands: op(A) is m x k, op(B) is k x n,
    /// C is m x n; lda, ldb, ldc are the row strides of the stored matrices.
    public static func gemm(
        _ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int,
        alpha: Double = 1, _ a: UnsafePointer<Double>, lda: Int,
        _ b: UnsafePointer<Double>, ldb: Int,
        beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(
            CblasRowMajor, ta.cblas, tb.cblas, Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C = alpha op(A) op(B) + beta C on arrays (row-major, tightly packed).
    public static func gemm(
        _ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int,
        alpha: Double = 1, _ a: [Double], _ b: [Double],
        beta: Double = 0, _ c: inout [Double]
    ) {
        let lda = ta == .none ? k : m
        let ldb = tb == .none ? n : k
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    gemm(
                        ta, tb, m: m, n: n, k: k, alpha: alpha, ap.baseAddress!, lda: lda,
                        bp.baseAddress!, ldb: ldb, beta: beta, cp.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// The upper triangle of C = alpha A A^T + beta C for a row-major n x k matrix A (C is
    /// n x n); the strict lower triangle of C is left as it was.
    public static func syrkUpper(
        n: Int, k: Int, alpha: Double = 1, _ a: UnsafePointer<Double>, lda: Int,
        beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard n > 0 else { return }
        cblas_dsyrk(
            CblasRowMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(k), alpha, a, Int32(lda),
            beta, c, Int32(ldc))
    }

    /// B = R B in place, for the upper-triangular row-major n x n matrix R (stride ldr) and a
    /// row-major n x m matrix B (stride ldb).
    public static func upperTriangularMultiply(
        n: Int, m: Int, _ r: UnsafePointer<Double>, ldr: Int,
        _ b: UnsafeMutablePointer<Double>, ldb: Int
    ) {
        guard n > 0, m > 0 else { return }
        cblas_dtrmm(
            CblasRowMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(n), Int32(m),
            1, r, Int32(ldr), b, Int32(ldb))
    }

    /// Runs `body` with OpenBLAS on one thread, then restores its thread count. For many small
    /// products run side by side on all cores (finite networks trained seed by seed), where
    /// OpenBLAS's own threads would spend their time yielding to each other. OpenBLAS's count is
    /// process-wide: do not nest or overlap calls.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        let saved = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(saved) }
        return try body()
    }

    /// The result of ``pivotedCholesky(_:n:tolerance:)``.
    public struct PivotedCholesky: Sendable {
        /// Row-major n x n; its first `rank` rows hold the upper-trapezoidal factor R with
        /// P^T A P = R^T R (the rest is zero).
        public let factor: [Double]
        /// 0-based: column j of A P is column piv[j] of A.
        public let pivots: [Int]
        /// The numerical rank: pivots after it were below the tolerance.
        public let rank: Int
    }

    /// Pivoted (rank-revealing) Cholesky factorisation of a symmetric positive semidefinite
    /// matrix (LAPACK dpstrf): P^T A P = R^T R with R upper trapezoidal of `rank` rows. The
    /// factorisation stops where the largest remaining diagonal entry falls below `tolerance`
    /// (absolute), so the remaining Schur complement has every entry below it in size.
    public static func pivotedCholesky(_ a: [Double], n: Int, tolerance: Double) throws -> PivotedCholesky {
        precondition(a.count == n * n)
        var m = a
        var piv = [Int32](repeating: 0, count: max(n, 1))
        var rank: Int32 = 0
        let info = m.withUnsafeMutableBufferPointer { mp in
            piv.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dpstrf(
                    LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), mp.baseAddress, Int32(n),
                    pp.baseAddress, &rank, tolerance)
            }
        }
        if info < 0 { throw LAPACK.Failure.illegalArgument(info: Int(info)) }
        // info > 0 only says the matrix is rank deficient; `rank` says where it stopped.
        let r = Int(rank)
        for i in 0..<n {
            for j in 0..<n where i >= r || j < i { m[i * n + j] = 0 }
        }
        return PivotedCholesky(factor: m, pivots: piv.prefix(n).map { Int($0) - 1 }, rank: r)
    }
}
