import Foundation
import NeuralKernels

/// Bottleneck widths k side by side with k = infinity on one data set, as `rkhs train
/// --bottleneck` runs them: the encoder g is the configured network (its depth, activation and
/// scales) with k linear outputs, the decoder f a one-hidden-layer network of the same
/// activation and scales on them (fan-in k), both infinitely wide and trained by discrete
/// gradient descent from f_0 = 0 (``BottleneckDynamics``); k = infinity is kernel gradient
/// descent with ``BottleneckDynamics/limitNTK(encoder:decoder:_:_:)`` from F_0 = 0.
/// Losses and RMSE are in the target's original units (scale^2 and scale times the
/// standardised ones), as in ``TrainingExperiment``.
public enum BottleneckStudy {
    public struct Curve: Sendable, Codable {
        /// The bottleneck width; nil for k = infinity.
        public var width: Int?
        public var trainLoss: [Double]
        public var testRmse: [Double?]
        /// ||Z_t - Z_0||_F / ||Z_0||_F on the training features; 0 at k = infinity (the limit).
        public var featureMovement: [Double]
        /// The first listed time whose train loss is below 1e-3 of its value at step 0 (F_0 = 0).
        public var convergedTime: Double?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(width, forKey: .width)
            try c.encode(trainLoss, forKey: .trainLoss)
            try c.encode(testRmse, forKey: .testRmse)
            try c.encode(featureMovement, forKey: .featureMovement)
            try c.encode(convergedTime, forKey: .convergedTime)
        }
    }

    public struct Report: Sendable, Codable {
        public var encoderDepth: Int
        public var decoderDepth: Int
        public var seed: UInt64
        public var times: [Double]
        public var curves: [Curve]
    }

    /// `times` are whole step counts (at least one), `widths` the finite k.
    /// `mergeTolerance`: the decoder history's compression (``BottleneckDynamics/run(steps:every:mergeTolerance:)``; nil: exact).
    public static func run(
        network: NetworkKernel, widths: [Int], data: TrainingExperiment.Data, learningRate: Double,
        times: [Double], seed: UInt64, mergeTolerance: Double? = nil
    ) throws -> Report {
        guard !times.isEmpty, times.allSatisfy({ $0.isFinite && $0 >= 0 && $0 == $0.rounded() }) else {
            throw TrainingError.invalidParameter(
                name: "times", value: "\(times)", allowed: "whole numbers of steps (no inf) for bottleneck runs")
        }
        guard network.parametrization == .ntk else {
            throw TrainingError.invalidParameter(
                name: "parametrization", value: "standard", allowed: "ntk for bottleneck runs")
        }
        var decoder = network
        decoder.depth = 2
        let steps = Int(times.max()!)
        let recordAt = times.map { Int($0) }
        // Recording every g steps (g the times' gcd) evaluates the test points only then.
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let every = Swift.max(1, recordAt.reduce(0, gcd))
        let scale = data.targetScale
        let n = data.train.count
        let m = data.test.count
        // F_0 = 0, so the loss at step 0 is that of predicting 0 (the standardised targets' mean).
        let initialLoss = scale * scale * data.trainTargets.reduce(0) { $0 + $1 * $1 } / (2 * Double(n))
        func converged(_ loss: [Double]) -> Double? {
            loss.firstIndex(where: { $0 < 1e-3 * initialLoss }).map { times[$0] }
        }
        func rmse(_ outputs: [Double]) -> Double? {
            guard m > 0 else { return nil }
            return scale
                * (zip(outputs, data.testTargets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(m))
                .squareRoot()
        }
        var curves: [Curve] = []
        for k in widths {
            let dynamics = try BottleneckDynamics(
                encoder: network, decoder: decoder, width: k, trainInputs: data.train,
                targets: data.trainTargets, testInputs: data.test, learningRate: learningRate, seed: seed)
            let run = try dynamics.run(steps: steps, every: every, mergeTolerance: mergeTolerance)
            let index = recordAt.map { $0 / every }
            let loss = index.map { scale * scale * run.trainLoss[$0] }
            curves.append(
                Curve(
                    width: k, trainLoss: loss, testRmse: index.map { rmse(run.testOutputs[$0]) },
                    featureMovement: index.map { run.featureMovement[$0] }, convergedTime: converged(loss)))
        }
        let all = data.train + data.test
        let kernel = all.map { x in
            data.train.map { y in BottleneckDynamics.limitNTK(encoder: network, decoder: decoder, x, y) }
        }
        let schedule = try TrainingSchedule(kind: .steps, learningRate: learningRate, trainingPoints: n)
        let limit = try FunctionSpaceDynamics(
            kernel: kernel[0..<n].flatMap { $0 }, targets: data.trainTargets, schedule: schedule
        )
        .trajectory(
            times: times, trainInitial: [Double](repeating: 0, count: n), testInitial: [Double](repeating: 0, count: m),
            cross: kernel[n...].flatMap { $0 })
        let loss = limit.train.map { out in
            scale * scale * zip(out, data.trainTargets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                / (2 * Double(n))
        }
        curves.append(
            Curve(
                width: nil, trainLoss: loss, testRmse: limit.test.map { rmse($0) },
                featureMovement: times.map { _ in 0 }, convergedTime: converged(loss)))
        return Report(encoderDepth: network.depth, decoderDepth: 2, seed: seed, times: times, curves: curves)
    }
}
