import Foundation

/// Text for SVG (XML) character data and attribute values: &, <, > and quotes escaped.
public func svgEscape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// A coordinate with two decimals (a hundredth of a pixel).
func coordinate(_ v: Double) -> String { String(format: "%.2f", v) }
