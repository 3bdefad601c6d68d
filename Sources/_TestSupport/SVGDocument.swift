import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG file parsed as XML (Foundation's XMLParser): its elements in document order with
/// attributes, text and the chain of enclosing element names. Parsing fails on text that is
/// not well-formed XML (an unescaped & or <), so a test that reads a plot checks that too.
public struct SVGDocument {
    public struct Element {
        public let name: String
        public let attributes: [String: String]
        public internal(set) var text: String
        /// Enclosing elements, outermost first, with their attributes.
        public let ancestors: [(name: String, attributes: [String: String])]
        public subscript(_ attribute: String) -> String? { attributes[attribute] }
        public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
        /// Whether this element or an ancestor has `class` containing `name`.
        public func within(class name: String) -> Bool {
            ([attributes] + ancestors.map(\.attributes)).contains { a in
                (a["class"] ?? "").split(separator: " ").contains { $0 == name }
            }
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public let elements: [Element]

    public init(_ text: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw ParseError(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        elements = delegate.elements
    }

    public init(contentsOfFile path: String) throws {
        try self.init(try String(contentsOfFile: path, encoding: .utf8))
    }

    /// Elements named `name` (e.g. "rect"), optionally only those with `class` containing `className`.
    public func all(_ name: String, class className: String? = nil) -> [Element] {
        elements.filter { e in
            e.name == name
                && (className.map { c in (e["class"] ?? "").split(separator: " ").contains { $0 == c } } ?? true)
        }
    }

    /// The text of elements named `name` with class `className`.
    public func texts(_ name: String = "text", class className: String) -> [String] {
        all(name, class: className).map(\.text)
    }

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [(index: Int, name: String, attributes: [String: String])] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let ancestors = open.map { (name: $0.name, attributes: $0.attributes) }
            elements.append(Element(name: elementName, attributes: attributes, text: "", ancestors: ancestors))
            open.append((elements.count - 1, elementName, attributes))
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { elements[last.index].text += string }
        }
    }
}

/// #rrggbb as components in 0...255 (nil for anything else).
public func rgbComponents(_ hex: String) -> (Double, Double, Double)? {
    guard hex.count == 7, hex.hasPrefix("#"), let v = Int(hex.dropFirst(), radix: 16) else { return nil }
    return (Double((v >> 16) & 255), Double((v >> 8) & 255), Double(v & 255))
}

/// Whether `colour` lies on the piecewise-linear path through the gradient `stops` (within
/// `tolerance` per component in 0...255, the rounding of #rrggbb): the colour appears on the bar.
public func colourLiesOnGradient(_ colour: String, stops: [String], tolerance: Double = 1.01) -> Bool {
    guard let c = rgbComponents(colour) else { return false }
    let s = stops.compactMap(rgbComponents)
    for (a, b) in zip(s, s.dropFirst()) {
        let d = (b.0 - a.0, b.1 - a.1, b.2 - a.2)
        let n = d.0 * d.0 + d.1 * d.1 + d.2 * d.2
        let t = n == 0 ? 0 : max(0, min(1, ((c.0 - a.0) * d.0 + (c.1 - a.1) * d.1 + (c.2 - a.2) * d.2) / n))
        let p = (a.0 + t * d.0, a.1 + t * d.1, a.2 + t * d.2)
        if max(Swift.abs(p.0 - c.0), Swift.abs(p.1 - c.1), Swift.abs(p.2 - c.2)) <= tolerance { return true }
    }
    return false
}

/// Whether a printed tick label is a multiple of `step` and `step` is 1, 2 or 5 x 10^e
/// (with step 0.2: "0.6" is, "0.61" is not; a step 0.3 is no nice step).
public func isNiceMultiple(_ label: String, step: Double) -> Bool {
    guard let v = Double(label) else { return false }
    let e = floor(log10(step))
    let m = (step / pow(10, e)).rounded()
    guard [1, 2, 5].contains(m), Swift.abs(step / pow(10, e) - m) < 1e-9 else { return false }
    let k = v / step
    return Swift.abs(k - k.rounded()) < 1e-9 * max(1, Swift.abs(k))
}
