import ArgumentParser
import Foundation
import NeuralKernels
import SamplePaths

/// What to sample along a great circle: shared by `rkhs sample` and `rkhs regularity`.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Which kernel as covariance: nngp or ntk (default nngp, the network's prior covariance, as in every command that uses the kernel as a covariance; spectra, gram and train default to ntk).") var kernel: KernelOption = .nngp
    @Option(help: "Number of points on the circle (256...16777216).") var points: Int = 4096
    @Option(help: "Number of paths (1...100000).") var paths: Int = 4
    @Option(help: "Seed of the generator.") var seed: UInt = 1
    @Option(help: "Width k of one finite bottleneck layer in an otherwise infinitely wide network (a composition of GPs; Cholesky, --points <= 8192).") var bottleneck: Int?
    @Option(name: .customLong("bottleneck-layer"), help: "Which hidden layer is the bottleneck (1 ... depth - 1).") var bottleneckLayer: Int = 1

    func validate() throws {
        guard points >= 256, points <= 1 << 24 else { throw UsageError("invalid --points '\(points)'; allowed: 256...16777216") }
        guard paths >= 1, paths <= 100_000 else { throw UsageError("invalid --paths '\(paths)'; allowed: 1...100000") }
    }
}
