import Foundation
import NeuralKernels
import TrainingDynamics

/// In-process timing of the trained NTK ensemble (issue 14 target): n training and m test
/// points read from CSV files (last column the target), the depth-3 ReLU NTK, mean and
/// variance at `times` log-spaced times. Prints the stages and a BENCH line; the same data go
/// through `rkhs train` and Neural Tangents in Benchmarks/run-training.sh.
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: TrainingBenchmark TRAIN.csv TEST.csv [TIMES]")
    exit(64)
}
let train = try NumericTable(contentsOf: arguments[1]).rows
let test = try NumericTable(contentsOf: arguments[2]).rows
let count = arguments.count > 3 ? Int(arguments[3]) ?? 100 : 100
let x = train.map { Array($0.dropLast()) }
let y = train.map { $0.last! }
let xs = test.map { Array($0.dropLast()) }
let times = (0..<count).map { 0.01 * pow(1e6, Double($0) / Double(count - 1)) }
let network = try NetworkKernel(activation: .relu, depth: 3)

let t0 = Date()
let kernels = try TrainingKernels(train: x, test: xs, network: network)
let t1 = Date()
let schedule = try TrainingSchedule(kind: .flow, learningRate: 1, trainingPoints: y.count)
let dynamics = try EnsembleDynamics(
    ensemble: .ntk, ntk: kernels.ntkTrain, nngp: kernels.nngpTrain, targets: y, schedule: schedule)
let t2 = Date()
let predictions = try dynamics.predictions(times: times, test: kernels.testKernels)
let t3 = Date()
let total = t3.timeIntervalSince(t0)
print(
    String(
        format: "rkhs in-process, n = %d, m = %d, %d times: kernels %.2f s, eigendecomposition and set-up %.2f s, "
            + "mean and variance %.2f s (%.1f ms per time); total %.2f s",
        y.count, xs.count, count, t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2),
        1000 * t3.timeIntervalSince(t2) / Double(count), total))
print(
    String(
        format: "  check: mean[last][0] = %.17g, variance[last][0] = %.17g", predictions.last!.testMean[0],
        predictions.last!.testVariance[0]))
print("BENCH rkhs in-process \(total)")
