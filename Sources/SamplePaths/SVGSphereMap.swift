import Foundation
import SVGPlots

/// An equirectangular picture of a field on S^2 as SVG: one rectangle per grid cell, rows of
/// colatitude from the north pole down (row i centred on (i + 1/2) pi / rows), columns of
/// longitude centred on their sample longitudes 2 pi j / columns (column 0 is split between
/// the two edges), coloured blue-white-red symmetric about 0; axis ticks in degrees and a colour
/// bar in the field's units with round ticks and `valueLabel`.
public struct SVGSphereMap: Sendable {
    public let title: String
    public let rows: Int
    public let columns: Int
    public let values: [Double]
    /// What the colour shows (the colour bar's label).
    public let valueLabel: String

    public init(title: String, rows: Int, columns: Int, values: [Double], valueLabel: String = "f(x)") {
        precondition(values.count == rows * columns)
        self.title = title
        self.rows = rows
        self.columns = columns
        self.values = values
        self.valueLabel = valueLabel
    }

    /// Blue (-1) - white (0) - red (+1), on values divided by the largest |value|.
    static let scale = ColourScale.diverging(negative: (0.15, 0.15, 1), positive: (1, 0.15, 0.15))

    public var svg: String {
        let cell = max(2.0, min(12.0, 720.0 / Double(columns)))
        let width = Double(columns) * cell
        let height = Double(rows) * cell
        let top = 30.0
        let left = 44.0
        let largest = values.map { Swift.abs($0) }.filter(\.isFinite).max() ?? 0
        let scale = largest > 0 ? largest : 1
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(left + width + 130))" height="\(Int(height + top + 52))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text class="title" x="\(left)" y="20" font-size="14">\(svgEscape(title))</text>
            <defs><clipPath id="sphere-map"><rect x="\(f(left))" y="\(f(top))" width="\(f(width))" height="\(f(height))"/></clipPath></defs>
            <g class="cells" shape-rendering="crispEdges" clip-path="url(#sphere-map)">

            """
        for i in 0..<rows {
            // Column j is centred on longitude 2 pi j / columns; column 0 again at the right edge.
            for j in 0...columns {
                let v = values[i * columns + j % columns]
                let colour = v.isFinite ? Self.scale.hex(v / scale) : "#000000"
                out +=
                    "<rect class=\"cell\" x=\"\(f(left + (Double(j) - 0.5) * cell))\" y=\"\(f(top + Double(i) * cell))\" width=\"\(f(cell + 0.3))\" height=\"\(f(cell + 0.3))\" fill=\"\(colour)\"/>\n"
            }
        }
        out += "</g>\n"
        out +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"black\" stroke-width=\"0.5\"/>\n"
        for degrees in stride(from: 0, through: 360, by: 90) {
            let x = left + Double(degrees) / 360 * width
            out +=
                "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(top + height))\" y2=\"\(f(top + height + 4))\" stroke=\"black\"/>\n"
            out +=
                "<text class=\"x-tick\" x=\"\(f(x))\" y=\"\(f(top + height + 16))\" text-anchor=\"middle\">\(degrees)</text>\n"
        }
        for degrees in stride(from: 0, through: 180, by: 45) {
            let y = top + Double(degrees) / 180 * height
            out += "<line x1=\"\(f(left - 4))\" x2=\"\(f(left))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"black\"/>\n"
            out +=
                "<text class=\"y-tick\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(degrees)</text>\n"
        }
        out +=
            "<text x=\"\(f(left + width / 2))\" y=\"\(f(top + height + 34))\" text-anchor=\"middle\">longitude (degrees)</text>\n"
        out +=
            "<text transform=\"translate(12,\(f(top + height / 2))) rotate(-90)\" text-anchor=\"middle\">colatitude (degrees)</text>\n"
        let bar = SVGColourBar(scale: Self.scale, values: -scale...scale, label: valueLabel, id: "sphere-values")
        out += bar.svg(x: left + width + 16, y: top, width: 12, height: height)
        return out + "</svg>\n"
    }
}
