import SVGPlots

/// Log-log picture of predicted learning curves (lines; unresolved points left out) and
/// simulated test errors (markers with +- 1 standard error bars), one colour per curve.
public enum LearningCurvePlot {
    public struct Simulated: Sendable {
        public let label: String
        public let estimates: [LearningCurveSimulation.Estimate]
        /// Index of the predicted curve it belongs to (shares its colour).
        public let curve: Int
        public init(label: String, estimates: [LearningCurveSimulation.Estimate], curve: Int) {
            self.label = label
            self.estimates = estimates
            self.curve = curve
        }
    }

    public static func svg(title: String, curves: [(label: String, curve: LearningCurve)], simulated: [Simulated] = [])
        -> String
    {
        var series: [SVGChart.Series] = []
        for (i, c) in curves.enumerated() {
            let points = c.curve.points.compactMap { p -> (x: Double, y: Double)? in
                guard p.resolved, let e = p.testError, e > 0 else { return nil }
                return (Double(p.n), e)
            }
            let rate = c.curve.rate.exponent.map { String(format: ", theory n^-%.3g", $0) } ?? ""
            series.append(.init(label: c.label + rate, points: points, style: .line, colour: i))
        }
        for s in simulated {
            let usable = s.estimates.filter { $0.mean > 0 }
            series.append(
                .init(
                    label: s.label, points: usable.map { (Double($0.n), $0.mean) }, style: .markers,
                    colour: s.curve, yErrors: usable.map(\.standardError)))
        }
        return SVGChart(
            title: title, xLabel: "n (training samples)", yLabel: "expected test error E_g(n)", series: series,
            xScale: .log, yScale: .log
        ).svg
    }
}
