import Foundation
import Testing
@testable import GPRegression

/// The UCI-folder reader on a synthetic folder in the Hernandez-Lobato & Adams layout, the
/// split and subset generator, and the standardiser's constant-column conventions.
@Suite struct RegressionDatasetTests {
    static func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uci-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    static let files = [
        "data.txt": "1 10 0.5\n2 20 0.25\n3 30 0.125\n4 40 0.0625\n5 50 0.03125\n",
        "index_features.txt": "0\n2\n", "index_target.txt": "1\n", "n_splits.txt": "2\n",
        "index_train_0.txt": "0\n1\n2\n", "index_test_0.txt": "3\n4\n",
        "index_train_1.txt": "2\n3\n4\n", "index_test_1.txt": "0\n1\n",
    ]

    @Test func readsFeaturesTargetAndStandardSplits() throws {
        let d = try RegressionDataset(uci: try Self.folder(Self.files))
        #expect(d.x == [[1, 0.5], [2, 0.25], [3, 0.125], [4, 0.0625], [5, 0.03125]])
        #expect(d.y == [10, 20, 30, 40, 50])
        #expect(d.standardSplits?.count == 2)
        #expect(d.standardSplits?[1].train == [2, 3, 4] && d.standardSplits?[1].test == [0, 1])
    }

    @Test func rejectsAnIndexOutsideTheData() throws {
        var files = Self.files
        files["index_test_1.txt"] = "0\n9\n"
        let path = try Self.folder(files)
        #expect(throws: RegressionError.invalidData("\(path): split 1 has a row index >= 5")) {
            _ = try RegressionDataset(uci: path)
        }
    }

    /// Random splits: disjoint, covering, the requested test size, and reproducible by seed.
    @Test func randomSplitsPartitionTheRows() {
        let a = RegressionExperiment.randomSplits(count: 50, splits: 3, testFraction: 0.1, seed: 7)
        let b = RegressionExperiment.randomSplits(count: 50, splits: 3, testFraction: 0.1, seed: 7)
        for (s, t) in zip(a, b) {
            #expect(s.train == t.train && s.test == t.test)
            #expect(s.test.count == 5 && Set(s.train).isDisjoint(with: s.test) && Set(s.train + s.test) == Set(0..<50))
        }
        #expect(a[0].test != a[1].test)
    }

    @Test func standardiserConstantColumns() throws {
        let x: [[Double]] = [[1, 2], [1, 4], [1, 6]]
        #expect(throws: RegressionError.self) { _ = try Standardiser(fitting: x, names: ["a", "b"]) }
        let s = try Standardiser(fitting: x, constantColumns: .keepAtZero)
        let z = s.apply([[1, 4], [3, 8]])
        #expect(z[0] == [0, 0])
        #expect(z[1][0] == 0 && Swift.abs(z[1][1] - 4 / (8.0 / 3).squareRoot()) < 1e-15)
    }
}
