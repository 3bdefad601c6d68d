import CLAPACKE

/// Thin Swift forwards to LAPACK (OpenBLAS) for symmetric matrices stored row-major,
/// n x n, as [Double]. C types never leave this file.
public enum LAPACK {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Cholesky found a non-positive pivot at this (1-based) index.
        case notPositiveDefinite(pivot: Int)
        /// An eigen solver did not converge.
        case noConvergence(info: Int)
        case illegalArgument(info: Int)

        public var description: String {
            switch self {
            case .notPositiveDefinite(let i):
                return "matrix is not positive definite (Cholesky pivot \(i) is not positive)"
            case .noConvergence(let info): return "LAPACK eigen solver did not converge (info \(info))"
            case .illegalArgument(let info): return "LAPACK illegal argument \(-info)"
            }
        }
    }

    /// In-place Cholesky factor A = L L^T of a symmetric positive definite matrix (row-major);
    /// on return the lower triangle holds L and the strict upper triangle is zeroed.
    public static func cholesky(_ a: inout [Double], n: Int) throws {
        precondition(a.count == n * n)
        let info = a.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), $0.baseAddress, Int32(n))
        }
        if info > 0 { throw Failure.notPositiveDefinite(pivot: Int(info)) }
        if info < 0 { throw Failure.illegalArgument(info: Int(info)) }
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { a[i * n + j] = 0 } }
    }

    /// Solves L L^T X = B given the Cholesky factor L (row-major n x n) for `nrhs` right-hand
    /// sides stored row-major n x nrhs.
    public static func choleskySolve(factor l: [Double], n: Int, _ b: inout [Double], nrhs: Int) throws {
        precondition(l.count == n * n && b.count == n * nrhs)
        var lc = l
        let info = lc.withUnsafeMutableBufferPointer { lp in
            b.withUnsafeMutableBufferPointer { bp in
                LAPACKE_dpotrs(
                    LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), Int32(nrhs),
                    lp.baseAddress, Int32(n), bp.baseAddress, Int32(nrhs))
            }
        }
        if info != 0 { throw Failure.illegalArgument(info: Int(info)) }
    }

    /// Inverse of a symmetric positive definite matrix from its Cholesky factor (row-major).
    public static func choleskyInverse(factor l: [Double], n: Int) throws -> [Double] {
        var a = l
        let info = a.withUnsafeMutableBufferPointer {
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), $0.baseAddress, Int32(n))
        }
        if info != 0 { throw Failure.illegalArgument(info: Int(info)) }
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { a[i * n + j] = a[j * n + i] } }
        return a
    }

    /// Eigenvalues (ascending) and, optionally, eigenvectors (columns of the row-major
    /// result) of a symmetric matrix, by the divide-and-conquer driver dsyevd.
    public static func symmetricEigen(_ a: [Double], n: Int, vectors: Bool = false) throws
        -> (values: [Double], vectors: [Double]?)
    {
        precondition(a.count == n * n)
        var m = a
        var w = [Double](repeating: 0, count: n)
        let info = m.withUnsafeMutableBufferPointer { mp in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(
                    LAPACK_ROW_MAJOR, Int8(UInt8(ascii: vectors ? "V" : "N")),
                    Int8(UInt8(ascii: "L")), Int32(n), mp.baseAddress, Int32(n), wp.baseAddress)
            }
        }
        if info > 0 { throw Failure.noConvergence(info: Int(info)) }
        if info < 0 { throw Failure.illegalArgument(info: Int(info)) }
        return (w, vectors ? m : nil)
    }

    /// y = L x for a lower-triangular row-major L (the Cholesky route to Gaussian samples).
    public static func lowerTriangularMultiply(_ l: [Double], n: Int, _ x: inout [Double]) {
        precondition(l.count == n * n && x.count == n)
        l.withUnsafeBufferPointer { lp in
            x.withUnsafeMutableBufferPointer { xp in
                cblas_dtrmv(
                    CblasRowMajor, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n),
                    lp.baseAddress, Int32(n), xp.baseAddress, 1)
            }
        }
    }

    /// C = A B for row-major A (m x k) and B (k x n).
    public static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        precondition(a.count == m * k && b.count == k * n)
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                        1, ap.baseAddress, Int32(k), bp.baseAddress, Int32(n), 0, cp.baseAddress, Int32(n))
                }
            }
        }
        return c
    }
}
