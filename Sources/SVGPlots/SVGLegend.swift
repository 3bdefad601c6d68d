import Foundation

/// A legend: one row per entry, a key (filled swatch, line with its dash pattern, or marker)
/// and its text; heading rows (no key) group the rows below them. Every colour a plot uses
/// should have a row.
public struct SVGLegend: Sendable {
    public enum Key: Sendable {
        /// A filled square (cells, regions, shaded bands); `opacity` as drawn.
        case swatch(fill: String, opacity: Double = 1)
        /// A line segment in the series' colour, width and dash pattern (nil: solid).
        case line(stroke: String, width: Double = 2, dash: String? = nil)
        /// A filled circle.
        case marker(fill: String, radius: Double = 3)
        /// A circle with a coloured ring (fill and stroke both carry meaning).
        case ring(fill: String, stroke: String, radius: Double = 4.5)
        /// An x-shaped cross.
        case cross(stroke: String)
        /// No key: the text is a heading for the rows below.
        case heading
    }

    public struct Entry: Sendable {
        public let key: Key
        public let label: String
        public init(_ key: Key, _ label: String) {
            self.key = key
            self.label = label
        }
    }

    public var entries: [Entry]
    public static let rowHeight = 17.0

    public init(_ entries: [Entry]) { self.entries = entries }

    public var height: Double { Double(entries.count) * Self.rowHeight }

    /// The longest row in characters, a key counting 5 (its 30 px before the text).
    public var widestLabel: Int {
        entries.map { $0.label.count + ($0.key.isHeading ? 0 : 5) }.max() ?? 0
    }

    /// The fragment with the first row's baseline at y + 10; keys span x ... x + 24.
    public func svg(x: Double, y: Double) -> String {
        var out = "<g class=\"legend\">\n"
        for (k, entry) in entries.enumerated() {
            let base = y + 10 + Double(k) * Self.rowHeight
            let mid = base - 4
            var textX = x + 30
            switch entry.key {
            case .swatch(let fill, let opacity):
                let alpha = opacity < 1 ? " fill-opacity=\"\(opacity)\"" : ""
                out +=
                    "<rect class=\"legend-key\" x=\"\(coordinate(x + 4))\" y=\"\(coordinate(mid - 6))\" width=\"16\" height=\"12\" fill=\"\(fill)\"\(alpha) stroke=\"#666\" stroke-width=\"0.5\"/>\n"
            case .line(let stroke, let width, let dash):
                let pattern = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                out +=
                    "<line class=\"legend-key\" x1=\"\(coordinate(x))\" x2=\"\(coordinate(x + 24))\" y1=\"\(coordinate(mid))\" y2=\"\(coordinate(mid))\" stroke=\"\(stroke)\" stroke-width=\"\(width)\"\(pattern)/>\n"
            case .marker(let fill, let radius):
                out +=
                    "<circle class=\"legend-key\" cx=\"\(coordinate(x + 12))\" cy=\"\(coordinate(mid))\" r=\"\(radius)\" fill=\"\(fill)\"/>\n"
            case .ring(let fill, let stroke, let radius):
                out +=
                    "<circle class=\"legend-key\" cx=\"\(coordinate(x + 12))\" cy=\"\(coordinate(mid))\" r=\"\(radius)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"2\"/>\n"
            case .cross(let stroke):
                let (a, b, c, d) = (x + 7, x + 17, mid - 5, mid + 5)
                out +=
                    "<path class=\"legend-key\" d=\"M\(coordinate(a)),\(coordinate(c)) L\(coordinate(b)),\(coordinate(d)) M\(coordinate(a)),\(coordinate(d)) L\(coordinate(b)),\(coordinate(c))\" stroke=\"\(stroke)\" stroke-width=\"2\"/>\n"
            case .heading:
                textX = x
            }
            let weight = entry.key.isHeading ? " font-weight=\"bold\"" : ""
            out +=
                "<text class=\"legend-label\" x=\"\(coordinate(textX))\" y=\"\(coordinate(base))\"\(weight)>\(svgEscape(entry.label))</text>\n"
        }
        return out + "</g>\n"
    }
}

extension SVGLegend.Key {
    var isHeading: Bool {
        if case .heading = self { return true }
        return false
    }
}
