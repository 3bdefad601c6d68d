import Foundation

/// A small SVG chart that any browser shows: line, dashed or marker series on linear or
/// logarithmic (decade) axes, with ticks, a legend, optional fixed y range and horizontal
/// reference lines. Used for sample paths, regularity profiles, spectra (log-log, where power
/// laws are straight lines) and fixed-point maps. Plain text out; callers write it atomically.
public struct SVGChart: Sendable {
    public enum Scale: Sendable { case linear, log }
    public enum Style: Sendable { case line, dashed, markers }

    public struct Series: Sendable {
        public let label: String
        public let points: [(x: Double, y: Double)]
        public let style: Style
        public let width: Double
        /// Index into the palette (nil: the series' own index), so related series share a colour.
        public let colour: Int?
        /// Half-lengths of vertical error bars, one per point (markers only; nil: none).
        public let yErrors: [Double]?
        public init(
            label: String, points: [(x: Double, y: Double)], style: Style = .line, width: Double = 1.4,
            colour: Int? = nil,
            yErrors: [Double]? = nil
        ) {
            self.label = label
            self.points = points
            self.style = style
            self.width = width
            self.colour = colour
            self.yErrors = yErrors
        }
        /// A line series, dashed or not.
        public init(
            label: String, points: [(x: Double, y: Double)], dashed: Bool, width: Double = 1.4, colour: Int? = nil
        ) {
            self.init(label: label, points: points, style: dashed ? .dashed : .line, width: width, colour: colour)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var yRange: ClosedRange<Double>?
    /// Horizontal reference lines (value, label), drawn grey and dotted.
    public var references: [(Double, String)]
    public var xScale: Scale
    public var yScale: Scale
    /// At most this many vertices per series (paths of 2^20 points are thinned for display).
    public var maxVertices = 4000

    public init(
        title: String, xLabel: String, yLabel: String, series: [Series],
        yRange: ClosedRange<Double>? = nil, references: [(Double, String)] = [],
        xScale: Scale = .linear, yScale: Scale = .linear
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
        self.references = references
        self.xScale = xScale
        self.yScale = yScale
    }

    static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
    ]

    public var svg: String {
        let width = 760.0
        let height = 460.0
        let left = 70.0
        let right = 240.0
        let top = 36.0
        let bottom = 52.0
        // Work in transformed coordinates (log10 on log axes); drop what cannot be drawn.
        func tx(_ v: Double) -> Double? { xScale == .log ? (v > 0 ? log10(v) : nil) : v }
        func ty(_ v: Double) -> Double? { yScale == .log ? (v > 0 ? log10(v) : nil) : v }
        let drawn = series.map { s in
            s.points.compactMap { p -> (Double, Double)? in
                guard p.x.isFinite, p.y.isFinite, let x = tx(p.x), let y = ty(p.y) else { return nil }
                return (x, y)
            }
        }
        let all = drawn.flatMap { $0 }
        var x0 = all.map(\.0).min() ?? 0
        var x1 = all.map(\.0).max() ?? 1
        var y0 = yRange.flatMap { ty($0.lowerBound) } ?? (all.map(\.1).min() ?? 0)
        var y1 = yRange.flatMap { ty($0.upperBound) } ?? (all.map(\.1).max() ?? 1)
        if xScale == .log {
            x0 = floor(x0)
            x1 = max(ceil(x1), x0 + 1)
            x0 = max(x0, x1 - 12)
        }
        if yScale == .log {
            y0 = floor(y0)
            y1 = max(ceil(y1), y0 + 1)
            y0 = max(y0, y1 - 40)
        }
        if x1 - x0 < 1e-12 {
            x0 -= 0.5
            x1 += 0.5
        }
        if y1 - y0 < 1e-12 {
            y0 -= 0.5
            y1 += 0.5
        }
        let pw = width - left - right
        let ph = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (min(y1, max(y0, y)) - y0) / (y1 - y0)) * ph }
        func fmt(_ v: Double) -> String { String(format: "%.2f", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        func ticks(_ a: Double, _ b: Double, _ scale: Scale) -> [(Double, String)] {
            if scale == .log {
                let step = max(1, Int((b - a) / 10))
                return stride(from: Int(a), through: Int(b), by: step).map { (Double($0), "1e\($0)") }
            }
            return (0...4).map { k in
                let v = a + (b - a) * Double(k) / 4
                return (v, String(format: "%.3g", v))
            }
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="14">\(esc(title))</text>
            <rect x="\(left)" y="\(top)" width="\(pw)" height="\(ph)" fill="none" stroke="black"/>

            """
        for (x, label) in ticks(x0, x1, xScale) {
            if xScale == .log {
                out +=
                    "<line x1=\"\(fmt(px(x)))\" x2=\"\(fmt(px(x)))\" y1=\"\(fmt(top))\" y2=\"\(fmt(top + ph))\" stroke=\"#eee\"/>\n"
            }
            out += "<text x=\"\(fmt(px(x)))\" y=\"\(fmt(top + ph + 16))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        for (y, label) in ticks(y0, y1, yScale) {
            out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(y) + 4))\" text-anchor=\"end\">\(label)</text>\n"
            out +=
                "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + pw))\" y1=\"\(fmt(py(y)))\" y2=\"\(fmt(py(y)))\" stroke=\"#eee\"/>\n"
        }
        for (value, label) in references {
            guard let v = ty(value), v >= y0, v <= y1 else { continue }
            out +=
                "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + pw))\" y1=\"\(fmt(py(v)))\" y2=\"\(fmt(py(v)))\" stroke=\"#888\" stroke-dasharray=\"2,3\"/>\n"
            out += "<text x=\"\(fmt(left + 4))\" y=\"\(fmt(py(v) - 3))\" fill=\"#666\">\(esc(label))</text>\n"
        }
        out +=
            "<text x=\"\(fmt(left + pw / 2))\" y=\"\(fmt(height - 12))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        out +=
            "<text transform=\"translate(16,\(fmt(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>\n"
        for (k, s) in series.enumerated() {
            let colour = SVGChart.palette[(s.colour ?? k) % SVGChart.palette.count]
            let inside = drawn[k].filter { $0.0 >= x0 - 1e-9 && $0.0 <= x1 + 1e-9 }
            let step = max(1, inside.count / maxVertices)
            let pts = Swift.stride(from: 0, to: inside.count, by: step).map { inside[$0] }
            let ly = top + 14 + Double(k) * 17
            switch s.style {
            case .markers:
                if let errors = s.yErrors, errors.count == s.points.count {
                    // y +- error, clipped to the plot; on a log axis the lower end may be <= 0.
                    for (p, e) in zip(s.points, errors) where p.x.isFinite && p.y.isFinite && e.isFinite && e > 0 {
                        guard let x = tx(p.x), x >= x0 - 1e-9, x <= x1 + 1e-9, let hi = ty(p.y + e) else { continue }
                        let lo = ty(p.y - e) ?? y0
                        out +=
                            "<line x1=\"\(fmt(px(x)))\" x2=\"\(fmt(px(x)))\" y1=\"\(fmt(py(lo)))\" y2=\"\(fmt(py(hi)))\" stroke=\"\(colour)\"/>\n"
                    }
                }
                for p in pts where p.1 >= y0 && p.1 <= y1 {
                    out += "<circle cx=\"\(fmt(px(p.0)))\" cy=\"\(fmt(py(p.1)))\" r=\"2\" fill=\"\(colour)\"/>\n"
                }
                out += "<circle cx=\"\(fmt(left + pw + 22))\" cy=\"\(fmt(ly - 4))\" r=\"3\" fill=\"\(colour)\"/>\n"
            case .line, .dashed:
                let dash = s.style == .dashed ? " stroke-dasharray=\"5,3\"" : ""
                let list = pts.map { "\(fmt(px($0.0))),\(fmt(py($0.1)))" }.joined(separator: " ")
                out +=
                    "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(s.width)\"\(dash) points=\"\(list)\"/>\n"
                out +=
                    "<line x1=\"\(fmt(left + pw + 10))\" x2=\"\(fmt(left + pw + 34))\" y1=\"\(fmt(ly - 4))\" y2=\"\(fmt(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>\n"
            }
            out += "<text x=\"\(fmt(left + pw + 40))\" y=\"\(fmt(ly))\">\(esc(s.label))</text>\n"
        }
        return out + "</svg>\n"
    }
}
