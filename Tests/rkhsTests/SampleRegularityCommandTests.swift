import Foundation
import Testing
import _TestSupport
import NeuralKernels

/// `rkhs sample` (plots, finite widths) and `rkhs regularity` through the real binary.
@Suite struct SampleRegularityCommandTests {
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CommandLineRunner.run(arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// The JSON has the fields; ReLU NNGP paths come out near 1.5; a smooth activation
    /// has predicted null with a note that the estimators saturate.
    @Test func regularityJSONFields() throws {
        let relu = try Self.json([
            "regularity", "--activation", "relu", "--depth", "3", "--points", "8192", "--paths", "6", "--seed", "3",
        ])
        #expect(relu["paths"] as? Int == 6)
        #expect((relu["per_path"] as? [Double])?.count == 6)
        #expect(relu["predicted"] as? Double == 1.5)
        let mean = try #require(relu["mean"] as? Double)
        let se = try #require(relu["stderr"] as? Double)
        #expect(Swift.abs(mean - 1.5) <= 0.03 && se > 0 && se < 0.02)
        #expect((relu["sup_norm"] as? [String: Any])?["gaussian_bias"] is Double)
        #expect(((relu["scale_profile"] as? [[String: Any]])?.count ?? 0) >= 4)
        let gelu = try Self.json([
            "regularity", "--activation", "gelu", "--depth", "3", "--points", "4096", "--paths", "2",
        ])
        #expect(gelu["predicted"] is NSNull)
        #expect((gelu["predicted_note"] as? String)?.contains("saturate") == true)
    }

    /// Paths written by `sample` (.csv and .npy) read back by `regularity --input` give the same
    /// estimates; the plots are SVG; the finite-width sampler runs.
    @Test func sampleFilesRoundTripThroughRegularity() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("p.csv").path
        let npy = dir.appendingPathComponent("p.npy").path
        let svg = dir.appendingPathComponent("p.svg").path
        let svg2 = dir.appendingPathComponent("r.svg").path
        let base = [
            "sample", "--activation", "relu", "--depth", "2", "--width", "32", "--points", "2048", "--paths", "3",
            "--seed", "4",
        ]
        let a = try CommandLineRunner.run(base + ["--out", csv, "--plot", svg])
        let b = try CommandLineRunner.run(base + ["--out", npy])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.stdout.contains("width 32 networks"))
        let fromCSV = try Self.json(["regularity", "--input", csv, "--scales", "1:4", "--plot", svg2])
        let fromNPY = try Self.json(["regularity", "--input", npy, "--scales", "1:4"])
        #expect(fromCSV["paths"] as? Int == 3)
        let m1 = try #require(fromCSV["mean"] as? Double)
        let m2 = try #require(fromNPY["mean"] as? Double)
        #expect(Swift.abs(m1 - m2) <= 1e-12)
        #expect(fromCSV["predicted"] is NSNull)
        let bottleneck = try Self.json([
            "regularity", "--activation", "relu", "--depth", "3", "--bottleneck", "4", "--points", "1024", "--paths",
            "2",
        ])
        #expect((bottleneck["source"] as? String)?.contains("bottleneck of width 4") == true)
        for file in [svg, svg2] {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.hasPrefix("<svg") && text.contains("polyline"))
        }
    }

    /// Issue 16, item 2: ELU(1) NNGP paths (regularity 2.5) written to .npy and read back. Before,
    /// `--input` fitted the fixed scales 2^2..2^7, the sampler's round-off floor, and printed
    /// about 0.66 with no warning; now the scales come from the data's profile above its floor
    /// (the same 2.5 within 0.06 as in-process), requesting 2:7 is refused (status 64, no
    /// number), and pure noise is refused with a JSON `refused` reason and null estimates.
    @Test func fileInputIsFittedAboveTheNoiseFloor() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let npy = dir.appendingPathComponent("elu.npy").path
        let noise = dir.appendingPathComponent("noise.npy").path
        let s = try CommandLineRunner.run([
            "sample", "--activation", "elu(1)", "--depth", "3", "--points", "65536", "--paths", "6",
            "--seed", "2", "--out", npy,
        ])
        #expect(s.status == 0, "\(s.stderr)")
        let fromFile = try Self.json(["regularity", "--input", npy])
        let mean = try #require(fromFile["mean"] as? Double)
        #expect(Swift.abs(mean - 2.5) <= 0.06, "from file: \(mean)")
        #expect(fromFile["scale_choice"] as? String == "data_profile")
        let floor = try #require(fromFile["noise_floor"] as? [String: Any])
        #expect((floor["flat_scales"] as? [Int])?.first == 0)
        #expect(((fromFile["scales"] as? [Int])?.first ?? 0) >= 6)
        let requested = try CommandLineRunner.run(["regularity", "--input", npy, "--scales", "2:7"])
        #expect(requested.status == 64 && requested.stdout.isEmpty)
        #expect(requested.stderr.contains("noise floor") && requested.stderr.contains("refused"), "\(requested.stderr)")
        var state: UInt64 = 12345
        let values = (0..<(2 * 4096)).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        try NPYFile.encode(values, rows: 2, columns: 4096).write(to: URL(fileURLWithPath: noise))
        let refused = try CommandLineRunner.run(["regularity", "--input", noise, "--format", "json"])
        #expect(refused.status == 64)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any])
        #expect((object["refused"] as? String)?.contains("noise") == true)
        #expect(object["mean"] is NSNull)
    }

    /// The regularity plot shades the fitted scales J0..J1 and every unresolved scale (the
    /// ELU NNGP at n = 2^16 has a round-off floor at 2^0..2^6), and its legend says which shade
    /// is which: the band edges sit at the tick positions of log2 h = J0, J1 and j +- 1/2.
    @Test func regularityPlotShadesFittedAndUnresolvedScales() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plot = dir.appendingPathComponent("r.svg").path
        let o = try Self.json([
            "regularity", "--activation", "elu(1)", "--depth", "3", "--points", "65536", "--paths", "4", "--plot", plot,
        ])
        let fitted = try #require(o["scales"] as? [Int])
        let profile = try #require(o["scale_profile"] as? [[String: Any]])
        let unresolved = profile.filter { $0["resolved"] as? Bool == false }.compactMap { $0["j"] as? Int }
        #expect(!unresolved.isEmpty && unresolved.allSatisfy { $0 < fitted[0] }, "\(unresolved)")
        let doc = try SVGDocument(contentsOfFile: plot)
        // The x axis from two ticks: pixel = a + b log2 h.
        let ticks = doc.all("text", class: "x-tick")
        let (t0, t1) = (ticks[0], ticks[ticks.count - 1])
        let b = (t1.number("x")! - t0.number("x")!) / (Double(t1.text)! - Double(t0.text)!)
        func pixel(_ log2h: Double) -> Double { t0.number("x")! + b * (log2h - Double(t0.text)!) }
        let bands = doc.all("rect", class: "band")
        let legend = doc.elements.filter { $0.within(class: "legend") }
        let labels = legend.filter { $0.name == "text" }.map(\.text)
        let fittedLabel = "fitted scales 2^\(fitted[0])..2^\(fitted[1])"
        #expect(labels.contains(fittedLabel) && labels.contains("unresolved scales (noise floor)"), "\(labels)")
        func key(_ label: String) -> String? {
            guard let i = legend.firstIndex(where: { $0.name == "text" && $0.text == label }), i > 0 else { return nil }
            return legend[i - 1]["fill"]
        }
        let fittedBands = bands.filter { $0["fill"] == key(fittedLabel) }
        #expect(fittedBands.count == 1)
        if let f = fittedBands.first {
            #expect(Swift.abs(f.number("x")! - pixel(Double(fitted[0]))) < 0.02)
            #expect(Swift.abs(f.number("x")! + f.number("width")! - pixel(Double(fitted[1]))) < 0.02)
        }
        let floorBands = bands.filter { $0["fill"] == key("unresolved scales (noise floor)") }
        #expect(!floorBands.isEmpty)
        // Each unresolved scale's centre is shaded, no fitted scale is.
        func shaded(_ log2h: Double) -> Bool {
            floorBands.contains {
                $0.number("x")! <= pixel(log2h) && pixel(log2h) <= $0.number("x")! + $0.number("width")!
            }
        }
        #expect(
            unresolved.allSatisfy { shaded(Double($0)) } && !(fitted[0]...fitted[1]).contains { shaded(Double($0)) })
        let lastUnresolved = try #require(unresolved.max())
        let floorEnd = floorBands.map { $0.number("x")! + $0.number("width")! }.max()!
        #expect(Swift.abs(floorEnd - pixel(Double(lastUnresolved) + 0.5)) < 0.02)
    }

    /// In-process Gaussian-process paths report the estimator's exact bias at the fitted scales
    /// and the corrected estimate: ReLU^2 NNGP at depth 3 (bias about +0.042 at 2^7..2^10),
    /// corrected within 0.05 of 2.5; paths read from a file have no bias (no covariance).
    @Test func biasIsReportedBesideTheEstimate() throws {
        let o = try Self.json([
            "regularity", "--activation", "relu_pow(2)", "--depth", "3", "--points", "65536", "--paths", "8", "--seed",
            "5",
        ])
        let bias = try #require(o["bias"] as? Double)
        let corrected = try #require(o["corrected"] as? Double)
        let mean = try #require(o["mean"] as? Double)
        #expect(bias > 0.03 && bias < 0.06, "bias \(bias)")
        #expect(Swift.abs(corrected - (mean - bias)) <= 1e-12)
        #expect(Swift.abs(corrected - 2.5) <= 0.05)
        #expect(o["refused"] is NSNull)
    }

    /// `regularity --widths` compares random networks of several widths with the NNGP: one set
    /// per width plus the NNGP, in json and in csv (first column `set`).
    @Test func widthSweep() throws {
        let args = [
            "regularity", "--activation", "relu", "--depth", "2", "--widths", "16,32", "--points", "1024", "--paths",
            "2",
        ]
        let sweep = try Self.json(args)
        let sets = try #require(sweep["sets"] as? [[String: Any]])
        #expect(sets.count == 3 && sets.last?["source"] as? String == "NNGP")
        #expect((sets.first?["source"] as? String)?.contains("width 16") == true)
        let csv = try CommandLineRunner.run(args + ["--format", "csv"])
        #expect(csv.status == 0 && csv.stdout.hasPrefix("set,j,h,"))
        #expect(csv.stdout.contains("\nwidth 32,") && csv.stdout.contains("\nNNGP,"))
    }

    /// `sample --sphere` writes a map of S^2 and the samples (rows x 2 rows grid points each).
    @Test func sphereSampleWritesMapAndValues() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("s.svg").path
        let npy = dir.appendingPathComponent("s.npy").path
        let r = try CommandLineRunner.run([
            "sample", "--sphere", "--latitudes", "12", "--activation", "relu", "--depth", "3",
            "--paths", "2", "--plot", svg, "--out", npy,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("12 x 24 grid"))
        let decoded = try NPYFile.decode(try Data(contentsOf: URL(fileURLWithPath: npy)))
        #expect(decoded.rows == 2 && decoded.columns == 288)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))
    }

    @Test(arguments: [
        (["sample", "--sphere", "--latitudes", "100"], "invalid --latitudes '100'"),
        (["sample", "--depth", "3", "--bottleneck", "4", "--bottleneck-layer", "3"], "invalid --bottleneck-layer '3'"),
        (["regularity", "--bottleneck", "4", "--points", "16384"], "invalid --points '16384' with --bottleneck"),
        (["regularity", "--scales", "5:2"], "invalid --scales '5:2'"),
        (["regularity", "--order", "0"], "invalid --order '0'"),
        (["regularity", "--input", "/nonexistent.npy"], "cannot read '/nonexistent.npy'"),
        (["regularity", "--input", "/tmp/x.txt"], "allowed: a path ending in .npy or .csv"),
        (["regularity", "--plot", "/tmp/x.png"], "invalid --plot '/tmp/x.png'"),
        (["sample", "--plot", "/tmp/x.png"], "invalid --plot '/tmp/x.png'"),
        (["sample", "--width", "16", "--kernel", "ntk"], "invalid --kernel 'ntk' with --width"),
        (["regularity", "--points", "100"], "invalid --points '100'"),
        // The sweep's shared scales 2^2..2^7 lie in the ELU NNGP's round-off floor at n = 2^16.
        (
            [
                "regularity", "--activation", "elu(1)", "--depth", "3", "--widths", "16", "--points", "65536",
                "--paths", "2",
            ], "regularity of 'NNGP' refused"
        ),
    ])
    func badInputIsOneLineWithStatus64(_ arguments: [String], _ message: String) throws {
        let r = try CommandLineRunner.run(arguments)
        #expect(r.status == 64, "\(arguments): status \(r.status)")
        #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
    }
}
