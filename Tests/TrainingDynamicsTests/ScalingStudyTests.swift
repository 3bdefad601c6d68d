import Foundation
import NeuralKernels
import Testing
@testable import TrainingDynamics

/// Simulated networks of widths 256 ... 2048 measure what the classification predicts, by the
/// criteria of ``ScalingStudy/Quantity`` (fitted width exponents; Proofs/infinite-width-limits-of-classifiers.md,
/// "Measured properties"), at a named point or a point inside each region.
@Suite struct ScalingStudyTests {
    /// A documented synthetic task: x ~ N(0, I_4), label sign(sin(1.5 x_1) + x_2 x_3 - 0.3 x_4);
    /// 200 training and 100 test points.
    static let task: BinaryTask = {
        var random = GaussianRandomSource(seed: 17)
        func point() -> [Double] { (0..<4).map { _ in random.normal() } }
        func label(_ x: [Double]) -> Double { sin(1.5 * x[0]) + x[1] * x[2] - 0.3 * x[3] > 0 ? 1 : -1 }
        let train = (0..<200).map { _ in point() }
        let test = (0..<100).map { _ in point() }
        return try! BinaryTask(train: train, trainLabels: train.map(label), test: test, testLabels: test.map(label))
    }()

    static let widths = [256, 512, 1024, 2048]

    static func study(_ e: ScalingExponents, initCorrected: Bool = false) throws -> (
        ScalingStudy, [ScalingStudy.WidthRuns]
    ) {
        let scaling = try WidthScaling(e, initCorrected: initCorrected, readoutRate: 0.5, inputRate: 0.5)
        let study = try ScalingStudy(
            scaling: scaling, activation: .relu,
            sgd: ScaledSGD(loss: .logistic, batchSize: 1, steps: 300, samplingSeed: 3), probes: 16)
        return (study, try study.run(widths: widths, seeds: [1, 2, 3, 4], task: task))
    }

    @Test(arguments: [
        ("NTK", -0.5, 0.0, false), ("MF", -1, 1, false), ("IC-MF", -1, 1, true), ("sym-default", -0.5, 0.5, false),
        ("MF-NTK", -0.75, 0.5, false), ("barycentre", -0.66, 0.5, false), ("post-MF-NTK", -1, 0.75, false),
        ("post-NTK", -1, 0.5, false), ("NTK-sym-default", -0.5, 0.25, false), ("sym-default-MF", -0.75, 0.75, false),
        ("pre-NTK-sym-default", 0, -0.25, false), ("stagnating", -1, -0.25, false),
    ])
    func measuredPropertiesAgree(model: String, qSigma: Double, qTilde: Double, initCorrected: Bool) throws {
        let (study, results) = try Self.study(
            ScalingExponents(qSigma: qSigma, qTilde: qTilde), initCorrected: initCorrected)
        let c = study.scaling.classification
        #expect((c.limitModel?.rawValue ?? c.instability?.rawValue) == model)
        let fits = study.fits(results)
        #expect(fits.count == ScalingStudy.Quantity.allCases.count)
        for f in fits {
            if let agrees = f.agrees {
                #expect(
                    agrees,
                    "\(model): \(f.quantity.rawValue) ~ d^\(f.exponent) +- \(f.standardError), predicted \(f.predicted)"
                )
            }
        }
        // The initial scales are always judged; the per-step movement wherever the logits are bounded at init.
        let judged = Set(fits.filter { $0.agrees != nil }.map(\.quantity))
        #expect(judged.isSuperset(of: [.initialLogitScale, .initialKernelScale]))
        #expect(judged.contains(.earlyInputMovement) == (c.stable && qSigma <= -0.5))
        #expect(judged.contains(.logitChange) == (c.logitsBoundedAtInit && c.kernelBoundedAtInit))
    }

    /// Above the band the weights' steps grow like d^s (here s = 1/4), which is why no limit exists.
    @Test func divergingStepsGrow() throws {
        let (study, results) = try Self.study(ScalingExponents(qSigma: -1, qTilde: 1.25))
        #expect(study.scaling.classification.instability == .diverging)
        let fit = try #require(study.fits(results).first { $0.quantity == .earlyInputMovement })
        #expect(fit.agrees == nil && Swift.abs(fit.exponent - 0.25) <= 0.1, "d^\(fit.exponent)")
    }

    /// Where the classification says a layer's weights move by order one, the measured
    /// movement does not decay with the width; where the kernel is stationary its change does.
    @Test func orderOneMovementDoesNotDecay() throws {
        let (_, mf) = try Self.study(NamedScaling.meanField.exponents)
        let (_, ntk) = try Self.study(NamedScaling.ntk.exponents)
        let first = mf.first!.summary { $0.inputMovement }.mean
        let last = mf.last!.summary { $0.inputMovement }.mean
        #expect(last >= 0.9 * first, "MF input movement \(first) at 256, \(last) at 2048")
        let k0 = ntk.first!.summary { $0.kernelChange }.mean
        let k1 = ntk.last!.summary { $0.kernelChange }.mean
        #expect(k1 <= 0.25 * k0, "NTK kernel change \(k0) at 256, \(k1) at 2048")
    }
}
