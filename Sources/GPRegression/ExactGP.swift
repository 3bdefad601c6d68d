import Foundation
import NeuralKernels
import _NumericalBackends

/// Exact GP regression with a network kernel as covariance: hyperparameters
/// (sigma_w^2, sigma_b^2, noise s2) by maximising the log marginal likelihood with L-BFGS in
/// log-parameters from a few starting points, then the posterior predictive
///
///     mean(x*) = k*^T alpha,   var(x*) = k(x*, x*) - k*^T A^{-1} k* + s2,   A = K + s2 I.
///
/// Inputs and targets must already be standardised (``Standardiser``); the zero-mean prior
/// then suits the standardised targets. See Proofs/gp-regression-marginal-likelihood.md.
public struct ExactGP: Sendable {
    public struct Hyperparameters: Sendable, Equatable {
        public var sigmaW2: Double
        public var sigmaB2: Double
        public var noise: Double
        public init(sigmaW2: Double, sigmaB2: Double, noise: Double) {
            self.sigmaW2 = sigmaW2
            self.sigmaB2 = sigmaB2
            self.noise = noise
        }
        var logs: [Double] { [log(sigmaW2), log(sigmaB2), log(noise)] }
        init(logs: [Double]) { self.init(sigmaW2: exp(logs[0]), sigmaB2: exp(logs[1]), noise: exp(logs[2])) }
    }

    public let covariance: NetworkCovariance
    /// Box for the log-parameters: sigma_w^2 and sigma_b^2 in [1e-4, 1e2], s2 in [1e-6, 10].
    /// The box of (sigma_w^2, sigma_b^2, noise), and its logarithms (the optimiser's variables).
    public static let lowerValues = [1e-4, 1e-4, 1e-6]
    public static let upperValues = [1e2, 1e2, 10.0]
    public static let lower = lowerValues.map { log($0) }
    public static let upper = upperValues.map { log($0) }
    /// Starting points of the restarts.
    public static let starts = [
        Hyperparameters(sigmaW2: 1.5, sigmaB2: 0.1, noise: 0.1),
        Hyperparameters(sigmaW2: 4, sigmaB2: 1, noise: 0.01),
        Hyperparameters(sigmaW2: 0.8, sigmaB2: 0.01, noise: 0.3),
    ]

    public init(covariance: NetworkCovariance) { self.covariance = covariance }

    /// log p(y | x, h) and its gradient in (log sigma_w^2, log sigma_b^2, log s2).
    public func logMarginalLikelihood(_ x: [[Double]], _ y: [Double], _ h: Hyperparameters, gradient: Bool = true)
        throws
        -> MarginalLikelihood.Evaluation
    {
        let m = covariance.matrices(x, sigmaW2: h.sigmaW2, sigmaB2: h.sigmaB2, gradient: gradient)
        return try MarginalLikelihood.evaluate(k: m.k, dLogW2: m.dLogW2, dLogB2: m.dLogB2, noise: h.noise, y: y)
    }

    /// The result of ``optimise(_:_:restarts:)``.
    public struct Fit: Sendable {
        /// The hyperparameters maximising the marginal likelihood (best of the restarts).
        public let hyperparameters: Hyperparameters
        /// Likelihood evaluations spent by all restarts.
        public let evaluations: Int
        public let logLikelihood: Double
        /// Whether the best restart met the optimiser's convergence test (see ``LBFGS``).
        public let converged: Bool
        /// Norm of the projected gradient of -log p / n at the result.
        public let projectedGradientNorm: Double
        /// A hyperparameter that ended on the optimiser's box (the likelihood was still rising
        /// there): its name (sigma_w2, sigma_b2 or noise), which side, and the bound's value.
        public struct BoundHit: Sendable, Equatable {
            public let parameter: String
            public let upper: Bool
            public let value: Double
            /// "sigma_b2 at its upper bound 100.0" (the stderr note).
            public var description: String { "\(parameter) at its \(upper ? "upper" : "lower") bound \(value)" }
        }

        /// The hyperparameters of (sigma_w^2, sigma_b^2, noise) that ended on the box.
        public var boundHits: [BoundHit] {
            let names = ["sigma_w2", "sigma_b2", "noise"]
            let logs = hyperparameters.logs
            return (0..<3).compactMap { i in
                if logs[i] <= ExactGP.lower[i] + 1e-9 {
                    return BoundHit(parameter: names[i], upper: false, value: ExactGP.lowerValues[i])
                }
                if logs[i] >= ExactGP.upper[i] - 1e-9 {
                    return BoundHit(parameter: names[i], upper: true, value: ExactGP.upperValues[i])
                }
                return nil
            }
        }

        public var atBound: [String] { boundHits.map(\.description) }
    }

    /// The hyperparameters maximising the marginal likelihood (best of the restarts), with
    /// the evaluations spent and whether the optimiser converged.
    public func optimise(_ x: [[Double]], _ y: [Double], restarts: Int = 3) throws -> Fit {
        var best: (LBFGS.Result)? = nil
        var evaluations = 0
        for start in ExactGP.starts.prefix(max(1, restarts)) {
            let result = LBFGS().minimize(start.logs, lower: ExactGP.lower, upper: ExactGP.upper) { logs in
                guard let e = try? logMarginalLikelihood(x, y, Hyperparameters(logs: logs)) else { return nil }
                return (-e.value / Double(y.count), e.gradient.map { -$0 / Double(y.count) })
            }
            if let result {
                evaluations += result.evaluations
                if best == nil || result.value < best!.value { best = result }
            }
        }
        guard let best else {
            throw RegressionError.fitFailed(
                "marginal likelihood could not be evaluated at any starting point (covariance not positive definite)")
        }
        return Fit(
            hyperparameters: Hyperparameters(logs: best.x), evaluations: evaluations,
            logLikelihood: -best.value * Double(y.count), converged: best.converged,
            projectedGradientNorm: best.projectedGradientNorm)
    }

    /// Posterior predictive mean and variance (including the noise) at `test`, given training data.
    public func predict(train x: [[Double]], _ y: [Double], test: [[Double]], _ h: Hyperparameters) throws
        -> (mean: [Double], variance: [Double])
    {
        let n = x.count
        let m = test.count
        var a = covariance.matrices(x, sigmaW2: h.sigmaW2, sigmaB2: h.sigmaB2, gradient: false).k
        for i in 0..<n { a[i * n + i] += h.noise }
        try LAPACK.cholesky(&a, n: n)
        var alpha = y
        try LAPACK.choleskySolve(factor: a, n: n, &alpha, nrhs: 1)
        let cross = covariance.cross(test, x, sigmaW2: h.sigmaW2, sigmaB2: h.sigmaB2)
        // A^{-1} K*^T: n x m right-hand sides (row-major n x m).
        var rhs = [Double](repeating: 0, count: n * m)
        for i in 0..<m { for j in 0..<n { rhs[j * m + i] = cross.k[i * n + j] } }
        try LAPACK.choleskySolve(factor: a, n: n, &rhs, nrhs: m)
        var mean = [Double](repeating: 0, count: m)
        var variance = mean
        for i in 0..<m {
            var mu = 0.0
            var reduction = 0.0
            for j in 0..<n {
                let kij = cross.k[i * n + j]
                mu += kij * alpha[j]
                reduction += kij * rhs[j * m + i]
            }
            mean[i] = mu
            variance[i] = max(cross.diagonal[i] - reduction, 0) + h.noise
        }
        return (mean, variance)
    }
}
