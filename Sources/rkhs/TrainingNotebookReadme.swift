import Foundation
import NeuralKernels

/// The README of notebooks-data/training/, generated from the data files present there, so
/// that each claim's verdict and numbers are those of the data (never written by hand).
struct TrainingNotebookReadme {
    let directory: String

    /// Rows of a CSV with a header, as dictionaries.
    func table(_ file: String) -> [[String: String]]? {
        guard
            let text = try? String(
                contentsOfFile: (directory as NSString).appendingPathComponent(file), encoding: .utf8)
        else {
            return nil
        }
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { return nil }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            Dictionary(
                uniqueKeysWithValues: zip(
                    header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    func json(_ file: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(file))
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func g(_ x: Double) -> String { String(format: "%.3g", x) }

    func spectralBias() -> String {
        guard let rows = table("spectral-bias.csv"), !rows.isEmpty else { return "" }
        let widths = rows[0].keys.compactMap { key -> Int? in
            guard key.hasPrefix("width_"), key.hasSuffix("_linearised_rate") else { return nil }
            return Int(key.dropFirst(6).prefix { $0.isNumber })
        }.sorted()
        func value(_ r: [String: String], _ key: String) -> Double? { r[key].flatMap(Double.init) }
        var out = "## Spectral bias on S^2 (spectral-bias.csv, .svg)\n\n"
        out +=
            "Kernel gradient descent on uniform points of S^2 with a sum of zonal harmonics of degrees "
            + "\(rows.compactMap { $0["k"] }.joined(separator: ", ")) as target; the rate per step of each degree's part of the residual "
            + "against the prediction -log(1 - eta mu_k), mu_k the Mercer eigenvalue of the 2-layer ReLU NTK "
            + "(Proofs/spectral-bias-on-the-sphere.md).\n\n"
        out +=
            "| k | mu_k | predicted | infinite / predicted |"
            + widths.map { " width \($0) trained / infinite | linearised / infinite |" }.joined() + "\n"
        out += "|---|---|---|---|" + widths.map { _ in "---|---|" }.joined() + "\n"
        var infiniteWorst = 0.0
        var linearWorst = 0.0
        var linearWorstSmallest = 0.0
        var trainedOK: [String] = []
        var trainedOff: [String] = []
        var decreasing = true
        var previous = Double.infinity
        for r in rows {
            guard let k = r["k"], let mu = value(r, "mu"), let p = value(r, "predicted_rate"),
                let inf = value(r, "infinite_rate")
            else { continue }
            infiniteWorst = max(infiniteWorst, Swift.abs(inf / p - 1))
            decreasing = decreasing && inf < previous
            previous = inf
            out += "| \(k) | \(Self.g(mu)) | \(Self.g(p)) | \(Self.g(inf / p)) |"
            for (j, w) in widths.enumerated() {
                let t = value(r, "width_\(w)_rate").map { $0 / inf }
                let l = value(r, "width_\(w)_linearised_rate").map { $0 / inf }
                out += " \(t.map(Self.g) ?? "-") | \(l.map(Self.g) ?? "-") |"
                if j == 0, let l { linearWorstSmallest = max(linearWorstSmallest, Swift.abs(l - 1)) }
                if j == widths.count - 1 {
                    if let l { linearWorst = max(linearWorst, Swift.abs(l - 1)) }
                    if let t {
                        (Swift.abs(t - 1) <= 0.15
                            ? { trainedOK.append(k) } : { trainedOff.append("\(k) (\(Self.g(t)))") })()
                    }
                }
            }
            out += "\n"
        }
        let largest = widths.last.map(String.init) ?? "-"
        out += "\n**Claims.**\n\n"
        out +=
            "- *The infinite network's degree-k residual decays at eta mu_k per step*: "
            + (infiniteWorst <= 0.15 ? "**confirmed**" : "**not confirmed**")
            + ", every degree within \(Self.g(100 * infiniteWorst))% (finite n: the Gram matrix acts on a sampled harmonic as n mu_k up to "
            + "fluctuations of relative size ~ sqrt(N(d,k)/n)).\n"
        out +=
            "- *Spectral bias: lower degrees are learnt first*: " + (decreasing ? "**confirmed**" : "**not confirmed**")
            + " (the measured rates decrease with k).\n"
        out +=
            "- *Finite networks linearised at initialisation follow the infinite rates* (their empirical NTK at init): "
            + (linearWorst <= 0.15 ? "**confirmed**" : "**not confirmed**")
            + " at width \(largest), every degree within \(Self.g(100 * linearWorst))%"
            + (widths.count > 1
                ? "; at width \(widths[0]) within \(Self.g(100 * linearWorstSmallest))%"
                    + (linearWorstSmallest > linearWorst ? ", so the deviation shrinks with width" : "")
                    + " (the empirical NTK's fluctuations at init matter most for the small eigenvalues of high degrees).\n"
                : ".\n")
        out +=
            "- *Trained finite networks follow the infinite rates*: confirmed within 15% at width \(largest) for degrees "
            + (trainedOK.isEmpty ? "none" : trainedOK.joined(separator: ", "))
            + (trainedOff.isEmpty
                ? ".\n"
                : "; **not confirmed** for degrees \(trainedOff.joined(separator: ", ")) (trained / infinite). "
                    + "These high degrees are learnt 2-3x more slowly, almost independently of the width between the two widths run: the "
                    + "linearised networks show that the kernel at initialisation is right, so it is the NTK's change during the long "
                    + "training these modes need (its relative size, lazy-training.csv, is ~1e-2 at width 2048, larger than mu_k / mu_1 "
                    + "for these k) that governs them. The lazy (kernel) approximation holds for a mode only once the kernel's change "
                    + "is small against that mode's eigenvalue, i.e. at widths growing fast with the degree.\n")
        if let other = table("spectral-bias-step0.9.csv"), other.count == rows.count {
            let diffs = zip(rows, other).compactMap { a, b -> Double? in
                guard let x = value(a, "width_\(widths.last ?? 0)_rate"),
                    let y = value(b, "width_\(widths.last ?? 0)_rate"),
                    let ix = value(a, "infinite_rate"), let iy = value(b, "infinite_rate")
                else { return nil }
                return Swift.abs(x / ix - y / iy)
            }
            out +=
                "- *The slowdown is not a large-step effect*: with 0.9 instead of 0.5 of the stability limit "
                + "(spectral-bias-step0.9.csv) the trained / infinite ratios change by at most \(Self.g(diffs.max() ?? .nan)).\n"
        }
        return out + "\n"
    }

    func lazyTraining() -> String {
        guard let rows = table("lazy-training.csv"), let meta = json("lazy-training.json"),
            let fits = meta["fitted_exponents"] as? [String: [String: [String: Any]]]
        else { return "" }
        var out = "## Lazy training: rates in the width (lazy-training.csv, .svg)\n\n"
        out +=
            "Relative changes over 300 steps of full-batch gradient descent, one hidden layer, \(rows.count / max(fits.count, 1)) widths "
            + "(Proofs/lazy-training.md). Lee et al. (2019) bound the NTK change and the linearisation gap by width^-1/2.\n\n"
        out += "| activation | quantity | fitted exponent | theory | verdict |\n|---|---|---|---|---|\n"
        for name in fits.keys.sorted() {
            for quantity in ["ntk_change", "linearisation_gap", "weight_change"] {
                guard let f = fits[name]?[quantity], let e = f["exponent"] as? Double,
                    let se = f["standard_error"] as? Double,
                    let theory = f["theory"] as? Double
                else { continue }
                let tolerance = quantity == "linearisation_gap" ? 0.25 : 0.1
                let verdict =
                    Swift.abs(e - theory) <= tolerance
                    ? "confirmed (within \(tolerance))"
                    : "**not confirmed** (differs by \(Self.g(Swift.abs(e - theory))))"
                out +=
                    "| \(name) | \(quantity.replacingOccurrences(of: "_", with: " ")) | \(Self.g(e)) +- \(Self.g(se)) | \(Self.g(theory)) | \(verdict) |\n"
            }
        }
        out +=
            "\n**Claims.** The NTK changes faster than the bound: like width^-3/4 with a kink in phi' (ReLU: sqrt(width) neurons "
            + "cross the kink), width^-1 for smooth activations (erf). The weights move O(1), width^-1/2 relative to their norm. "
            + "The distance to the linearised network is the least settled: for erf it approaches width^-1 from above, for ReLU it "
            + "stays near the bound over these widths.\n\n"
        return out
    }

    func lossCurves() -> String {
        guard
            let file = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.first(where: {
                $0.hasPrefix("uci-") && $0.hasSuffix(".csv")
            }),
            let rows = table(file), let meta = json(file.replacingOccurrences(of: ".csv", with: ".json")),
            let widths = meta["widths"] as? [Int], let largest = widths.last
        else { return "" }
        var out = "## Loss curves on a UCI set (\(file), .svg)\n\n"
        out += (meta["description"] as? String ?? "") + ".\n\n"
        out +=
            "| step | infinite: expected test loss |" + widths.map { " width \($0) test loss |" }.joined()
            + "\n|---|---|" + widths.map { _ in "---|" }.joined() + "\n"
        var early = 0.0
        var late = 0.0
        var finalGap: [Double] = []
        for (i, r) in rows.enumerated() where i % 5 == 0 || i == rows.count - 1 {
            guard let step = r["step"], let inf = r["expected_test_loss"].flatMap(Double.init) else { continue }
            out +=
                "| \(step) | \(Self.g(inf)) |"
                + widths.map { w in " \(r["width_\(w)_test_loss"].flatMap(Double.init).map(Self.g) ?? "-") |" }.joined()
                + "\n"
        }
        for r in rows {
            guard let step = r["step"].flatMap(Double.init), step > 0,
                let inf = r["expected_test_loss"].flatMap(Double.init),
                let fin = r["width_\(largest)_test_loss"].flatMap(Double.init)
            else { continue }
            let d = Swift.abs(fin / inf - 1)
            if step <= 1000 { early = max(early, d) } else { late = max(late, d) }
        }
        if let last = rows.last, let inf = last["expected_test_loss"].flatMap(Double.init) {
            finalGap = widths.compactMap { w in
                last["width_\(w)_test_loss"].flatMap(Double.init).map { Swift.abs($0 / inf - 1) }
            }
        }
        let shrinking = finalGap.count > 1 && zip(finalGap, finalGap.dropFirst()).allSatisfy { $0 > $1 }
        let changes = (meta["ntk_change"] as? [Double]) ?? []
        out +=
            "\n**Claims.** Up to step 1000 the width-\(largest) networks' seed-mean test loss is within \(Self.g(100 * early))% of the "
            + "infinite network's expected test loss; later the finite networks reach lower losses than the infinite NTK ensemble "
            + "(largest difference \(Self.g(100 * late))%)"
            + (shrinking
                ? ", and the gap at the last step shrinks with width ("
                    + zip(widths, finalGap).map { "\(Self.g(100 * $1))% at \($0)" }.joined(separator: ", ")
                    + "): the kernel regime describes early training on this set well, and long training only at larger widths"
                : "")
            + ". Relative NTK change over the run: "
            + zip(widths, changes).map { "\(Self.g($1)) at width \($0)" }.joined(separator: ", ") + ".\n\n"
        return out
    }

    func write(to output: OutputDirectory) throws {
        var text =
            "# notebooks-data/training\n\nGenerated by `rkhs reproduce training` (this file too, from the data beside it). "
            + "Every CSV has a JSON sidecar with its parameters and the command that wrote it.\n\n"
        text += spectralBias() + lazyTraining() + lossCurves()
        try output.write(text, to: "README.md")
    }
}
