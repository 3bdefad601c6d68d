import Foundation
import Testing
@testable import NeuralKernels

@Suite struct NumericTableTests {
    @Test func headerCommasWhitespaceAndLineEndings() throws {
        let a = try NumericTable(parsing: "x,y\r\n1,2\r\n3,4.5\r\n")
        #expect(a.columnNames == ["x", "y"] && a.rows == [[1, 2], [3, 4.5]])
        let b = try NumericTable(parsing: "1 2\t3\n4 5 6\n\n")
        #expect(b.columnNames == nil && b.rows == [[1, 2, 3], [4, 5, 6]])
    }

    @Test(arguments: [
        ("", "no data"), ("a,b\n", "a header but no data rows"), ("1,2\n3\n", "line 2 has 1 fields; expected 2"),
        ("1,x\n", "line 1, column 2: 'x' is not a number"), ("1,inf\n", "is not finite"),
        ("1,2\n\n3,4\n", "line 2 is empty"),
    ])
    func errorsNameLineAndColumn(_ text: String, _ message: String) {
        do {
            _ = try NumericTable(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}

/// The byte parser against Foundation's `Double(String)` (the reference the old String-splitting
/// parser used): same values bit for bit, same fields accepted and rejected.
@Suite struct NumericTableParserTests {
    static let cells = [
        "0", "-0", "+1", "1.", ".5", "-.5e+3", "1e5", "1E-5", "2.5e+300", "-1.7976931348623157e308",
        "4.9e-324", "2.2250738585072014e-308", "0.1", "123456789012345678901234567890", "0x1p-3",
        "3.141592653589793238462643383279", "1e-400", "1e400", "inf", "-Infinity", "nan",
        "1e", "e5", "--1", "1.2.3", "abc", "1e5x", "0x", "+", "-", ".", "1 2",
    ]

    @Test(arguments: cells)
    func cellAgreesWithDoubleOfString(_ cell: String) throws {
        let text = "a,b\n7,\(cell)\n"
        let reference = Double(cell)
        do {
            let table = try NumericTable(parsing: text)
            guard let reference, reference.isFinite else {
                Issue.record("accepted '\(cell)' (Double gives \(String(describing: reference)))")
                return
            }
            #expect(table.rows[0][1].bitPattern == reference.bitPattern, "\(cell)")
            #expect(table.columnNames == ["a", "b"])
        } catch {
            #expect(reference == nil || !reference!.isFinite, "rejected '\(cell)': \(error)")
            #expect("\(error)".contains("line 2, column 2"), "\(error)")
        }
    }

    /// Random decimal strings (signs, exponents, digit counts) read to the same double.
    @Test func randomNumbersMatchDoubleOfString() throws {
        var g = SystemRandomNumberGenerator()
        var cells: [String] = []
        for _ in 0..<3000 {
            let sign = ["", "-", "+"].randomElement(using: &g)!
            let digits = String(
                (0..<Int.random(in: 1...20, using: &g)).map { _ in "0123456789".randomElement(using: &g)! })
            let point = Int.random(in: 0...digits.count, using: &g)
            var cell = sign + digits.prefix(point) + "." + digits.dropFirst(point)
            if Bool.random(using: &g) {
                cell +=
                    ["e", "E"].randomElement(using: &g)! + ["", "-", "+"].randomElement(using: &g)!
                    + String(Int.random(in: 0...330, using: &g))
            }
            if cell.contains("e") || cell.contains("E"), Double(cell).map({ !$0.isFinite }) ?? true { continue }
            cells.append(cell)
        }
        let text = cells.map { " \($0)\t" }.joined(separator: "\r\n") + "\r\n"  // one column, padded, CRLF
        let table = try NumericTable(parsing: text)
        #expect(table.rows.count == cells.count)
        for (row, cell) in zip(table.rows, cells) {
            #expect(row.count == 1 && row[0].bitPattern == Double(cell)!.bitPattern, "\(cell)")
        }
    }

    @Test func whitespaceCRLFAndHeader() throws {
        let csv = try NumericTable(parsing: " x , y \r\n 1 ,\t-2e-3\r\n+3.5e+2,  .25 \r\n\r\n  \n")
        #expect(csv.columnNames == ["x", "y"] && csv.rows == [[1, -2e-3], [350, 0.25]])
        let spaced = try NumericTable(parsing: "  1\t 2   3 \r\n4 5 6")
        #expect(spaced.columnNames == nil && spaced.rows == [[1, 2, 3], [4, 5, 6]])
        let headerOnlyNumbers = try NumericTable(parsing: "1,2\n3,4")
        #expect(headerOnlyNumbers.columnNames == nil && headerOnlyNumbers.rows.count == 2)
    }

    @Test(arguments: [
        ("x,y\n1,2\n3,1e5x\n", "line 3, column 2: '1e5x' is not a number"),
        ("1,2\n3,\n", "line 2, column 2: '' is not a number"),
        ("1 2\n3 4 5\n", "line 2 has 3 fields; expected 2"),
        ("1,2\r\n3,--4\r\n", "line 2, column 2: '--4' is not a number"),
        ("1,2\n3,\u{0B}4\n", "line 2, column 2"),
        ("1,2\n3,1e400\n", "line 2, column 2"),
        ("1,2\n3,nan\n", "line 2, column 2: 'nan' is not finite"),
    ])
    func badNumberNamesRowAndColumn(_ text: String, _ message: String) {
        do {
            _ = try NumericTable(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func readsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AtomicFile.write("a,b\r\n1.5,-2\r\n", to: path)
        let table = try NumericTable(contentsOf: path)
        #expect(table.columnNames == ["a", "b"] && table.rows == [[1.5, -2]])
        #expect(throws: KernelError.self) { try NumericTable(contentsOf: path + ".missing") }
        #expect(throws: KernelError.self) { try NumericTable(contentsOf: FileManager.default.temporaryDirectory.path) }
    }
}

@Suite struct NPYFileTests {
    @Test func roundTripAndHeaderLayout() throws {
        let values = (0..<6).map { Double($0) * 0.1 - 0.2 }
        let data = NPYFile.encode(values, rows: 2, columns: 3)
        #expect((data.count - 6 * 8) % 64 == 0)  // header padded to 64 bytes
        let decoded = try NPYFile.decode(data)
        #expect(decoded.values == values && decoded.rows == 2 && decoded.columns == 3)
        #expect(throws: KernelError.self) { try NPYFile.decode(Data("not npy".utf8)) }
    }

    /// The streaming writer produces exactly the bytes of `encode`, and leaves no temporary file.
    @Test func streamedFileEqualsEncodedBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let values = (0..<(37 * 41)).map { sin(Double($0)) * 1e3 }
        do {
            let path = directory.appendingPathComponent("k.npy").path
            try NPYFile.write(values, rows: 37, columns: 41, to: path)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == NPYFile.encode(values, rows: 37, columns: 41))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["k.npy"])
        }
        // A body that fails leaves the old file and no temporary file.
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try AtomicFile.write(to: directory.appendingPathComponent("k.npy").path) { file in
                try file.write([1, 2, 3])
                throw Failure()
            }
        }
        #expect(
            try Data(contentsOf: directory.appendingPathComponent("k.npy"))
                == NPYFile.encode(values, rows: 37, columns: 41))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["k.npy"])
    }

    /// The in-place writer (the array computed into the mapped file) produces exactly the bytes
    /// of `encode`, replaces an existing file, and a failing fill leaves the old file and no
    /// temporary file.
    @Test func inPlaceFileEqualsEncodedBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("k.npy").path
        let values = (0..<(37 * 41)).map { cos(Double($0)) * 1e-3 }
        try NPYFile.write(Array(repeating: 7, count: 4), rows: 2, columns: 2, to: path)
        try NPYFile.write(rows: 37, columns: 41, to: path) { out in
            for i in 0..<values.count { out[i] = values[i] }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == NPYFile.encode(values, rows: 37, columns: 41))
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try NPYFile.write(rows: 3, columns: 3, to: path) { out in
                out[0] = 1
                throw Failure()
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == NPYFile.encode(values, rows: 37, columns: 41))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["k.npy"])
    }

    /// numpy itself reads the file (skipped with a note when numpy is not installed).
    @Test func numpyLoadsIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AtomicFile.write(NPYFile.encode([1.5, -2, 3.25, 1e-300], rows: 2, columns: 2), to: path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c", "import numpy as n; a = n.load('\(path)'); print(a.shape, repr(a.sum()), a[1,1])",
        ]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = Pipe()
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if p.terminationStatus != 0 {
            print("note: numpy not available; skipped numpy load check")
            return
        }
        #expect(out.contains("(2, 2)") && out.contains("2.75") && out.contains("1e-300"))
    }
}
