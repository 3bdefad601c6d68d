import Foundation
import Testing
import _TestSupport

/// `rkhs train --bottleneck` as a user runs it: the JSON section and its refusals.
@Suite struct BottleneckCommandTests {
    @Test func jsonHasBottleneckCurvesWithFeatureMovement() throws {
        let dir = try TrainCommandTests.folder()
        let r = try CommandLineRunner.run(TrainCommandTests.base(dir) + ["--steps", "--times", "0,5,20", "--learning-rate", "0.5",
                                                                        "--bottleneck", "1,8", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let section = try #require(object["bottleneck"] as? [String: Any])
        let curves = try #require(section["curves"] as? [[String: Any]])
        #expect(curves.count == 3)
        #expect(curves.map { $0["width"] as? Int } == [1, 8, nil])
        for curve in curves {
            for key in ["train_loss", "test_rmse", "feature_movement", "converged_time"] { #expect(curve.keys.contains(key), "missing \(key)") }
            let loss = try #require(curve["train_loss"] as? [Double])
            #expect(loss.count == 3 && loss[2] < loss[0])
        }
        // The features move at finite k (more at k = 1 than at k = 8), not at k = infinity.
        let movement = curves.map { ($0["feature_movement"] as? [Double])?.last ?? -1 }
        #expect(movement[0] > movement[1] && movement[1] > 0 && movement[2] == 0, "\(movement)")
    }

    @Test func refusals() throws {
        let dir = try TrainCommandTests.folder()
        for (extra, word) in [(["--steps", "--times", "0,5", "--learning-rate", "0.5", "--bottleneck", "0"], "--bottleneck '0'"),
                              (["--times", "0,5", "--bottleneck", "2"], "--steps"),
                              (["--steps", "--times", "0,5", "--learning-rate-fraction", "0.5", "--bottleneck", "2"], "--learning-rate")] {
            let r = try CommandLineRunner.run(TrainCommandTests.base(dir) + extra)
            #expect(r.status == 64, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(word), "\(extra): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").filter { !$0.hasPrefix("train:") }.count <= 2, "\(r.stderr)")
        }
    }
}
