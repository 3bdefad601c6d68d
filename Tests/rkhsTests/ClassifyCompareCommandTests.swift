import Foundation
import Testing
import _TestSupport

/// `rkhs classify`, `rkhs compare` and `rkhs spectrum --plot` through the real binary.
@Suite struct ClassifyCompareCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The JSON fields, for ELU without bias: a parity split with even order
    /// d/2 + 3 and odd order d/2 + 2 (Proofs/parity-without-bias.md), m = 2.
    @Test func classifyJSONFields() throws {
        let r = try CommandLineRunner.run([
            "classify", "--activation", "elu(1)", "--depth", "2", "--kernel", "nngp",
            "--no-bias", "--dim", "3", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try json(r.stdout)
        for key in [
            "class", "sobolev_order", "even_order", "odd_order", "rank", "nonsmoothness_degree", "predicted_exponent",
            "fitted_exponent_even", "fitted_exponent_odd", "agrees",
        ] {
            #expect(o.keys.contains(key), "missing \(key)")
        }
        #expect(o["class"] as? String == "parity_split")
        #expect(o["even_order"] as? Double == 4.5 && o["odd_order"] as? Double == 3.5)
        #expect(o["nonsmoothness_degree"] as? Int == 2)
        #expect(o["agrees"] as? Bool == true)
        let even = try #require(o["fitted_exponent_even"] as? Double)
        let odd = try #require(o["fitted_exponent_odd"] as? Double)
        #expect(Swift.abs(even - 9) < 0.2 && Swift.abs(odd - 7) < 0.1)
        // Fitted k-ranges are numbers (they were strings like "76...300").
        for key in ["k_range_even", "k_range_odd"] {
            let range = try #require(o[key] as? [Int], "\(key) is \(String(describing: o[key]))")
            #expect(range.count == 2 && range[0] < range[1])
        }
    }

    @Test func classifyMarkdownAndTable() throws {
        let md = try CommandLineRunner.run(["classify", "--activation", "relu", "--depth", "4", "--format", "markdown"])
        #expect(md.status == 0 && md.stdout.contains("| class | `sobolev`: H^1.5(S^2) |"), "\(md.stdout)")
        let table = try CommandLineRunner.run(["classify", "--activation", "poly(1,1,1)", "--depth", "3"])
        #expect(table.status == 0 && table.stdout.contains("finite_rank: finite rank 25"), "\(table.stdout)")
    }

    /// Chen & Xu through the command: ReLU NTKs of depths 2, 3 and Laplace in one class,
    /// Gaussian alone; the SVG overlay is written.
    @Test func compareGroupsAndPlots() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("overlay.svg").path
        let r = try CommandLineRunner.run([
            "compare", "--activations", "relu", "--depths", "2,3", "--kernels", "ntk",
            "--standard", "laplace(1),gaussian(1)", "--dim", "3", "--format", "json", "--plot", svg,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try json(r.stdout)
        let classes = try #require(o["classes"] as? [[Int]])
        #expect(classes == [[0, 1, 2], [3]], "\(classes)")
        try Self.checkComparisonPlot(svg, classes: classes)
        let md = try CommandLineRunner.run([
            "compare", "--activations", "relu,leaky_relu(0.2)", "--kernels", "nngp,ntk",
        ])
        #expect(md.status == 0 && md.stdout.contains("## Same RKHS (classes)"))
    }

    /// The compare plot: a title saying what was compared; one legend heading per class, naming
    /// it; every kernel's legend row (in its class's colour) matching its drawn line; members of a
    /// class share a colour and differ pairwise in dash pattern; classes differ in colour.
    static func checkComparisonPlot(_ path: String, classes: [[Int]]) throws {
        let doc = try SVGDocument(contentsOfFile: path)
        let title = doc.texts(class: "title").joined(separator: " ")
        for part in ["Same RKHS?", "4 kernels on S^2 (dim 3)", "2 classes", "activations relu", "depths 2, 3"] {
            #expect(title.contains(part), "\(title)")
        }
        #expect(title.contains("kernels ntk") && title.contains("standard laplace(1), gaussian(1)"), "\(title)")
        // Legend rows in order: headings (bold, no key) and (key, label) pairs.
        var rows: [(heading: String, label: String, stroke: String, dash: String?)] = []
        var heading = ""
        var key: SVGDocument.Element? = nil
        for e in doc.elements where e.within(class: "legend") && e.name != "g" {
            if e.name == "text" {
                if let k = key {
                    rows.append((heading, e.text, k["stroke"] ?? "", k["stroke-dasharray"]))
                } else {
                    heading = e.text
                }
                key = nil
            } else {
                key = e
            }
        }
        let headings = Array(Set(rows.map(\.heading))).sorted()
        #expect(headings.count == classes.count && headings[0].hasPrefix("class 1 (same RKHS): H^"), "\(headings)")
        #expect(rows.map(\.label) == ["2-layer relu ntk", "3-layer relu ntk", "laplace(1.0)", "gaussian(1.0)"])
        let lines = doc.all("polyline", class: "series")
        #expect(lines.map { $0["stroke"] ?? "" } == rows.map(\.stroke))
        #expect(lines.map { $0["stroke-dasharray"] } == rows.map(\.dash))
        for (n, group) in classes.enumerated() {
            let members = rows.filter { $0.heading.hasPrefix("class \(n + 1) ") }
            #expect(members.count == group.count)
            #expect(Set(members.map(\.stroke)).count == 1)
            #expect(Set(members.map { $0.dash ?? "solid" }).count == members.count, "\(members)")
        }
        #expect(Set(rows.map(\.stroke)).count == classes.count)
    }

    @Test func spectrumPlotAndParityFields() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-spectrum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("s.svg").path
        let r = try CommandLineRunner.run([
            "spectrum", "--activation", "relu", "--no-bias", "--kernel", "nngp", "--kmax", "200",
            "--format", "json", "--plot", svg,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try json(r.stdout)
        #expect(o["predicted_odd"] as? String == "zero beyond k = 1")
        #expect((o["fit_odd"] as? String)?.hasPrefix("zero beyond k = 1") == true)
        let p = try #require(o["fitted_exponent_even"] as? Double)
        #expect(Swift.abs(p - 5) < 0.05)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("fit even"))
    }

    @Test(arguments: [
        (["classify", "--dim", "1"], "--dim"),
        (["compare", "--activations", "relu"], "at least two"),
        (["compare", "--activations", "relu,nope", "--depths", "2"], "nope"),
        (["compare", "--activations", "relu", "--depths", "2,x"], "'x'"),
        (["compare", "--activations", "relu(", "--depths", "2,3"], "parentheses"),
        (["classify", "--standard", "laplace(-1)"], "-1"),
    ])
    func badInputIsOneLineWithStatus64(_ args: [String], _ needle: String) throws {
        let r = try CommandLineRunner.run(args)
        #expect(r.status == 64, "\(args): status \(r.status), \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(needle), "\(r.stderr)")
    }
}
