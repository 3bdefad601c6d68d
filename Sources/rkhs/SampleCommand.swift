import ArgumentParser
import Foundation
import NeuralKernels
import SamplePaths

/// `rkhs sample`: exact NNGP/NTK Gaussian-process paths along a great circle.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Exact sample paths of the NNGP (or the NTK as a covariance) on a great circle, by circulant embedding.",
        discussion: """
            n equispaced points theta_j = 2 pi j / n; each path costs one FFT of size n. Seeded GSL MT19937 \
            generator: the same --seed gives the same paths bit for bit. Writes a CSV (theta, path_1, ...) or a \
            NumPy .npy (paths x points) atomically, and prints each path's estimated regularity (quadratic \
            variation of 4th differences at scales 2^2..2^7 grid steps) with the theory value m + 1/2 (NNGP) \
            or m - 1/2 (NTK) for an activation of non-smoothness degree m.
            """)

    @OptionGroup(title: "Network") var options: NetworkOptions
    @Option(help: "Which kernel as covariance: nngp or ntk.") var kernel: KernelOption = .nngp
    @Option(help: "Number of points on the circle (>= 256).") var points: Int = 4096
    @Option(help: "Number of paths.") var paths: Int = 4
    @Option(help: "Seed of the generator.") var seed: UInt = 1
    @Option(help: "Output file, .csv or .npy (omit to print only the regularity summary).") var out: String?

    func run() throws {
        guard points >= 256, points <= 1 << 24 else { throw UsageError("invalid --points '\(points)'; allowed: 256...16777216") }
        guard paths >= 1, paths <= 100_000 else { throw UsageError("invalid --paths '\(paths)'; allowed: 1...100000") }
        if let out, !(out.lowercased().hasSuffix(".csv") || out.lowercased().hasSuffix(".npy")) {
            throw UsageError("invalid --out '\(out)'; allowed: a path ending in .csv or .npy")
        }
        let network = try options.network()
        let table = SphereKernelTable(try UsageError.wrap { try SphereKernel(network) })
        let wantNNGP = kernel == .nngp
        let sampler = CirculantSampler(points: points) { wantNNGP ? table.nngp($0) : table.ntk($0) }
        let samples = sampler.sample(paths: paths, seed: seed)
        if sampler.mostNegativeEigenvalue < 0 {
            FileHandle.standardError.write(Data("sample: clipped circulant eigenvalues down to \(full(sampler.mostNegativeEigenvalue)) (largest \(full(sampler.largestEigenvalue)))\n".utf8))
        }
        let estimator = QuadraticVariation(order: 4, scales: 2...7)
        let estimates = samples.map(estimator.regularity)
        let mean = estimates.reduce(0, +) / Double(estimates.count)
        let se = estimates.count > 1
            ? (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(estimates.count - 1) / Double(estimates.count)).squareRoot()
            : Double.nan
        var predicted = "none (smooth: the estimator saturates)"
        if let m = network.activation.regularity.nonSmoothnessDegree {
            predicted = full(Double(m) + (wantNNGP ? 0.5 : -0.5))
        }
        print("\(network.activation.name), depth \(network.depth), \(kernel.rawValue): \(paths) paths on \(points) points")
        print("estimated regularity: mean \(String(format: "%.4f", mean)) +- \(String(format: "%.4f", se)) (theory \(predicted))")
        if let out {
            let bytes: Data
            if out.lowercased().hasSuffix(".npy") {
                bytes = NPYFile.encode(samples.flatMap { $0 }, rows: paths, columns: points)
            } else {
                var text = "theta," + (1...paths).map { "path_\($0)" }.joined(separator: ",") + "\n"
                for j in 0..<points {
                    text += full(2 * Double.pi * Double(j) / Double(points)) + ","
                        + samples.map { full($0[j]) }.joined(separator: ",") + "\n"
                }
                bytes = Data(text.utf8)
            }
            try UsageError.wrap { try AtomicFile.write(bytes, to: out) }
        }
    }
}
