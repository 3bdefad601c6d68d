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
        ("1,x\n", "line 1, column 2: 'x' is not a number"), ("1,inf\n", "is not finite"), ("1,2\n\n3,4\n", "line 2 is empty"),
    ])
    func errorsNameLineAndColumn(_ text: String, _ message: String) {
        do { _ = try NumericTable(parsing: text); Issue.record("accepted \(text)") } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}

@Suite struct NPYFileTests {
    @Test func roundTripAndHeaderLayout() throws {
        let values = (0..<6).map { Double($0) * 0.1 - 0.2 }
        let data = NPYFile.encode(values, rows: 2, columns: 3)
        #expect((data.count - 6 * 8) % 64 == 0)          // header padded to 64 bytes
        let decoded = try NPYFile.decode(data)
        #expect(decoded.values == values && decoded.rows == 2 && decoded.columns == 3)
        #expect(throws: KernelError.self) { try NPYFile.decode(Data("not npy".utf8)) }
    }

    /// numpy itself reads the file (skipped with a note when numpy is not installed).
    @Test func numpyLoadsIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AtomicFile.write(NPYFile.encode([1.5, -2, 3.25, 1e-300], rows: 2, columns: 2), to: path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import numpy as n; a = n.load('\(path)'); print(a.shape, repr(a.sum()), a[1,1])"]
        let pipe = Pipe(); p.standardOutput = pipe; p.standardError = Pipe()
        try p.run(); p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if p.terminationStatus != 0 { print("note: numpy not available; skipped numpy load check"); return }
        #expect(out.contains("(2, 2)") && out.contains("2.75") && out.contains("1e-300"))
    }
}
