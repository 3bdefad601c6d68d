import Foundation
import Testing
import _TestSupport

/// `rkhs learning-curve` end to end: JSON arrays, the per-degree decomposition, the rate
/// beside the fitted slope, a simulation, an atomic SVG, and one-line usage errors (status 64).
@Suite struct LearningCurveCommandTests {
    @Test func jsonHasTheCurveTheDecompositionAndTheRate() throws {
        let r = try CommandLineRunner.run([
            "learning-curve", "--activation", "relu", "--depth", "2", "--kernel", "ntk", "--dim", "3",
            "--target", "legendre:3:1,1:0.5", "--n", "10,100,1e3,1e4,1e5", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(o["n"] as? [Int] == [10, 100, 1000, 10000, 100000])
        let e = try #require(o["test_error"] as? [Double])
        #expect(e.count == 5 && zip(e, e.dropFirst()).allSatisfy { $0 > $1 })
        #expect((o["kappa"] as? [Double])?.count == 5)
        #expect((o["resolved"] as? [Bool]) == [true, true, true, true, true])
        // Finite-degree target, p = 3 on S^2: saturation at 2p/(d-1) = 3; the curve's own slope agrees.
        #expect(o["predicted_rate_exponent"] as? Double == 3)
        let slope = try #require(o["fitted_slope"] as? Double)
        #expect(Swift.abs(slope - 3) < 0.01)
        let points = try #require(o["points"] as? [[String: Any]])
        let degrees = try #require(points[1]["degrees"] as? [[String: Any]])
        let three = try #require(degrees.first { $0["k"] as? Int == 3 })
        #expect(Swift.abs((three["target_power"] as! Double) - 1.0 / 7) < 1e-15)
        let l = three["learnability"] as! Double
        #expect(l > 0 && l < 1)
    }

    @Test func tableShowsRateAndSlopeAndSimulationWritesPlot() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-lc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plot = dir.appendingPathComponent("curve.svg").path
        let r = try CommandLineRunner.run([
            "learning-curve", "--standard", "laplace(1)", "--dim", "3", "--target", "sobolev:1",
            "--n", "30,100,300", "--ridge", "1", "--simulate", "4", "--test-points", "300", "--plot", plot,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("predicted rate: E_g ~ n^-"))
        #expect(r.stdout.contains("fitted slope of the predicted curve"))
        #expect(r.stdout.contains("simulated (mean +- s.e.)"))
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("kernel ridge regression"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// `rkhs reproduce learning-curves` at a tiny size (the full run belongs to the reproduce
    /// command): every file, one README row per kernel, ridge and target, parseable metadata.
    @Test func reproduceWritesEveryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rkhs-lc-reproduce-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CommandLineRunner.run([
            "reproduce", "learning-curves", "--out", dir, "--max-n", "30", "--draw-scale", "0.05", "--kmax", "2000",
            "--network-width", "64",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        for f in [
            "README.md", "predictions.csv", "simulations.csv", "metadata.json", "legendre-ridge0.1.svg",
            "abs-ridge1e-6.svg",
            "trained-networks.csv", "trained-networks.json", "trained-networks.svg",
        ] {
            #expect(files.contains(f), "missing \(f)")
        }
        let readme = try String(contentsOfFile: dir + "/README.md", encoding: .utf8)
        #expect(
            readme.split(separator: "\n").filter { $0.hasPrefix("| relu NTK") || $0.hasPrefix("| gaussian(1)") }.count
                == 16)
        let meta =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/metadata.json")))
            as? [String: Any]
        #expect((meta?["curves"] as? [Any])?.count == 40)
        let sims = try String(contentsOfFile: dir + "/simulations.csv", encoding: .utf8).split(separator: "\n")
        #expect(sims.first == "kernel,ridge,target,noise,n,draws,mean,standard_error,predicted,relative_error")
        #expect(sims.count == 1 + 40 * 2)
        // Trained networks: one row per target and n (sobolev:1 and the Legendre target at n = 10, 30), and a README section.
        let trained = try String(contentsOfFile: dir + "/trained-networks.csv", encoding: .utf8).split(separator: "\n")
        #expect(trained.count == 1 + 2 * 2)
        #expect(readme.contains("## Finite networks trained to convergence"))
    }

    @Test func csvHasOneRowPerN() throws {
        let r = try CommandLineRunner.run([
            "learning-curve", "--activation", "elu(1)", "--dim", "3", "--target", "exp(t)",
            "--n", "10,1000", "--degrees", "2", "--format", "csv", "--kmax", "2000",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(
            lines.first
                == "n,test_error,uncertainty,kappa,gamma,noise_error,resolved,learnability_0,error_0,learnability_1,error_1,learnability_2,error_2"
        )
        #expect(lines.count == 3)
    }

    @Test(arguments: [
        (["--target", "legendre:3"], "invalid --target 'legendre:3'"),
        (["--target", "power:0.5"], "beta 0.5 must be in (1, 200]"),
        (["--target", "sobolev:1", "--n", "0,10"], "invalid --n '0,10'"),
        (["--target", "sobolev:1", "--n", "10.5"], "invalid --n '10.5'"),
        (["--target", "sobolev:1", "--dim", "1"], "invalid --dim '1'"),
        (["--target", "sobolev:1", "--ridge=-1"], "invalid --ridge '-1.0'"),
        (["--target", "sobolev:1", "--noise", "nan"], "invalid --noise 'nan'"),
        (["--target", "sobolev:1", "--plot", "x.png"], "invalid --plot 'x.png'"),
        (["--target", "sobolev:1", "--standard", "laplace(0)"], "invalid scale c '0.0'"),
        (["--target", "sobolev:1", "--expression", "t^3 - 0.9*t"], "not positive semi-definite"),
        (["--target", "exp(t", "--kmax", "100"], "invalid --target 'exp(t'"),
        (["--target", "legendre:300:1", "--kmax", "100"], "degree 300 is past kmax = 100"),
        (["--target", "sobolev:1", "--simulate", "1"], "invalid --simulate '1'"),
    ])
    func badInputIsOneLineWithStatus64(_ arguments: [String], _ message: String) throws {
        let r = try CommandLineRunner.run(["learning-curve"] + arguments)
        #expect(r.status == 64, "\(arguments): status \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
    }
}
