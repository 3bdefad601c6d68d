import Foundation

/// GP regression over repeated train/test splits: standardise on the training part, choose
/// hyperparameters by marginal likelihood (on at most `fitPoints` training points, a seeded
/// random subset when there are more), predict the test part with all training points, and
/// score in the target's original units:
///
///     RMSE = sqrt(mean (y - mu)^2),   NLL = mean [ 1/2 log(2 pi s^2) + (y - mu)^2 / (2 s^2) ]
///
/// with mu, s^2 the predictive mean and variance mapped back (mu sd_y + mean_y, s^2 sd_y^2).
/// Summaries are the mean and standard error (sd / sqrt(splits)) over splits.
public struct RegressionExperiment: Sendable {
    public struct SplitResult: Sendable {
        public let rmse: Double
        public let nll: Double
        public let hyperparameters: ExactGP.Hyperparameters
        public let seconds: Double
        public let fitPoints: Int
        /// Marginal-likelihood evaluations spent by the optimiser (all restarts).
        public let evaluations: Int
        /// Whether the optimiser met its convergence test, and what ended on the box.
        public let converged: Bool
        public let boundHits: [ExactGP.Fit.BoundHit]
        public var atBound: [String] { boundHits.map(\.description) }
        /// log p(y | X, hyperparameters) of the standardised targets on the fit points, at the
        /// fitted hyperparameters: with one start per split the optimiser may end in either of
        /// several local maxima, and this says which is higher.
        public let logMarginalLikelihood: Double
        /// With ``RegressionExperiment/ard``: the fitted sigma_{w,a}^2, one per input (then
        /// `hyperparameters.sigmaW2` is the deeper layers' sigma_w^2, NaN at depth 1).
        public var sigmaW2ARD: [Double]? = nil
    }

    public struct Summary: Sendable {
        public let splits: [SplitResult]
        public init(splits: [SplitResult]) { self.splits = splits }
        public var rmseMean: Double { mean(splits.map(\.rmse)) }
        public var rmseStderr: Double { stderr(splits.map(\.rmse)) }
        public var nllMean: Double { mean(splits.map(\.nll)) }
        public var nllStderr: Double { stderr(splits.map(\.nll)) }
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        func stderr(_ v: [Double]) -> Double {
            guard v.count > 1 else { return .nan }
            let m = mean(v)
            return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1) / Double(v.count)).squareRoot()
        }
    }

    public let gp: ExactGP
    public var fitPoints = 2000
    public var restarts = 3
    public var constantColumns: Standardiser.ConstantColumns = .reject
    public var featureNames: [String]? = nil
    /// Fit one first-layer sigma_w^2 per input (``ARDExactGP``) instead of one for all.
    public var ard = false

    public init(gp: ExactGP) { self.gp = gp }

    /// Random splits of `count` rows: `splits` permutations from a seeded generator, the
    /// first round(fraction * count) rows of each for testing (at least 1, leaving >= 2 to train).
    public static func randomSplits(count: Int, splits: Int, testFraction: Double, seed: UInt64) -> [(
        train: [Int], test: [Int]
    )] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let nTest = min(count - 2, max(1, Int((testFraction * Double(count)).rounded())))
        return (0..<splits).map { _ in
            var p = Array(0..<count)
            for i in stride(from: count - 1, to: 0, by: -1) { p.swapAt(i, Int(next() % UInt64(i + 1))) }
            return (Array(p[nTest...]).sorted(), Array(p[..<nTest]).sorted())
        }
    }

    /// One split's training part standardised (inputs and target on the training part) and
    /// the rows the hyperparameters are fitted on (a seeded subset when there are more than
    /// `fitPoints`).
    struct PreparedSplit {
        let scaler: Standardiser
        let xTrain: [[Double]]
        let yTrain: [Double]
        let yMean: Double
        let ySd: Double
        let fitRows: [Int]
    }

    func prepare(x: [[Double]], y: [Double], train: [Int], seed: UInt64) throws -> PreparedSplit {
        let xTrainRaw = train.map { x[$0] }
        let scaler = try Standardiser(fitting: xTrainRaw, names: featureNames, constantColumns: constantColumns)
        let yTrainRaw = train.map { y[$0] }
        let yMean = yTrainRaw.reduce(0, +) / Double(train.count)
        let ySd = (yTrainRaw.reduce(0) { $0 + ($1 - yMean) * ($1 - yMean) } / Double(train.count)).squareRoot()
        guard ySd > 0 else {
            throw RegressionError.invalidData("the target is constant (\(yMean)) in the training data")
        }
        var fitRows = Array(0..<train.count)
        if train.count > fitPoints {
            fitRows =
                RegressionExperiment.randomSplits(
                    count: train.count, splits: 1, testFraction: Double(train.count - fitPoints) / Double(train.count),
                    seed: seed)[0].train
        }
        return PreparedSplit(
            scaler: scaler, xTrain: scaler.apply(xTrainRaw), yTrain: yTrainRaw.map { ($0 - yMean) / ySd },
            yMean: yMean, ySd: ySd, fitRows: fitRows)
    }

    /// log p(y | X, h) of one split's standardised training targets on its fit rows, at given
    /// hyperparameters: the quantity `run` maximises, for comparing fits made earlier (their
    /// stored hyperparameters) without fitting again. Same `seed` as the run for the same rows.
    public func logMarginalLikelihood(
        x: [[Double]], y: [Double], train: [Int], seed: UInt64,
        at h: ExactGP.Hyperparameters
    ) throws -> Double {
        let p = try prepare(x: x, y: y, train: train, seed: seed)
        return try gp.logMarginalLikelihood(
            p.fitRows.map { p.xTrain[$0] }, p.fitRows.map { p.yTrain[$0] }, h, gradient: false
        ).value
    }

    /// Runs one split.
    public func run(x: [[Double]], y: [Double], train: [Int], test: [Int], seed: UInt64) throws -> SplitResult {
        let start = Date()
        let prepared = try prepare(x: x, y: y, train: train, seed: seed)
        let xTrain = prepared.xTrain
        let yTrain = prepared.yTrain
        let fitRows = prepared.fitRows
        let yMean = prepared.yMean
        let ySd = prepared.ySd
        let xTest = prepared.scaler.apply(test.map { x[$0] })
        let fitX = fitRows.map { xTrain[$0] }
        let fitY = fitRows.map { yTrain[$0] }
        let h: ExactGP.Hyperparameters
        let prediction: (mean: [Double], variance: [Double])
        let ardWeights: [Double]?
        let evaluations: Int
        let converged: Bool
        let boundHits: [ExactGP.Fit.BoundHit]
        let logLikelihood: Double
        if ard {
            let ardGP = ARDExactGP(covariance: gp.covariance)
            let fit = try ardGP.optimise(fitX, fitY, restarts: restarts)
            let a = fit.hyperparameters
            prediction = try ardGP.predict(train: xTrain, yTrain, test: xTest, a)
            h = ExactGP.Hyperparameters(
                sigmaW2: ardGP.hasDeepWeights ? a.sigmaW2Deep : .nan, sigmaB2: a.sigmaB2, noise: a.noise)
            ardWeights = a.sigmaW2
            (evaluations, converged, boundHits, logLikelihood) = (
                fit.evaluations, fit.converged, fit.boundHits, fit.logLikelihood
            )
        } else {
            let fit = try gp.optimise(fitX, fitY, restarts: restarts)
            h = fit.hyperparameters
            prediction = try gp.predict(train: xTrain, yTrain, test: xTest, h)
            ardWeights = nil
            (evaluations, converged, boundHits, logLikelihood) = (
                fit.evaluations, fit.converged, fit.boundHits, fit.logLikelihood
            )
        }
        var se = 0.0
        var nll = 0.0
        for (k, row) in test.enumerated() {
            let mu = prediction.mean[k] * ySd + yMean
            let s2 = prediction.variance[k] * ySd * ySd
            let r = y[row] - mu
            se += r * r
            nll += 0.5 * log(2 * Double.pi * s2) + r * r / (2 * s2)
        }
        return SplitResult(
            rmse: (se / Double(test.count)).squareRoot(), nll: nll / Double(test.count),
            hyperparameters: h, seconds: Date().timeIntervalSince(start), fitPoints: fitRows.count,
            evaluations: evaluations, converged: converged, boundHits: boundHits,
            logMarginalLikelihood: logLikelihood, sigmaW2ARD: ardWeights)
    }
}
