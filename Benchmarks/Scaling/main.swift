import Foundation
import NeuralKernels
import TrainingDynamics

/// The simulation target of issue 17: one-hidden-layer networks of 20 widths 2^6 ... 2^16 x 5
/// seeds trained by SGD for 10^4 steps on 1000 training points (in R^8, a synthetic binary
/// task of kin8nm's shape), at the MF point, measuring everything ScalingStudy measures.
/// Prints the wall and CPU time per width and a BENCH line; arguments: [steps] [batch size]
/// [largest width exponent] [seeds].
let arguments = CommandLine.arguments
let steps = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
let batch = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
let top = arguments.count > 3 ? Int(arguments[3]) ?? 16 : 16
let seedCount = arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5
func label(_ x: [Double]) -> Double { sin(x[0] + x[1]) + x[2] * x[3] - 0.3 * x[4] > 0 ? 1 : -1 }
func points(_ count: Int, seed: UInt64) -> [[Double]] {
    var random = GaussianRandomSource(seed: seed)
    return (0..<count).map { _ in (0..<8).map { _ in random.normal() } }
}
let train = points(1000, seed: 17)
let test = points(500, seed: 18)
let task = try BinaryTask(train: train, trainLabels: train.map(label), test: test, testLabels: test.map(label))
let widths = Array(Set((0..<20).map { Int(pow(2, 6 + Double(top - 6) * Double($0) / 19).rounded()) })).sorted()
let study = try ScalingStudy(
    scaling: WidthScaling(.meanField, learningRate: 0.5), activation: .relu,
    sgd: ScaledSGD(loss: .logistic, batchSize: batch, steps: steps), probes: 32)
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}
print(
    "MF point, \(widths.count) widths \(widths.first!) ... \(widths.last!), \(seedCount) seeds, \(steps) SGD steps of \(batch) example(s), "
        + "1000 training / 500 test points in R^8, \(ProcessInfo.processInfo.activeProcessorCount) cores")
let start = Date()
let cpuStart = cpuSeconds()
var check = 0.0
for width in widths {
    let t0 = Date()
    let c0 = cpuSeconds()
    let runs = try study.run(widths: [width], seeds: (1...UInt64(seedCount)).map { $0 }, task: task)
    check += runs[0].summary { $0.finalTestAccuracy }.mean
    print(
        String(
            format: "  width %6d: %7.2f s wall, %7.2f s CPU (%d seeds), test accuracy %.4f", width,
            Date().timeIntervalSince(t0),
            cpuSeconds() - c0, seedCount, runs[0].summary { $0.finalTestAccuracy }.mean))
}
let total = Date().timeIntervalSince(start)
print(String(format: "total %.1f s wall, %.1f s CPU; check %.6f", total, cpuSeconds() - cpuStart, check))
print("BENCH scaling in-process \(total)")
