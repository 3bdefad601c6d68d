import Testing
import NeuralKernels
import SamplePaths

/// SampledPaths (moved from the CLI, issue 15 item 5): the default scales' arithmetic, and a
/// Gaussian-process draw that is exactly the circulant sampler's with the scales chosen from
/// the exact variogram and the estimator's expectation attached.
@Suite struct SampledPathsTests {
    /// The top scale is the largest with p 2^top <= n/16 (the stencil spans at most n/16
    /// points), the lowest 2 (less when the range is short), at most six scales: n = 4096,
    /// p = 4 gives 2^top <= 64, top = 6, so 2...6; n = 256 gives 2^top <= 4, top = 2, so 0...2;
    /// n = 2^20, p = 1 gives top = 16, capped at six scales 2...7.
    @Test func defaultScales() {
        #expect(SampledPaths.defaultScales(points: 4096, order: 4) == 2...6)
        #expect(SampledPaths.defaultScales(points: 256, order: 4) == 0...2)
        #expect(SampledPaths.defaultScales(points: 1 << 20, order: 1) == 2...7)
    }

    @Test func gaussianProcessDrawIsTheCirculantSamplersWithExactScales() throws {
        let network = try NetworkKernel(activation: .relu, depth: 3)
        let set = try SampledPaths.draw(
            network: network, kind: .nngp, source: .gaussianProcess, points: 4096, count: 4, seed: 5,
            order: nil, scales: nil)
        let sampler = CirculantSampler(points: 4096, sphere: try SphereKernel(network), kind: .nngp)
        #expect(set.paths == sampler.sample(paths: 4, seed: 5))
        // ReLU NNGP: Hoelder 3/2, differences of order 4 (above the regularity).
        #expect(set.prediction.value == 1.5 && set.order == 4)
        #expect(set.scaleChoice == "exact_variogram" && set.refusal == nil)
        #expect(set.fitted == set.selection?.chosen)
        #expect(set.expectation != nil && set.bias != nil)
        #expect(set.label == "relu, depth 3, nngp")
    }

    /// Random networks have no known covariance: their scales come from the data's profile.
    @Test func finiteWidthPathsAreFittedFromTheirProfile() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let set = try SampledPaths.draw(
            network: network, kind: .nngp, source: .finiteWidth(16), points: 1024, count: 2, seed: 3,
            order: nil, scales: nil)
        #expect(set.paths.count == 2 && set.paths[0].count == 1024)
        #expect(set.scaleChoice == "data_profile" && set.exact == nil && set.floor != nil)
        #expect(set.label == "relu, depth 2, width 16 networks")
    }
}
