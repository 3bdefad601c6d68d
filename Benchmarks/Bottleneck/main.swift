import Foundation
import NeuralKernels
import TrainingDynamics

/// In-process timing of one bottleneck training run (issue 18 target: 1000 points, 10^4 steps,
/// under a minute): BottleneckDynamics with the ReLU encoder and decoder of `rkhs train
/// --bottleneck K` by default (depth 2, sigma_w = sigma_b = 1, learning rate 0.2 as in
/// Benchmarks/run-bottleneck.sh; inputs and targets standardised by their training mean and
/// standard deviation), on TRAIN.csv and TEST.csv (last column the target), K, STEPS and an optional
/// merge tolerance. Prints the stages, the decoder's kernel evaluations and their throughput,
/// and a BENCH line; Benchmarks/run-bottleneck.sh runs it beside the CLI on the same data.
let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    print("usage: BottleneckBenchmark TRAIN.csv TEST.csv K STEPS [MERGE-TOLERANCE]")
    exit(64)
}
let train = try NumericTable(contentsOf: arguments[1]).rows
let test = try NumericTable(contentsOf: arguments[2]).rows
guard let k = Int(arguments[3]), k >= 1, let steps = Int(arguments[4]), steps >= 1 else {
    print("K and STEPS must be integers >= 1")
    exit(64)
}
let merge = arguments.count > 5 ? Double(arguments[5]) : nil
// Standardised per column by the training set's mean and standard deviation (the CLI's
// default standardisation up to its choice of divisor).
let d = train[0].count - 1
var columnMean = [Double](repeating: 0, count: d + 1)
var columnSD = [Double](repeating: 0, count: d + 1)
for row in train { for c in 0...d { columnMean[c] += row[c] / Double(train.count) } }
for row in train {
    for c in 0...d { columnSD[c] += (row[c] - columnMean[c]) * (row[c] - columnMean[c]) / Double(train.count) }
}
for c in 0...d { columnSD[c] = columnSD[c] > 0 ? columnSD[c].squareRoot() : 1 }
let mean = columnMean
let sd = columnSD
func standardise(_ row: [Double]) -> [Double] {
    var out = row
    for c in 0...d { out[c] = (row[c] - mean[c]) / sd[c] }
    return out
}
let x: [[Double]] = train.map { Array(standardise($0).dropLast()) }
let y: [Double] = train.map { standardise($0)[d] }
let xs: [[Double]] = test.map { Array(standardise($0).dropLast()) }
let encoder = try NetworkKernel(activation: .relu, depth: 2, sigmaW: 1, sigmaB: 1)
let decoder = encoder

let t0 = Date()
let dynamics = try BottleneckDynamics(
    encoder: encoder, decoder: decoder, width: k, trainInputs: x, targets: y, testInputs: xs,
    learningRate: 0.2, seed: 1)
let t1 = Date()
let run = try dynamics.run(steps: steps, every: steps, mergeTolerance: merge)
let t2 = Date()
let evaluations = Double(run.kernelEvaluations)
let seconds = t2.timeIntervalSince(t1)
print(
    String(
        format: "rkhs in-process, n = %d, m = %d, k = %d, %d steps, %@: kernels and features %.2f s, run %.2f s "
            + "(%.2f ms per step); history %d entries, %.3g kernel evaluations, %.3g per second (%.2f ns each on all cores)",
        y.count, xs.count, k, steps, merge.map { "merge tolerance \($0)" } ?? "exact history",
        t1.timeIntervalSince(t0), seconds, 1000 * seconds / Double(steps), run.historyEntries, evaluations,
        evaluations / seconds, 1e9 * seconds / evaluations))
print(
    String(
        format: "  check: final train loss %.17g, feature movement %.17g", run.trainLoss.last!,
        run.featureMovement.last!))
print(
    "BENCH bottleneck in-process \(t2.timeIntervalSince(t0)) run \(seconds) evaluations \(run.kernelEvaluations) entries \(run.historyEntries)"
)
