import ArgumentParser
import Foundation
import NeuralKernels
import SamplePaths

/// `rkhs sample`: exact NNGP/NTK Gaussian-process paths along a great circle, or actual
/// finite-width random networks along the same circle.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Exact sample paths of the NNGP (or the NTK as a covariance) on a great circle, by circulant embedding; or random finite-width networks (--width).",
        discussion: """
            n equispaced points theta_j = 2 pi j / n; each Gaussian-process path costs one FFT of size n. With \
            --width W, draws actual random networks of hidden width W (same sigma_w, sigma_b, depth; Gaussian \
            weights) evaluated along the circle, whose outputs tend to the NNGP's process as W grows. Seeded: \
            the same --seed gives the same paths bit for bit. Writes a CSV (theta, path_1, ...) or a NumPy .npy \
            (paths x points) atomically, optionally an SVG plot of the paths, and prints the paths' estimated \
            regularity (quadratic variation of p-th differences; see `rkhs regularity`) with the theory value \
            m + 1/2 (NNGP) or m - 1/2 (NTK) for an activation of non-smoothness degree m.
            """)

    @OptionGroup(title: "Network") var options: NetworkOptions
    @OptionGroup(title: "Sampling") var sampling: SamplingOptions
    @Option(help: "Output file, .csv or .npy (omit to print only the regularity summary).") var out: String?
    @Option(help: "Write an SVG plot of (at most 8 of) the paths against theta.") var plot: String?

    func run() throws {
        if let out, !(out.lowercased().hasSuffix(".csv") || out.lowercased().hasSuffix(".npy")) {
            throw UsageError("invalid --out '\(out)'; allowed: a path ending in .csv or .npy")
        }
        if let plot, !plot.lowercased().hasSuffix(".svg") { throw UsageError("invalid --plot '\(plot)'; allowed: a path ending in .svg") }
        let set = try SampledPaths.draw(network: try options.network(), sampling: sampling, finiteWidth: options.width,
                                        order: nil, scales: nil)
        if let clipped = set.clipped, clipped.negative < 0 {
            FileHandle.standardError.write(Data("sample: clipped circulant eigenvalues down to \(full(clipped.negative)) (largest \(full(clipped.largest)))\n".utf8))
        }
        let estimates = RegularitySummary(set.paths.map(QuadraticVariation(order: set.order, scales: set.fitted).regularity))
        let n = sampling.points
        print("\(set.label): \(set.paths.count) paths on \(n) points")
        print("estimated regularity: mean \(String(format: "%.4f", estimates.mean)) +- \(String(format: "%.4f", estimates.standardError)) "
              + "(theory \(set.prediction); order \(set.order), scales 2^\(set.fitted.lowerBound)..2^\(set.fitted.upperBound))")
        let theta = (0..<n).map { 2 * Double.pi * Double($0) / Double(n) }
        if let out {
            let bytes: Data
            if out.lowercased().hasSuffix(".npy") {
                bytes = NPYFile.encode(set.paths.flatMap { $0 }, rows: set.paths.count, columns: n)
            } else {
                var text = "theta," + (1...set.paths.count).map { "path_\($0)" }.joined(separator: ",") + "\n"
                for j in 0..<n { text += full(theta[j]) + "," + set.paths.map { full($0[j]) }.joined(separator: ",") + "\n" }
                bytes = Data(text.utf8)
            }
            try UsageError.wrap { try AtomicFile.write(bytes, to: out) }
        }
        if let plot {
            let series = set.paths.prefix(8).enumerated().map { k, path in
                SVGChart.Series(label: "path \(k + 1)", points: zip(theta, path).map { (x: $0, y: $1) }, width: 1)
            }
            try writeAtomically(SVGChart(title: "Sample paths: \(set.label)", xLabel: "theta (radians)", yLabel: "f(theta)",
                                         series: series).svg, to: plot)
        }
    }
}
