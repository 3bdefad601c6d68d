import Foundation
import _NumericalBackends

/// The eigendecomposition Theta + r I = V diag(lambda) V^T of a symmetric positive
/// semidefinite training kernel (LAPACK dsyevd), computed once so that every training time
/// costs only matrix-vector work afterwards.
///
/// `r` is Neural Tangents' `diag_reg`: relative to the mean diagonal, r = diag_reg tr(Theta)/n,
/// unless `absoluteRidge`. Rounding can leave eigenvalues of a singular kernel slightly
/// negative; they are kept as computed (``TrainingSchedule`` treats them as 0) and their size
/// is reported: `negativeMass` is the most negative eigenvalue relative to the largest, so a
/// kernel that is not positive semidefinite beyond rounding shows as a value far above
/// n * eps.
public struct KernelEigenbasis: Sendable {
    public let count: Int
    /// Ascending eigenvalues of Theta + r I.
    public let eigenvalues: [Double]
    /// Row-major n x n; column a is the eigenvector of eigenvalues[a].
    public let vectors: [Double]
    /// The ridge r added to the diagonal, in the kernel's units.
    public let ridge: Double

    public init(kernel: [Double], count n: Int, ridge diagReg: Double = 0, absoluteRidge: Bool = false) throws {
        precondition(kernel.count == n * n && n >= 1)
        guard diagReg.isFinite, diagReg >= 0 else {
            throw TrainingError.invalidParameter(name: "ridge", value: "\(diagReg)", allowed: "a finite number >= 0")
        }
        var trace = 0.0
        for i in 0..<n { trace += kernel[i * n + i] }
        guard kernel.allSatisfy(\.isFinite) else {
            throw TrainingError.nonFinite("the training kernel has non-finite entries")
        }
        let r = absoluteRidge ? diagReg : diagReg * trace / Double(n)
        var a = kernel
        if r > 0 { for i in 0..<n { a[i * n + i] += r } }
        let (values, vectors) = try LAPACK.symmetricEigen(a, n: n, vectors: true)
        self.count = n
        self.eigenvalues = values
        self.vectors = vectors!
        self.ridge = r
    }

    /// The largest eigenvalue.
    public var largest: Double { eigenvalues.last ?? 0 }

    /// The most negative eigenvalue relative to the largest (0 if none is negative).
    public var negativeMass: Double {
        guard let first = eigenvalues.first, first < 0, largest > 0 else { return 0 }
        return -first / largest
    }

    /// Whether the kernel is positive semidefinite up to rounding: no eigenvalue below
    /// -100 n eps lambda_max (dsyevd's backward error is a small multiple of n eps ||Theta||).
    public var isPositiveSemidefinite: Bool {
        negativeMass <= 100 * Double(count) * Double.ulpOfOne
    }

    /// V^T y for a vector y of length n.
    public func project(_ y: [Double]) -> [Double] {
        precondition(y.count == count)
        var out = [Double](repeating: 0, count: count)
        BLAS.gemm(.transpose, .none, m: count, n: 1, k: count, vectors, y, &out)
        return out
    }

    /// V c for coefficients c of length n.
    public func expand(_ c: [Double]) -> [Double] {
        precondition(c.count == count)
        var out = [Double](repeating: 0, count: count)
        BLAS.gemm(.none, .none, m: count, n: 1, k: count, vectors, c, &out)
        return out
    }

    /// B V for a row-major m x n matrix B (the rows of B in the eigenbasis).
    public func rowsInBasis(_ b: [Double], rows m: Int) -> [Double] {
        precondition(b.count == m * count)
        var out = [Double](repeating: 0, count: m * count)
        BLAS.gemm(.none, .none, m: m, n: count, k: count, b, vectors, &out)
        return out
    }
}
