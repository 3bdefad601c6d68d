import Foundation
import NeuralKernels
import Testing
@testable import TrainingDynamics

/// Finite networks approach their limit models: at the NTK point the kernel dynamics with the
/// analytic NTK (function-space SGD for the logistic loss, FunctionSpaceDynamics's closed form
/// for the squared loss) at rate d^-1/2, their linearisation faster; at the MF point a
/// deterministic limit (the seed-to-seed spread of the trained logits decays like d^-1/2),
/// while at the NTK point the spread stays of order one (the Gaussian-process initial logits
/// stay in the limit). Proofs/infinite-width-limits-of-classifiers.md, "Convergence to the limit models".
@Suite struct LimitConvergenceTests {
    static let task = ScalingStudyTests.task
    static let widths = [256, 512, 1024, 2048, 4096]
    static let seeds: [UInt64] = [1, 2, 3, 4]

    static func rms(_ a: [Double], _ b: [Double]) -> Double {
        (zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(a.count)).squareRoot()
    }

    /// The relative distance between network and kernel dynamics per width (seed means), and
    /// its fitted exponent.
    static func distances(loss: ClassificationLoss, batchSize: Int, steps: Int, eta: Double, linearised: Bool) throws
        -> PowerLawFit
    {
        let t = task
        let n = t.trainCount
        let m = t.testCount
        let d = t.inputDimension
        let analytic = try TrainingKernels(
            train: (0..<n).map { Array(t.trainInputs[($0 * d)..<($0 * d + d)]) },
            test: (0..<m).map { Array(t.testInputs[($0 * d)..<($0 * d + d)]) },
            network: NetworkKernel(activation: .relu, depth: 2, sigmaW: 1, sigmaB: 0))
        let scaling = try WidthScaling(.ntk, learningRate: eta)
        let sgd = try ScaledSGD(loss: loss, batchSize: batchSize, steps: steps, recordAt: [steps], samplingSeed: 5)
        let y = loss == .logistic ? t.trainLabels : t.trainLabels.map { 0.8 * $0 }
        var points: [(x: Double, y: Double, relativeError: Double)] = []
        for width in widths {
            let gaps = try ParallelRuns.map(seeds.count) { k -> Double in
                var net = ScaledNetwork(scaling, activation: .relu, inputDimension: d, width: width, seed: seeds[k])
                let all = t.trainInputs + t.testInputs
                var kernelTrain = analytic.ntkTrain.map { eta * $0 }
                var kernelCross = analytic.ntkCross.map { eta * $0 }
                if linearised {
                    let (ka, kw) = net.tangentKernels(all, count: n + m, readoutRate: eta, inputRate: eta)
                    kernelTrain = (0..<n).flatMap { i in (0..<n).map { j in ka[i * (n + m) + j] + kw[i * (n + m) + j] }
                    }
                    kernelCross = (0..<m).flatMap { i in
                        (0..<n).map { j in ka[(n + i) * (n + m) + j] + kw[(n + i) * (n + m) + j] }
                    }
                }
                let f0 = net.logits(t.trainInputs, count: n)
                let t0 = net.logits(t.testInputs, count: m)
                let record = try sgd.train(
                    &net, readoutRate: eta, inputRate: eta, x: t.trainInputs, y: y, test: t.testInputs,
                    testLabels: t.testLabels)
                let limit = try KernelSGD(loss: loss, batchSize: batchSize, samplingSeed: 5).trajectory(
                    trainKernel: kernelTrain, crossKernel: kernelCross, labels: y, trainInitial: f0, testInitial: t0,
                    recordAt: [steps])
                return rms(record.testLogits.last!, limit.test[0]) / rms(limit.test[0], t0)
            }
            let mean = gaps.reduce(0, +) / Double(gaps.count)
            let sd = (gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)).squareRoot()
            points.append((Double(width), mean, sd / mean / Double(gaps.count).squareRoot()))
        }
        return PowerLawFit(points)!
    }

    /// Logistic loss, SGD with one example per step: the network's test logits approach the
    /// NTK limit model's (kernel SGD with the analytic NTK from the network's own initial
    /// logits) like d^-1/2, the fluctuation of the empirical NTK at init; its linearisation
    /// (kernel SGD with the empirical NTK at init) faster.
    @Test func ntkPointConvergesToKernelSGD() throws {
        let analytic = try Self.distances(loss: .logistic, batchSize: 1, steps: 400, eta: 0.5, linearised: false)
        #expect(
            Swift.abs(analytic.exponent + 0.5) <= 0.15, "analytic: d^\(analytic.exponent) +- \(analytic.standardError)")
        let linear = try Self.distances(loss: .logistic, batchSize: 1, steps: 400, eta: 0.5, linearised: true)
        #expect(
            linear.exponent <= analytic.exponent - 0.1,
            "linearised: d^\(linear.exponent), analytic d^\(analytic.exponent)")
    }

    /// Squared loss, full-batch gradient descent: the network approaches FunctionSpaceDynamics's
    /// closed form with the analytic NTK like d^-1/2 and its linearisation at the rate
    /// measured in lazy-training.md for ReLU (-0.59 +- 0.02; here within 0.15).
    @Test func ntkPointConvergesToTheClosedForm() throws {
        let analytic = try Self.distances(
            loss: .squared, batchSize: Self.task.trainCount, steps: 100, eta: 1, linearised: false)
        #expect(
            Swift.abs(analytic.exponent + 0.5) <= 0.15, "analytic: d^\(analytic.exponent) +- \(analytic.standardError)")
        let linear = try Self.distances(
            loss: .squared, batchSize: Self.task.trainCount, steps: 100, eta: 1, linearised: true)
        #expect(
            Swift.abs(linear.exponent + 0.59) <= 0.15, "linearised: d^\(linear.exponent) +- \(linear.standardError)")
    }

    /// The seed-to-seed spread (RMS over test points of the standard deviation over seeds) of
    /// the trained logits: MF's limit is deterministic (spread ~ d^-1/2), NTK's is not (order one).
    @Test func meanFieldLimitIsDeterministic() throws {
        func spreads(_ named: NamedScaling) throws -> PowerLawFit {
            let scaling = try WidthScaling(named, learningRate: 0.5)
            let study = try ScalingStudy(
                scaling: scaling, activation: .relu,
                sgd: ScaledSGD(loss: .logistic, batchSize: 1, steps: 300, recordAt: [300], samplingSeed: 3), probes: 4)
            let results = try study.run(widths: Self.widths, seeds: [1, 2, 3, 4, 5, 6], task: Self.task)
            return PowerLawFit(
                results.map { w -> (x: Double, y: Double, relativeError: Double) in
                    let logits = w.runs.map { $0.record.testLogits.last! }
                    let m = logits[0].count
                    let s = Double(logits.count)
                    var total = 0.0
                    for i in 0..<m {
                        let mu = logits.reduce(0) { $0 + $1[i] } / s
                        total += logits.reduce(0) { $0 + ($1[i] - mu) * ($1[i] - mu) } / (s - 1)
                    }
                    // The spread of a standard deviation from 6 seeds: about 1/sqrt(2 (s - 1)).
                    return (Double(w.width), (total / Double(m)).squareRoot(), 1 / (2 * (s - 1)).squareRoot())
                })!
        }
        let mf = try spreads(.meanField)
        let ntk = try spreads(.ntk)
        #expect(Swift.abs(mf.exponent + 0.5) <= 0.15, "MF spread ~ d^\(mf.exponent)")
        #expect(Swift.abs(ntk.exponent) <= 0.1, "NTK spread ~ d^\(ntk.exponent)")
    }
}
