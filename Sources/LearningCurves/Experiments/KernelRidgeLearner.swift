import _ParallelFill
import Dispatch
import NeuralKernels
import SphericalSpectra
import _NumericalBackends

/// Kernel ridge regression f_hat(x) = k(x, X)(K + lambda I)^{-1} y, several label vectors at once:
/// one LAPACK Cholesky factor of K + lambda I, then triangular solves (dpotrs) and one matrix
/// product (dgemm) for the predictions.
///
/// K comes from the package's ``GramMatrix`` for a network (the points scaled to |x|^2 = d, so
/// that Neural Tangents' input kernel <x, x'>/d is t = <x, x'> and the entries are the sphere
/// kernel kappa(t) of design.md §2), with k(x, X) from the same kernel tabulated
/// (``SphereKernelTable``, accurate to about 1e-14 kappa(1), as GramMatrix's own table); or
/// from any ``DotProductKernel`` evaluated at t (standard kernels).
public struct KernelRidgeLearner: SupervisedLearner {
    public enum Kernel: Sendable {
        case network(NetworkKernel, KernelKind)
        case dotProduct(any DotProductKernel)
    }

    public let kernel: Kernel
    public let ridge: Double
    private let pointKernel: @Sendable (Double) -> Double

    public init(kernel: Kernel, ridge: Double) throws {
        guard ridge.isFinite, ridge >= 0 else {
            throw LearningCurveError.invalidParameter(name: "ridge", value: "\(ridge)", allowed: "a finite number >= 0")
        }
        self.kernel = kernel
        self.ridge = ridge
        switch kernel {
        case .network(let network, let kind):
            let table = SphereKernelTable(try SphereKernel(network))
            if kind == .nngp { pointKernel = { t in table.nngp(t) } } else { pointKernel = { t in table.ntk(t) } }
        case .dotProduct(let k):
            pointKernel = { t in k.value(t, oneMinusT: 1 - t, onePlusT: 1 + t) }
        }
    }

    public var name: String {
        switch kernel {
        case .network(let net, let kind):
            return "kernel ridge regression, \(net.depth)-layer \(net.activation.name) \(kind.rawValue)"
        case .dotProduct(let k): return "kernel ridge regression, \(k.name)"
        }
    }

    /// The n x n Gram matrix of `points` on S^{d-1}, row-major.
    public func gram(_ points: [[Double]]) throws -> [Double] {
        switch kernel {
        case .network(let network, let kind):
            let d = Double(points[0].count)
            let scaled = points.map { $0.map { $0 * d.squareRoot() } }
            return try GramMatrix(points: scaled, network: network, kind: kind).values
        case .dotProduct:
            return cross(points, points, symmetric: true)
        }
    }

    /// k(a_i, b_j) for all pairs, row-major |a| x |b|, rows spread over the cores.
    func cross(_ a: [[Double]], _ b: [[Double]], symmetric: Bool = false) -> [Double] {
        let rows = a.count
        let columns = b.count
        var out = [[Double](repeating: 0, count: rows * columns)]
        let f = pointKernel
        ParallelFill.withShared(&out, rowLength: columns) { shared in
            let k = shared[0]
            ParallelFill.forEach(rows) { i in
                for j in 0..<columns { k[i, j] = symmetric && i == j ? f(1) : f(UniformSpherePoints.dot(a[i], b[j])) }
            }
        }
        return out[0]
    }

    public func predict(training: [[Double]], labels: [[Double]], test: [[Double]]) throws -> [[Double]] {
        let n = training.count
        let m = labels.count
        let nt = test.count
        precondition(n > 0 && labels.allSatisfy { $0.count == n })
        var a = try gram(training)
        for i in 0..<n { a[i * n + i] += ridge }
        do {
            try LAPACK.cholesky(&a, n: n)
        } catch let failure as LAPACK.Failure {
            throw LearningCurveError.singularGram(n: n, ridge: ridge, reason: failure.description)
        }
        var rhs = [Double](repeating: 0, count: n * m)
        for j in 0..<m { for i in 0..<n { rhs[i * m + j] = labels[j][i] } }
        try LAPACK.choleskySolve(factor: a, n: n, &rhs, nrhs: m)
        let k = cross(test, training)
        let product = LAPACK.multiply(k, rhs, m: nt, k: n, n: m)
        return (0..<m).map { j in (0..<nt).map { product[$0 * m + j] } }
    }
}
