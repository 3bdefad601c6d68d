import _ParallelFill
import ArgumentParser
import Foundation
import NeuralKernels
import SphericalSpectra

/// `rkhs compare`: which kernels have the same RKHS, grouped into classes.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Which of several kernels on S^{d-1} have the same RKHS: an equivalence table with theory and numbers side by side.",
        discussion: """
            Same RKHS (equivalent norms) means: the same zero pattern of mu_k and a ratio mu_k^A/mu_k^B \
            bounded above and below. Theory decides from the predicted decay of each parity; the numbers \
            from the zero patterns and the fitted exponents (the ratio's trend). Lists are comma-separated; \
            commas inside parentheses belong to the item, e.g. --activations 'relu,leaky_relu(0.2),poly(0,1,1)'.
            """)

    @Option(help: "Activations to compare (comma-separated).")
    var activations: String = ""

    @Option(help: "Depths L (comma-separated), e.g. 2,3,4,5.")
    var depths: String = "2"

    @Option(help: "Kernels: nngp, ntk or both (comma-separated).")
    var kernels: String = "ntk"

    @Option(help: "Standard kernels to include (comma-separated), e.g. 'laplace(1),gaussian(1)'.")
    var standard: String?

    @OptionGroup(title: "Network scales") var scales: ScaleOptions

    @OptionGroup(title: "Sphere") var sphere: SphereOptions<Limits>
    var dim: Int { sphere.dim }
    var kmax: Int { sphere.kmax }

    enum Limits: SphereLimits {
        static let kmax = 300
        static let degrees = 16...100_000
        static let kmaxHelp = "Largest degree k computed for each kernel"
    }

    @Option(help: "Output format: table, json or markdown.")
    var format: ReportFormat = .markdown

    @Option(help: "Also write an SVG overlay of the spectra.")
    var plot: String?

    func run() throws {
        try checkPlotPath(plot)
        let comparison = try makeComparison()
        if let plot {
            let svg = ComparisonPlot.svg(title: try plotTitle(comparison), comparison: comparison)
            try UsageError.wrap { try AtomicFile.write(svg, to: plot) }
        }
        let report = ComparisonReport(comparison)
        switch format {
        case .json: print(try JSONOutput.text(report))
        case .markdown, .table: print(report.markdown, terminator: "")
        }
    }

    /// What was compared, for the plot: the lists as given, the kernels' sphere and the classes found.
    func plotTitle(_ comparison: RKHSComparison) throws -> String {
        var parts: [String] = []
        let names = try ListOption.split(activations)
        if !names.isEmpty {
            parts.append("activations \(names.joined(separator: ", "))")
            parts.append("depths \(try ListOption.split(depths).joined(separator: ", "))")
            parts.append("kernels \(try ListOption.split(kernels).joined(separator: ", "))")
            if scales.bias == 0 { parts.append("no bias") }
        }
        if let standard { parts.append("standard \(try ListOption.split(standard).joined(separator: ", "))") }
        let n = comparison.entries.count
        let classes = comparison.groups.count
        return
            "Same RKHS? |mu_k| of \(n) kernels on S^\(dim - 1) (dim \(dim)): \(classes) class\(classes == 1 ? "" : "es"), "
            + "one colour each\n" + Self.wrapped(parts, width: 95)
    }

    /// Parts joined by "; ", a new line before a part that would pass `width` characters.
    static func wrapped(_ parts: [String], width: Int) -> String {
        var lines: [String] = []
        for part in parts {
            if let last = lines.last, last.count + 2 + part.count <= width {
                lines[lines.count - 1] = last + "; " + part
            } else {
                lines.append(part)
            }
        }
        return lines.joined(separator: "\n")
    }

    func makeComparison() throws -> RKHSComparison {
        var specs: [(label: String, make: @Sendable () throws -> any DotProductKernel)] = []
        let depthList = try ListOption.split(depths).map { text -> Int in
            guard let L = Int(text), L >= 1, L <= 64 else {
                throw UsageError("invalid depth '\(text)' in --depths; allowed: integers 1...64")
            }
            return L
        }
        let kinds = try ListOption.split(kernels).map { text -> KernelKind in
            guard let k = KernelOption(rawValue: text) else {
                throw UsageError("invalid kernel '\(text)' in --kernels; allowed: nngp, ntk")
            }
            return k.value
        }
        let b = scales.bias
        let w = scales.sigmaW
        let i = scales.sigmaI
        for name in try ListOption.split(activations) {
            let activation = try UsageError.wrap { try ActivationCatalogue.activation(named: name) }
            for L in depthList {
                for kind in kinds {
                    let network = try UsageError.wrap {
                        try NetworkKernel(activation: activation, depth: L, sigmaW: w, sigmaB: b, sigmaI: i)
                    }
                    let label = "\(L)-layer \(activation.name) \(kind.rawValue)\(b == 0 ? " (no bias)" : "")"
                    specs.append((label, { try NetworkSphereKernel(network, kind: kind) }))
                }
            }
        }
        for text in try standard.map(ListOption.split) ?? [] {
            let kernel = try UsageError.wrap { try StandardKernel.parse(text) }
            specs.append((kernel.name, { kernel }))
        }
        guard specs.count >= 2 else {
            throw UsageError(
                "nothing to compare: give at least two kernels (--activations, --depths, --kernels, --standard)")
        }
        guard specs.count <= 200 else { throw UsageError("too many kernels (\(specs.count)); allowed: at most 200") }
        let d = dim
        let K = kmax
        let jobs = specs
        let results = SlotArray<Result<RKHSComparison.Entry, Error>>(count: jobs.count)
        ParallelFill.forEach(jobs.count) { n in
            results.store(
                Result {
                    RKHSComparison.Entry(
                        label: jobs[n].label,
                        spectrum: try GegenbauerSpectrum(kernel: try jobs[n].make(), dimension: d, kmax: K))
                }, at: n)
        }
        let entries = try results.values.map { result in try UsageError.wrap { try result.get() } }
        return RKHSComparison(entries)
    }
}

/// Comma-separated lists whose items may contain commas inside parentheses.
enum ListOption {
    static func split(_ text: String) throws -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 {
                items.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        items.append(current)
        let trimmed = items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard depth == 0 else { throw UsageError("unbalanced parentheses in list '\(text)'") }
        return trimmed
    }
}
