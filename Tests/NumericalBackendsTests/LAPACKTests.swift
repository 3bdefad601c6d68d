import Testing
import _NumericalBackends

@Suite struct LAPACKTests {
    /// A = B B^T + n I is SPD; L L^T must reproduce it and the solve must invert it.
    @Test func choleskyFactorsAndSolves() throws {
        let n = 5
        var b = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { b[i * n + j] = Double((i * 7 + j * 3) % 5) - 2 } }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = i == j ? Double(n) : 0
                for k in 0..<n { s += b[i * n + k] * b[j * n + k] }
                a[i * n + j] = s
            }
        }
        var l = a
        try LAPACK.cholesky(&l, n: n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += l[i * n + k] * l[j * n + k] }
                #expect(abs(s - a[i * n + j]) < 1e-12 * 20)
            }
        }
        var rhs = (0..<n).map { Double($0) + 1 }
        let original = rhs
        try LAPACK.choleskySolve(factor: l, n: n, &rhs, nrhs: 1)
        for i in 0..<n {
            var s = 0.0
            for k in 0..<n { s += a[i * n + k] * rhs[k] }
            #expect(abs(s - original[i]) < 1e-11)
        }
    }

    @Test func choleskyReportsIndefinite() {
        var a: [Double] = [1, 2, 2, 1]
        #expect(throws: LAPACK.Failure.notPositiveDefinite(pivot: 2)) { try LAPACK.cholesky(&a, n: 2) }
    }

    /// Eigenvalues of the path-graph Laplacian-like matrix tridiag(-1, 2, -1) are
    /// 2 - 2 cos(k pi / (n + 1)).
    @Test func symmetricEigenvaluesMatchClosedForm() throws {
        let n = 8
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            a[i * n + i] = 2
            if i + 1 < n {
                a[i * n + i + 1] = -1
                a[(i + 1) * n + i] = -1
            }
        }
        let values = try LAPACK.symmetricEigen(a, n: n).values
        for k in 1...n {
            let exact = 2 - 2 * cos(Double(k) * Double.pi / Double(n + 1))
            #expect(abs(values[k - 1] - exact) < 1e-13)
        }
    }
}

import Foundation
