import Foundation
import Testing
import _TestSupport

/// `rkhs regress --ard`: the per-input sigma_w^2 in the JSON, and the refusals that keep an ARD
/// result from being rescored with the common-sigma_w kernel.
@Suite struct RegressARDCommandTests {
    @Test func ardWritesOneWeightVariancePerInput() throws {
        let path = try RegressCommandLineTests.write("ard.csv", RegressCommandLineTests.good)
        let common = [
            "regress", "--data", path, "--target", "target", "--splits", "2", "--seed", "1", "--restarts", "1",
            "--format", "json",
        ]
        let r = try CommandLineRunner.run(common + ["--ard"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["ard"] as? Bool == true)
        let splits = try #require(object["per_split"] as? [[String: Any]])
        #expect(splits.count == 2)
        for split in splits {
            let w = try #require(split["sigma_w2_ard"] as? [Double])
            #expect(w.count == 2 && w.allSatisfy { $0 >= 1e-4 * (1 - 1e-12) && $0 <= 100 * (1 + 1e-12) }, "\(w)")
            #expect((split["log_marginal_likelihood"] as? Double)?.isFinite == true)
        }
        #expect(r.stderr.split(separator: "\n").filter { $0.contains("sigma_w^2 per input") }.count == 2)
        let plain = try CommandLineRunner.run(common)
        let plainObject = try #require(
            try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        #expect(plainObject["ard"] as? Bool == false)
        #expect(((plainObject["per_split"] as? [[String: Any]]) ?? []).allSatisfy { $0["sigma_w2_ard"] == nil })

        // An ARD result cannot be rescored (its kernel is not the common-sigma_w one), nor --ard given with --rescore.
        let file = try RegressCommandLineTests.write("ard-result.json", r.stdout)
        for options in [["--rescore", file], ["--rescore", file, "--ard"]] {
            let s = try CommandLineRunner.run(
                ["regress", "--data", path, "--target", "target", "--seed", "1"] + options)
            #expect(s.status == 64, "\(s.stderr)")
            #expect(s.stderr.contains("--ard") && s.stderr.split(separator: "\n").count == 1, "\(s.stderr)")
        }
    }
}
