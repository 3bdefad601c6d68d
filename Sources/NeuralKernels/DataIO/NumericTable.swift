import Foundation

/// A table of finite numbers read from CSV (comma-separated) or whitespace-separated text,
/// with an optional header row (the first row is a header when none of its fields is a
/// number). Every problem is reported as one line naming the row, the column and the text.
///
/// Lines end in LF or CRLF; fields are trimmed of spaces and tabs. Numbers are read with
/// `strtod` straight from the file's bytes (no string per line or field), and a field is a
/// number exactly when Swift's `Double(String)` would accept it: the whole field must be
/// consumed and it may not start with whitespace (which `strtod` would skip).
public struct NumericTable: Sendable, Equatable {
    public let columnNames: [String]?
    public let rows: [[Double]]

    public var columnCount: Int { rows.first?.count ?? columnNames?.count ?? 0 }

    /// Parses `text`; `source` names the input in error messages (a file path).
    public init(parsing text: String, source: String = "input") throws {
        var bytes = Array(text.utf8)
        bytes.append(0)
        try self.init(terminatedBytes: bytes, source: source)
    }

    /// Reads and parses a file.
    public init(contentsOf path: String) throws {
        guard var bytes = NumericTable.read(path) else {
            throw KernelError.invalidData("cannot read '\(path)': no such file or not readable")
        }
        bytes.append(0)
        try self.init(terminatedBytes: bytes, source: path)
    }

    /// The file's bytes, read into one buffer (with room for the terminating NUL), or nil.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: max(65536, min(Int(info.st_size) + 1, 1 << 26)))
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// `bytes` ends in a NUL (so `strtod` always stops inside the buffer).
    init(terminatedBytes bytes: [UInt8], source: String) throws {
        let (header, rows) = try bytes.withUnsafeBufferPointer { buffer in
            try NumericTable.parse(UnsafeBufferPointer(rebasing: buffer[0..<(buffer.count - 1)]), source: source)
        }
        columnNames = header
        self.rows = rows
    }

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// Parses the bytes `text` (followed in memory by a NUL) into an optional header and rows.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, source: String) throws -> ([String]?, [[Double]]) {
        let base = text.baseAddress!
        let end = text.count
        // Lines: byte ranges without the LF and without one CR before it.
        var lines: [Range<Int>] = []
        var start = 0
        var usesCommas = false
        for i in 0..<end {
            let c = base[i]
            if c == 0x2C { usesCommas = true }
            if c == 0x0A {
                lines.append(start..<(i > start && base[i - 1] == 0x0D ? i - 1 : i))
                start = i + 1
            }
        }
        lines.append(start..<(end > start && base[end - 1] == 0x0D ? end - 1 : end))
        func isEmpty(_ line: Range<Int>) -> Bool { line.allSatisfy { isBlank(base[$0]) } }
        while let last = lines.last, isEmpty(last) { lines.removeLast() }
        guard !lines.isEmpty else { throw KernelError.invalidData("\(source): no data") }

        // Fields of a line as trimmed byte ranges: split at commas (keeping empty fields) in a
        // CSV file, else at runs of spaces and tabs.
        func fields(_ line: Range<Int>, into result: inout [Range<Int>]) {
            result.removeAll(keepingCapacity: true)
            if usesCommas {
                var s = line.lowerBound
                var i = s
                while true {
                    if i == line.upperBound || base[i] == 0x2C {
                        var a = s
                        var b = i
                        while a < b && isBlank(base[a]) { a += 1 }
                        while b > a && isBlank(base[b - 1]) { b -= 1 }
                        result.append(a..<b)
                        if i == line.upperBound { break }
                        s = i + 1
                    }
                    i += 1
                }
            } else {
                var i = line.lowerBound
                while i < line.upperBound {
                    while i < line.upperBound && isBlank(base[i]) { i += 1 }
                    if i == line.upperBound { break }
                    let a = i
                    while i < line.upperBound && !isBlank(base[i]) { i += 1 }
                    result.append(a..<i)
                }
            }
        }
        // The number in a field, or nil unless the whole field is one (as Double(String) decides).
        func number(_ field: Range<Int>) -> Double? {
            guard !field.isEmpty else { return nil }
            let first = base[field.lowerBound]
            if first == 0x20 || (0x09...0x0D).contains(first) { return nil }
            var stop: UnsafeMutablePointer<CChar>? = nil
            let p = UnsafeRawPointer(base + field.lowerBound).assumingMemoryBound(to: CChar.self)
            let v = strtod(p, &stop)
            guard let stop, Int(bitPattern: stop) - Int(bitPattern: p) == field.count else { return nil }
            return v
        }
        func fieldText(_ field: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: text[field]), as: UTF8.self)
        }

        var cells: [Range<Int>] = []
        var header: [String]? = nil
        var first = 0
        fields(lines[0], into: &cells)
        // A header row has no numeric field; a row mixing numbers and text is data with a bad cell.
        if cells.allSatisfy({ number($0) == nil }) {
            var names: [String] = []
            for cell in cells {
                guard let name = String(validating: UnsafeBufferPointer(rebasing: text[cell]), as: UTF8.self) else {
                    throw KernelError.invalidData(
                        "\(source): line 1, column \(names.count + 1): the header is not UTF-8 text")
                }
                names.append(name)
            }
            header = names
            first = 1
        }
        var parsed: [[Double]] = []
        parsed.reserveCapacity(lines.count - first)
        var width = header?.count
        for index in first..<lines.count {
            let line = lines[index]
            if isEmpty(line) {
                throw KernelError.invalidData("\(source): line \(index + 1) is empty")
            }
            fields(line, into: &cells)
            if let width, cells.count != width {
                throw KernelError.invalidData(
                    "\(source): line \(index + 1) has \(cells.count) fields; expected \(width) like line \(first + 1)")
            }
            width = cells.count
            var row: [Double] = []
            row.reserveCapacity(cells.count)
            for (column, cell) in cells.enumerated() {
                guard let v = number(cell) else {
                    throw KernelError.invalidData(
                        "\(source): line \(index + 1), column \(column + 1): '\(fieldText(cell).prefix(40))' is not a number"
                    )
                }
                guard v.isFinite else {
                    throw KernelError.invalidData(
                        "\(source): line \(index + 1), column \(column + 1): '\(fieldText(cell).prefix(40))' is not finite; allowed: finite numbers"
                    )
                }
                row.append(v)
            }
            parsed.append(row)
        }
        guard !parsed.isEmpty else { throw KernelError.invalidData("\(source): a header but no data rows") }
        return (header, parsed)
    }
}
