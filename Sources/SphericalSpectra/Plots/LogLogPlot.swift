import Foundation

/// A log-log SVG plot (decade ticks, legend) that any browser shows: the picture of a
/// spectrum, where power laws are straight lines.
public struct LogLogPlot: Sendable {
    public enum Style: Sendable { case line, dashed, markers }

    public struct Series: Sendable {
        public let label: String
        public let points: [(x: Double, y: Double)]
        public let style: Style
        public init(label: String, points: [(x: Double, y: Double)], style: Style = .line) {
            self.label = label; self.points = points; self.style = style
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]

    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    public var svg: String {
        let width = 760.0, height = 480.0, left = 70.0, right = 250.0, top = 36.0, bottom = 52.0
        let usable = series.flatMap(\.points).filter { $0.x > 0 && $0.y > 0 && $0.x.isFinite && $0.y.isFinite }
        var lx0 = floor(log10(usable.map(\.x).min() ?? 1)), lx1 = ceil(log10(usable.map(\.x).max() ?? 10))
        var ly0 = floor(log10(usable.map(\.y).min() ?? 1e-3)), ly1 = ceil(log10(usable.map(\.y).max() ?? 1))
        if lx1 <= lx0 { lx1 = lx0 + 1 }
        if ly1 <= ly0 { ly1 = ly0 + 1 }
        ly0 = max(ly0, ly1 - 40)
        lx0 = max(lx0, lx1 - 12)
        let pw = width - left - right, ph = height - top - bottom
        func px(_ x: Double) -> Double { left + (log10(x) - lx0) / (lx1 - lx0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (log10(y) - ly0) / (ly1 - ly0)) * ph }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="22" font-size="14">\(esc(title))</text>
        <rect x="\(left)" y="\(top)" width="\(pw)" height="\(ph)" fill="none" stroke="black"/>

        """
        for e in Int(lx0)...Int(lx1) {
            let x = px(pow(10, Double(e)))
            out += "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(top))\" y2=\"\(f(top + ph))\" stroke=\"#eee\"/>\n"
            out += "<text x=\"\(f(x))\" y=\"\(f(top + ph + 16))\" text-anchor=\"middle\">1e\(e)</text>\n"
        }
        let yStep = max(1, Int((ly1 - ly0) / 10))
        for e in stride(from: Int(ly0), through: Int(ly1), by: yStep) {
            let y = py(pow(10, Double(e)))
            out += "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eee\"/>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">1e\(e)</text>\n"
        }
        out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        out += "<text transform=\"translate(16,\(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>\n"
        let yMin = pow(10, ly0), yMax = pow(10, ly1), xMin = pow(10, lx0), xMax = pow(10, lx1)
        for (i, s) in series.enumerated() {
            let colour = LogLogPlot.palette[i % LogLogPlot.palette.count]
            let pts = s.points.filter { $0.x >= xMin && $0.x <= xMax && $0.y >= yMin && $0.y <= yMax }
            switch s.style {
            case .markers:
                for p in pts { out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2\" fill=\"\(colour)\"/>\n" }
            case .line, .dashed:
                let list = pts.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"\(s.style == .dashed ? " stroke-dasharray=\"6,4\"" : "") points=\"\(list)\"/>\n"
            }
            let ly = top + 14 + Double(i) * 17
            if s.style == .markers {
                out += "<circle cx=\"\(f(left + pw + 22))\" cy=\"\(f(ly - 4))\" r=\"3\" fill=\"\(colour)\"/>\n"
            } else {
                out += "<line x1=\"\(f(left + pw + 10))\" x2=\"\(f(left + pw + 34))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(s.style == .dashed ? " stroke-dasharray=\"6,4\"" : "")/>\n"
            }
            out += "<text x=\"\(f(left + pw + 40))\" y=\"\(f(ly))\">\(esc(s.label))</text>\n"
        }
        return out + "</svg>\n"
    }
}
