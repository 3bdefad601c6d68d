import Foundation

/// An equirectangular picture of a field on S^2 as SVG: one rectangle per grid cell (rows of
/// colatitude from the north pole down, columns of longitude), coloured by value on a
/// blue-white-red scale symmetric about 0, with a colour bar.
public struct SVGSphereMap: Sendable {
    public let title: String
    public let rows: Int
    public let columns: Int
    public let values: [Double]

    public init(title: String, rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.title = title
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Blue (-1) - white (0) - red (+1).
    static func colour(_ v: Double) -> String {
        let x = max(-1, min(1, v))
        let (r, g, b): (Double, Double, Double) =
            x >= 0
            ? (1, 1 - 0.85 * x, 1 - 0.85 * x)
            : (1 + 0.85 * x, 1 + 0.85 * x, 1)
        return String(format: "#%02x%02x%02x", Int(r * 255), Int(g * 255), Int(b * 255))
    }

    public var svg: String {
        let cell = max(2.0, min(12.0, 720.0 / Double(columns)))
        let width = Double(columns) * cell
        let height = Double(rows) * cell
        let top = 30.0
        let left = 10.0
        let scale = max(values.map { Swift.abs($0) }.max() ?? 1, 1e-300)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width + 2 * left + 60))" height="\(Int(height + top + 30))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="20" font-size="14">\(title.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "&", with: "&amp;"))</text>

            """
        for i in 0..<rows {
            for j in 0..<columns {
                out +=
                    "<rect x=\"\(String(format: "%.1f", left + Double(j) * cell))\" y=\"\(String(format: "%.1f", top + Double(i) * cell))\" width=\"\(String(format: "%.2f", cell + 0.3))\" height=\"\(String(format: "%.2f", cell + 0.3))\" fill=\"\(Self.colour(values[i * columns + j] / scale))\"/>\n"
            }
        }
        let bx = left + width + 16
        for k in 0..<20 {
            let v = 1 - 2 * (Double(k) + 0.5) / 20
            out +=
                "<rect x=\"\(bx)\" y=\"\(String(format: "%.1f", top + Double(k) * height / 20))\" width=\"12\" height=\"\(String(format: "%.2f", height / 20 + 0.3))\" fill=\"\(Self.colour(v))\"/>\n"
        }
        out += "<text x=\"\(bx + 14)\" y=\"\(top + 10)\">\(String(format: "%.2g", scale))</text>\n"
        out +=
            "<text x=\"\(bx + 14)\" y=\"\(String(format: "%.1f", top + height))\">\(String(format: "%.2g", -scale))</text>\n"
        out +=
            "<text x=\"\(left)\" y=\"\(String(format: "%.1f", top + height + 18))\">longitude 0 .. 2 pi (left to right), colatitude 0 .. pi (top to bottom)</text>\n"
        return out + "</svg>\n"
    }
}
