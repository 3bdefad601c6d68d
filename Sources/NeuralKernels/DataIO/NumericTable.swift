import Foundation

/// A table of finite numbers read from CSV (comma-separated) or whitespace-separated text,
/// with an optional header row (the first row is a header when none of its fields is a
/// number). Every problem is reported as one line naming the row, the column and the text.
public struct NumericTable: Sendable, Equatable {
    public let columnNames: [String]?
    public let rows: [[Double]]

    public var columnCount: Int { rows.first?.count ?? columnNames?.count ?? 0 }

    /// Parses `text`; `source` names the input in error messages (a file path).
    public init(parsing text: String, source: String = "input") throws {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard !lines.isEmpty else { throw KernelError.invalidData("\(source): no data") }
        let usesCommas = lines.contains { $0.contains(",") }
        func fields(_ line: Substring) -> [String] {
            if usesCommas {
                return line.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
        var header: [String]? = nil
        var start = 0
        let first = fields(lines[0])
        // A header row has no numeric field; a row mixing numbers and text is data with a bad cell.
        if first.allSatisfy({ Double($0) == nil }) {
            header = first
            start = 1
        }
        var parsed: [[Double]] = []
        parsed.reserveCapacity(lines.count - start)
        var width = header?.count
        for index in start..<lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                throw KernelError.invalidData("\(source): line \(index + 1) is empty")
            }
            let cells = fields(line)
            if let width, cells.count != width {
                throw KernelError.invalidData("\(source): line \(index + 1) has \(cells.count) fields; expected \(width) like line \(start + 1)")
            }
            width = cells.count
            var row: [Double] = []
            row.reserveCapacity(cells.count)
            for (column, cell) in cells.enumerated() {
                guard let v = Double(cell) else {
                    throw KernelError.invalidData("\(source): line \(index + 1), column \(column + 1): '\(cell.prefix(40))' is not a number")
                }
                guard v.isFinite else {
                    throw KernelError.invalidData("\(source): line \(index + 1), column \(column + 1): '\(cell.prefix(40))' is not finite; allowed: finite numbers")
                }
                row.append(v)
            }
            parsed.append(row)
        }
        guard !parsed.isEmpty else { throw KernelError.invalidData("\(source): a header but no data rows") }
        columnNames = header
        rows = parsed
    }

    /// Reads and parses a file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelError.invalidData("cannot read '\(path)': no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KernelError.invalidData("cannot read '\(path)': not UTF-8 text")
        }
        try self.init(parsing: text, source: path)
    }
}
