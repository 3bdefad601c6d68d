import Foundation
import Testing
import _TestSupport

/// `rkhs train --bottleneck` as a user runs it: the JSON section and its refusals.
@Suite struct BottleneckCommandTests {
    @Test func jsonHasBottleneckCurvesWithFeatureMovement() throws {
        let dir = try TrainCommandTests.folder()
        let r = try CommandLineRunner.run(
            TrainCommandTests.base(dir) + [
                "--steps", "--times", "0,5,20", "--learning-rate", "0.5",
                "--bottleneck", "1,8", "--format", "json",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let section = try #require(object["bottleneck"] as? [String: Any])
        let curves = try #require(section["curves"] as? [[String: Any]])
        #expect(curves.count == 3)
        #expect(curves.map { $0["width"] as? Int } == [1, 8, nil])
        for curve in curves {
            for key in ["train_loss", "test_rmse", "feature_movement", "converged_time"] {
                #expect(curve.keys.contains(key), "missing \(key)")
            }
            let loss = try #require(curve["train_loss"] as? [Double])
            #expect(loss.count == 3 && loss[2] < loss[0])
        }
        // The features move at finite k (more at k = 1 than at k = 8), not at k = infinity.
        let movement = curves.map { ($0["feature_movement"] as? [Double])?.last ?? -1 }
        #expect(movement[0] > movement[1] && movement[1] > 0 && movement[2] == 0, "\(movement)")
    }

    @Test func refusals() throws {
        let dir = try TrainCommandTests.folder()
        for (extra, word) in [
            (["--steps", "--times", "0,5", "--learning-rate", "0.5", "--bottleneck", "0"], "--bottleneck '0'"),
            (["--times", "0,5", "--bottleneck", "2"], "--steps"),
            (["--steps", "--times", "0,5", "--learning-rate-fraction", "0.5", "--bottleneck", "2"], "--learning-rate"),
        ] {
            let r = try CommandLineRunner.run(TrainCommandTests.base(dir) + extra)
            #expect(r.status == 64, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(word), "\(extra): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").filter { !$0.hasPrefix("train:") }.count <= 2, "\(r.stderr)")
        }
    }

    /// `rkhs reproduce littwin --quick` end to end on a one-set UCI suite: every file, the README's
    /// verdict section, and a usage error naming a missing set.
    @Test func reproduceLittwinWritesItsFiles() throws {
        let suite = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rkhs-uci-suite-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: suite, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: try TrainCommandTests.uciFolder(), to: suite.appendingPathComponent("toy"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rkhs-littwin-\(getpid())-\(UUID().uuidString)")
        let r = try CommandLineRunner.run([
            "reproduce", "littwin", "--quick", "--uci", suite.path, "--sets", "toy", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        var files = ["README.md", "deep-linear.svg", "finite-width.svg", "finite-width-curves.svg"]
        for stem in ["sphere", "uci-toy", "deep-linear", "finite-width", "finite-width-curves"] {
            files += ["\(stem).csv", "\(stem).json"]
        }
        for stem in ["sphere", "uci-toy"] {
            files += ["-loss", "-test-rmse", "-feature-movement"].map { "\(stem)\($0).svg" }
        }
        for f in files {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "missing \(f)")
        }
        let csv = try String(contentsOf: out.appendingPathComponent("sphere.csv"), encoding: .utf8)
        #expect(
            csv.hasPrefix("step,k1_train_loss,k1_test_rmse,k1_feature_movement,k4_train_loss,"), "\(csv.prefix(80))")
        #expect(csv.split(separator: "\n").count == 32, "header and steps 0...30")
        let readme = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("## The paper's claims against the data") && readme.contains("feature learning"))
        let missing = try CommandLineRunner.run([
            "reproduce", "littwin", "--quick", "--uci", suite.path, "--sets", "nosuchset", "--out", out.path,
        ])
        #expect(missing.status == 64 && missing.stderr.contains("nosuchset"), "\(missing.stderr)")
    }
}
