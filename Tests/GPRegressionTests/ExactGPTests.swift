import Foundation
import Testing
import _TestSupport
@testable import GPRegression
import NeuralKernels

/// Posterior predictive against a naive dense solve (Gaussian elimination with partial
/// pivoting written here, no LAPACK), and the optimiser against the likelihood it maximises.
@Suite struct ExactGPTests {
    /// Solves A X = B by Gaussian elimination with partial pivoting (A n x n, B n x m, row-major).
    static func naiveSolve(_ a: [Double], _ b: [Double], n: Int, m: Int) -> [Double] {
        var a = a
        var b = b
        for col in 0..<n {
            let pivot = (col..<n).max { Swift.abs(a[$0 * n + col]) < Swift.abs(a[$1 * n + col]) }!
            for k in 0..<n { a.swapAt(col * n + k, pivot * n + k) }
            for k in 0..<m { b.swapAt(col * m + k, pivot * m + k) }
            for r in (col + 1)..<n {
                let f = a[r * n + col] / a[col * n + col]
                for k in col..<n { a[r * n + k] -= f * a[col * n + k] }
                for k in 0..<m { b[r * m + k] -= f * b[col * m + k] }
            }
        }
        for col in stride(from: n - 1, through: 0, by: -1) {
            for k in 0..<m {
                var s = b[col * m + k]
                for j in (col + 1)..<n { s -= a[col * n + j] * b[j * m + k] }
                b[col * m + k] = s / a[col * n + col]
            }
        }
        return b
    }

    @Test func predictiveMatchesNaiveDenseSolve() throws {
        let (x, y) = MarginalLikelihoodGradientTests.data(n: 40, d: 3, seed: 5)
        let test = Array(x.suffix(6)).map { $0.map { $0 * 0.9 + 0.05 } }
        let gp = ExactGP(covariance: NetworkCovariance(activation: .gelu, depth: 3, kind: .ntk))
        let h = ExactGP.Hyperparameters(sigmaW2: 1.8, sigmaB2: 0.2, noise: 0.03)
        let p = try gp.predict(train: x, y, test: test, h)
        let n = x.count
        var a = gp.covariance.matrices(x, sigmaW2: h.sigmaW2, sigmaB2: h.sigmaB2, gradient: false).k
        for i in 0..<n { a[i * n + i] += h.noise }
        let cross = gp.covariance.cross(test, x, sigmaW2: h.sigmaW2, sigmaB2: h.sigmaB2)
        let alpha = Self.naiveSolve(a, y, n: n, m: 1)
        for t in 0..<test.count {
            let kt = Array(cross.k[(t * n)..<((t + 1) * n)])
            let v = Self.naiveSolve(a, kt, n: n, m: 1)
            let mean = zip(kt, alpha).reduce(0) { $0 + $1.0 * $1.1 }
            let variance = cross.diagonal[t] - zip(kt, v).reduce(0) { $0 + $1.0 * $1.1 } + h.noise
            #expect(Swift.abs(p.mean[t] - mean) <= 1e-11 * max(1, Swift.abs(mean)), "\(p.mean[t]) vs \(mean)")
            #expect(relativeError(p.variance[t], variance) <= 1e-10, "\(p.variance[t]) vs \(variance)")
        }
    }

    /// The optimum is at least as good as every starting point, and interior components of the
    /// gradient vanish there (to the optimiser's tolerance).
    @Test func optimiserFindsAStationaryMaximum() throws {
        let (x, y) = MarginalLikelihoodGradientTests.data(n: 60, d: 3, seed: 9)
        let gp = ExactGP(covariance: NetworkCovariance(activation: .relu, depth: 2, kind: .nngp))
        let fit = try gp.optimise(x, y)
        let h = fit.hyperparameters
        let value = fit.logLikelihood
        #expect(fit.converged)
        for start in ExactGP.starts {
            #expect(value >= (try gp.logMarginalLikelihood(x, y, start, gradient: false).value) - 1e-9)
        }
        let e = try gp.logMarginalLikelihood(x, y, h)
        #expect(Swift.abs(e.value - value) <= 1e-9 * Swift.abs(value))
        for (p, logValue) in h.logs.enumerated()
        where logValue > ExactGP.lower[p] + 1e-6 && logValue < ExactGP.upper[p] - 1e-6 {
            #expect(Swift.abs(e.gradient[p]) <= 1e-2 * Double(y.count).squareRoot(), "component \(p): \(e.gradient[p])")
        }
    }

    /// L-BFGS on the Rosenbrock function reaches its minimum (1, 1).
    @Test func lbfgsMinimisesRosenbrock() {
        var solver = LBFGS()
        solver.maxIterations = 500
        solver.tolerance = 1e-14
        let r = solver.minimize([-1.2, 1], lower: [-5, -5], upper: [5, 5]) { p in
            let a = 1 - p[0]
            let b = p[1] - p[0] * p[0]
            return (a * a + 100 * b * b, [-2 * a - 400 * p[0] * b, 200 * b])
        }!
        #expect(Swift.abs(r.x[0] - 1) < 1e-4 && Swift.abs(r.x[1] - 1) < 1e-4, "\(r.x)")
        #expect(r.converged)
    }

    /// An iteration limit too small to reach the minimum is reported as non-convergence, with
    /// the gradient left.
    @Test func lbfgsReportsNonConvergence() {
        var solver = LBFGS()
        solver.maxIterations = 3
        let r = solver.minimize([-1.2, 1], lower: [-5, -5], upper: [5, 5]) { p in
            let a = 1 - p[0]
            let b = p[1] - p[0] * p[0]
            return (a * a + 100 * b * b, [-2 * a - 400 * p[0] * b, 200 * b])
        }!
        #expect(!r.converged)
        #expect(r.projectedGradientNorm > 1e-3)
    }

    /// With the minimum outside the box, the solution sits on a bound. In a valley coupling the
    /// variables (as sigma_b^2 and the noise are coupled at sigma_b^2 = 100), a quasi-Newton
    /// direction that moves the bound variable gets clipped, and its remainder is no descent
    /// direction: the search must work in the free variables. Minimiser of
    /// (x - 3)^2 + 50 (x - y)^2 + (y + z - 1)^2 + z^2 / 10 over x <= 1:
    /// x = 1, and y, z from the free stationarity equations.
    @Test func lbfgsConvergesOnABound() {
        let solver = LBFGS()
        let f: ([Double]) -> (value: Double, gradient: [Double])? = { p in
            let (x, y, z) = (p[0], p[1], p[2])
            let v = (x - 3) * (x - 3) + 50 * (x - y) * (x - y) + (y + z - 1) * (y + z - 1) + z * z / 10
            return (v, [2 * (x - 3) + 100 * (x - y), -100 * (x - y) + 2 * (y + z - 1), 2 * (y + z - 1) + z / 5])
        }
        // Free equations at x = 1: 100 (y - 1) + 2 (y + z - 1) = 0, 2 (y + z - 1) + z / 5 = 0.
        // From the second, y + z - 1 = -z / 10; the first gives y = 1 + z / 500;
        // then 1 + z / 500 + z - 1 = -z / 10 forces z = 0, y = 1. The stopping rule leaves a
        // gradient below 1e-3, and the free Hessian's smallest eigenvalue is about 2.16, so y and
        // z are within 5e-4 of it.
        for start in [[0.0, 3, -2], [-4.0, 5, 5], [1.0, -3, 4]] {
            let r = solver.minimize(start, lower: [-10, -10, -10], upper: [1, 10, 10], f)!
            #expect(r.converged, "start \(start): \(r.x) after \(r.evaluations) evaluations")
            #expect(
                Swift.abs(r.x[0] - 1) <= 1e-12 && Swift.abs(r.x[1] - 1) <= 1e-3 && Swift.abs(r.x[2]) <= 1e-3,
                "start \(start): \(r.x)")
        }
    }
}
