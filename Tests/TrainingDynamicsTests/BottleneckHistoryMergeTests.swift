import Foundation
import NeuralKernels
import Testing
import _TestSupport
@testable import TrainingDynamics

/// The merged decoder history of BottleneckDynamics.run(mergeTolerance:) against the exact
/// history: tolerance 0 reproduces it to rounding, and the outputs' and features' gaps shrink
/// with the tolerance at least at first order (measured between first and second order for the
/// smooth erf decoder: 1.3e-4 of the targets' RMS at tolerance 0.04 with 44 of 480 entries), with
/// far fewer entries. Proofs/bottleneck-dynamics.md, "Merged history".
@Suite struct BottleneckHistoryMergeTests {
    static func dynamics() throws -> BottleneckDynamics {
        try BottleneckDynamics(
            encoder: BottleneckDynamicsTests.encoder(), decoder: BottleneckDynamicsTests.decoder(), width: 3,
            trainInputs: BottleneckDynamicsTests.inputs, targets: BottleneckDynamicsTests.targets,
            learningRate: 0.5, seed: 4)
    }

    @Test("tolerance 0 is the exact history to rounding")
    func zeroToleranceIsExact() throws {
        let d = try Self.dynamics()
        let exact = try d.run(steps: 40, every: 40)
        let merged = try d.run(steps: 40, every: 40, mergeTolerance: 0)
        let gap = BottleneckDynamicsTests.rms(exact.trainOutputs.last!, merged.trainOutputs.last!)
        #expect(gap < 1e-12, "gap \(gap)")
        #expect(merged.historyEntries < exact.historyEntries, "\(merged.historyEntries) vs \(exact.historyEntries)")
    }

    @Test("the merged history converges to the exact one as the tolerance shrinks")
    func convergesWithTolerance() throws {
        let d = try Self.dynamics()
        let steps = 60
        let exact = try d.run(steps: steps, every: steps)
        let scale = BottleneckDynamicsTests.rms(
            BottleneckDynamicsTests.targets, [Double](repeating: 0, count: BottleneckDynamicsTests.targets.count))
        let moved = BottleneckDynamicsTests.rms(exact.finalFeatures, d.initialFeatures)
        var outputGaps: [Double] = []
        var featureGaps: [Double] = []
        var entries: [Int] = []
        for tolerance in [0.04, 0.02, 0.01] {
            let merged = try d.run(steps: steps, every: steps, mergeTolerance: tolerance)
            outputGaps.append(BottleneckDynamicsTests.rms(exact.trainOutputs.last!, merged.trainOutputs.last!) / scale)
            featureGaps.append(BottleneckDynamicsTests.rms(exact.finalFeatures, merged.finalFeatures) / moved)
            entries.append(merged.historyEntries)
        }
        print(
            "merged history: output gaps \(outputGaps), feature gaps \(featureGaps), entries \(entries) of \(exact.historyEntries)"
        )
        for gaps in [outputGaps, featureGaps] {
            // Measured ratios per halving: outputs 4.2, 3.2; features 3.0, 2.4 (between first and second order: the
            // blocks end where the features leave the tolerance, so their actual extent is below it).
            for i in 0..<2 { #expect(gaps[i] / gaps[i + 1] > 2, "halving the tolerance: \(gaps)") }
        }
        #expect(outputGaps.last! < 1e-3 && featureGaps.last! < 1e-2, "\(outputGaps), \(featureGaps)")
        #expect(entries.first! * 4 < exact.historyEntries, "entries \(entries) of \(exact.historyEntries)")
    }
}
