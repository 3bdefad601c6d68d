import Foundation
import Testing
import NeuralKernels
import _NumericalBackends
@testable import SamplePaths

@Suite struct CirculantSamplerTests {
    /// The empirical covariance of sampled paths matches C(theta) = kappa(cos theta) within
    /// 5 standard errors, at lags 0, 1, n/8, n/2 (exactness of circulant embedding).
    @Test func empiricalCovarianceMatchesTheKernel() throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: .relu, depth: 3))
        let n = 256
        let sampler = CirculantSampler(points: n) { sphere.nngp($0) }
        #expect(sampler.mostNegativeEigenvalue > -1e-12 * sampler.largestEigenvalue)
        let paths = sampler.sample(paths: 4000, seed: 7)
        for lag in [0, 1, n / 8, n / 2] {
            let exact = sphere.nngp(cos(2 * Double.pi * Double(lag) / Double(n)))
            // Average over paths and over positions (stationarity) of x_i x_{i+lag}.
            var means: [Double] = []
            for p in paths {
                var s = 0.0
                for i in stride(from: 0, to: n, by: 16) { s += p[i] * p[(i + lag) % n] }
                means.append(s / Double(n / 16))
            }
            let mean = means.reduce(0, +) / Double(means.count)
            let variance = means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(means.count - 1)
            let se = (variance / Double(means.count)).squareRoot()
            #expect(Swift.abs(mean - exact) <= 5 * se, "lag \(lag): \(mean) +- \(se) vs \(exact)")
        }
    }

    /// Same seed, same paths, bit for bit.
    @Test func reproducibleBySeed() throws {
        let sampler = CirculantSampler(points: 64) { exp($0 - 1) }
        #expect(sampler.sample(paths: 3, seed: 11) == sampler.sample(paths: 3, seed: 11))
        #expect(sampler.sample(paths: 1, seed: 11) != sampler.sample(paths: 1, seed: 12))
    }

    /// Regularity on n = 2^16 points over 50 paths: the NNGP of an activation with
    /// non-smoothness degree m has Hoelder/Besov regularity m + 1/2 (ReLU, LeakyReLU, SELU:
    /// 1.5), the ReLU NTK used as a covariance 0.5.
    @Test(arguments: [
        (Activation.relu, KernelKind.nngp, 1.5), (.leakyReLU(0.2), .nngp, 1.5), (.selu, .nngp, 1.5),
        (.relu, .ntk, 0.5),
    ])
    func regularityMatchesTheory(_ activation: Activation, _ kind: KernelKind, _ predicted: Double) throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: activation, depth: 3))
        let table = SphereKernelTable(sphere)
        let sampler = CirculantSampler(points: 1 << 16) { kind == .nngp ? table.nngp($0) : table.ntk($0) }
        let estimator = QuadraticVariation(order: 4, scales: 2...7)
        let estimates = sampler.sample(paths: 50, seed: 2024).map(estimator.regularity)
        let mean = estimates.reduce(0, +) / Double(estimates.count)
        let se =
            (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(estimates.count - 1)
            / Double(estimates.count)).squareRoot()
        print("\(activation) \(kind): regularity \(mean) +- \(se) (theory \(predicted))")
        #expect(Swift.abs(mean - predicted) <= 0.05, "\(activation) \(kind): \(mean) +- \(se) vs \(predicted)")
    }
}
