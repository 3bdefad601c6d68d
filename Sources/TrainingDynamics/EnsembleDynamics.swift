import Foundation
import _NumericalBackends

/// Which infinitely wide ensemble is trained (Lee et al. 2019, section 2.3 and 2.4).
public enum TrainedEnsemble: String, Sendable, CaseIterable {
    /// Every layer trained: kernel gradient descent with the NTK Theta from a GP(0, K) prior
    /// function (K the NNGP). At t = infinity the mean is NTK regression, the covariance is
    /// not the Bayesian posterior.
    case ntk
    /// Only the readout trained: kernel gradient descent with the NNGP K itself, whose
    /// t = infinity limit is the exact Bayesian posterior of the NNGP.
    case nngp
}

/// The Gaussian process of an infinitely wide network trained by gradient descent on MSE,
/// marginalised over its random initialisation: Neural Tangents'
/// `predict.gradient_descent_mse_ensemble`. With training kernel T (Theta for the NTK
/// ensemble, K for the NNGP one), T + r I = V diag(lambda) V^T, G_t = diag(filter) and
/// H_t = diag(squared filter) of ``TrainingSchedule``:
///
///     mean      mu_t(x)   = T(x, X) V G_t V^T y
///     NNGP:     Var_t(x)  = K(x, x) - K(x, X) V H_t V^T K(X, x)
///     NTK:      Var_t(x)  = K(x, x) + a^T K a - 2 a^T K(X, x),   a = V G_t V^T Theta(X, x)
///
/// (Lee et al. 2019, equations 13-16, with Neural Tangents' normalisation of time; the ridge
/// enters the training dynamics only, as in Neural Tangents: the K in a^T K a is the
/// unregularised NNGP). Set-up is one eigendecomposition and O(n^2 m) products; every time
/// then costs O(n m) for the mean and the NNGP variance, and one triangular product
/// (n^2 m / 2 multiply-adds, no n^3) for the NTK variance, through the pivoted Cholesky factor
/// of V^T K V (Proofs/ensemble-covariance.md).
public struct EnsembleDynamics: Sendable {
    public let ensemble: TrainedEnsemble
    public let schedule: TrainingSchedule
    public let basis: KernelEigenbasis
    public let targets: [Double]
    /// V^T y.
    let projectedTargets: [Double]
    /// The NTK ensemble's M = V^T K V: its diagonal (for the training-set variance) and its
    /// pivoted Cholesky factor (for the test variance).
    let nngpInBasisDiagonal: [Double]
    let nngpFactor: BLAS.PivotedCholesky?

    /// - Parameters:
    ///   - ntk: the n x n NTK on the training points (row-major); ignored by the NNGP ensemble.
    ///   - nngp: the n x n NNGP on the training points.
    public init(
        ensemble: TrainedEnsemble, ntk: [Double]?, nngp: [Double], targets: [Double],
        schedule: TrainingSchedule, ridge: Double = 0, absoluteRidge: Bool = false
    ) throws {
        let n = targets.count
        guard n >= 1, nngp.count == n * n, ensemble == .nngp || ntk?.count == n * n else {
            throw TrainingError.invalidParameter(
                name: "training kernels", value: "\(nngp.count) entries",
                allowed: "n x n matrices for n = \(n) targets")
        }
        let training = ensemble == .ntk ? ntk! : nngp
        try self.init(
            ensemble: ensemble,
            basis: KernelEigenbasis(kernel: training, count: n, ridge: ridge, absoluteRidge: absoluteRidge),
            nngp: nngp, targets: targets, schedule: schedule)
    }

    /// The same from the eigendecomposition of the training kernel (Theta + r I for the NTK
    /// ensemble, K + r I for the NNGP one) computed by the caller, who may need it first (for
    /// the stability limit) and should not pay for a second O(n^3) decomposition.
    public init(
        ensemble: TrainedEnsemble, basis: KernelEigenbasis, nngp: [Double], targets: [Double],
        schedule: TrainingSchedule
    ) throws {
        let n = targets.count
        guard n >= 1, nngp.count == n * n, basis.count == n else {
            throw TrainingError.invalidParameter(
                name: "training kernels", value: "\(nngp.count) entries, basis of \(basis.count)",
                allowed: "n x n matrices for n = \(n) targets")
        }
        self.ensemble = ensemble
        self.schedule = schedule
        self.targets = targets
        self.basis = basis
        try schedule.checkStability(largestEigenvalue: basis.largest)
        projectedTargets = basis.project(targets)
        if ensemble == .ntk {
            // M = V^T K V.
            var kv = [Double](repeating: 0, count: n * n)
            var m = kv
            BLAS.gemm(.none, .none, m: n, n: n, k: n, nngp, basis.vectors, &kv)
            BLAS.gemm(.transpose, .none, m: n, n: n, k: n, basis.vectors, kv, &m)
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let s = 0.5 * (m[i * n + j] + m[j * n + i])
                    m[i * n + j] = s
                    m[j * n + i] = s
                }
            }
            nngpInBasisDiagonal = (0..<n).map { m[$0 * n + $0] }
            // A negative tolerance selects LAPACK's n eps max(M_kk): the Schur complement left
            // out is rounding-sized.
            nngpFactor = try BLAS.pivotedCholesky(m, n: n, tolerance: -1)
        } else {
            nngpInBasisDiagonal = basis.eigenvalues
            nngpFactor = nil
        }
    }

    /// The ensemble's predictions at one time.
    public struct Prediction: Sendable {
        public let time: Double
        /// Mean output on the test points.
        public let testMean: [Double]
        /// Variance over initialisations of the output on each test point.
        public let testVariance: [Double]
        /// Mean output on the training points.
        public let trainMean: [Double]
        /// Mean over the training points of the output variance.
        public let trainVarianceMean: Double
        /// The m x m test covariance (row-major), when asked for.
        public let testCovariance: [Double]?
    }

    /// The kernels between test and training points that the predictions need.
    public struct TestKernels: Sendable {
        /// Row-major m x n NTK Theta(x*, X) (NTK ensemble only; empty otherwise).
        public var ntk: [Double]
        /// Row-major m x n NNGP K(x*, X).
        public var nngp: [Double]
        /// K(x*, x*) for each test point.
        public var nngpDiagonal: [Double]
        /// The full m x m K(x*, x*'), needed only for full covariances.
        public var nngpTest: [Double]?
        public init(ntk: [Double], nngp: [Double], nngpDiagonal: [Double], nngpTest: [Double]? = nil) {
            self.ntk = ntk
            self.nngp = nngp
            self.nngpDiagonal = nngpDiagonal
            self.nngpTest = nngpTest
        }
    }

    /// Predictions at every time in `times` (flow times, step counts, or +infinity).
    public func predictions(times: [Double], test: TestKernels, fullCovariance: Bool = false) throws -> [Prediction] {
        let n = targets.count
        let m = test.nngpDiagonal.count
        guard test.nngp.count == m * n, ensemble == .nngp || test.ntk.count == m * n else {
            throw TrainingError.invalidParameter(
                name: "test kernels", value: "\(test.nngp.count) entries",
                allowed: "m x \(n) matrices for m = \(m) test points")
        }
        if fullCovariance, test.nngpTest?.count != m * m {
            throw TrainingError.invalidParameter(
                name: "test kernel", value: "missing", allowed: "the m x m NNGP for full covariances")
        }
        for t in times { try schedule.check(time: t) }
        if times.contains(.infinity) { try KernelEigenbasis.requireInvertible(basis) }
        let lambda = basis.eigenvalues
        // Test-train kernels in the eigenbasis: A = T(x*, X) V, C = K(x*, X) V.
        let c = m > 0 ? basis.rowsInBasis(test.nngp, rows: m) : []
        let a = ensemble == .ntk ? (m > 0 ? basis.rowsInBasis(test.ntk, rows: m) : []) : c
        // Time-independent parts of the NTK variance, arranged once so that each time is one
        // contiguous scaling, one triangular product and two matrix-vector products:
        // P^T A^T (rows in pivot order) and the elementwise product A * C.
        let pivotedTransposed = ensemble == .ntk ? pivotedColumns(of: a, m: m) : []
        let crossProducts = ensemble == .ntk ? zip(a, c).map { $0 * $1 } : []
        var out: [Prediction] = []
        out.reserveCapacity(times.count)
        for t in times {
            let g = lambda.map { schedule.filter($0, at: t) }
            let e = lambda.map { schedule.decay($0, at: t) }
            var mean = [Double](repeating: 0, count: m)
            if m > 0 {
                let weights = (0..<n).map { g[$0] * projectedTargets[$0] }
                BLAS.gemm(.none, .none, m: m, n: 1, k: n, a, weights, &mean)
            }
            let trainMean = zip(targets, basis.expand((0..<n).map { e[$0] * projectedTargets[$0] })).map { $0 - $1 }
            var trainVariance = 0.0
            for k in 0..<n { trainVariance += e[k] * e[k] * nngpInBasisDiagonal[k] }
            trainVariance /= Double(n)
            let variance: [Double]
            var covariance: [Double]? = nil
            switch ensemble {
            case .nngp:
                let h = lambda.map { schedule.squaredFilter($0, at: t) }
                variance = (0..<m).map { i in
                    var s = 0.0
                    for k in 0..<n {
                        let v = c[i * n + k]
                        s += v * v * h[k]
                    }
                    return test.nngpDiagonal[i] - s
                }
                if fullCovariance {
                    var scaled = c
                    for i in 0..<m { for k in 0..<n { scaled[i * n + k] *= h[k] } }
                    var cov = test.nngpTest!
                    BLAS.gemm(.none, .transpose, m: m, n: m, k: n, alpha: -1, scaled, c, beta: 1, &cov)
                    covariance = cov
                }
            case .ntk:
                let (quadratic, w) = ntkQuadratic(pivotedTransposed: pivotedTransposed, g: g, m: m)
                var cross = [Double](repeating: 0, count: m)
                if m > 0 { BLAS.gemm(.none, .none, m: m, n: 1, k: n, crossProducts, g, &cross) }
                variance = (0..<m).map { i in test.nngpDiagonal[i] + quadratic[i] - 2 * cross[i] }
                if fullCovariance {
                    // K_tt + W^T W - (A G C^T + C G A^T), W = R P^T G A^T.
                    var cov = test.nngpTest!
                    let r = nngpFactor!.rank
                    if r > 0 {
                        w.withUnsafeBufferPointer { wp in
                            cov.withUnsafeMutableBufferPointer { cp in
                                BLAS.gemm(
                                    .transpose, .none, m: m, n: m, k: r, wp.baseAddress!, lda: m,
                                    wp.baseAddress!, ldb: m, beta: 1, cp.baseAddress!, ldc: m)
                            }
                        }
                    }
                    var ag = a
                    for i in 0..<m { for k in 0..<n { ag[i * n + k] *= g[k] } }
                    var mixed = [Double](repeating: 0, count: m * m)
                    BLAS.gemm(.none, .transpose, m: m, n: m, k: n, ag, c, &mixed)
                    for i in 0..<m { for j in 0..<m { cov[i * m + j] -= mixed[i * m + j] + mixed[j * m + i] } }
                    covariance = cov
                }
            }
            out.append(
                Prediction(
                    time: t, testMean: mean, testVariance: variance, trainMean: trainMean,
                    trainVarianceMean: trainVariance, testCovariance: covariance))
        }
        return out
    }

    /// B0 = P^T A^T (n x m, row-major): row j is column piv[j] of A.
    private func pivotedColumns(of a: [Double], m: Int) -> [Double] {
        let n = targets.count
        guard let factor = nngpFactor, m > 0 else { return [] }
        var b = [Double](repeating: 0, count: n * m)
        // Blocks of test points keep the strided reads of A within cache.
        let block = 64
        for i0 in stride(from: 0, to: m, by: block) {
            let i1 = min(m, i0 + block)
            for j in 0..<n {
                let p = factor.pivots[j]
                for i in i0..<i1 { b[j * m + i] = a[i * n + p] }
            }
        }
        return b
    }

    /// a_i^T K a_i for every test point i, a_i = V G A_i (A_i the i-th row of A), as
    /// ||R P^T G A_i||^2 with P^T M P = R^T R; also returns W = R P^T G A^T (rank x m,
    /// row-major). B0 = P^T A^T is gathered once; each time scales its rows by g_piv straight
    /// into W (rows < rank) and the tail B (rows >= rank), then W = R11 W + R12 B.
    private func ntkQuadratic(pivotedTransposed b0: [Double], g: [Double], m: Int) -> (values: [Double], w: [Double]) {
        let n = targets.count
        guard let factor = nngpFactor, m > 0 else { return ([Double](repeating: 0, count: m), []) }
        let r = factor.rank
        guard r > 0 else { return ([Double](repeating: 0, count: m), []) }
        func scaledRows(_ rows: Range<Int>) -> [Double] {
            var out = [Double](repeating: 0, count: rows.count * m)
            for j in rows {
                let s = g[factor.pivots[j]]
                let from = j * m
                let to = (j - rows.lowerBound) * m
                for i in 0..<m { out[to + i] = s * b0[from + i] }
            }
            return out
        }
        var w = scaledRows(0..<r)
        let tail = r < n ? scaledRows(r..<n) : []
        factor.factor.withUnsafeBufferPointer { rp in
            w.withUnsafeMutableBufferPointer { wp in
                BLAS.upperTriangularMultiply(n: r, m: m, rp.baseAddress!, ldr: n, wp.baseAddress!, ldb: m)
                if r < n {
                    tail.withUnsafeBufferPointer { bp in
                        BLAS.gemm(
                            .none, .none, m: r, n: m, k: n - r, rp.baseAddress! + r, lda: n,
                            bp.baseAddress!, ldb: m, beta: 1, wp.baseAddress!, ldc: m)
                    }
                }
            }
        }
        var q = [Double](repeating: 0, count: m)
        for j in 0..<r {
            let row = j * m
            for i in 0..<m {
                let v = w[row + i]
                q[i] += v * v
            }
        }
        return (q, w)
    }
}
