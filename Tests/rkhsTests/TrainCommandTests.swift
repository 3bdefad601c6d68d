import Foundation
import NeuralKernels
import Testing
import _TestSupport

/// `rkhs train` as a user runs it: files, formats, the t = infinity limit, errors.
@Suite struct TrainCommandTests {
    /// A temporary folder with train.csv and test.csv (a header row, target column "y").
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rkhs-train-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var random = GaussianRandomSource(seed: 4)
        func rows(_ count: Int) -> String {
            var text = "a,b,y\n"
            for _ in 0..<count {
                let a = random.normal()
                let b = random.normal()
                text += "\(a),\(b),\(sin(a) + 0.5 * b + 0.05 * random.normal())\n"
            }
            return text
        }
        try rows(24).write(to: dir.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try rows(7).write(to: dir.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    static func base(_ dir: URL) -> [String] {
        [
            "train", "--data", dir.appendingPathComponent("train.csv").path, "--target", "y",
            "--test", dir.appendingPathComponent("test.csv").path, "--activation", "erf", "--depth", "3",
        ]
    }

    @Test func jsonHasTheIssuesFieldsAndNoNonFiniteNumbers() throws {
        let dir = try Self.folder()
        let r = try CommandLineRunner.run(Self.base(dir) + ["--times", "0,1,10,100,inf", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in [
            "times", "train_loss", "test_loss", "test_rmse", "test_nll", "learning_rate", "converged_time",
            "stability_limit", "expected_test_loss",
        ] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        let train = try #require(object["train_loss"] as? [Double])
        // Loss is monotone under gradient flow and reaches 0 on the training points at t = inf.
        #expect(zip(train, train.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(train.last! < 1e-12 * train.first!)
        // t = inf is written as null (JSON has no infinity).
        #expect((object["times"] as? [Any])?.last is NSNull)
        #expect(!r.stdout.contains("nan") && !r.stdout.contains("inf"))
    }

    /// The predictions file holds [times, n_test] float64 means; at t = inf with the NNGP ensemble
    /// and no standardisation they are the GP posterior mean K(x*, X) K^-1 y, computed here from
    /// the package's Gram matrix by Gaussian elimination.
    @Test func predictionsFileAndTheInfiniteTimeLimit() throws {
        let dir = try Self.folder()
        let p = dir.appendingPathComponent("P.npy").path
        let r = try CommandLineRunner.run(
            Self.base(dir) + [
                "--times", "5,inf", "--ensemble", "nngp", "--no-standardise",
                "--predictions", p, "--covariance", "--format", "csv",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let mean = try NPYFile.decode(Data(contentsOf: URL(fileURLWithPath: p)))
        let variance = try NPYFile.decode(
            Data(contentsOf: URL(fileURLWithPath: dir.appendingPathComponent("P.var.npy").path)))
        #expect(mean.rows == 2 && mean.columns == 7 && variance.rows == 2 && variance.columns == 7)
        #expect(variance.values.allSatisfy { $0 > 0 })
        let train = try NumericTable(contentsOf: dir.appendingPathComponent("train.csv").path).rows
        let test = try NumericTable(contentsOf: dir.appendingPathComponent("test.csv").path).rows
        let x = train.map { Array($0.prefix(2)) }
        let y = train.map { $0[2] }
        let xs = test.map { Array($0.prefix(2)) }
        let network = try NetworkKernel(activation: .erf, depth: 3)
        let n = x.count
        let gram = try GramMatrix(points: x + xs, network: network, kind: .nngp)
        // Solve K alpha = y by Gaussian elimination with partial pivoting.
        var a = (0..<n).map { i in (0..<n).map { j in gram[i, j] } + [y[i]] }
        for c in 0..<n {
            let pivot = (c..<n).max { Swift.abs(a[$0][c]) < Swift.abs(a[$1][c]) }!
            a.swapAt(c, pivot)
            for r in (c + 1)..<n {
                let f = a[r][c] / a[c][c]
                for k in c...n { a[r][k] -= f * a[c][k] }
            }
        }
        var alpha = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            alpha[r] = (a[r][n] - ((r + 1)..<n).reduce(0) { $0 + a[r][$1] * alpha[$1] }) / a[r][r]
        }
        for i in 0..<xs.count {
            let expected = (0..<n).reduce(0) { $0 + gram[n + i, $1] * alpha[$1] }
            #expect(Swift.abs(mean.values[7 + i] - expected) < 1e-8 * max(1, Swift.abs(expected)), "test point \(i)")
        }
    }

    @Test func finiteWidthsAreReportedBesideTheInfiniteNetwork() throws {
        let dir = try Self.folder()
        let r = try CommandLineRunner.run(
            Self.base(dir) + [
                "--depth", "2", "--times", "0,20,100", "--width", "64,256",
                "--seeds", "3", "--learning-rate-fraction", "0.5", "--format", "json",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["schedule"] as? String == "steps")
        let widths = try #require(object["finite_width"] as? [[String: Any]])
        #expect(widths.map { $0["width"] as? Int } == [64, 256])
        #expect((object["ntk_change_slope"] as? [String: Any])?["exponent"] is Double)
    }

    @Test func errorsAreOneLineWithStatus64() throws {
        let dir = try Self.folder()
        // Discrete steps beyond the stability limit: refused with the limit named.
        let over = try CommandLineRunner.run(
            Self.base(dir) + ["--steps", "--times", "0,10", "--learning-rate", "1000"])
        #expect(over.status == 64 && over.stderr.contains("stability limit"), "\(over.stderr)")
        // One error line (after the progress line of the kernel computation that found the limit).
        #expect(over.stderr.split(separator: "\n").filter { $0.hasPrefix("rkhs: error:") }.count == 1)
        #expect(
            over.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("rkhs: error:") || $0.hasPrefix("train: ") })
        let times = try CommandLineRunner.run(Self.base(dir) + ["--times", "log:10:1:5"])
        #expect(times.status == 64 && times.stderr.contains("--times"), "\(times.stderr)")
        let steps = try CommandLineRunner.run(Self.base(dir) + ["--steps", "--times", "0.5"])
        #expect(steps.status == 64 && steps.stderr.contains("whole numbers"), "\(steps.stderr)")
        let uci = try CommandLineRunner.run(["train", "--uci", dir.path])
        #expect(uci.status == 64 && uci.stderr.contains("--split"), "\(uci.stderr)")
        // An unwritable output is refused before any computing.
        let out = try CommandLineRunner.run(Self.base(dir) + ["--predictions", "/nonexistent/dir/P.npy"])
        #expect(
            out.status == 64 && out.stderr.contains("does not exist") && !out.stderr.contains("kernels on"),
            "\(out.stderr)")
    }

    /// A synthetic UCI folder (40 rows, 3 inputs, one standard split).
    static func uciFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rkhs-uci-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var random = GaussianRandomSource(seed: 9)
        var data = ""
        for _ in 0..<40 {
            let a = random.normal()
            let b = random.normal()
            let c = random.normal()
            data += "\(a) \(b) \(c) \(a * b + sin(c))\n"
        }
        let files = [
            "data.txt": data, "index_features.txt": "0\n1\n2\n", "index_target.txt": "3\n", "n_splits.txt": "1\n",
            "index_train_0.txt": (0..<32).map(String.init).joined(separator: "\n") + "\n",
            "index_test_0.txt": (32..<40).map(String.init).joined(separator: "\n") + "\n",
        ]
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// The reproduce pipeline end to end in its quick form: every file, headers, sidecars.
    @Test func reproduceTrainingWritesItsFiles() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rkhs-repro-\(getpid())-\(UUID().uuidString)")
        let r = try CommandLineRunner.run([
            "reproduce", "training", "--quick", "--out", out.path, "--uci", try Self.uciFolder().path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        for stem in ["spectral-bias", "lazy-training"] {
            for ext in ["csv", "json", "svg"] {
                #expect(
                    FileManager.default.fileExists(atPath: out.appendingPathComponent("\(stem).\(ext)").path),
                    "\(stem).\(ext)")
            }
        }
        let bias = try String(contentsOf: out.appendingPathComponent("spectral-bias.csv"), encoding: .utf8)
        #expect(
            bias.hasPrefix(
                "k,mu,multiplicity,predicted_rate,infinite_rate,fitted_steps,width_256_rate,width_256_stderr,width_256_linearised_rate,width_256_linearised_stderr\n"
            ))
        #expect(bias.split(separator: "\n").count == 4)
        let curves = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix("uci-") }
        #expect(curves.count == 3, "\(curves)")
        // A missing UCI folder is a usage error naming it.
        let missing = try CommandLineRunner.run([
            "reproduce", "training", "--quick", "--out", out.path, "--uci", "/nonexistent/yacht",
        ])
        #expect(missing.status == 64 && missing.stderr.contains("/nonexistent/yacht"), "\(missing.stderr)")
    }
}
