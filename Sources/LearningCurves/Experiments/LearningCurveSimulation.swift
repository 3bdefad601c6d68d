import SphericalSpectra
import Foundation
import NeuralKernels

/// Simulated learning curves: for each sample size n and each of `draws` independent draws,
/// n training and `testPoints` test points uniform on S^{d-1}, a fresh draw of every target
/// (``SimulationTarget``), labels f(x_i) + sigma eps_i, one fit of the learner for all targets
/// at once, and the test error mean over test points of (f_hat - f)^2 (an unbiased estimate
/// of E_g(n) = E ||f_hat - f||^2, the quantity ``LearningCurvePredictor`` predicts). Reported
/// per n and target: the mean over draws and its standard error (sample standard deviation
/// over sqrt(draws)). Every draw has its own seeded generator, derived from (seed, n, draw), so
/// a run is reproducible and independent of the other sample sizes.
public struct LearningCurveSimulation: Sendable {
    public struct Estimate: Sendable, Encodable {
        public let n: Int
        public let draws: Int
        public let mean: Double
        public let standardError: Double
        /// The test error of each draw.
        public let values: [Double]

        enum CodingKeys: String, CodingKey { case n, draws, mean, standardError = "standard_error", values }
    }

    public let dimension: Int
    public let sampleSizes: [Int]
    /// Draws per sample size (one entry per n, or one for all).
    public let draws: [Int]
    public let testPoints: Int
    public let noise: Double
    public let seed: UInt64

    public init(
        dimension: Int, sampleSizes: [Int], draws: [Int], testPoints: Int = 2000, noise: Double = 0, seed: UInt64 = 1
    ) throws {
        guard dimension >= 2, dimension <= 64 else {
            throw LearningCurveError.invalidParameter(
                name: "dimension d", value: "\(dimension)", allowed: "an integer 2...64")
        }
        guard !sampleSizes.isEmpty, sampleSizes.allSatisfy({ $0 >= 1 && $0 <= 20_000 }) else {
            throw LearningCurveError.invalidParameter(
                name: "simulated sample sizes", value: sampleSizes.map(String.init).joined(separator: ","),
                allowed: "integers 1...20000")
        }
        guard draws.count == 1 || draws.count == sampleSizes.count, draws.allSatisfy({ $0 >= 2 && $0 <= 10_000 }) else {
            throw LearningCurveError.invalidParameter(
                name: "draws", value: draws.map(String.init).joined(separator: ","),
                allowed: "integers 2...10000, one for all n or one per n")
        }
        guard testPoints >= 10, testPoints <= 100_000 else {
            throw LearningCurveError.invalidParameter(
                name: "test points", value: "\(testPoints)", allowed: "an integer 10...100000")
        }
        guard noise.isFinite, noise >= 0 else {
            throw LearningCurveError.invalidParameter(
                name: "noise variance", value: "\(noise)", allowed: "a finite number >= 0")
        }
        self.dimension = dimension
        self.sampleSizes = sampleSizes
        self.draws = draws.count == 1 ? [Int](repeating: draws[0], count: sampleSizes.count) : draws
        self.testPoints = testPoints
        self.noise = noise
        self.seed = seed
    }

    /// The estimates per target (outer index) and sample size (inner index); `noises` gives
    /// each target its own noise variance (default: `noise` for all); `progress` receives
    /// (n, draw) after each fit.
    public func run(
        learner: some SupervisedLearner, targets: [SimulationTarget], noises: [Double]? = nil,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> [[Estimate]] {
        precondition(!targets.isEmpty && (noises == nil || noises!.count == targets.count))
        guard (noises ?? []).allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw LearningCurveError.invalidParameter(
                name: "noise variance", value: "\(noises!)", allowed: "finite numbers >= 0")
        }
        var out = [[Estimate]](repeating: [], count: targets.count)
        let sigmas = (noises ?? [Double](repeating: noise, count: targets.count)).map { $0.squareRoot() }
        for (index, n) in sampleSizes.enumerated() {
            var errors = [[Double]](repeating: [], count: targets.count)
            for draw in 0..<draws[index] {
                // SplitMix64 inside GaussianRandomSource decorrelates neighbouring seeds.
                var random = GaussianRandomSource(
                    seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(n) &* 1_000_003 &+ UInt64(draw))
                let training = UniformSpherePoints.draw(count: n, dimension: dimension, random: &random)
                let test = UniformSpherePoints.draw(count: testPoints, dimension: dimension, random: &random)
                var labels: [[Double]] = []
                var truths: [[Double]] = []
                for (target, sigma) in zip(targets, sigmas) {
                    let f = target.draw(dimension: dimension, random: &random)
                    labels.append(f(training).map { $0 + sigma * random.normal() })
                    truths.append(f(test))
                }
                let predictions = try learner.predict(training: training, labels: labels, test: test)
                for j in targets.indices {
                    var s = 0.0
                    for i in 0..<testPoints {
                        let r = predictions[j][i] - truths[j][i]
                        s += r * r
                    }
                    errors[j].append(s / Double(testPoints))
                }
                progress?(n, draw)
            }
            for j in targets.indices {
                let v = errors[j]
                let m = Double(v.count)
                let mean = v.reduce(0, +) / m
                let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)
                out[j].append(
                    Estimate(n: n, draws: v.count, mean: mean, standardError: (variance / m).squareRoot(), values: v))
            }
        }
        return out
    }
}
