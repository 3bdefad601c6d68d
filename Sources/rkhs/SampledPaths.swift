import ArgumentParser
import Foundation
import NeuralKernels
import SamplePaths

/// Paths with what the regularity analysis needs about them: the predicted exponent, the
/// difference order, the scales to fit and (for Gaussian-process paths) the exact variogram
/// and the scale selection that keeps only scales above the sampler's round-off floor.
struct SampledPaths {
    let paths: [[Double]]
    let label: String
    let prediction: RegularityPrediction
    let order: Int
    let fitted: ClosedRange<Int>
    var exact: ExactVariogram? = nil
    var selection: ScaleSelection? = nil
    var clipped: (negative: Double, largest: Double)? = nil
    /// The noise floor seen in the paths' own scale profile (every set has one).
    var floor: NoiseFloor? = nil
    /// How `fitted` was chosen: exact_variogram, data_profile or requested.
    var scaleChoice = "requested"
    /// Why the paths support no estimate at `fitted` (nil when they do): then no number is printed.
    var refusal: String? = nil
    /// For Gaussian-process paths: the estimator's exact expected value at `fitted`.
    var expectation: ExpectedQuadraticVariation? = nil

    /// The estimator's bias at the fitted scales against the predicted exponent (nil without
    /// an expectation or a prediction).
    var bias: Double? {
        guard let expectation, let a = prediction.value else { return nil }
        return expectation.expected - a
    }

    /// The default fitted scales: up to six dyadic scales from 2^2 grid steps, with the p-point
    /// stencil spanning at most n/16 points.
    static func defaultScales(points n: Int, order p: Int) -> ClosedRange<Int> {
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
    static func fromData(paths: [[Double]], label: String, prediction: RegularityPrediction, order p: Int,
                         requested: ClosedRange<Int>?) -> SampledPaths {
        let defaults = defaultScales(points: paths[0].count, order: p)
        let floor = NoiseFloor(paths: paths, order: p, lowest: defaults.lowerBound)
        var set = SampledPaths(paths: paths, label: label, prediction: prediction, order: p,
                               fitted: requested ?? floor.chosen ?? defaults)
        set.floor = floor
        set.scaleChoice = requested == nil ? "data_profile" : "requested"
        set.refusal = requested.map { floor.check($0) } ?? floor.refusal
        return set
    }

    /// Draws the paths: the Gaussian process of the NNGP/NTK by circulant embedding, or
    /// actual random networks of hidden width `finiteWidth`.
    static func draw(network: NetworkKernel, sampling: SamplingOptions, finiteWidth: Int?,
                     order: Int?, scales: ClosedRange<Int>?) throws -> SampledPaths {
        let kind = sampling.kernel.value
        let prediction = RegularityPrediction(network: network, kind: kind)
        let p = order ?? prediction.differenceOrder
        let n = sampling.points
        if let k = sampling.bottleneck {
            guard (1...4096).contains(k) else { throw UsageError("invalid --bottleneck '\(k)'; allowed: 1...4096") }
            guard network.depth >= 2, (1...(network.depth - 1)).contains(sampling.bottleneckLayer) else {
                throw UsageError("invalid --bottleneck-layer '\(sampling.bottleneckLayer)'; allowed: 1...\(max(1, network.depth - 1)) (a hidden layer of a network of depth >= 2)")
            }
            guard n <= 8192 else { throw UsageError("invalid --points '\(n)' with --bottleneck; allowed: 256...8192 (Cholesky)") }
            guard finiteWidth == nil, kind == .nngp else { throw UsageError("invalid --bottleneck with --width or --kernel ntk; allowed: NNGP paths with one bottleneck") }
            var generator = BottleneckPaths(network: network, layer: sampling.bottleneckLayer, width: k)
            let paths = try UsageError.wrap { try generator.sample(paths: sampling.paths, points: n, seed: sampling.seed) }
            return fromData(paths: paths, label: "\(network.activation.name), depth \(network.depth), bottleneck of width \(k) at layer \(sampling.bottleneckLayer)",
                            prediction: prediction, order: p, requested: scales)
        }
        if let width = finiteWidth {
            guard kind == .nngp else {
                throw UsageError("invalid --kernel 'ntk' with --width; allowed: nngp (a network's output tends to the NNGP's process)")
            }
            let paths = RandomNetworkPaths(network: network, width: width)
                .sample(paths: sampling.paths, points: n, seed: UInt64(sampling.seed))
            return fromData(paths: paths, label: "\(network.activation.name), depth \(network.depth), width \(width) networks",
                            prediction: prediction, order: p, requested: scales)
        }
        let sphere = try UsageError.wrap { try SphereKernel(network) }
        let sampler = CirculantSampler(points: n, sphere: sphere, kind: kind)
        let exact = ExactVariogram(order: p, sphere: sphere, kind: kind)
        let selection = ScaleSelection(sampler: sampler, exact: exact)
        var result = SampledPaths(paths: sampler.sample(paths: sampling.paths, seed: sampling.seed),
                                  label: "\(network.activation.name), depth \(network.depth), \(sampling.kernel.rawValue)",
                                  prediction: prediction, order: p,
                                  fitted: scales ?? selection.chosen ?? defaultScales(points: n, order: p))
        result.exact = exact
        result.selection = selection
        result.clipped = (sampler.mostNegativeEigenvalue, sampler.largestEigenvalue)
        let floor = NoiseFloor(paths: result.paths, order: p, lowest: defaultScales(points: n, order: p).lowerBound)
        result.floor = floor
        if let scales {
            result.refusal = floor.check(scales)
        } else if selection.chosen != nil {
            result.scaleChoice = "exact_variogram"
        } else {
            result.scaleChoice = "none"
            result.refusal = "no two consecutive scales are above the sampler's round-off floor (about eps sqrt(n) kappa(1)): the paths show round-off, not the kernel, at every scale (use fewer points)"
        }
        if result.refusal == nil { result.expectation = ExpectedQuadraticVariation(sampler: sampler, order: p, scales: result.fitted) }
        return result
    }

    func analysis() -> RegularityAnalysis {
        RegularityAnalysis(paths: paths, order: order, fitted: fitted, exact: exact, selection: selection)
    }
}

/// Writes `text` to `path` atomically, as a usage error if that fails.
func writeAtomically(_ text: String, to path: String) throws {
    try UsageError.wrap { try AtomicFile.write(Data(text.utf8), to: path) }
}

/// Refuses a plot path before any computation: it must end in .svg (the only format written)
/// and its directory must exist and be writable.
func checkPlotPath(_ path: String?, option: String = "--plot") throws {
    guard let path else { return }
    guard path.lowercased().hasSuffix(".svg") else { throw UsageError("invalid \(option) '\(path)'; allowed: a path ending in .svg") }
    try UsageError.wrap { try AtomicFile.checkWritable(path) }
}
