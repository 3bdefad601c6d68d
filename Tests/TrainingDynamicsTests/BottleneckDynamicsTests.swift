import Foundation
import NeuralKernels
import Testing
import _TestSupport
@testable import TrainingDynamics

/// BottleneckDynamics: first-order convergence in the step size to the gradient flow, and the
/// k -> infinity limit (kernel gradient descent with the decoder's NTK at the encoder's NNGP,
/// FunctionSpaceDynamics's closed form). Proofs/bottleneck-dynamics.md.
@Suite struct BottleneckDynamicsTests {
    static let inputs: [[Double]] = {
        var random = GaussianRandomSource(seed: 21)
        return (0..<8).map { _ in
            let v = (0..<3).map { _ in random.normal() }
            let r = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 * 3.squareRoot() / r }  // |x|^2 = d: unit input variance
        }
    }()
    static let targets: [Double] = inputs.map { sin(1.5 * $0[0]) + 0.5 * $0[1] * $0[2] }

    static func encoder() throws -> NetworkKernel {
        try NetworkKernel(activation: .relu, depth: 2, sigmaW: 1.2, sigmaB: 0.3)
    }
    static func decoder() throws -> NetworkKernel {
        try NetworkKernel(activation: .erf, depth: 2, sigmaW: 1.3, sigmaB: 0.2)
    }

    static func rms(_ a: [Double], _ b: [Double]) -> Double {
        (zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(a.count)).squareRoot()
    }

    /// Outputs and features at the fixed time eta * steps = 4 for eta = 0.4, 0.2, 0.1, 0.05: the
    /// successive differences halve (first order, ratio 2 +- 0.3), and shrink to a small fraction of the change.
    @Test("gradient descent converges to the gradient flow at first order in the step")
    func stepSizeConvergence() throws {
        let features = try BottleneckDynamics.sampleFeatures(
            encoder: Self.encoder(), points: Self.inputs, width: 3, seed: 4)
        var outputs: [[Double]] = []
        var moved: [[Double]] = []
        for eta in [0.4, 0.2, 0.1, 0.05] {
            let run = try BottleneckDynamics(
                encoder: Self.encoder(), decoder: Self.decoder(), width: 3, trainInputs: Self.inputs,
                targets: Self.targets, learningRate: eta, initialFeatures: features
            )
            .run(steps: Int((4 / eta).rounded()), every: 1000)
            outputs.append(run.trainOutputs.last!)
            moved.append(run.finalFeatures)
        }
        for series in [outputs, moved] {
            let d = (0..<3).map { Self.rms(series[$0], series[$0 + 1]) }
            print("bottleneck step halving: differences \(d), ratios \(d[0] / d[1]), \(d[1] / d[2])")
            #expect(d[0] / d[1] > 1.7 && d[0] / d[1] < 2.3, "ratios \(d[0] / d[1]), \(d[1] / d[2])")
            #expect(d[1] / d[2] > 1.8 && d[1] / d[2] < 2.2, "ratios \(d[0] / d[1]), \(d[1] / d[2])")
        }
        // The features did move (feature learning), far more than the step-size error.
        let change = Self.rms(moved[3], features)
        #expect(change > 20 * Self.rms(moved[2], moved[3]), "movement \(change)")
    }

    /// Kernel gradient descent with limitNTK from F_0 = 0 against bottleneck runs of width k
    /// (8 seeds each): the RMS gap of the outputs after 30 steps decays like k^-1/2 (the
    /// features' Gram fluctuates by O(k^-1/2) around Sigma_g) and is below 2e-2 of the target
    /// scale at k = 1024; the features' relative movement ||Z_T - Z_0|| / ||Z_0|| decays like k^-1
    /// (|grad f| = O(k^-1/2) moves each feature by O(k^-1/2) against its norm O(k^1/2)).
    @Test("k -> infinity approaches kernel gradient descent with the limit NTK at rate k^-1/2")
    func largeWidthLimit() throws {
        let (n, eta, steps) = (Self.inputs.count, 0.5, 30)
        let kernel = Self.inputs.flatMap { x in
            Self.inputs.map { y in
                (try? BottleneckDynamics.limitNTK(encoder: Self.encoder(), decoder: Self.decoder(), x, y)) ?? .nan
            }
        }
        let schedule = try TrainingSchedule(kind: .steps, learningRate: eta, trainingPoints: n)
        let limit = try FunctionSpaceDynamics(kernel: kernel, targets: Self.targets, schedule: schedule)
            .trajectory(times: [Double(steps)], trainInitial: [Double](repeating: 0, count: n)).train[0]
        let scale = Self.rms(Self.targets, [Double](repeating: 0, count: n))
        var gaps: [(x: Double, y: Double, relativeError: Double)] = []
        var movements: [(x: Double, y: Double, relativeError: Double)] = []
        for k in [16, 64, 256, 1024] {
            let seeds: [UInt64] = Array(1...8)
            let runs = try seeds.map { seed in
                try BottleneckDynamics(
                    encoder: Self.encoder(), decoder: Self.decoder(), width: k, trainInputs: Self.inputs,
                    targets: Self.targets, learningRate: eta, seed: seed
                ).run(steps: steps, every: steps)
            }
            let gap =
                (runs.map { pow(Self.rms($0.trainOutputs.last!, limit), 2) }.reduce(0, +) / Double(seeds.count))
                .squareRoot() / scale
            let move = runs.map { $0.featureMovement.last! }.reduce(0, +) / Double(seeds.count)
            gaps.append((Double(k), gap, 0.3))
            movements.append((Double(k), move, 0.3))
        }
        let fit = try #require(PowerLawFit(gaps))
        let moveFit = try #require(PowerLawFit(movements))
        print(
            "bottleneck k -> inf: gaps \(gaps.map(\.y)) exponent \(fit.exponent) +- \(fit.standardError); movement \(movements.map(\.y)) exponent \(moveFit.exponent)"
        )
        #expect(gaps.last!.y < 2e-2, "gaps \(gaps.map(\.y))")
        #expect(Swift.abs(fit.exponent + 0.5) < 0.15, "gap exponent \(fit.exponent), gaps \(gaps.map(\.y))")
        #expect(Swift.abs(moveFit.exponent + 1) < 0.1, "movement exponent \(moveFit.exponent), \(movements.map(\.y))")
    }
}
