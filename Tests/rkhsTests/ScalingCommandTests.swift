import Foundation
import NeuralKernels
import Testing
import _TestSupport

/// `rkhs scaling` and `rkhs reproduce golikov` as a user runs them: the JSON fields the issue
/// names, the formats, a small simulation, one-line errors with status 64.
@Suite struct ScalingCommandTests {
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CommandLineRunner.run(["scaling"] + arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("nan") && !r.stdout.contains("inf"))
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test(
        arguments: [
            ("standard", nil, false), ("sym-default", "sym-default", true), ("ntk", "NTK", true),
            ("mf", "MF", true), ("ic-mf", "IC-MF", true), ("mup", "MF", true),
        ] as [(String, String?, Bool)])
    func namedPointsInJSON(name: String, model: String?, stable: Bool) throws {
        let o = try Self.json(["--named", name])
        #expect(o["limit_model"] as? String == model)
        #expect(o["stable"] as? Bool == stable)
        for key in ["logits_bounded_at_init", "kernel_bounded_at_init"] { #expect(o[key] is Bool, "\(key)") }
        for key in ["kernel_stationary", "feature_learning"] {
            #expect(stable ? o[key] is Bool : o[key] is NSNull, "\(key)")
        }
        if name == "ntk" { #expect(o["kernel_stationary"] as? Bool == true && o["feature_learning"] as? Bool == false) }
        if name == "mf" { #expect(o["kernel_stationary"] as? Bool == false && o["feature_learning"] as? Bool == true) }
    }

    @Test func exponentsAndFormats() throws {
        let o = try Self.json(["--exponents", "-0.66,0.5"])
        #expect(o["limit_model"] as? String == "barycentre" && o["kernel_bounded_at_init"] as? Bool == false)
        let off = try Self.json(["--exponents", "-0.5,0,-1"])
        #expect(off["trained_layers"] as? String == "readout-only" && off["limit_model"] as? String == "NTK")
        let unstable = try Self.json(["--exponents", "-1,-1"])
        #expect(unstable["limit_model"] is NSNull && unstable["instability"] as? String == "stagnating")
        let md = try CommandLineRunner.run(["scaling", "--named", "mf", "--format", "markdown"])
        #expect(md.status == 0 && md.stdout.contains("| limit model | MF:"))
        let table = try CommandLineRunner.run(["scaling", "--exponents", "0,-0.5"])
        #expect(table.status == 0 && table.stdout.contains("pre-NTK"))
    }

    @Test(arguments: [
        ["--exponents", "1,2,3,4"], ["--exponents", "a,b"], ["--named", "ntk", "--exponents", "0,0"], [],
        ["--exponents", "-0.66,0.5", "--init-corrected"], ["--named", "nope"], ["--named", "mf", "--widths", "0,5"],
        ["--named", "mf", "--widths", "64", "--uci", "/nonexistent"], ["--named", "mf", "--seeds", "0"],
    ])
    func badInputIsOneLineWithStatus64(arguments: [String]) throws {
        let r = try CommandLineRunner.run(["scaling"] + arguments)
        #expect(r.status == 64, "\(arguments): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("rkhs: error:"), "\(r.stderr)")
    }

    /// A UCI-style folder (data.txt, indices, one split) with a smooth target.
    static func uciFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rkhs-scaling-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var random = GaussianRandomSource(seed: 8)
        var rows = ""
        for _ in 0..<400 {
            let x = (0..<3).map { _ in random.normal() }
            rows += (x + [sin(x[0]) + x[1] * x[2]]).map { "\($0)" }.joined(separator: " ") + "\n"
        }
        let files = [
            "data.txt": rows, "index_features.txt": "0\n1\n2\n", "index_target.txt": "3\n", "n_splits.txt": "1\n",
            "index_train_0.txt": (0..<300).map(String.init).joined(separator: "\n"),
            "index_test_0.txt": (300..<400).map(String.init).joined(separator: "\n"),
        ]
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func smallSimulation() throws {
        let dir = try Self.uciFolder()
        let o = try Self.json([
            "--named", "ntk", "--widths", "64,128,256", "--seeds", "2", "--steps", "30", "--uci", dir.path,
            "--train-size", "80", "--test-size", "40", "--probes", "8",
        ])
        let sim = try #require(o["simulation"] as? [String: Any])
        #expect((sim["widths"] as? [[String: Any]])?.count == 3)
        let fits = try #require(sim["fits"] as? [[String: Any]])
        let logits = try #require(fits.first { $0["quantity"] as? String == "initial_logit_scale" })
        #expect(logits["agrees"] as? Bool == true, "\(logits)")
        #expect(sim["threshold"] is Double && sim["train_points"] as? Int == 80)
    }

    @Test func reproduceQuickWritesTheFiles() throws {
        let dir = try Self.uciFolder()
        let out = dir.appendingPathComponent("out")
        let r = try CommandLineRunner.run(["reproduce", "golikov", "--quick", "--uci", dir.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        for file in [
            "README.md", "limit-models.csv", "limit-models.md", "named-points.csv", "phase-diagram.svg",
            "phase-diagram.csv",
            "width-study.csv", "width-fits.csv", "loss-curves.csv", "limit-convergence.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let table = try String(contentsOf: out.appendingPathComponent("limit-models.csv"), encoding: .utf8)
        #expect(table.split(separator: "\n").count == 15)  // header + 13 regions + IC-MF
        let svg = try String(contentsOf: out.appendingPathComponent("phase-diagram.svg"), encoding: .utf8)
        for label in [
            "barycentre", "post-MF-NTK", "pre-NTK-sym-default", "diverging", "stagnating", "MF-NTK", "NTK", "MF",
        ] {
            #expect(svg.contains(">\(label)<"), "\(label)")
        }
        // Every marker colour (ring, fill, cross) has a legend row with that colour.
        let doc = try SVGDocument(svg)
        let keys = doc.elements.filter { $0.within(class: "legend") && $0["class"] == "legend-key" }
        let markers = doc.all("circle", class: "marker")
        #expect(!markers.isEmpty)
        for m in markers {
            #expect(keys.contains { $0.name == "circle" && $0["stroke"] == m["stroke"] }, "ring \(m["stroke"] ?? "")")
            #expect(keys.contains { $0.name == "circle" && $0["fill"] == m["fill"] }, "fill \(m["fill"] ?? "")")
        }
        for cross in doc.all("path", class: "marker") {
            #expect(keys.contains { $0.name == "path" && $0["stroke"] == cross["stroke"] })
        }
        #expect(keys.count == 5)
    }
}
