import Foundation

/// A minimal SVG line plot (linear axes, ticks, legend) that any browser shows.
public struct SVGLinePlot: Sendable {
    public struct Series: Sendable {
        public let label: String
        public let points: [(x: Double, y: Double)]
        public let dashed: Bool
        public init(label: String, points: [(x: Double, y: Double)], dashed: Bool = false) {
            self.label = label; self.points = points; self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Fixed y range; nil fits the data.
    public var yRange: ClosedRange<Double>?

    public init(title: String, xLabel: String, yLabel: String, series: [Series], yRange: ClosedRange<Double>? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series; self.yRange = yRange
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    public var svg: String {
        let width = 640.0, height = 420.0, left = 64.0, right = 180.0, top = 36.0, bottom = 52.0
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let x0 = all.map(\.x).min() ?? 0, x1 = max(all.map(\.x).max() ?? 1, x0 + 1e-12)
        var y0 = yRange?.lowerBound ?? (all.map(\.y).min() ?? 0)
        var y1 = yRange?.upperBound ?? (all.map(\.y).max() ?? 1)
        if y1 - y0 < 1e-12 { y0 -= 0.5; y1 += 0.5 }
        let pw = width - left - right, ph = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * ph }
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="22" font-size="14">\(escape(title))</text>
        <rect x="\(left)" y="\(top)" width="\(pw)" height="\(ph)" fill="none" stroke="black"/>

        """
        for k in 0...4 {
            let x = x0 + (x1 - x0) * Double(k) / 4, y = y0 + (y1 - y0) * Double(k) / 4
            out += "<text x=\"\(f(px(x)))\" y=\"\(f(top + ph + 16))\" text-anchor=\"middle\">\(tick(x))</text>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(tick(y))</text>\n"
            out += "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(py(y)))\" y2=\"\(f(py(y)))\" stroke=\"#ddd\"/>\n"
        }
        out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(16,\(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for (k, s) in series.enumerated() {
            let colour = SVGLinePlot.palette[k % SVGLinePlot.palette.count]
            let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }
                .map { "\(f(px($0.x))),\(f(py(min(y1, max(y0, $0.y)))))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\"\(s.dashed ? " stroke-dasharray=\"5,3\"" : "") points=\"\(pts)\"/>\n"
            let ly = top + 14 + Double(k) * 18
            out += "<line x1=\"\(f(left + pw + 10))\" x2=\"\(f(left + pw + 34))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"5,3\"" : "")/>\n"
            out += "<text x=\"\(f(left + pw + 40))\" y=\"\(f(ly))\">\(escape(s.label))</text>\n"
        }
        return out + "</svg>\n"
    }
}

func f(_ x: Double) -> String { String(format: "%.2f", x) }
func tick(_ x: Double) -> String { String(format: "%.3g", x) }
func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}
