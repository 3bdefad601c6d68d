import Foundation
import Testing
@testable import GPRegression
import NeuralKernels

/// `RegressionExperiment.logMarginalLikelihood(..., at:)` (behind `rkhs regress --rescore`)
/// re-evaluates log p on exactly the rows and standardisation a run used: at the run's fitted
/// hyperparameters it reproduces the optimiser's own log p, through the fit-subset path.
@Suite struct RescoreTests {
    @Test func rescoringAtTheFittedHyperparametersReproducesTheRun() throws {
        let (x0, y0) = MarginalLikelihoodGradientTests.data(n: 90, d: 3, seed: 11)
        // Shift and scale the raw data so that the standardisation matters.
        let x = x0.map { $0.enumerated().map { 3 * $0.element + Double($0.offset) } }
        let y = y0.map { 10 * $0 + 4 }
        let splits = RegressionExperiment.randomSplits(count: x.count, splits: 2, testFraction: 0.2, seed: 3)
        var experiment = RegressionExperiment(
            gp: ExactGP(covariance: NetworkCovariance(activation: .gelu, depth: 2, kind: .nngp)))
        experiment.fitPoints = 50  // below the 72 training rows: the seeded fit subset is used
        experiment.restarts = 1
        for (k, split) in splits.enumerated() {
            let r = try experiment.run(x: x, y: y, train: split.train, test: split.test, seed: UInt64(k))
            #expect(r.fitPoints == 50)
            let rescored = try experiment.logMarginalLikelihood(
                x: x, y: y, train: split.train, seed: UInt64(k), at: r.hyperparameters)
            #expect(
                Swift.abs(rescored - r.logMarginalLikelihood) <= 1e-10 * Swift.abs(r.logMarginalLikelihood),
                "split \(k): rescored \(rescored), run \(r.logMarginalLikelihood)")
            // Another seed picks other fit rows: a different value (the subset is really the run's).
            let other = try experiment.logMarginalLikelihood(
                x: x, y: y, train: split.train, seed: UInt64(k) + 100, at: r.hyperparameters)
            #expect(Swift.abs(other - rescored) > 1e-6 * Swift.abs(rescored))
        }
    }

    /// Hyperparameters on the box are reported as data (issue 20: `at_bound` in the JSON is
    /// {parameter, bound, value}, not prose), at exactly the optimiser's bounds.
    @Test func boundHitsNameTheParameterSideAndValue() {
        let h = ExactGP.Hyperparameters(sigmaW2: 1.3, sigmaB2: exp(ExactGP.upper[1]), noise: exp(ExactGP.lower[2]))
        let fit = ExactGP.Fit(
            hyperparameters: h, evaluations: 1, logLikelihood: 0, converged: true, projectedGradientNorm: 0)
        #expect(
            fit.boundHits == [
                ExactGP.Fit.BoundHit(parameter: "sigma_b2", upper: true, value: 100),
                ExactGP.Fit.BoundHit(parameter: "noise", upper: false, value: 1e-6),
            ])
        #expect(fit.atBound == ["sigma_b2 at its upper bound 100.0", "noise at its lower bound 1e-06"])
        let inside = ExactGP.Fit(
            hyperparameters: ExactGP.Hyperparameters(sigmaW2: 1, sigmaB2: 1, noise: 0.1), evaluations: 1,
            logLikelihood: 0, converged: true, projectedGradientNorm: 0)
        #expect(inside.boundHits.isEmpty)
    }
}
