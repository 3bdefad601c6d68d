import Foundation

/// Reads a CSV fixture (with quoted fields) into rows of strings keyed by header names.
public struct FixtureTable {
    public let header: [String]
    public let rows: [[String]]

    public init(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        // Python's csv module ends lines with \r\n, one Character in Swift: split on any newline.
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let first = FixtureTable.fields(lines.removeFirst())
        header = first
        rows = lines.map(FixtureTable.fields)
    }

    public func column(_ name: String) -> Int {
        guard let index = header.firstIndex(of: name) else { fatalError("fixture has no column \(name)") }
        return index
    }

    static func fields(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        for ch in line {
            if ch == "\"" {
                quoted.toggle()
                continue
            }
            if ch == "," && !quoted {
                out.append(current)
                current = ""
                continue
            }
            if ch == "\r" { continue }
            current.append(ch)
        }
        out.append(current)
        return out
    }
}
