import Foundation
import NeuralKernels

/// Exact GP regression with a network kernel whose first layer has one weight variance per
/// input (automatic relevance determination, as the RBF-ARD baseline's length scales):
///
///     Sigma^1(x, x') = sigma_b^2 + sum_a sigma_{w,a}^2 x_a x'_a / d,
///
/// the layers after the first as in ``ExactGP`` (their sigma_w^2 and the shared sigma_b^2),
/// fitted by maximising the log marginal likelihood (ML-II) with L-BFGS in the logarithms of
/// (sigma_{w,1}^2 ... sigma_{w,d}^2, sigma_w^2 (depth >= 2 only), sigma_b^2, s2).
///
/// The kernel is ``NetworkCovariance`` with sigma_w^2 on the scaled inputs
/// x~_a = x_a sqrt(sigma_{w,a}^2 / sigma_w^2) (at depth 1, where no later layer has a sigma_w^2,
/// on x~_a = x_a sigma_{w,a}), so equal sigma_{w,a}^2 = sigma_w^2 give ``ExactGP``'s kernel to the
/// last bit (the scale factor is exactly 1). The gradient is O(d n^2):
/// ``MarginalLikelihood/evaluate(firstLayer:scaled:inputs:firstW2:noise:y:)``.
/// See Proofs/gp-regression-marginal-likelihood.md, section 5.
public struct ARDExactGP: Sendable {
    public struct Hyperparameters: Sendable, Equatable {
        /// sigma_{w,a}^2, one per input.
        public var sigmaW2: [Double]
        /// sigma_w^2 of layers 2...L (unused at depth 1).
        public var sigmaW2Deep: Double
        public var sigmaB2: Double
        public var noise: Double
        public init(sigmaW2: [Double], sigmaW2Deep: Double, sigmaB2: Double, noise: Double) {
            self.sigmaW2 = sigmaW2
            self.sigmaW2Deep = sigmaW2Deep
            self.sigmaB2 = sigmaB2
            self.noise = noise
        }
        /// Every input's sigma_{w,a}^2 and the deeper layers' sigma_w^2 equal to `h.sigmaW2`.
        public init(_ h: ExactGP.Hyperparameters, inputs: Int) {
            self.init(
                sigmaW2: Array(repeating: h.sigmaW2, count: inputs), sigmaW2Deep: h.sigmaW2,
                sigmaB2: h.sigmaB2, noise: h.noise)
        }
    }

    public let covariance: NetworkCovariance
    public init(covariance: NetworkCovariance) { self.covariance = covariance }

    var hasDeepWeights: Bool { covariance.depth > 1 }

    /// The optimiser's variables: log sigma_{w,a}^2, log sigma_w^2 (depth >= 2), log sigma_b^2, log s2.
    func logs(_ h: Hyperparameters) -> [Double] {
        h.sigmaW2.map { log($0) } + (hasDeepWeights ? [log(h.sigmaW2Deep)] : []) + [log(h.sigmaB2), log(h.noise)]
    }

    func hyperparameters(logs: [Double], inputs d: Int) -> Hyperparameters {
        Hyperparameters(
            sigmaW2: logs[0..<d].map { exp($0) }, sigmaW2Deep: hasDeepWeights ? exp(logs[d]) : 1,
            sigmaB2: exp(logs[logs.count - 2]), noise: exp(logs[logs.count - 1]))
    }

    /// The sigma_w^2 the scaled inputs are used with: the deeper layers' (1 at depth 1).
    func firstW2(_ h: Hyperparameters) -> Double { hasDeepWeights ? h.sigmaW2Deep : 1 }

    /// x~_a = x_a sqrt(sigma_{w,a}^2 / sigma_w^2).
    public func scaledInputs(_ x: [[Double]], _ h: Hyperparameters) -> [[Double]] {
        let w2 = firstW2(h)
        let factors = h.sigmaW2.map { ($0 / w2).squareRoot() }
        return x.map { row in zip(row, factors).map { $0 * $1 } }
    }

    /// log p(y | x, h) and its gradient in the optimiser's variables (``logs(_:)``, in that order).
    public func logMarginalLikelihood(_ x: [[Double]], _ y: [Double], _ h: Hyperparameters, gradient: Bool = true)
        throws
        -> MarginalLikelihood.Evaluation
    {
        let d = x.first?.count ?? 0
        precondition(h.sigmaW2.count == d)
        let scaled = scaledInputs(x, h)
        let w2 = firstW2(h)
        guard gradient else {
            let k = covariance.matrices(scaled, sigmaW2: w2, sigmaB2: h.sigmaB2, gradient: false).k
            return try MarginalLikelihood.evaluate(k: k, dLogW2: [], dLogB2: [], noise: h.noise, y: y)
        }
        let p = covariance.firstLayerPartials(scaled, sigmaW2: w2, sigmaB2: h.sigmaB2)
        let e = try MarginalLikelihood.evaluate(
            firstLayer: p, scaled: scaled.flatMap { $0 }, inputs: d, firstW2: w2,
            noise: h.noise, y: y)
        guard !hasDeepWeights else { return e }
        var g = e.gradient
        g.remove(at: d)
        return MarginalLikelihood.Evaluation(value: e.value, gradient: g)
    }

    /// The result of ``optimise(_:_:restarts:)``.
    public struct Fit: Sendable {
        public let hyperparameters: Hyperparameters
        public let evaluations: Int
        public let logLikelihood: Double
        public let converged: Bool
        public let projectedGradientNorm: Double
        /// Hyperparameters on the box: sigma_w2_ard[a] (a 1-based), sigma_w2, sigma_b2, noise.
        public let boundHits: [ExactGP.Fit.BoundHit]
    }

    /// The box of ``ExactGP`` for every weight variance (per input and deep), sigma_b^2 and s2;
    /// the optimiser's iteration limit is raised with the number of variables.
    public func optimise(_ x: [[Double]], _ y: [Double], restarts: Int = 3) throws -> Fit {
        let d = x.first?.count ?? 0
        let weights = d + (hasDeepWeights ? 1 : 0)
        let lower = Array(repeating: ExactGP.lower[0], count: weights) + ExactGP.lower[1...]
        let upper = Array(repeating: ExactGP.upper[0], count: weights) + ExactGP.upper[1...]
        var solver = LBFGS()
        solver.maxIterations = max(solver.maxIterations, 20 * (weights + 2))
        var best: LBFGS.Result? = nil
        var evaluations = 0
        for start in ExactGP.starts.prefix(max(1, restarts)) {
            let x0 = logs(Hyperparameters(start, inputs: d))
            let result = solver.minimize(x0, lower: lower, upper: upper) { v in
                guard let e = try? logMarginalLikelihood(x, y, hyperparameters(logs: v, inputs: d)) else { return nil }
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
        let names =
            (0..<d).map { "sigma_w2_ard[\($0 + 1)]" } + (hasDeepWeights ? ["sigma_w2"] : [])
            + ["sigma_b2", "noise"]
        let values = Array(repeating: ExactGP.lowerValues[0], count: weights) + ExactGP.lowerValues[1...]
        let uppers = Array(repeating: ExactGP.upperValues[0], count: weights) + ExactGP.upperValues[1...]
        let hits = best.x.indices.compactMap { i -> ExactGP.Fit.BoundHit? in
            if best.x[i] <= lower[i] + 1e-9 {
                return ExactGP.Fit.BoundHit(parameter: names[i], upper: false, value: values[i])
            }
            if best.x[i] >= upper[i] - 1e-9 {
                return ExactGP.Fit.BoundHit(parameter: names[i], upper: true, value: uppers[i])
            }
            return nil
        }
        return Fit(
            hyperparameters: hyperparameters(logs: best.x, inputs: d), evaluations: evaluations,
            logLikelihood: -best.value * Double(y.count), converged: best.converged,
            projectedGradientNorm: best.projectedGradientNorm, boundHits: hits)
    }

    /// Posterior predictive mean and variance (including the noise) at `test`: ``ExactGP``'s on
    /// the scaled inputs.
    public func predict(train x: [[Double]], _ y: [Double], test: [[Double]], _ h: Hyperparameters) throws
        -> (mean: [Double], variance: [Double])
    {
        try ExactGP(covariance: covariance).predict(
            train: scaledInputs(x, h), y, test: scaledInputs(test, h),
            ExactGP.Hyperparameters(sigmaW2: firstW2(h), sigmaB2: h.sigmaB2, noise: h.noise))
    }
}
