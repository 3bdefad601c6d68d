import _ParallelFill
import Foundation
import NeuralKernels
import _NumericalBackends

/// Actual networks of several widths and seeds trained by full-batch gradient descent on the
/// same data, with what the infinite-width theory predicts about them: their outputs over
/// seeds (mean and variance against the trained ensemble's), how far their empirical NTK moves
/// (Lee et al. 2019: O(width^-1/2)), how far they stay from their linearisation at
/// initialisation (also O(width^-1/2)) and how far their weights move.
///
/// The linearised network f_lin(x; theta) = f(x; theta_0) + grad f(x; theta_0) (theta - theta_0)
/// trained by the same gradient descent moves exactly by kernel gradient descent with the
/// empirical NTK at initialisation, so its trajectory is ``FunctionSpaceDynamics`` on that
/// kernel: no approximation (Proofs/lazy-training.md).
public struct FiniteWidthStudy: Sendable {
    public let network: NetworkKernel
    public let learningRate: Double
    /// Step counts at which outputs are recorded.
    public let steps: [Int]

    public init(network: NetworkKernel, learningRate: Double, steps: [Int]) throws {
        guard !steps.isEmpty, steps.allSatisfy({ $0 >= 0 }) else {
            throw TrainingError.invalidParameter(name: "steps", value: "\(steps)", allowed: "step counts >= 0")
        }
        self.network = network
        self.learningRate = learningRate
        self.steps = Array(Set(steps)).sorted()
    }

    /// One trained network.
    public struct Run: Sendable {
        public let seed: UInt64
        /// Per recorded step, the outputs on the training and the test points.
        public let train: [[Double]]
        public let test: [[Double]]
        /// The same for the network linearised at its initialisation.
        public let linearisedTrain: [[Double]]
        public let linearisedTest: [[Double]]
        /// ||Theta_T - Theta_0||_F / ||Theta_0||_F on the training points, T the last step.
        public let ntkChange: Double
        /// ||f_T - f_lin,T|| / ||f_lin,T - f_0|| over the training and test points.
        public let linearisationGap: Double
        /// ||theta_T - theta_0|| / ||theta_0||.
        public let weightChange: Double
    }

    /// All seeds of one width.
    public struct WidthRuns: Sendable {
        public let width: Int
        public let runs: [Run]
    }

    /// Trains one network of the given width and seed on (x, y) (x row-major n x d), recording
    /// outputs on the m test points (row-major m x d).
    public func run(width: Int, seed: UInt64, x: [Double], y: [Double], test: [Double], testCount m: Int) throws -> Run
    {
        let n = y.count
        let d = x.count / max(n, 1)
        var net = TrainableNetwork(network, inputDimension: d, width: width, seed: seed)
        let all = x + test
        let ntk0 = net.empiricalNTK(all, count: n + m)
        let f0 = net.outputs(all, count: n + m)
        let theta0 = net.parameters
        let trainer = try GradientDescentTrainer(learningRate: learningRate)
        let record = try trainer.train(&net, x: x, y: y, test: test, testCount: m, recordAt: steps)
        let ntkT = net.empiricalNTK(x, count: n)
        // The linearised network: kernel gradient descent with the empirical NTK at init.
        let trainBlock = (0..<n).flatMap { i in (0..<n).map { j in ntk0[i * (n + m) + j] } }
        let crossBlock = (0..<m).flatMap { i in (0..<n).map { j in ntk0[(n + i) * (n + m) + j] } }
        let schedule = try TrainingSchedule(kind: .steps, learningRate: learningRate, trainingPoints: n)
        let linear = try FunctionSpaceDynamics(kernel: trainBlock, targets: y, schedule: schedule)
            .trajectory(
                times: steps.map(Double.init), trainInitial: Array(f0[0..<n]), testInitial: Array(f0[n...]),
                cross: crossBlock)
        var change = 0.0
        var size = 0.0
        for k in 0..<(n * n) {
            change += (ntkT[k] - trainBlock[k]) * (ntkT[k] - trainBlock[k])
            size += trainBlock[k] * trainBlock[k]
        }
        let last = steps.count - 1
        let finalNet = record.train[last] + record.test[last]
        let finalLinear = linear.train[last] + linear.test[last]
        var gap = 0.0
        var moved = 0.0
        for k in 0..<(n + m) {
            gap += (finalNet[k] - finalLinear[k]) * (finalNet[k] - finalLinear[k])
            moved += (finalLinear[k] - f0[k]) * (finalLinear[k] - f0[k])
        }
        let thetaT = net.parameters
        var dw = 0.0
        var w0 = 0.0
        for k in 0..<thetaT.count {
            dw += (thetaT[k] - theta0[k]) * (thetaT[k] - theta0[k])
            w0 += theta0[k] * theta0[k]
        }
        return Run(
            seed: seed, train: record.train, test: record.test, linearisedTrain: linear.train,
            linearisedTest: linear.test,
            ntkChange: (change / size).squareRoot(), linearisationGap: moved > 0 ? (gap / moved).squareRoot() : 0,
            weightChange: (dw / w0).squareRoot())
    }

    /// Trains `seeds` networks of every width, the seeds of one width side by side on all
    /// cores (BLAS single-threaded meanwhile); `progress` receives (runs done, runs in all).
    public func run(
        widths: [Int], seeds: [UInt64], x: [Double], y: [Double], test: [Double], testCount m: Int,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> [WidthRuns] {
        let total = widths.count * seeds.count
        return try BLAS.singleThreaded {
            try widths.enumerated().map { w, width in
                let runs = try SlotArray<Run>.map(seeds.count, progress: { progress?(w * seeds.count + $0, total) }) {
                    k in
                    try run(width: width, seed: seeds[k], x: x, y: y, test: test, testCount: m)
                }
                return WidthRuns(width: width, runs: runs)
            }
        }
    }
}

extension FiniteWidthStudy.WidthRuns {
    /// Per recorded step and test point, the mean and the (unbiased) variance over seeds of the
    /// network's outputs, or of its linearisation's.
    public func testMoments(linearised: Bool = false) -> (mean: [[Double]], variance: [[Double]]) {
        let s = Double(runs.count)
        let series = runs.map { linearised ? $0.linearisedTest : $0.test }
        let times = series[0].count
        let m = series[0].first?.count ?? 0
        var mean = [[Double]](repeating: [Double](repeating: 0, count: m), count: times)
        var variance = mean
        for t in 0..<times {
            for i in 0..<m {
                let values = series.map { $0[t][i] }
                let mu = values.reduce(0, +) / s
                mean[t][i] = mu
                variance[t][i] = s > 1 ? values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (s - 1) : 0
            }
        }
        return (mean, variance)
    }

    /// Mean and standard error over seeds of a per-run quantity.
    public func summary(_ value: (FiniteWidthStudy.Run) -> Double) -> (mean: Double, standardError: Double) {
        let values = runs.map(value)
        let s = Double(values.count)
        let mu = values.reduce(0, +) / s
        let v = s > 1 ? values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (s - 1) : 0
        return (mu, (v / s).squareRoot())
    }
}
