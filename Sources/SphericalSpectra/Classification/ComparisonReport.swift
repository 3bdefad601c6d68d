import Foundation

/// An ``RKHSComparison`` as Markdown (the kernels, the classes of equal RKHSs, and every pair
/// with theory and numbers side by side) and as JSON (`Encodable`; the schema of
/// `rkhs compare --format json`).
public struct ComparisonReport: Sendable {
    public let comparison: RKHSComparison

    public init(_ comparison: RKHSComparison) { self.comparison = comparison }

    private func g(_ x: Double) -> String { String(format: "%.4g", x) }

    public var markdown: String {
        let e = comparison.entries
        var out =
            "## Kernels\n\n| # | kernel | class | even k (predicted / measured) | odd k (predicted / measured) | agrees |\n"
            + "|---|---|---|---|---|---|\n"
        for (n, entry) in e.enumerated() {
            let c = entry.classification
            let d = c.dimension
            let r = ClassificationReport(c, network: nil)
            out +=
                "| \(n + 1) | \(entry.label) | \(c.kind.rawValue): \(r.headline) | "
                + "\(c.predicted.even.summary(dimension: d)) / \(c.fits.even.summary) | "
                + "\(c.predicted.odd.summary(dimension: d)) / \(c.fits.odd.summary) | \(c.agrees ? "yes" : "**NO**") |\n"
        }
        out += "\n## Same RKHS (classes)\n\n"
        for (n, group) in comparison.groups.enumerated() {
            out += "- class \(n + 1): " + group.map { "\(e[$0].label) (#\($0 + 1))" }.joined(separator: ", ") + "\n"
        }
        out +=
            "\n## Pairs\n\n| A | B | theory | numbers | mu_A/mu_B observed | trend even / odd (k^x) | zero-pattern differences | reason |\n"
            + "|---|---|---|---|---|---|---|---|\n"
        for p in comparison.pairs {
            func yn(_ b: Bool?) -> String { b.map { $0 ? "same" : "different" } ?? "undecided" }
            let bounds = p.ratioBounds.map { "\(g($0.lowerBound)) ... \(g($0.upperBound))" } ?? "-"
            func t(_ x: (value: Double, uncertainty: Double)?) -> String {
                x.map { "\(g($0.value)) +- \(g($0.uncertainty))" } ?? "-"
            }
            let differences = p.zeroPatternDifferences
            let zeros =
                differences.isEmpty
                ? "none"
                : "k = " + differences.prefix(6).map(String.init).joined(separator: ", ")
                    + (differences.count > 6 ? ", ..." : "")
            let flag = p.disagree ? " **THEORY AND NUMBERS DISAGREE**" : ""
            out +=
                "| #\(p.first + 1) | #\(p.second + 1) | \(yn(p.sameByTheory)) | \(yn(p.sameByNumbers)) | \(bounds) | "
                + "\(t(p.trendEven)) / \(t(p.trendOdd)) | \(zeros) | \(p.reason)\(flag) |\n"
        }
        return out
    }
}

extension ComparisonReport: Encodable {
    enum CodingKeys: String, CodingKey { case labels, kernels, classes, pairs }

    public func encode(to encoder: any Encoder) throws {
        let e = comparison.entries
        var o = encoder.container(keyedBy: CodingKeys.self)
        try o.encode(e.map(\.label), forKey: .labels)
        try o.encode(e.map { ClassificationReport($0.classification, network: nil) }, forKey: .kernels)
        try o.encode(comparison.groups, forKey: .classes)
        try o.encode(comparison.pairs.map { PairReport(pair: $0, entries: e) }, forKey: .pairs)
    }

    /// One pair as JSON, with both labels.
    private struct PairReport: Encodable {
        let pair: RKHSComparison.Pair
        let entries: [RKHSComparison.Entry]

        enum CodingKeys: String, CodingKey {
            case a, b, labelA = "label_a", labelB = "label_b", sameByTheory = "same_by_theory"
            case sameByNumbers = "same_by_numbers", disagree, ratioMin = "ratio_min", ratioMax = "ratio_max"
            case trendEven = "trend_even", trendEvenUncertainty = "trend_even_uncertainty", trendOdd = "trend_odd"
            case trendOddUncertainty = "trend_odd_uncertainty", zeroPatternDifferences = "zero_pattern_differences",
                reason
        }

        func encode(to encoder: any Encoder) throws {
            let p = pair
            var o = encoder.container(keyedBy: CodingKeys.self)
            try o.encode(p.first, forKey: .a)
            try o.encode(p.second, forKey: .b)
            try o.encode(entries[p.first].label, forKey: .labelA)
            try o.encode(entries[p.second].label, forKey: .labelB)
            try o.encode(p.sameByTheory, forKey: .sameByTheory)
            try o.encode(p.sameByNumbers, forKey: .sameByNumbers)
            try o.encode(p.disagree, forKey: .disagree)
            try o.encodeNumber(p.ratioBounds?.lowerBound, forKey: .ratioMin)
            try o.encodeNumber(p.ratioBounds?.upperBound, forKey: .ratioMax)
            try o.encodeNumber(p.trendEven?.value, forKey: .trendEven)
            try o.encodeNumber(p.trendEven?.uncertainty, forKey: .trendEvenUncertainty)
            try o.encodeNumber(p.trendOdd?.value, forKey: .trendOdd)
            try o.encodeNumber(p.trendOdd?.uncertainty, forKey: .trendOddUncertainty)
            try o.encode(p.zeroPatternDifferences, forKey: .zeroPatternDifferences)
            try o.encode(p.reason, forKey: .reason)
        }
    }
}
