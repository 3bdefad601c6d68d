import Foundation
import NeuralKernels
import Testing
import _TestSupport
@testable import TrainingDynamics

/// BottleneckStudy (what `rkhs train --bottleneck` prints) reports the runs it wraps in the
/// target's original units: losses scale^2 times BottleneckDynamics's, the k = infinity curve
/// FunctionSpaceDynamics's, converged_time the first listed time below 1e-3 of the start.
@Suite struct BottleneckStudyTests {
    @Test("study curves are the wrapped runs in original units")
    func curvesMatchTheRuns() throws {
        let inputs = BottleneckDynamicsTests.inputs
        let targets = BottleneckDynamicsTests.targets
        let (n, scale, eta) = (inputs.count, 2.5, 0.5)
        let network = try NetworkKernel(activation: .erf, depth: 2, sigmaW: 1.3, sigmaB: 0.2)
        let data = TrainingExperiment.Data(
            train: inputs, trainTargets: targets, test: Array(inputs.prefix(3)),
            testTargets: Array(targets.prefix(3)), targetMean: 7, targetScale: scale)
        let times: [Double] = [0, 5, 40, 120]
        let report = try BottleneckStudy.run(
            network: network, widths: [2], data: data, learningRate: eta, times: times, seed: 3)
        #expect(report.curves.count == 2 && report.curves[0].width == 2 && report.curves[1].width == nil)
        let direct = try BottleneckDynamics(
            encoder: network, decoder: network, width: 2, trainInputs: inputs, targets: targets,
            testInputs: Array(inputs.prefix(3)), learningRate: eta, seed: 3
        ).run(steps: 120)
        for (i, t) in times.enumerated() {
            #expect(relativeError(report.curves[0].trainLoss[i], scale * scale * direct.trainLoss[Int(t)]) < 1e-12)
            #expect(
                relativeError(report.curves[0].featureMovement[i], direct.featureMovement[Int(t)]) < 1e-12 || t == 0)
        }
        let start = scale * scale * targets.reduce(0) { $0 + $1 * $1 } / (2 * Double(n))
        for curve in report.curves {
            #expect(relativeError(curve.trainLoss[0], start) < 1e-12)
            let expected = times.indices.first { curve.trainLoss[$0] < 1e-3 * start }.map { times[$0] }
            #expect(curve.convergedTime == expected)
        }
        // k = infinity: train RMSE from FunctionSpaceDynamics's closed form at 120 steps, test RMSE in units.
        let kernel = inputs.flatMap { x in
            inputs.map { y in BottleneckDynamics.limitNTK(encoder: network, decoder: network, x, y) }
        }
        let limit = try FunctionSpaceDynamics(
            kernel: kernel, targets: targets,
            schedule: TrainingSchedule(kind: .steps, learningRate: eta, trainingPoints: n)
        )
        .trajectory(times: [120], trainInitial: [Double](repeating: 0, count: n)).train[0]
        let loss =
            scale * scale * zip(limit, targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / (2 * Double(n))
        #expect(relativeError(report.curves[1].trainLoss[3], loss) < 1e-10)
        let testRMSE =
            scale
            * (zip(limit.prefix(3), targets.prefix(3)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 3)
            .squareRoot()
        #expect(relativeError(report.curves[1].testRmse[3]!, testRMSE) < 1e-10)
        #expect(report.curves[1].featureMovement.allSatisfy { $0 == 0 })
    }
}
