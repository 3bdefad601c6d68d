import Foundation
import NeuralKernels
import Testing
import _TestSupport
@testable import TrainingDynamics

/// Finite-width bottleneck networks (hidden width N, mirrored decoder) trained by gradient
/// descent approach BottleneckDynamics started from the same initial features g_0(X) as N
/// grows: what remains is the finite-width change of both halves' tangent kernels, O(N^-1/2).
/// Measured after 10 steps (eta = 0.5, k = 2, 16 seeds): output gaps relative to the targets'
/// RMS and feature gaps relative to the features' movement, fitted over N = 256 .. 4096.
/// Proofs/bottleneck-dynamics.md, "Finite width".
@Suite struct BottleneckFiniteWidthTests {
    static let inputs = BottleneckDynamicsTests.inputs
    static let targets = BottleneckDynamicsTests.targets

    @Test("finite networks converge to the infinite-width bottleneck dynamics at rate N^-1/2")
    func finiteWidthConvergence() throws {
        let encoder = try BottleneckDynamicsTests.encoder(), decoder = try BottleneckDynamicsTests.decoder()
        let (n, d, k, eta, steps) = (Self.inputs.count, 3, 2, 0.5, 10)
        let x = Self.inputs.flatMap { $0 }
        let scale = BottleneckDynamicsTests.rms(Self.targets, [Double](repeating: 0, count: n))
        var outputGaps: [(x: Double, y: Double, relativeError: Double)] = []
        var featureGaps: [(x: Double, y: Double, relativeError: Double)] = []
        let seeds: [UInt64] = Array(1...16)
        for width in [256, 512, 1024, 2048, 4096] {
            let gaps = try ParallelRuns.map(seeds.count) { i -> (Double, Double) in
                var net = try FiniteBottleneckNetwork(encoder: encoder, decoder: decoder, inputDimension: d, bottleneck: k,
                                                      hiddenWidth: width, seed: seeds[i])
                let z0 = net.features(x, count: n)
                let finite = try net.train(inputs: x, targets: Self.targets, learningRate: eta, steps: steps, every: steps)
                let limit = try BottleneckDynamics(encoder: encoder, decoder: decoder, width: k, trainInputs: Self.inputs,
                                                   targets: Self.targets, learningRate: eta, initialFeatures: z0)
                    .run(steps: steps, every: steps)
                let moved = BottleneckDynamicsTests.rms(limit.finalFeatures, z0)
                return (BottleneckDynamicsTests.rms(finite.trainOutputs.last!, limit.trainOutputs.last!) / scale,
                        BottleneckDynamicsTests.rms(finite.features.last!, limit.finalFeatures) / moved)
            }
            let mean = { (f: ((Double, Double)) -> Double) in gaps.map(f).reduce(0, +) / Double(gaps.count) }
            outputGaps.append((Double(width), mean { $0.0 }, 0.3))
            featureGaps.append((Double(width), mean { $0.1 }, 0.3))
        }
        let outputFit = try #require(PowerLawFit(outputGaps)), featureFit = try #require(PowerLawFit(featureGaps))
        print("finite bottleneck vs infinite width: output gaps \(outputGaps.map(\.y)) exponent \(outputFit.exponent) +- \(outputFit.standardError); "
              + "feature gaps / movement \(featureGaps.map(\.y)) exponent \(featureFit.exponent) +- \(featureFit.standardError)")
        #expect(Swift.abs(outputFit.exponent + 0.5) < 0.15, "output exponent \(outputFit.exponent)")
        #expect(Swift.abs(featureFit.exponent + 0.5) < 0.15, "feature exponent \(featureFit.exponent)")
        #expect(outputGaps.last!.y < 0.02 && featureGaps.last!.y < 0.08, "at N = 4096: \(outputGaps.last!.y), \(featureGaps.last!.y)")
    }
}
