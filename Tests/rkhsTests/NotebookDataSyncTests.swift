import Foundation
import Testing
import _TestSupport

/// The committed notebooks-data must be what `rkhs reproduce` writes today (issue 20: the
/// committed beyond-relu figures and rkhs/classes.json had drifted from the code). Each test
/// regenerates into a temporary directory and compares file by file: numbers to 1e-9
/// relative (last-digit changes of a numerics fix pass, a changed value or verdict does not),
/// everything else exactly (but the JSON "command" that made the file); SVG plots are drawn
/// from the same data and only have to exist.
/// When one fails, rerun the `rkhs reproduce ...` command it names and commit the result.
@Suite struct NotebookDataSyncTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func beyondReLUFiguresAreInSync() throws {
        try NotebookDataSyncTests.check(["reproduce", "beyond-relu"], committed: "notebooks-data/beyond-relu")
    }

    @Test func rkhsClassTableIsInSync() throws {
        try NotebookDataSyncTests.check(["reproduce", "rkhs-table"], committed: "notebooks-data/rkhs")
    }

    static func check(_ command: [String], committed: String) throws {
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-sync-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let r = try CommandLineRunner.run(command + ["--out", fresh.path])
        #expect(r.status == 0, "\(command.joined(separator: " ")) failed: \(r.stderr)")
        let directory = repository.appendingPathComponent(committed)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!names.isEmpty, "\(committed) is empty or missing")
        let freshNames = Set(try FileManager.default.contentsOfDirectory(atPath: fresh.path))
        #expect(
            freshNames == Set(names), "\(committed): files \(names.sorted()) committed, \(freshNames.sorted()) written")
        let rerun = "rerun `rkhs \(command.joined(separator: " "))` and commit \(committed)"
        for name in names where freshNames.contains(name) {
            let old = directory.appendingPathComponent(name)
            let new = fresh.appendingPathComponent(name)
            if name.hasSuffix(".svg") { continue }
            if name.hasSuffix(".json") {
                let a = try JSONSerialization.jsonObject(with: Data(contentsOf: old), options: [.fragmentsAllowed])
                let b = try JSONSerialization.jsonObject(with: Data(contentsOf: new), options: [.fragmentsAllowed])
                if let difference = JSONComparison.difference(a, b, path: name) {
                    Issue.record("\(difference): \(rerun)")
                }
            } else if name.hasSuffix(".csv") {
                let a = try String(contentsOf: old, encoding: .utf8)
                let b = try String(contentsOf: new, encoding: .utf8)
                if let difference = CSVComparison.difference(a, b, name: name) {
                    Issue.record("\(difference): \(rerun)")
                }
            } else {
                let a = try String(contentsOf: old, encoding: .utf8)
                let b = try String(contentsOf: new, encoding: .utf8)
                #expect(a == b, "\(committed)/\(name) differs from what the command writes: \(rerun)")
            }
        }
    }
}

/// Numbers equal to 1e-9 relative (or both below 1e-300 in magnitude), other values exactly.
enum NumericComparison {
    static func close(_ a: Double, _ b: Double) -> Bool {
        if a == b { return true }
        if Swift.abs(a) < 1e-300 && Swift.abs(b) < 1e-300 { return true }
        return Swift.abs(a - b) <= 1e-9 * max(Swift.abs(a), Swift.abs(b))
    }
}

enum CSVComparison {
    static func difference(_ a: String, _ b: String, name: String) -> String? {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        guard la.count == lb.count else { return "\(name): \(la.count) lines committed, \(lb.count) written" }
        for (i, (x, y)) in zip(la, lb).enumerated() where x != y {
            let fx = x.split(separator: ",", omittingEmptySubsequences: false)
            let fy = y.split(separator: ",", omittingEmptySubsequences: false)
            guard fx.count == fy.count else {
                return "\(name) line \(i + 1): \(fx.count) fields committed, \(fy.count) written"
            }
            for (j, (u, v)) in zip(fx, fy).enumerated() where u != v {
                if let p = Double(u), let q = Double(v), NumericComparison.close(p, q) { continue }
                return "\(name) line \(i + 1) field \(j + 1): committed '\(u)', written '\(v)'"
            }
        }
        return nil
    }
}

enum JSONComparison {
    static func difference(_ a: Any, _ b: Any, path: String) -> String? {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            guard Set(x.keys) == Set(y.keys) else {
                return "\(path): keys \(x.keys.sorted()) committed, \(y.keys.sorted()) written"
            }
            // "command" records how the file was made (binary path, --out): provenance, not data.
            for key in x.keys.sorted() where key != "command" {
                if let d = difference(x[key]!, y[key]!, path: path + "." + key) { return d }
            }
            return nil
        case let (x as [Any], y as [Any]):
            guard x.count == y.count else { return "\(path): \(x.count) elements committed, \(y.count) written" }
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let d = difference(u, v, path: path + "[\(i)]") { return d }
            }
            return nil
        case let (x as NSNumber, y as NSNumber):
            // Booleans are NSNumbers 0 and 1 here: the relative comparison tells them apart exactly.
            return NumericComparison.close(x.doubleValue, y.doubleValue) ? nil : "\(path): committed \(x), written \(y)"
        case let (x as String, y as String):
            return x == y ? nil : "\(path): committed '\(x)', written '\(y)'"
        case (is NSNull, is NSNull):
            return nil
        default:
            return "\(path): committed \(a), written \(b)"
        }
    }
}
