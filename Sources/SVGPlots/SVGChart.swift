import Foundation

/// A small SVG chart that any browser shows: line, dashed or marker series on linear or
/// logarithmic (decade) axes, with ticks (round 1-2-5 values on linear axes, ``NiceTicks``), a
/// legend (grouped under headings, shaded bands first), optional fixed y range, shaded x bands
/// and horizontal reference lines. Used for sample paths, regularity profiles, spectra (log-log, where power
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
        /// An SVG stroke-dasharray for a line (e.g. "6,3"), overriding the style's; nil: the style's.
        public let dash: String?
        /// A legend heading shown above this series when it differs from the previous series' group.
        public let group: String?
        public init(
            label: String, points: [(x: Double, y: Double)], style: Style = .line, width: Double = 1.4,
            colour: Int? = nil,
            yErrors: [Double]? = nil, dash: String? = nil, group: String? = nil
        ) {
            self.label = label
            self.points = points
            self.style = style
            self.width = width
            self.colour = colour
            self.yErrors = yErrors
            self.dash = dash
            self.group = group
        }

        /// The stroke-dasharray drawn (nil: solid).
        var dashArray: String? { dash ?? (style == .dashed ? "5,3" : nil) }
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
    /// Vertical bands shaded behind the data (e.g. the scales a fit used), listed in the legend.
    public var bands: [Band]

    /// A shaded x interval (data coordinates) with its legend text.
    public struct Band: Sendable {
        public let x: ClosedRange<Double>
        public let fill: String
        public let opacity: Double
        public let label: String
        public init(x: ClosedRange<Double>, fill: String, opacity: Double = 0.25, label: String) {
            self.x = x
            self.fill = fill
            self.opacity = opacity
            self.label = label
        }
    }

    public init(
        title: String, xLabel: String, yLabel: String, series: [Series],
        yRange: ClosedRange<Double>? = nil, references: [(Double, String)] = [],
        xScale: Scale = .linear, yScale: Scale = .linear, bands: [Band] = []
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
        self.references = references
        self.xScale = xScale
        self.yScale = yScale
        self.bands = bands
    }

    static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
    ]

    public var svg: String {
        let titleLines = title.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let left = 70.0
        let top = 36.0 + 17 * Double(titleLines.count - 1)
        let bottom = 52.0
        let legend = self.legend
        // The plot is 450 wide; the legend column widens the picture for long labels (about
        // 6.5 px a character at 12 px sans-serif) rather than run past its edge.
        let right = max(240, 50 + 6.5 * Double(legend.widestLabel))
        let width = left + 450 + right
        // The plot is 372 high; a long legend makes the picture taller rather than run off it.
        let height = max(top + 372 + bottom, top + 14 + legend.height + 10)
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
        // Shaded bands are part of the picture: the x axis covers them too.
        let bandEnds = bands.flatMap { [tx($0.x.lowerBound), tx($0.x.upperBound)] }.compactMap { $0 }
        var x0 = (all.map(\.0) + bandEnds).min() ?? 0
        var x1 = (all.map(\.0) + bandEnds).max() ?? 1
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
        // Linear axes: ticks at round values; an end close to a tick is moved out to it.
        let xTicks = xScale == .linear ? NiceTicks(x0...max(x0, x1)) : nil
        let yTicks = yScale == .linear ? NiceTicks(y0...max(y0, y1), snap: yRange == nil ? 0.05 : 0) : nil
        if let t = xTicks {
            x0 = t.range.lowerBound
            x1 = t.range.upperBound
        }
        if let t = yTicks {
            y0 = t.range.lowerBound
            y1 = t.range.upperBound
        }
        let pw = width - left - right
        let ph = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (min(y1, max(y0, y)) - y0) / (y1 - y0)) * ph }
        let fmt = coordinate
        let esc = svgEscape
        func ticks(_ a: Double, _ b: Double, _ scale: Scale, _ nice: NiceTicks?) -> [(Double, String)] {
            if let nice { return nice.values.map { ($0, nice.label($0)) } }
            let step = max(1, Int((b - a) / 10))
            return stride(from: Int(a), through: Int(b), by: step).map { (Double($0), "1e\($0)") }
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        for (k, line) in titleLines.enumerated() {
            out += "<text class=\"title\" x=\"\(left)\" y=\"\(22 + 17 * k)\" font-size=\"14\">\(esc(line))</text>\n"
        }
        for band in bands {
            guard let a = tx(band.x.lowerBound), let b = tx(band.x.upperBound) else { continue }
            let lo = max(x0, min(a, b))
            let hi = min(x1, max(a, b))
            guard hi > lo else { continue }
            out +=
                "<rect class=\"band\" x=\"\(fmt(px(lo)))\" y=\"\(fmt(top))\" width=\"\(fmt(px(hi) - px(lo)))\" height=\"\(fmt(ph))\" fill=\"\(band.fill)\" fill-opacity=\"\(band.opacity)\"/>\n"
        }
        out +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(pw)\" height=\"\(ph)\" fill=\"none\" stroke=\"black\"/>\n"
        for (x, label) in ticks(x0, x1, xScale, xTicks) {
            out +=
                "<line x1=\"\(fmt(px(x)))\" x2=\"\(fmt(px(x)))\" y1=\"\(fmt(top))\" y2=\"\(fmt(top + ph))\" stroke=\"#eee\"/>\n"
            out +=
                "<text class=\"x-tick\" x=\"\(fmt(px(x)))\" y=\"\(fmt(top + ph + 16))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        for (y, label) in ticks(y0, y1, yScale, yTicks) {
            out +=
                "<text class=\"y-tick\" x=\"\(fmt(left - 6))\" y=\"\(fmt(py(y) + 4))\" text-anchor=\"end\">\(label)</text>\n"
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
            let colour = colour(k)
            let inside = drawn[k].filter { $0.0 >= x0 - 1e-9 && $0.0 <= x1 + 1e-9 }
            let step = max(1, inside.count / maxVertices)
            let pts = Swift.stride(from: 0, to: inside.count, by: step).map { inside[$0] }
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
            case .line, .dashed:
                let dash = s.dashArray.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                let list = pts.map { "\(fmt(px($0.0))),\(fmt(py($0.1)))" }.joined(separator: " ")
                out +=
                    "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(s.width)\"\(dash) points=\"\(list)\"/>\n"
            }
        }
        out += legend.svg(x: left + pw + 10, y: top + 4)
        return out + "</svg>\n"
    }

    /// The colour of series k.
    func colour(_ k: Int) -> String { SVGChart.palette[(series[k].colour ?? k) % SVGChart.palette.count] }

    /// Bands first, then one row per series under its group's heading.
    var legend: SVGLegend {
        // One row per distinct band (several runs of one kind share their row).
        var entries: [SVGLegend.Entry] = []
        var seen = Set<String>()
        for b in bands where seen.insert("\(b.fill) \(b.opacity) \(b.label)").inserted {
            entries.append(.init(.swatch(fill: b.fill, opacity: b.opacity), b.label))
        }
        var group: String? = nil
        for (k, s) in series.enumerated() {
            if let g = s.group, g != group { entries.append(.init(.heading, g)) }
            group = s.group
            switch s.style {
            case .markers: entries.append(.init(.marker(fill: colour(k)), s.label))
            case .line, .dashed: entries.append(.init(.line(stroke: colour(k), dash: s.dashArray), s.label))
            }
        }
        return SVGLegend(entries)
    }
}
