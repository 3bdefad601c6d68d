import ArgumentParser
import Foundation
import NeuralKernels
import SamplePaths

/// What to sample along a great circle: shared by `rkhs sample` and `rkhs regularity`.
struct SamplingOptions: ParsableArguments {
    @Option(
        help:
            "Which kernel as covariance: nngp or ntk (default nngp, the network's prior covariance, as in every command that uses the kernel as a covariance; spectra, gram and train default to ntk)."
    ) var kernel: KernelOption = .nngp
    @Option(help: "Number of points on the circle (256...16777216).") var points: Int = 4096
    @Option(help: "Number of paths (1...100000).") var paths: Int = 4
    @Option(help: "Seed of the generator (default 0, as every command's --seed).") var seed: UInt = 0
    @Option(
        help:
            "Width k of one finite bottleneck layer in an otherwise infinitely wide network (a composition of GPs; Cholesky, --points <= 8192)."
    ) var bottleneck: Int?
    @Option(name: .customLong("bottleneck-layer"), help: "Which hidden layer is the bottleneck (1 ... depth - 1).")
    var bottleneckLayer: Int = 1

    func validate() throws {
        guard points >= 256, points <= 1 << 24 else {
            throw UsageError("invalid --points '\(points)'; allowed: 256...16777216")
        }
        guard paths >= 1, paths <= 100_000 else { throw UsageError("invalid --paths '\(paths)'; allowed: 1...100000") }
        if let k = bottleneck {
            guard (1...4096).contains(k) else { throw UsageError("invalid --bottleneck '\(k)'; allowed: 1...4096") }
            guard points <= 8192 else {
                throw UsageError("invalid --points '\(points)' with --bottleneck; allowed: 256...8192 (Cholesky)")
            }
        }
    }

    /// The paths these options describe for `network` (random networks of hidden width
    /// `finiteWidth` when given), after the checks that need the network.
    func draw(network: NetworkKernel, finiteWidth: Int?, order: Int?, scales: ClosedRange<Int>?) throws -> SampledPaths
    {
        let kind = kernel.value
        let source: SampledPaths.Source
        if let k = bottleneck {
            guard network.depth >= 2, (1...(network.depth - 1)).contains(bottleneckLayer) else {
                throw UsageError(
                    "invalid --bottleneck-layer '\(bottleneckLayer)'; allowed: 1...\(max(1, network.depth - 1)) (a hidden layer of a network of depth >= 2)"
                )
            }
            guard finiteWidth == nil, kind == .nngp else {
                throw UsageError(
                    "invalid --bottleneck with --width or --kernel ntk; allowed: NNGP paths with one bottleneck")
            }
            source = .bottleneck(width: k, layer: bottleneckLayer)
        } else if let width = finiteWidth {
            guard kind == .nngp else {
                throw UsageError(
                    "invalid --kernel 'ntk' with --width; allowed: nngp (a network's output tends to the NNGP's process)"
                )
            }
            source = .finiteWidth(width)
        } else {
            source = .gaussianProcess
        }
        return try UsageError.wrap {
            try SampledPaths.draw(
                network: network, kind: kind, source: source, points: points, count: paths, seed: seed,
                order: order, scales: scales)
        }
    }
}
