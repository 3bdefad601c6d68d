import Foundation
import NeuralKernels

/// Paths with what the regularity analysis needs about them: the predicted exponent, the
/// difference order, the scales to fit and (for Gaussian-process paths) the exact variogram
/// and the scale selection that keeps only scales above the sampler's round-off floor.
public struct SampledPaths: Sendable {
    public let paths: [[Double]]
    public let label: String
    public let prediction: RegularityPrediction
    public let order: Int
    public let fitted: ClosedRange<Int>
    public var exact: ExactVariogram? = nil
    public var selection: ScaleSelection? = nil
    public var clipped: (negative: Double, largest: Double)? = nil
    /// The noise floor seen in the paths' own scale profile (every set has one).
    public var floor: NoiseFloor? = nil
    /// How `fitted` was chosen: exact_variogram, data_profile or requested.
    public var scaleChoice = "requested"
    /// Why the paths support no estimate at `fitted` (nil when they do): then no number is printed.
    public var refusal: String? = nil
    /// For Gaussian-process paths: the estimator's exact expected value at `fitted`.
    public var expectation: ExpectedQuadraticVariation? = nil

    public init(
        paths: [[Double]], label: String, prediction: RegularityPrediction, order: Int, fitted: ClosedRange<Int>,
        exact: ExactVariogram? = nil, selection: ScaleSelection? = nil,
        clipped: (negative: Double, largest: Double)? = nil
    ) {
        self.paths = paths
        self.label = label
        self.prediction = prediction
        self.order = order
        self.fitted = fitted
        self.exact = exact
        self.selection = selection
        self.clipped = clipped
    }

    /// What to draw: the network's Gaussian process (`finiteWidth` and `bottleneck` nil),
    /// random networks of hidden width `finiteWidth`, or one finite bottleneck layer of
    /// `width` at hidden layer `layer` (NNGP only). The caller has checked the combination.
    public enum Source: Sendable {
        case gaussianProcess
        case finiteWidth(Int)
        case bottleneck(width: Int, layer: Int)
    }

    /// The estimator's bias at the fitted scales against the predicted exponent (nil without
    /// an expectation or a prediction).
    public var bias: Double? {
        guard let expectation, let a = prediction.value else { return nil }
        return expectation.expected - a
    }

    /// The default fitted scales: up to six dyadic scales from 2^2 grid steps, with the p-point
    /// stencil spanning at most n/16 points.
    public static func defaultScales(points n: Int, order p: Int) -> ClosedRange<Int> {
        var top = 0
        while p * (1 << (top + 1)) <= n / 16 { top += 1 }
        let low = max(0, min(2, top - 2))
        return low...min(low + 5, top)
    }

    /// Paths without a known covariance (read from a file, finite-width or bottleneck networks):
    /// the scales come from the data's own profile, above its noise floor (``NoiseFloor``);
    /// requested scales are checked against that floor. Before this, such paths were fitted
    /// at the fixed default scales 2^2..2^7 whatever their profile, which for smooth paths
    /// is the round-off floor.
    public static func fromData(
        paths: [[Double]], label: String, prediction: RegularityPrediction, order p: Int,
        requested: ClosedRange<Int>?
    ) -> SampledPaths {
        let defaults = defaultScales(points: paths[0].count, order: p)
        let floor = NoiseFloor(paths: paths, order: p, lowest: defaults.lowerBound)
        var set = SampledPaths(
            paths: paths, label: label, prediction: prediction, order: p,
            fitted: requested ?? floor.chosen ?? defaults)
        set.floor = floor
        set.scaleChoice = requested == nil ? "data_profile" : "requested"
        set.refusal = requested.map { floor.check($0) } ?? floor.refusal
        return set
    }

    /// Draws `count` paths on `points` equispaced points of a great circle from `source`,
    /// seeded: the Gaussian process of the NNGP/NTK by circulant embedding, random networks,
    /// or a bottleneck network; the difference order is `order` or the prediction's, the scales
    /// `scales` or those chosen from the exact variogram (Gaussian process) or the data.
    public static func draw(
        network: NetworkKernel, kind: KernelKind, source: Source, points n: Int, count: Int, seed: UInt,
        order: Int?, scales: ClosedRange<Int>?
    ) throws -> SampledPaths {
        let prediction = RegularityPrediction(network: network, kind: kind)
        let p = order ?? prediction.differenceOrder
        let name = "\(network.activation.name), depth \(network.depth)"
        switch source {
        case .bottleneck(let k, let layer):
            var generator = BottleneckPaths(network: network, layer: layer, width: k)
            let paths = try generator.sample(paths: count, points: n, seed: seed)
            return fromData(
                paths: paths, label: "\(name), bottleneck of width \(k) at layer \(layer)",
                prediction: prediction, order: p, requested: scales)
        case .finiteWidth(let width):
            let paths = RandomNetworkPaths(network: network, width: width).sample(
                paths: count, points: n, seed: UInt64(seed))
            return fromData(
                paths: paths, label: "\(name), width \(width) networks", prediction: prediction, order: p,
                requested: scales)
        case .gaussianProcess:
            break
        }
        let sphere = try SphereKernel(network)
        let sampler = CirculantSampler(points: n, sphere: sphere, kind: kind)
        let exact = ExactVariogram(order: p, sphere: sphere, kind: kind)
        let selection = ScaleSelection(sampler: sampler, exact: exact)
        var result = SampledPaths(
            paths: sampler.sample(paths: count, seed: seed), label: "\(name), \(kind.rawValue)",
            prediction: prediction, order: p,
            fitted: scales ?? selection.chosen ?? defaultScales(points: n, order: p),
            exact: exact, selection: selection,
            clipped: (sampler.mostNegativeEigenvalue, sampler.largestEigenvalue))
        let floor = NoiseFloor(paths: result.paths, order: p, lowest: defaultScales(points: n, order: p).lowerBound)
        result.floor = floor
        if let scales {
            result.refusal = floor.check(scales)
        } else if selection.chosen != nil {
            result.scaleChoice = "exact_variogram"
        } else {
            result.scaleChoice = "none"
            result.refusal =
                "no two consecutive scales are above the sampler's round-off floor (about eps sqrt(n) kappa(1)): "
                + "the paths show round-off, not the kernel, at every scale (use fewer points)"
        }
        if result.refusal == nil {
            result.expectation = ExpectedQuadraticVariation(sampler: sampler, order: p, scales: result.fitted)
        }
        return result
    }

    public func analysis() -> RegularityAnalysis {
        RegularityAnalysis(paths: paths, order: order, fitted: fitted, exact: exact, selection: selection)
    }
}
