import Foundation

/// A vertical colour bar for a ``ColourScale``: a gradient with the scale's own stops (so it
/// shows exactly the colours the cells use), a frame, ticks at round values (``NiceTicks``) and
/// a label saying what the colour means, rotated beside it.
///
/// `values` is the data range the bar spans, mapped linearly onto the scale's domain (a map
/// normalised to [-1, 1] can show its data units); high values at the top.
public struct SVGColourBar: Sendable {
    public let scale: ColourScale
    public let values: ClosedRange<Double>
    public let label: String
    /// The gradient's id, unique within one SVG document.
    public let id: String

    public init(scale: ColourScale, values: ClosedRange<Double>? = nil, label: String, id: String = "colour-bar") {
        self.scale = scale
        self.values = values ?? scale.domain
        self.label = label
        self.id = id
    }

    /// Ticks inside `values` (no snapping: the bar ends where the scale does).
    public var ticks: NiceTicks { NiceTicks(values, count: 5, snap: 0) }

    /// The SVG fragment: the bar is `width` x `height` at (x, y); labels to its right.
    public func svg(x: Double, y: Double, width: Double = 14, height: Double) -> String {
        let d = scale.domain
        var out =
            "<g class=\"colour-bar\">\n<defs><linearGradient id=\"\(svgEscape(id))\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n"
        for s in scale.stops {
            let offset = (s.value - d.lowerBound) / (d.upperBound - d.lowerBound)
            out += "<stop offset=\"\(String(format: "%.6f", offset))\" stop-color=\"\(s.hex)\"/>\n"
        }
        out += "</linearGradient></defs>\n"
        out +=
            "<rect x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" fill=\"url(#\(svgEscape(id)))\" stroke=\"black\" stroke-width=\"0.5\"/>\n"
        let t = ticks
        var widest = 0
        for v in t.values {
            let py = y + (1 - (v - values.lowerBound) / (values.upperBound - values.lowerBound)) * height
            let text = t.label(v)
            widest = max(widest, text.count)
            out +=
                "<line class=\"colour-tick\" x1=\"\(coordinate(x + width))\" x2=\"\(coordinate(x + width + 4))\" y1=\"\(coordinate(py))\" y2=\"\(coordinate(py))\" stroke=\"black\"/>\n"
            out +=
                "<text class=\"colour-tick-label\" x=\"\(coordinate(x + width + 6))\" y=\"\(coordinate(py + 4))\">\(text)</text>\n"
        }
        let lx = x + width + 12 + 7 * Double(widest)
        let ly = y + height / 2
        out +=
            "<text class=\"colour-bar-label\" transform=\"translate(\(coordinate(lx)),\(coordinate(ly))) rotate(90)\" text-anchor=\"middle\">\(svgEscape(label))</text>\n"
        return out + "</g>\n"
    }
}
