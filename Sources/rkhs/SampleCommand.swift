import ArgumentParser
import Foundation
import NeuralKernels
import SamplePaths
import SVGPlots

/// `rkhs sample`: exact NNGP/NTK Gaussian-process paths along a great circle, or actual
/// finite-width random networks along the same circle.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract:
            "Exact sample paths of the NNGP (or the NTK as a covariance) on a great circle, by circulant embedding; or random finite-width networks (--width).",
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
    @Option(
        help: "Write an SVG plot of (at most 8 of) the paths against theta (with --sphere: a map of the first sample).")
    var plot: String?
    @Flag(help: "Sample on the whole sphere S^2 (equirectangular grid, Cholesky) instead of a great circle.")
    var sphere = false
    @Option(help: "With --sphere: grid rows of colatitude (4...64); twice as many longitudes.") var latitudes: Int = 40

    func run() throws {
        if let out, !(out.lowercased().hasSuffix(".csv") || out.lowercased().hasSuffix(".npy")) {
            throw UsageError("invalid --out '\(out)'; allowed: a path ending in .csv or .npy")
        }
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw UsageError("invalid --plot '\(plot)'; allowed: a path ending in .svg")
        }
        for path in [out, plot].compactMap({ $0 }) { try UsageError.wrap { try AtomicFile.checkWritable(path) } }
        if sphere {
            try runSphere()
            return
        }
        let set = try sampling.draw(
            network: try options.network(), finiteWidth: options.width,
            order: nil, scales: nil)
        if let clipped = set.clipped, clipped.negative < 0 {
            FileHandle.standardError.write(
                Data(
                    "sample: clipped circulant eigenvalues down to \(full(clipped.negative)) (largest \(full(clipped.largest)))\n"
                        .utf8))
        }
        let n = sampling.points
        guard set.paths.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw UsageError(
                "the sampled paths are not finite numbers: the kernel overflows double precision; allowed: smaller --sigma-w, --sigma-b or --depth"
            )
        }
        print("\(set.label): \(set.paths.count) paths on \(n) points")
        if let refusal = set.refusal {
            // The paths are still written: only the estimate is withheld.
            print("estimated regularity: refused: \(refusal)")
        } else {
            let estimates = RegularitySummary(
                set.paths.map(QuadraticVariation(order: set.order, scales: set.fitted).regularity))
            // One path has no standard error (n - 1 = 0): say so instead of printing nan.
            let spread =
                set.paths.count > 1 && estimates.standardError.isFinite
                ? "+- \(String(format: "%.4f", estimates.standardError))" : "(one path: no standard error)"
            guard estimates.mean.isFinite else {
                throw UsageError(
                    "the estimated regularity is not a finite number (the paths have no resolved quadratic variation); allowed: more --points"
                )
            }
            print(
                "estimated regularity: mean \(String(format: "%.4f", estimates.mean)) \(spread) "
                    + "(theory \(set.prediction); order \(set.order), scales 2^\(set.fitted.lowerBound)..2^\(set.fitted.upperBound) from \(set.scaleChoice.replacingOccurrences(of: "_", with: " ")))"
            )
            if let bias = set.bias {
                print(
                    "estimator bias at these scales (exact expectation): \(String(format: "%+.4f", bias)); corrected \(String(format: "%.4f", estimates.mean - bias))"
                )
            }
        }
        let theta = (0..<n).map { 2 * Double.pi * Double($0) / Double(n) }
        if let out {
            let bytes: Data
            if out.lowercased().hasSuffix(".npy") {
                bytes = NPYFile.encode(set.paths.flatMap { $0 }, rows: set.paths.count, columns: n)
            } else {
                var text = "theta," + (1...set.paths.count).map { "path_\($0)" }.joined(separator: ",") + "\n"
                for j in 0..<n {
                    text += full(theta[j]) + "," + set.paths.map { full($0[j]) }.joined(separator: ",") + "\n"
                }
                bytes = Data(text.utf8)
            }
            try UsageError.wrap { try AtomicFile.write(bytes, to: out) }
        }
        if let plot {
            let series = set.paths.prefix(8).enumerated().map { k, path in
                SVGChart.Series(label: "path \(k + 1)", points: zip(theta, path).map { (x: $0, y: $1) }, width: 1)
            }
            try writeAtomically(
                SVGChart(
                    title: "Sample paths: \(set.label)", xLabel: "theta (radians)", yLabel: "f(theta)",
                    series: series
                ).svg, to: plot)
        }
    }

    /// Samples on S^2: Cholesky on an equirectangular grid (SphereGridSampler).
    func runSphere() throws {
        guard (4...64).contains(latitudes) else {
            throw UsageError("invalid --latitudes '\(latitudes)'; allowed: 4...64")
        }
        guard sampling.paths >= 1, sampling.paths <= 1000 else {
            throw UsageError("invalid --paths '\(sampling.paths)'; allowed: 1...1000 with --sphere")
        }
        guard options.width == nil else {
            throw UsageError("invalid --width with --sphere; allowed: Gaussian-process samples only")
        }
        let network = try options.network()
        let table = SphereKernelTable(try UsageError.wrap { try SphereKernel(network) })
        let wantNNGP = sampling.kernel == .nngp
        let rows = latitudes
        let columns = 2 * latitudes
        let sampler = try SphereGridSampler(rows: rows, columns: columns) { wantNNGP ? table.nngp($0) : table.ntk($0) }
        let samples = sampler.sample(paths: sampling.paths, seed: sampling.seed)
        print(
            "\(network.activation.name), depth \(network.depth), \(sampling.kernel.rawValue) on S^2: \(samples.count) samples on a \(rows) x \(columns) grid (Cholesky; diagonal jitter \(sampler.jitter) kappa(1))"
        )
        if let out {
            let bytes: Data
            if out.lowercased().hasSuffix(".npy") {
                bytes = NPYFile.encode(samples.flatMap { $0 }, rows: samples.count, columns: rows * columns)
            } else {
                var text =
                    "colatitude,longitude," + (1...samples.count).map { "sample_\($0)" }.joined(separator: ",") + "\n"
                for a in 0..<(rows * columns) {
                    let theta = (Double(a / columns) + 0.5) * Double.pi / Double(rows)
                    let phi = 2 * Double.pi * Double(a % columns) / Double(columns)
                    text +=
                        full(theta) + "," + full(phi) + "," + samples.map { full($0[a]) }.joined(separator: ",") + "\n"
                }
                bytes = Data(text.utf8)
            }
            try UsageError.wrap { try AtomicFile.write(bytes, to: out) }
        }
        if let plot {
            try writeAtomically(
                SVGSphereMap(
                    title:
                        "\(network.activation.name), depth \(network.depth), \(sampling.kernel.rawValue): a sample on S^2",
                    rows: rows, columns: columns, values: samples[0],
                    valueLabel: "f(x): one \(sampling.kernel.rawValue.uppercased()) sample"
                ).svg, to: plot)
        }
    }
}
