import ArgumentParser
import Foundation
import NeuralKernels
import SamplePaths
import SVGPlots

/// `rkhs regularity`: regularity of sample paths (sampled here or read from a file) by
/// quadratic variations and by sup-norms of p-th differences across dyadic scales.
struct RegularityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regularity",
        abstract:
            "Estimate the regularity of sample paths: quadratic variation (Besov-type) and sup-norm (Hoelder-type) of p-th differences across dyadic scales.",
        discussion: """
            Paths are sampled exactly (NNGP or NTK on a great circle, or random networks with --width) or read \
            with --input (a .npy of paths x points, or a CSV with one path per column and an optional leading \
            theta column, as `rkhs sample` writes). Theory: an activation of non-smoothness degree m gives NNGP \
            paths of regularity m + 1/2 (ReLU 1.5, ELU 2.5) and NTK paths m - 1/2; smooth activations give smooth \
            paths, for which the estimators saturate at the difference order p. For sampled Gaussian-process \
            paths the fitted scales are those where the exact variogram (computed from the kernel) and the \
            sampler's expected variogram agree within 1%, i.e. above the eigenvalues' round-off floor, and the \
            estimator's exact expected value at those scales is printed as a bias beside a corrected estimate \
            (kernel curvature and the Jensen term of log V at coarse lags). Paths without a known covariance \
            (--input, --width, --bottleneck) are fitted above the noise floor read from their own profile (a flat \
            run of local exponents followed by a rise); when no two consecutive scales clear 100x that floor, or \
            requested --scales reach into it, the estimate is refused (status 64; with --format json an object \
            with "refused" and the profile), never printed.
            """)

    @OptionGroup(title: "Network") var options: NetworkOptions
    @OptionGroup(title: "Sampling") var sampling: SamplingOptions
    @Option(help: "Read paths from a .npy (paths x points) or .csv (one path per column) instead of sampling.")
    var input: String?
    @Option(help: "Difference order p (1...12); default: above the predicted regularity (4 for ReLU and ELU).")
    var order: Int?
    @Option(
        help:
            "Fitted dyadic scales J0:J1 (h = 2^j grid steps); default: chosen from the exact variogram (sampled here) or from the paths' own profile above its noise floor (--input, --width, --bottleneck)."
    ) var scales: String?
    @Option(help: "Output format: table, csv (the scale-wise profile) or json.") var format: OutputFormat = .table
    @Option(help: "Write an SVG plot of the local exponents against scale.") var plot: String?
    @Option(
        help: ArgumentHelp(
            "Compare random networks of these hidden widths with the NNGP, e.g. 64,256,1024,4096.",
            discussion:
                "One set per width plus the NNGP's Gaussian process; csv gains a first column 'set', json is {\"sets\": [...]}, the plot overlays them."
        ))
    var widths: String?

    func run() throws {
        if let order, !(1...12).contains(order) {
            throw UsageError("invalid --order '\(order)'; allowed: an integer in 1...12")
        }
        let fitted = try scales.map(Self.parseScales)
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw UsageError("invalid --plot '\(plot)'; allowed: a path ending in .svg")
        }
        if let plot { try UsageError.wrap { try AtomicFile.checkWritable(plot) } }
        if let widths {
            try runSweep(widths, fitted: fitted)
            return
        }
        let set: SampledPaths
        if let input {
            let paths = try Self.read(input)
            set = SampledPaths.fromData(
                paths: paths, label: input, prediction: .none, order: order ?? 4, requested: fitted)
        } else {
            set = try sampling.draw(
                network: try options.network(), finiteWidth: options.width,
                order: order, scales: fitted)
        }
        let n = set.paths[0].count
        guard set.order * (1 << set.fitted.upperBound) < n, set.fitted.count >= 2 else {
            throw UsageError(
                "invalid --scales '\(scales ?? "\(set.fitted.lowerBound):\(set.fitted.upperBound)")'; allowed: J0:J1 with J0 < J1 and p 2^J1 < \(n) points"
            )
        }
        if let refusal = set.refusal {
            // No number the data do not support: JSON gets the profile and the reason, and the
            // exit status is 64 in every format.
            if format == .json { print(try JSONOutput.text(Self.refusedJSON(set, refusal))) }
            throw UsageError("regularity of '\(set.label)' refused: \(refusal)")
        }
        let analysis = set.analysis()
        switch format {
        case .json: print(try JSONOutput.text(Self.json(set, analysis)))
        case .csv: print(Self.csv(analysis), terminator: "")
        case .table: print(Self.table(set, analysis), terminator: "")
        }
        if let plot { try writeAtomically(Self.svg(set, analysis), to: plot) }
    }

    /// Networks of several widths and the NNGP on the same circle, the same scales for all.
    func runSweep(_ text: String, fitted: ClosedRange<Int>?) throws {
        let list = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 65536 }) else {
            throw UsageError("invalid --widths '\(text)'; allowed: a comma-separated list of integers in 1...65536")
        }
        guard input == nil else { throw UsageError("invalid --input with --widths; allowed: one of them") }
        let network = try options.network()
        let nngp = try sampling.draw(network: network, finiteWidth: nil, order: order, scales: nil)
        let scales = fitted ?? SampledPaths.defaultScales(points: sampling.points, order: nngp.order)
        var sets = try list.map { w in
            try sampling.draw(network: network, finiteWidth: w!, order: nngp.order, scales: scales)
        }
        var gp = SampledPaths(
            paths: nngp.paths, label: "NNGP", prediction: nngp.prediction, order: nngp.order,
            fitted: scales, exact: nngp.exact, selection: nngp.selection, clipped: nngp.clipped)
        gp.floor = nngp.floor
        gp.refusal = nngp.floor?.check(scales)
        sets.append(gp)
        // The shared scales must be above every set's noise floor: no number the data do not support.
        if let refused = sets.first(where: { $0.refusal != nil }) {
            throw UsageError("regularity of '\(refused.label)' refused: \(refused.refusal!)")
        }
        let analyses = sets.map { $0.analysis() }
        let names = list.map { "width \($0!)" } + ["NNGP"]
        switch format {
        case .json: print(try JSONOutput.text(["sets": zip(sets, analyses).map { Self.json($0, $1) }]))
        case .csv:
            var out = "set," + Self.csv(analyses[0]).split(separator: "\n")[0] + "\n"
            for (name, a) in zip(names, analyses) {
                for line in Self.csv(a).split(separator: "\n").dropFirst() { out += "\(name),\(line)\n" }
            }
            print(out, terminator: "")
        case .table: for (set, a) in zip(sets, analyses) { print(Self.table(set, a)) }
        }
        if let plot {
            var series: [SVGChart.Series] = []
            for (k, (name, a)) in zip(names, analyses).enumerated() {
                series.append(
                    SVGChart.Series(
                        label: "\(name) QV",
                        points: a.scales.compactMap { s in s.quadraticLocal.map { (x: Double(s.j) + 0.5, y: $0) } },
                        colour: k))
                series.append(
                    SVGChart.Series(
                        label: "\(name) sup",
                        points: a.scales.compactMap { s in s.supremumLocal.map { (x: Double(s.j) + 0.5, y: $0) } },
                        dashed: true, colour: k))
            }
            let refs = nngp.prediction.value.map { [($0, "NNGP theory \($0)"), (1.0, "kink: 1")] } ?? []
            let chart = SVGChart(
                title:
                    "\(network.activation.name), depth \(network.depth): quadratic variation (solid) vs sup-norm (dashed)",
                xLabel: "log2 h (grid steps of 2 pi / \(sampling.points))", yLabel: "local exponent a",
                series: series, yRange: 0.5...2.5, references: refs,
                bands: Self.scaleBands(
                    fitted: scales,
                    unresolved: Array(Set(zip(sets, analyses).flatMap { $0.unresolvedScales($1) })).sorted()))
            try writeAtomically(chart.svg, to: plot)
        }
    }

    static func parseScales(_ text: String) throws -> ClosedRange<Int> {
        let parts = text.split(separator: ":").map { Int($0) }
        guard parts.count == 2, let a = parts[0], let b = parts[1], a >= 0, b > a, b <= 24 else {
            throw UsageError("invalid --scales '\(text)'; allowed: J0:J1 with integers 0 <= J0 < J1 <= 24")
        }
        return a...b
    }

    /// Paths from a .npy (rows are paths) or a CSV (columns are paths; a first column named
    /// theta is dropped).
    static func read(_ path: String) throws -> [[Double]] {
        var paths: [[Double]]
        if path.lowercased().hasSuffix(".npy") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError("cannot read '\(path)': no such file or not readable")
            }
            let m = try UsageError.wrap { try NPYFile.decode(data, source: path) }
            paths = (0..<m.rows).map { r in Array(m.values[(r * m.columns)..<((r + 1) * m.columns)]) }
        } else if path.lowercased().hasSuffix(".csv") {
            let table = try UsageError.wrap { try NumericTable(contentsOf: path) }
            let skip = table.columnNames?.first?.lowercased() == "theta" ? 1 : 0
            paths = (skip..<table.columnCount).map { c in table.rows.map { $0[c] } }
        } else {
            throw UsageError("invalid --input '\(path)'; allowed: a path ending in .npy or .csv")
        }
        guard !paths.isEmpty, paths[0].count >= 64 else {
            throw UsageError(
                "invalid --input '\(path)': \(paths.first?.count ?? 0) points; allowed: at least one path of >= 64 points"
            )
        }
        guard paths.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw UsageError("invalid --input '\(path)': non-finite values; allowed: finite numbers")
        }
        return paths
    }

    static func json(_ set: SampledPaths, _ a: RegularityAnalysis) -> JSONDocument {
        let smooth = "smooth: no finite exponent; the estimators saturate at the difference order p = \(a.order)"
        let profile = a.scales.map { s in
            JSONDocument { o in
                try o.encode(s.j, forKey: "j")
                try o.encodeNumber(s.h, forKey: "h")
                try o.encodeNumber(s.meanLog2Variogram, forKey: "log2_variogram")
                try o.encodeNumber(s.quadraticLocal, forKey: "qv_local")
                try o.encodeNumber(s.meanLog2Maximum, forKey: "log2_max")
                try o.encodeNumber(s.supremumLocal, forKey: "sup_local")
                try o.encodeNumber(s.exact, forKey: "exact_variogram")
                try o.encodeNumber(s.exactLocal, forKey: "exact_local")
                try o.encode(s.resolved, forKey: "resolved")
            }
        }
        let supremum = JSONDocument { o in
            try o.encodeNumber(a.supremum.mean, forKey: "mean")
            try o.encodeNumber(a.supremum.standardError, forKey: "stderr")
            try o.encodeNumber(a.supremumBias, forKey: "gaussian_bias")
            try o.encodeNumbers(a.supremum.perPath, forKey: "per_path")
        }
        return JSONDocument { o in
            try o.encode(set.label, forKey: "source")
            try o.encode(set.paths.count, forKey: "paths")
            try o.encode(a.points, forKey: "points")
            try o.encode(a.order, forKey: "order")
            try o.encode([a.fitted.lowerBound, a.fitted.upperBound], forKey: "scales")
            try o.encode("quadratic_variation", forKey: "estimator")
            try o.encodeNumber(a.quadratic.mean, forKey: "mean")
            try o.encodeNumber(a.quadratic.standardError, forKey: "stderr")
            try o.encodeNumber(set.prediction.value, forKey: "predicted")
            try o.encode(set.prediction == .smooth ? smooth : nil, forKey: "predicted_note")
            try o.encodeNil(forKey: "refused")
            try o.encodeNumber(set.expectation?.expected, forKey: "expected_estimate")
            try o.encodeNumber(set.bias, forKey: "bias")
            try o.encodeNumber(set.bias.map { a.quadratic.mean - $0 }, forKey: "corrected")
            try o.encodeNumber(
                set.expectation.flatMap { e in set.prediction.value.map { e.curvatureOnly - $0 } },
                forKey: "bias_curvature")
            try o.encode(set.scaleChoice, forKey: "scale_choice")
            try o.encode(Self.floorJSON(set.floor), forKey: "noise_floor")
            try o.encodeNumbers(a.quadratic.perPath, forKey: "per_path")
            try o.encode(supremum, forKey: "sup_norm")
            try o.encode(profile, forKey: "scale_profile")
        }
    }

    /// The noise floor as JSON: the flat scales and level (null when none is seen).
    static func floorJSON(_ floor: NoiseFloor?) -> JSONDocument? {
        guard let floor else { return nil }
        return JSONDocument { o in
            try o.encode(floor.flatScales.map { [$0.lowerBound, $0.upperBound] }, forKey: "flat_scales")
            try o.encodeNumber(floor.level > 0 ? log2(floor.level) : nil, forKey: "log2_level")
            try o.encodeNumber(log2(floor.roundOffLevel), forKey: "log2_roundoff_level")
            try o.encode(floor.chosen.map { [$0.lowerBound, $0.upperBound] }, forKey: "resolved_scales")
        }
    }

    /// A refusal as JSON: no estimate, the reason, and the data's scale profile behind it.
    static func refusedJSON(_ set: SampledPaths, _ reason: String) -> JSONDocument {
        let profile = (set.floor?.scales ?? []).map { s in
            JSONDocument { o in
                try o.encode(s.j, forKey: "j")
                try o.encodeNumber(s.variogram > 0 ? log2(s.variogram) : nil, forKey: "log2_variogram")
                try o.encodeNumber(s.localExponent, forKey: "qv_local")
                try o.encode(s.resolved, forKey: "above_floor")
            }
        }
        return JSONDocument { o in
            try o.encode(set.label, forKey: "source")
            try o.encode(set.paths.count, forKey: "paths")
            try o.encode(set.paths[0].count, forKey: "points")
            try o.encode(set.order, forKey: "order")
            try o.encodeNil(forKey: "mean")
            try o.encodeNil(forKey: "stderr")
            try o.encodeNumber(set.prediction.value, forKey: "predicted")
            try o.encode(reason, forKey: "refused")
            try o.encode(set.scaleChoice, forKey: "scale_choice")
            try o.encode(Self.floorJSON(set.floor), forKey: "noise_floor")
            try o.encode(profile, forKey: "scale_profile")
        }
    }

    static func csv(_ a: RegularityAnalysis) -> String {
        func cell(_ x: Double?) -> String { x.map { $0.isFinite ? full($0) : "" } ?? "" }
        var out = "j,h,log2_variogram,qv_local,log2_max,sup_local,exact_variogram,exact_local,resolved\n"
        for s in a.scales {
            out +=
                "\(s.j),\(full(s.h)),\(cell(s.meanLog2Variogram)),\(cell(s.quadraticLocal)),\(cell(s.meanLog2Maximum)),"
                + "\(cell(s.supremumLocal)),\(cell(s.exact)),\(cell(s.exactLocal)),\(s.resolved.map { "\($0)" } ?? "")\n"
        }
        return out
    }

    static func table(_ set: SampledPaths, _ a: RegularityAnalysis) -> String {
        func f4(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "-" }
        var out =
            "\(set.label): \(set.paths.count) paths on \(a.points) points; differences of order \(a.order), fitted scales h = 2^\(a.fitted.lowerBound)..2^\(a.fitted.upperBound) grid steps\n"
        out +=
            "quadratic variation (Besov-type): \(f4(a.quadratic.mean)) +- \(f4(a.quadratic.standardError))   theory \(set.prediction)\n"
        if let bias = set.bias {
            out +=
                "  bias at these scales (exact expectation \(f4(set.expectation!.expected))): \(String(format: "%+.4f", bias)) -> corrected \(f4(a.quadratic.mean - bias)) +- \(f4(a.quadratic.standardError))\n"
        } else if let e = set.expectation {
            out += "  exact expectation of the estimator at these scales: \(f4(e.expected))\n"
        }
        out +=
            "sup-norm (Hoelder-type):          \(f4(a.supremum.mean)) +- \(f4(a.supremum.standardError))   (Gaussian bias \(f4(a.supremumBias)))\n"
        out += "scales chosen by: \(set.scaleChoice.replacingOccurrences(of: "_", with: " "))"
        if let floor = set.floor, let flat = floor.flatScales {
            out +=
                "; noise floor seen in the data: flat at 2^\(flat.lowerBound)..2^\(flat.upperBound), log2 V = \(String(format: "%.3f", log2(floor.level)))"
        }
        out += "\n"
        out += "per path (quadratic variation): \(a.quadratic.perPath.map(f4).joined(separator: " "))\n"
        out += "   j  log2 V(h)   local a   log2 M(h)   local a   exact V(h)               exact a   resolved\n"
        for s in a.scales {
            out += String(
                format: "%4d  %9.3f  %8@  %9.3f  %8@  %-23@  %8@  %@\n", s.j, s.meanLog2Variogram,
                (s.quadraticLocal.map(f4) ?? "-") as NSString, s.meanLog2Maximum,
                (s.supremumLocal.map(f4) ?? "-") as NSString, (s.exact.map(full) ?? "-") as NSString,
                (s.exactLocal.map(f4) ?? "-") as NSString,
                (s.resolved.map { $0 ? "yes" : "no (round-off floor)" } ?? "-") as NSString)
        }
        return out
    }

    static func svg(_ set: SampledPaths, _ a: RegularityAnalysis) -> String {
        func series(_ label: String, _ values: [(Int, Double?)], dashed: Bool = false) -> SVGChart.Series {
            SVGChart.Series(
                label: label, points: values.compactMap { j, v in v.map { (x: Double(j) + 0.5, y: $0) } },
                dashed: dashed)
        }
        var all = [
            series("quadratic variation", a.scales.map { ($0.j, $0.quadraticLocal) }),
            series("sup-norm", a.scales.map { ($0.j, $0.supremumLocal) }),
        ]
        if set.exact != nil {
            all.append(series("exact variogram", a.scales.map { ($0.j, $0.exactLocal) }, dashed: true))
        }
        let refs = set.prediction.value.map { [($0, "theory \($0)")] } ?? []
        return SVGChart(
            title: "Local regularity exponents: \(set.label)", xLabel: "log2 h (grid steps)",
            yLabel: "local exponent a", series: all, yRange: 0...Double(a.order) + 0.5, references: refs,
            bands: scaleBands(fitted: a.fitted, unresolved: set.unresolvedScales(a))
        ).svg
    }

    /// The shaded scales of a regularity plot (x = log2 h): the fitted scales J0..J1, and each run
    /// of unresolved scales j (swamped by a noise or round-off floor) as j - 1/2 ... j + 1/2
    /// (from 0 on), one legend row for all of them.
    static func scaleBands(fitted: ClosedRange<Int>, unresolved: [Int]) -> [SVGChart.Band] {
        var bands = [
            SVGChart.Band(
                x: Double(fitted.lowerBound)...Double(fitted.upperBound), fill: "#ffbf00", opacity: 0.25,
                label: "fitted scales 2^\(fitted.lowerBound)..2^\(fitted.upperBound)")
        ]
        var runs: [ClosedRange<Int>] = []
        for j in unresolved {
            if let last = runs.last, last.upperBound == j - 1 {
                runs[runs.count - 1] = last.lowerBound...j
            } else {
                runs.append(j...j)
            }
        }
        for run in runs {
            bands.append(
                SVGChart.Band(
                    x: max(0, Double(run.lowerBound) - 0.5)...(Double(run.upperBound) + 0.5), fill: "#7f7f7f",
                    opacity: 0.3, label: "unresolved scales (noise floor)"))
        }
        return bands
    }
}
