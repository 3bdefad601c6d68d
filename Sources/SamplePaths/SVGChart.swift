import Foundation

/// A small SVG line chart (linear axes, ticks, legend, optional fixed ranges and reference
/// lines) that any browser shows: sample paths against theta, local regularity exponents
/// against log2 h. Plain text out; the caller writes it atomically.
public struct SVGChart: Sendable {
    public struct Series: Sendable {
        public let label: String
        public let points: [(x: Double, y: Double)]
        public let dashed: Bool
        public let width: Double
        /// Index into the palette (nil: the series' own index), so related series share a colour.
        public let colour: Int?
        public init(label: String, points: [(x: Double, y: Double)], dashed: Bool = false, width: Double = 1.4, colour: Int? = nil) {
            self.label = label; self.points = points; self.dashed = dashed; self.width = width; self.colour = colour
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var yRange: ClosedRange<Double>?
    /// Horizontal reference lines (value, label), drawn grey and dotted.
    public var references: [(Double, String)]

    public init(title: String, xLabel: String, yLabel: String, series: [Series],
                yRange: ClosedRange<Double>? = nil, references: [(Double, String)] = []) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
        self.yRange = yRange; self.references = references
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    /// At most this many vertices per series (paths of 2^20 points are thinned for display).
    public var maxVertices = 4000

    public var svg: String {
        let width = 720.0, height = 440.0, left = 64.0, right = 200.0, top = 36.0, bottom = 52.0
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let x0 = all.map(\.x).min() ?? 0, x1 = max(all.map(\.x).max() ?? 1, x0 + 1e-12)
        var y0 = yRange?.lowerBound ?? (all.map(\.y).min() ?? 0)
        var y1 = yRange?.upperBound ?? (all.map(\.y).max() ?? 1)
        if y1 - y0 < 1e-12 { y0 -= 0.5; y1 += 0.5 }
        let pw = width - left - right, ph = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (min(y1, max(y0, y)) - y0) / (y1 - y0)) * ph }
        func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
        func tick(_ x: Double) -> String { String(format: "%.3g", x) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="22" font-size="14">\(esc(title))</text>
        <rect x="\(left)" y="\(top)" width="\(pw)" height="\(ph)" fill="none" stroke="black"/>

        """
        for k in 0...4 {
            let x = x0 + (x1 - x0) * Double(k) / 4, y = y0 + (y1 - y0) * Double(k) / 4
            out += "<text x=\"\(fmt(px(x)))\" y=\"\(fmt(top + ph + 16))\" text-anchor=\"middle\">\(tick(x))</text>\n"
            out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(y) + 4))\" text-anchor=\"end\">\(tick(y))</text>\n"
            out += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + pw))\" y1=\"\(fmt(py(y)))\" y2=\"\(fmt(py(y)))\" stroke=\"#eee\"/>\n"
        }
        for (value, label) in references where value >= y0 && value <= y1 {
            out += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + pw))\" y1=\"\(fmt(py(value)))\" y2=\"\(fmt(py(value)))\" stroke=\"#888\" stroke-dasharray=\"2,3\"/>\n"
            out += "<text x=\"\(fmt(left + 4))\" y=\"\(fmt(py(value) - 3))\" fill=\"#666\">\(esc(label))</text>\n"
        }
        out += "<text x=\"\(fmt(left + pw / 2))\" y=\"\(fmt(height - 12))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        out += "<text transform=\"translate(16,\(fmt(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>\n"
        for (k, s) in series.enumerated() {
            let colour = SVGChart.palette[(s.colour ?? k) % SVGChart.palette.count]
            let finite = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            let stride = max(1, finite.count / maxVertices)
            let pts = Swift.stride(from: 0, to: finite.count, by: stride).map { finite[$0] }
                .map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
            let dash = s.dashed ? " stroke-dasharray=\"5,3\"" : ""
            out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(s.width)\"\(dash) points=\"\(pts)\"/>\n"
            let ly = top + 14 + Double(k) * 18
            out += "<line x1=\"\(fmt(left + pw + 10))\" x2=\"\(fmt(left + pw + 34))\" y1=\"\(fmt(ly - 4))\" y2=\"\(fmt(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>\n"
            out += "<text x=\"\(fmt(left + pw + 40))\" y=\"\(fmt(ly))\">\(esc(s.label))</text>\n"
        }
        return out + "</svg>\n"
    }
}
