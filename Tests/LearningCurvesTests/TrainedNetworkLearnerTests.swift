import Foundation
import Testing
import NeuralKernels
import SphericalSpectra
@testable import LearningCurves

/// Finite networks trained to convergence with the ridge penalty towards their initialisation
/// against kernel ridge regression with the NTK and the same ridge, on identical draws
/// (Proofs/learning-curves.md, "Finite networks"): in the lazy limit the two coincide.
@Suite struct TrainedNetworkLearnerTests {
    static func curves(width: Int) throws -> (
        network: [LearningCurveSimulation.Estimate], kernel: [LearningCurveSimulation.Estimate],
        predicted: [Double]
    ) {
        let d = 3
        let sizes = [40, 120]
        let ridge = 1.0
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let spec = try TargetSpecification("sobolev:1")
        let spectrum = try spec.spectrum(dimension: d, kmax: 20_000)
        let (target, drawnSpectrum) = spec.simulationTarget(dimension: d, spectrum: spectrum, truncation: 40)
        let simulation = try LearningCurveSimulation(
            dimension: d, sampleSizes: sizes, draws: [3], testPoints: 400, seed: 3)
        let trained = try simulation.run(
            learner: TrainedNetworkLearner(network: network, width: width, ridge: ridge), targets: [target])[0]
        let kernel = try simulation.run(
            learner: KernelRidgeLearner(kernel: .network(network, .ntk), ridge: ridge), targets: [target])[0]
        let modes = try KernelModes(
            try GegenbauerSpectrum(kernel: try NetworkSphereKernel(network, kind: .ntk), dimension: d, kmax: 20_000))
        let curve = try LearningCurve(modes: modes, target: drawnSpectrum, sampleSizes: sizes, ridge: ridge, noise: 0)
        return (trained, kernel, try curve.points.map { try #require($0.testError) })
    }

    /// Width 2048: the trained networks' test errors, draw by draw, within 5% of kernel ridge
    /// regression's on the same points and labels, and the mean within 10% of the prediction.
    @Test func trainedNetworksMatchKernelRidgeRegression() throws {
        let (trained, kernel, predicted) = try Self.curves(width: 2048)
        for (i, (t, k)) in zip(trained, kernel).enumerated() {
            for (a, b) in zip(t.values, k.values) {
                #expect(Swift.abs(a / b - 1) < 0.05, "n \(t.n): network \(a), kernel ridge regression \(b)")
            }
            print("n \(t.n): network \(t.mean) +- \(t.standardError), kernel \(k.mean), predicted \(predicted[i])")
            #expect(
                Swift.abs(t.mean / predicted[i] - 1) < 0.1, "n \(t.n): network \(t.mean), predicted \(predicted[i])")
        }
    }

    @Test func ridgelessTrainingIsRefused() throws {
        #expect(throws: LearningCurveError.self) {
            try TrainedNetworkLearner(network: try NetworkKernel(activation: .relu, depth: 2), width: 64, ridge: 0)
        }
    }
}
