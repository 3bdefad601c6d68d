import Foundation
import SVGPlots

/// The log-log picture of an ``RKHSComparison``: |mu_k| against k + 1 for every kernel, styled
/// by RKHS class. Each class has one colour and a legend heading naming it and its space
/// ("class 1 (same RKHS): H^1.5(S^2)"); members of a class differ in dash pattern and width
/// (the first solid and widest, later ones thinner on top), so kernels whose spectra coincide
/// stay visible instead of hiding each other.
public enum ComparisonPlot {
    /// Dash patterns of the members of one class, in order (nil: solid).
    static let dashes: [String?] = [nil, "8,3", "3,3", "10,3,2,3", "1,3", "14,4", "6,2,2,2,2,2"]

    public static func svg(title: String, comparison: RKHSComparison) -> String {
        var series: [SVGChart.Series] = []
        for (n, group) in comparison.groups.enumerated() {
            let first = comparison.entries[group[0]].classification
            let heading = "class \(n + 1) (same RKHS): \(ClassificationReport(first, network: nil).headline)"
            for (m, i) in group.enumerated() {
                let e = comparison.entries[i]
                series.append(
                    SVGChart.Series(
                        label: e.label, points: SpectrumPlot.points(e.spectrum, parity: nil), style: .line,
                        width: max(1, 2.6 - 0.4 * Double(m)), colour: n, dash: dashes[m % dashes.count],
                        group: heading))
            }
        }
        return SVGChart(title: title, xLabel: "k + 1", yLabel: "|mu_k|", series: series, xScale: .log, yScale: .log)
            .svg
    }
}
