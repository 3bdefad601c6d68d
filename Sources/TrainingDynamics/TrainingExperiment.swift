import Foundation
import NeuralKernels

/// One training study as `rkhs train` runs it: the infinitely wide network trained by
/// gradient descent on MSE (the trained ensemble's mean and variance at each time, or the
/// centred network's deterministic trajectory), and optionally actual networks of finite
/// widths trained beside it by full-batch gradient descent from several seeds.
///
/// Data come standardised (or as given); every reported loss, RMSE and NLL is in the target's
/// original units: predictions are mean + scale * f, variances scale^2 * Var.
public struct TrainingExperiment: Sendable {
    /// The network's outputs at initialisation.
    public enum Initialisation: String, Sendable, CaseIterable, Codable {
        /// Drawn from the prior: the predictions are a Gaussian over initialisations.
        case sampled
        /// Set to zero (a centred network, f - f_0): one deterministic trajectory, the mean.
        case zero
    }

    /// The learning rate, as a number or as a fraction of the stability limit 2n / lambda_max.
    public enum LearningRate: Sendable, Equatable {
        case value(Double)
        case fractionOfLimit(Double)
    }

    public struct Configuration: Sendable {
        public var network: NetworkKernel
        public var ensemble: TrainedEnsemble
        public var schedule: TrainingSchedule.Kind
        public var learningRate: LearningRate
        public var ridge: Double
        public var absoluteRidge: Bool
        public var initialisation: Initialisation
        public var times: [Double]
        /// Hidden widths of finite networks trained beside the infinite one (discrete steps).
        public var widths: [Int]
        public var seeds: [UInt64]

        public init(
            network: NetworkKernel, ensemble: TrainedEnsemble = .ntk, schedule: TrainingSchedule.Kind = .flow,
            learningRate: LearningRate = .value(1), ridge: Double = 0, absoluteRidge: Bool = false,
            initialisation: Initialisation = .sampled, times: [Double], widths: [Int] = [], seeds: [UInt64] = []
        ) {
            self.network = network
            self.ensemble = ensemble
            self.schedule = schedule
            self.learningRate = learningRate
            self.ridge = ridge
            self.absoluteRidge = absoluteRidge
            self.initialisation = initialisation
            self.times = times
            self.widths = widths
            self.seeds = seeds
        }
    }

    /// Training and test data, already standardised (or as given), with the target's
    /// standardisation to undo in the reported numbers.
    public struct Data: Sendable {
        public var train: [[Double]]
        public var trainTargets: [Double]
        public var test: [[Double]]
        public var testTargets: [Double]
        public var targetMean: Double
        public var targetScale: Double
        public init(
            train: [[Double]], trainTargets: [Double], test: [[Double]], testTargets: [Double],
            targetMean: Double = 0, targetScale: Double = 1
        ) {
            self.train = train
            self.trainTargets = trainTargets
            self.test = test
            self.testTargets = testTargets
            self.targetMean = targetMean
            self.targetScale = targetScale
        }
    }

    /// Losses over time of one predictor (in original units). Losses are 1/(2n) sum (f - y)^2,
    /// the convention of the dynamics; `expected` losses add half the mean variance over
    /// initialisations (the loss a random member of the ensemble has on average).
    public struct Curve: Sendable, Codable {
        public var trainLoss: [Double?]
        public var testLoss: [Double?]
        public var testRmse: [Double?]
        public var testNll: [Double?]
        public var expectedTrainLoss: [Double?]
        public var expectedTestLoss: [Double?]
    }

    /// A value with its standard error over seeds.
    public struct Estimate: Sendable, Codable, Equatable {
        public var mean: Double?
        public var standardError: Double?
        init(_ x: (mean: Double, standardError: Double)) {
            mean = finite(x.mean)
            standardError = finite(x.standardError)
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mean, forKey: .mean)
            try c.encode(standardError, forKey: .standardError)
        }
    }

    /// A fitted exponent of width.
    public struct Slope: Sendable, Codable, Equatable {
        public var exponent: Double?
        public var standardError: Double?
        /// The exponent of the width the scaling argument predicts (``LazyTrainingRates``).
        public var theory: Double
        /// Lee et al.'s proven bound on the exponent (-1/2), where there is one.
        public var bound: Double?
        public var widths: Int
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(exponent, forKey: .exponent)
            try c.encode(standardError, forKey: .standardError)
            try c.encode(theory, forKey: .theory)
            try c.encode(bound, forKey: .bound)
            try c.encode(widths, forKey: .widths)
        }
    }

    /// Finite networks of one width against the infinite-width prediction.
    public struct WidthReport: Sendable, Codable {
        public var width: Int
        public var seeds: Int
        /// Seed means of the networks' losses (original units), per time.
        public var trainLoss: [Double?]
        public var testLoss: [Double?]
        /// Per time, the largest |seed mean - infinite mean| over test points in standard
        /// errors sqrt(Var_t / seeds) of the trained ensemble (about a standard normal's largest
        /// of m values when the width is large), and the mean over test points of seed variance /
        /// ensemble variance (expected 1); for the networks and for their linearisations at init.
        public var meanDeviation: [Double?]
        public var varianceRatio: [Double?]
        public var linearisedMeanDeviation: [Double?]
        public var linearisedVarianceRatio: [Double?]
        public var ntkChange: Estimate
        public var linearisationGap: Estimate
        public var weightChange: Estimate
    }

    public struct Report: Sendable, Codable {
        public var times: [Double?]
        public var schedule: String
        public var ensemble: String
        public var initialisation: String
        public var learningRate: Double
        /// 2n / lambda_max of the training kernel: the largest stable learning rate of discrete steps.
        public var stabilityLimit: Double?
        public var ridge: Double
        public var trainPoints: Int
        public var testPoints: Int
        public var largestEigenvalue: Double
        public var smallestEigenvalue: Double
        /// The first finite listed time whose train loss is below 1e-3 of its value at t = 0.
        public var convergedTime: Double?
        public var trainLoss: [Double?]
        public var testLoss: [Double?]
        public var testRmse: [Double?]
        public var testNll: [Double?]
        public var expectedTrainLoss: [Double?]
        public var expectedTestLoss: [Double?]
        public var finiteWidth: [WidthReport]
        public var ntkChangeSlope: Slope?
        public var linearisationGapSlope: Slope?
        public var weightChangeSlope: Slope?
        public var warnings: [String]

        /// Every field written, absent values as null (JSON has no NaN or infinity).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(times, forKey: .times)
            try c.encode(schedule, forKey: .schedule)
            try c.encode(ensemble, forKey: .ensemble)
            try c.encode(initialisation, forKey: .initialisation)
            try c.encode(learningRate, forKey: .learningRate)
            try c.encode(stabilityLimit, forKey: .stabilityLimit)
            try c.encode(ridge, forKey: .ridge)
            try c.encode(trainPoints, forKey: .trainPoints)
            try c.encode(testPoints, forKey: .testPoints)
            try c.encode(largestEigenvalue, forKey: .largestEigenvalue)
            try c.encode(smallestEigenvalue, forKey: .smallestEigenvalue)
            try c.encode(convergedTime, forKey: .convergedTime)
            try c.encode(trainLoss, forKey: .trainLoss)
            try c.encode(testLoss, forKey: .testLoss)
            try c.encode(testRmse, forKey: .testRmse)
            try c.encode(testNll, forKey: .testNll)
            try c.encode(expectedTrainLoss, forKey: .expectedTrainLoss)
            try c.encode(expectedTestLoss, forKey: .expectedTestLoss)
            try c.encode(finiteWidth, forKey: .finiteWidth)
            try c.encode(ntkChangeSlope, forKey: .ntkChangeSlope)
            try c.encode(linearisationGapSlope, forKey: .linearisationGapSlope)
            try c.encode(weightChangeSlope, forKey: .weightChangeSlope)
            try c.encode(warnings, forKey: .warnings)
        }
    }

    /// The report, and the test predictions per time (original units) for files.
    public struct Result: Sendable {
        public var report: Report
        public var testMean: [[Double]]
        /// Variances over initialisations (zero for the centred network).
        public var testVariance: [[Double]]
    }

    /// Runs the study; `progress` receives one line per stage.
    public static func run(_ config: Configuration, data: Data, progress: (@Sendable (String) -> Void)? = nil) throws
        -> Result
    {
        let n = data.trainTargets.count
        let m = data.testTargets.count
        guard n >= 1, data.train.count == n, data.test.count == m else {
            throw TrainingError.invalidParameter(
                name: "data", value: "\(data.train.count) rows, \(n) targets",
                allowed: "one target per training row")
        }
        let discrete = config.schedule == .steps || !config.widths.isEmpty
        var warnings: [String] = []
        let reference = try referenceNetwork(config, width: config.widths.first)
        progress?("kernels on \(n) training and \(m) test points")
        let kernels = try TrainingKernels(
            train: data.train, test: data.test, network: reference,
            needsNTK: config.ensemble == .ntk)
        let trainingKernel = config.ensemble == .ntk ? kernels.ntkTrain : kernels.nngpTrain
        let basis = try KernelEigenbasis(
            kernel: trainingKernel, count: n, ridge: config.ridge, absoluteRidge: config.absoluteRidge)
        if !basis.isPositiveSemidefinite {
            warnings.append(
                "the training kernel is not positive semidefinite beyond rounding: its most negative eigenvalue is "
                    + "\(basis.negativeMass) of the largest (treated as 0)")
        }
        let limit = TrainingSchedule.stabilityLimit(largestEigenvalue: basis.largest, trainingPoints: n)
        let eta: Double
        switch config.learningRate {
        case .value(let v): eta = v
        case .fractionOfLimit(let f): eta = f * limit
        }
        let schedule = try TrainingSchedule(kind: discrete ? .steps : .flow, learningRate: eta, trainingPoints: n)
        for t in config.times { try schedule.check(time: t) }

        // The infinite network.
        var mean: [[Double]] = []
        var variance: [[Double]] = []
        var trainMean: [[Double]] = []
        var trainVariance: [Double] = []
        switch config.initialisation {
        case .sampled:
            let dynamics = try EnsembleDynamics(
                ensemble: config.ensemble, basis: basis, nngp: kernels.nngpTrain,
                targets: data.trainTargets, schedule: schedule)
            for p in try dynamics.predictions(times: config.times, test: kernels.testKernels) {
                mean.append(p.testMean)
                variance.append(p.testVariance)
                trainMean.append(p.trainMean)
                trainVariance.append(p.trainVarianceMean)
            }
        case .zero:
            let cross = config.ensemble == .ntk ? kernels.ntkCross : kernels.nngpCross
            let dynamics = try FunctionSpaceDynamics(basis: basis, targets: data.trainTargets, schedule: schedule)
            let path = try dynamics.trajectory(
                times: config.times, trainInitial: [Double](repeating: 0, count: n),
                testInitial: [Double](repeating: 0, count: m), cross: cross)
            mean = path.test
            trainMean = path.train
            variance = path.test.map { [Double](repeating: 0, count: $0.count) }
            trainVariance = [Double](repeating: 0, count: config.times.count)
        }
        let s = data.targetScale
        let s2 = s * s
        // The scale once: inside the closure it was an O(m^2) scan per variance (minutes at m = 1000).
        let negativeFloor = -1e-10 * (kernels.nngpTest.max() ?? 1)
        if variance.contains(where: { $0.contains { $0 < negativeFloor } }) {
            warnings.append(
                "some test variances are negative beyond rounding (cancellation at late times); NLL is not reported there"
            )
        }
        let curve = Self.curve(
            trainOutputs: trainMean, testOutputs: mean, testVariance: variance,
            trainVarianceMean: trainVariance, data: data,
            withVariance: config.initialisation == .sampled)
        let start = data.trainTargets.reduce(0) { $0 + $1 * $1 } * s2 / (2 * Double(n))
        let converged = zip(config.times, curve.trainLoss).first {
            $0.0.isFinite && ($0.1 ?? .infinity) <= 1e-3 * start
        }?.0

        // Finite widths.
        var widthReports: [WidthReport] = []
        if !config.widths.isEmpty {
            let steps = config.times.map { Int($0) }
            for width in config.widths {
                let network = try referenceNetwork(config, width: width)
                // The standard parametrisation's infinite-width NTK depends on the width.
                var refMean = mean
                var refVariance = variance
                if network.parametrization == .standard && width != config.widths.first {
                    let k = try TrainingKernels(train: data.train, test: data.test, network: network)
                    let d = try EnsembleDynamics(
                        ensemble: .ntk, ntk: k.ntkTrain, nngp: k.nngpTrain, targets: data.trainTargets,
                        schedule: schedule, ridge: config.ridge, absoluteRidge: config.absoluteRidge)
                    let p = try d.predictions(times: config.times, test: k.testKernels)
                    refMean = p.map(\.testMean)
                    refVariance = p.map(\.testVariance)
                }
                progress?("training \(config.seeds.count) networks of width \(width)")
                let study = try FiniteWidthStudy(network: network, learningRate: eta, steps: steps)
                let runs = try study.run(
                    widths: [width], seeds: config.seeds, x: data.train.flatMap { $0 }, y: data.trainTargets,
                    test: data.test.flatMap { $0 }, testCount: m)[0]
                widthReports.append(
                    Self.widthReport(
                        runs, study: study, times: config.times, mean: refMean,
                        variance: refVariance, data: data))
            }
        }
        func slope(_ value: (WidthReport) -> Estimate, theory: Double, bound: Double?) -> Slope? {
            let points = widthReports.compactMap { w -> (x: Double, y: Double, relativeError: Double)? in
                let e = value(w)
                guard let mu = e.mean, let se = e.standardError, mu > 0 else { return nil }
                return (Double(w.width), mu, se / mu)
            }
            guard let fit = PowerLawFit(points) else { return nil }
            return Slope(
                exponent: finite(fit.exponent), standardError: finite(fit.standardError), theory: theory,
                bound: bound, widths: fit.points)
        }
        let report = Report(
            times: config.times.map { $0.isFinite ? $0 : nil }, schedule: schedule.kind.rawValue,
            ensemble: config.ensemble.rawValue, initialisation: config.initialisation.rawValue, learningRate: eta,
            stabilityLimit: finite(limit), ridge: basis.ridge, trainPoints: n, testPoints: m,
            largestEigenvalue: basis.largest, smallestEigenvalue: basis.eigenvalues.first ?? 0,
            convergedTime: converged,
            trainLoss: curve.trainLoss, testLoss: curve.testLoss, testRmse: curve.testRmse, testNll: curve.testNll,
            expectedTrainLoss: curve.expectedTrainLoss, expectedTestLoss: curve.expectedTestLoss,
            finiteWidth: widthReports,
            ntkChangeSlope: slope(
                { $0.ntkChange }, theory: LazyTrainingRates.ntkChange(config.network.activation),
                bound: LazyTrainingRates.bound),
            linearisationGapSlope: slope(
                { $0.linearisationGap }, theory: LazyTrainingRates.linearisationGap(config.network.activation),
                bound: LazyTrainingRates.bound),
            weightChangeSlope: slope(
                { $0.weightChange }, theory: LazyTrainingRates.weightChange(depth: config.network.depth),
                bound: nil),
            warnings: warnings)
        let testMean = mean.map { $0.map { data.targetMean + s * $0 } }
        let testVariance = variance.map { $0.map { s2 * max($0, 0) } }
        return Result(report: report, testMean: testMean, testVariance: testVariance)
    }

    /// The network whose kernels are the infinite-width reference (the standard
    /// parametrisation's NTK needs a hidden width).
    static func referenceNetwork(_ config: Configuration, width: Int?) throws -> NetworkKernel {
        var network = config.network
        if network.parametrization == .standard {
            guard let w = width ?? network.width else {
                throw TrainingError.invalidParameter(
                    name: "width", value: "none",
                    allowed: "a hidden width: the standard parametrization's NTK depends on it")
            }
            network.width = w
        }
        return network
    }

    /// Losses of predictions in original units.
    static func curve(
        trainOutputs: [[Double]], testOutputs: [[Double]], testVariance: [[Double]],
        trainVarianceMean: [Double], data: Data, withVariance: Bool
    ) -> Curve {
        let s2 = data.targetScale * data.targetScale
        var c = Curve(
            trainLoss: [], testLoss: [], testRmse: [], testNll: [], expectedTrainLoss: [], expectedTestLoss: [])
        for k in 0..<trainOutputs.count {
            let trainSq = zip(trainOutputs[k], data.trainTargets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } * s2
            let n = Double(data.trainTargets.count)
            let m = Double(data.testTargets.count)
            c.trainLoss.append(finite(trainSq / (2 * n)))
            c.expectedTrainLoss.append(withVariance ? finite((trainSq / n + s2 * trainVarianceMean[k]) / 2) : nil)
            guard m > 0 else {
                c.testLoss.append(nil)
                c.testRmse.append(nil)
                c.testNll.append(nil)
                c.expectedTestLoss.append(nil)
                continue
            }
            var sq = 0.0
            var nll = 0.0
            var meanVariance = 0.0
            var nllDefined = withVariance
            for i in 0..<data.testTargets.count {
                let r2 = (testOutputs[k][i] - data.testTargets[i]) * (testOutputs[k][i] - data.testTargets[i]) * s2
                sq += r2
                let v = testVariance[k][i] * s2
                meanVariance += max(v, 0)
                if v > 0 { nll += 0.5 * log(2 * Double.pi * v) + r2 / (2 * v) } else { nllDefined = false }
            }
            c.testLoss.append(finite(sq / (2 * m)))
            c.testRmse.append(finite((sq / m).squareRoot()))
            c.testNll.append(nllDefined ? finite(nll / m) : nil)
            c.expectedTestLoss.append(withVariance ? finite((sq / m + meanVariance / m) / 2) : nil)
        }
        return c
    }

    static func widthReport(
        _ runs: FiniteWidthStudy.WidthRuns, study: FiniteWidthStudy, times: [Double],
        mean: [[Double]], variance: [[Double]], data: Data
    ) -> WidthReport {
        let s = Double(runs.runs.count)
        // Per-seed losses, averaged.
        var trainLoss = [Double](repeating: 0, count: times.count)
        var testLoss = trainLoss
        for run in runs.runs {
            let c = curve(
                trainOutputs: run.train, testOutputs: run.test, testVariance: run.test.map { $0.map { _ in 0 } },
                trainVarianceMean: [Double](repeating: 0, count: times.count), data: data, withVariance: false)
            for k in 0..<times.count {
                trainLoss[k] += (c.trainLoss[k] ?? .nan) / s
                testLoss[k] += (c.testLoss[k] ?? .nan) / s
            }
        }
        func deviations(linearised: Bool) -> (z: [Double?], ratio: [Double?]) {
            let moments = runs.testMoments(linearised: linearised)
            var z: [Double?] = []
            var ratio: [Double?] = []
            for k in 0..<times.count {
                var worst = 0.0
                var sum = 0.0
                var count = 0.0
                for i in 0..<mean[k].count {
                    // The standard error the infinite ensemble predicts for a mean of s seeds
                    // (sharper than the seeds' own spread, and what the comparison tests).
                    let se = (variance[k][i] / s).squareRoot()
                    if se > 0 { worst = max(worst, Swift.abs(moments.mean[k][i] - mean[k][i]) / se) }
                    if variance[k][i] > 0 {
                        sum += moments.variance[k][i] / variance[k][i]
                        count += 1
                    }
                }
                z.append(s > 1 && k > 0 ? finite(worst) : nil)
                ratio.append(s > 1 && count > 0 ? finite(sum / count) : nil)
            }
            return (z, ratio)
        }
        let net = deviations(linearised: false)
        let lin = deviations(linearised: true)
        return WidthReport(
            width: runs.width, seeds: runs.runs.count, trainLoss: trainLoss.map(finite), testLoss: testLoss.map(finite),
            meanDeviation: net.z, varianceRatio: net.ratio,
            linearisedMeanDeviation: lin.z, linearisedVarianceRatio: lin.ratio,
            ntkChange: Estimate(runs.summary(\.ntkChange)),
            linearisationGap: Estimate(runs.summary(\.linearisationGap)),
            weightChange: Estimate(runs.summary(\.weightChange)))
    }
}

/// x if finite, else nil (JSON carries no NaN or infinity).
func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
