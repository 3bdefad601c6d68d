import Foundation
import Testing
import NeuralKernels
import SphericalSpectra
@testable import LearningCurves

/// Predicted curves against actual kernel ridge regression (the package's GramMatrix, LAPACK
/// Cholesky) on uniform points of S^{d-1}, targets drawn to the given spectrum, test error
/// averaged over seeded draws (Proofs/learning-curves.md, "Accuracy of the prediction").
///
/// The theory is asymptotically exact where the implicit regularisation self-averages: with a
/// ridge that dominates kappa (lambda/n >~ the ridgeless kappa), or in higher dimension. In low
/// dimension ridgeless, the Gram matrix of the unlearned high-degree harmonics on n points is
/// far from its trace times the identity (it is a short-range kernel over irregularly spaced
/// points), and the prediction is low by a factor up to about 2 for well-learned targets on S^2
/// (measured, as in Tomasini, Sclocchi & Wyart 2022 for the Laplace kernel in low dimension);
/// the rate in n is still the predicted one.
@Suite struct SimulationAgreementTests {
    struct Case {
        let d: Int
        let ridge: Double
        let noise: Double
        let sizes: [Int]
        let draws: Int
        let targets: [String]
    }

    static func run(_ c: Case) throws -> [(target: String, n: Int, simulated: Double, se: Double, predicted: Double)] {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let kernel = try NetworkSphereKernel(network, kind: .ntk)
        let modes = try KernelModes(try GegenbauerSpectrum(kernel: kernel, dimension: c.d, kmax: 20_000))
        var drawn: [SimulationTarget] = []
        var spectra: [TargetSpectrum] = []
        for text in c.targets {
            let spec = try TargetSpecification(text)
            let (t, s) = spec.simulationTarget(
                dimension: c.d, spectrum: try spec.spectrum(dimension: c.d, kmax: 20_000), truncation: 60)
            drawn.append(t)
            spectra.append(s)
        }
        let learner = try KernelRidgeLearner(kernel: .network(network, .ntk), ridge: c.ridge)
        let simulation = try LearningCurveSimulation(
            dimension: c.d, sampleSizes: c.sizes, draws: [c.draws], testPoints: 1000,
            noise: c.noise, seed: 7)
        let estimates = try simulation.run(learner: learner, targets: drawn)
        var out: [(String, Int, Double, Double, Double)] = []
        for (j, text) in c.targets.enumerated() {
            let curve = try LearningCurve(
                modes: modes, target: spectra[j], sampleSizes: c.sizes, ridge: c.ridge, noise: c.noise)
            for (i, e) in estimates[j].enumerated() {
                let p = try #require(curve.points[i].testError)
                print(
                    String(
                        format: "d %d ridge %g noise %g %@ n %5d: simulated %.4e +- %.1e, predicted %.4e, ratio %.3f",
                        c.d, c.ridge, c.noise, text, e.n, e.mean, e.standardError, p, e.mean / p))
                out.append((text, e.n, e.mean, e.standardError, p))
            }
        }
        return out
    }

    @Test func ridgeDominatedRegimeAgreesToAFewPercent() throws {
        let rows = try Self.run(
            Case(
                d: 3, ridge: 1, noise: 0, sizes: [300, 1000], draws: 12,
                targets: ["legendre:3:1,1:0.5", "sobolev:1"]))
        for r in rows {
            #expect(Swift.abs(r.simulated - r.predicted) <= 0.03 * r.predicted + 3 * r.se, "\(r.target) n \(r.n)")
        }
    }

    @Test func ridgeAndNoise() throws {
        let rows = try Self.run(
            Case(d: 3, ridge: 0.1, noise: 0.01, sizes: [1000], draws: 12, targets: ["legendre:2:1", "sobolev:1"]))
        for r in rows {
            #expect(Swift.abs(r.simulated - r.predicted) <= 0.06 * r.predicted + 3 * r.se, "\(r.target) n \(r.n)")
        }
    }

    @Test func higherDimensionRidgeless() throws {
        let rows = try Self.run(
            Case(d: 6, ridge: 0, noise: 0, sizes: [300, 1000], draws: 12, targets: ["legendre:2:1", "legendre:3:1"]))
        for r in rows {
            #expect(Swift.abs(r.simulated - r.predicted) <= 0.15 * r.predicted + 3 * r.se, "\(r.target) n \(r.n)")
        }
    }

    /// On S^2 ridgeless the constant is off (see above) but the slope of the simulated curve
    /// between n = 100 and 1000 is the predicted rate: 3 = 2p/(d-1) for a finite-degree target
    /// (saturation), 1 = 2s/(d-1) for sobolev:1.
    @Test func lowDimensionRidgelessRateMatches() throws {
        let rows = try Self.run(
            Case(
                d: 3, ridge: 0, noise: 0, sizes: [100, 1000], draws: 12, targets: ["legendre:3:1,1:0.5", "sobolev:1"]))
        for (target, rate) in [("legendre:3:1,1:0.5", 3.0), ("sobolev:1", 1.0)] {
            let r = rows.filter { $0.target == target }
            let simulated = -log(r[1].simulated / r[0].simulated) / log(10.0)
            let predicted = -log(r[1].predicted / r[0].predicted) / log(10.0)
            print("\(target): simulated slope \(simulated), predicted \(predicted), theory \(rate)")
            #expect(
                Swift.abs(simulated - predicted) <= 0.15,
                "\(target): simulated slope \(simulated) vs predicted \(predicted)")
            for x in r { #expect(x.simulated >= x.predicted && x.simulated <= 2.3 * x.predicted) }
        }
    }
}
