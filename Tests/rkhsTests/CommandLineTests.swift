import Foundation
import Testing
import _TestSupport
import NeuralKernels

/// The real rkhs binary: output formats, one-line errors with status 64, atomic files.
@Suite struct CommandLineTests {
    @Test func kernelCSVHasExactColumnsAndFullPrecision() throws {
        let r = try CommandLineRunner.run([
            "kernel", "--activation", "relu", "--depth", "3", "--t", "0.5,1", "--format", "csv",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "t,nngp,ntk")
        // Depth-3 ReLU with bias at t = 1: Sigma = 2, Theta = 2 + (2 + 2/2)/2 = 3.5 exactly.
        #expect(lines.last == "1,2,3.5")
        let fields = lines[1].split(separator: ",")
        #expect(fields.count == 3)
        let nngp = Double(fields[1])!
        let expected = try SphereKernel(try NetworkKernel(activation: .relu, depth: 3))(0.5).nngp
        #expect(nngp == expected)  // 17 significant digits round-trip exactly
    }

    /// Issue 16, item 5: where the variance vanishes the (q_l, rho_l) trajectory is printed
    /// (its values are checked in VarianceTrajectoryTests).
    @Test func fixedPointsPrintTheJointTrajectoryWhereTheVarianceVanishes() throws {
        let r = try CommandLineRunner.run([
            "fixedpoints", "--activation", "gelu", "--sigma-w", "1.2", "--sigma-b", "0",
            "--rho0=0.5", "--depth", "6", "--format", "csv",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "layer,q,rho" && lines.count == 8, "\(r.stdout)")
        let json = try CommandLineRunner.run([
            "fixedpoints", "--activation", "gelu", "--sigma-w", "1.2", "--sigma-b", "0", "--format", "json",
        ])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["variance"] as? String == "vanishes")
        #expect((object?["variance_trajectory"] as? [[String: Any]])?.count == 21)
    }

    @Test func jsonAndTableFormats() throws {
        let json = try CommandLineRunner.run(["kernel", "--activation", "elu(1)", "--t", "0.3", "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["activation"] as? String == "elu(1)")
        #expect((object?["values"] as? [[String: Any]])?.count == 1)
        let table = try CommandLineRunner.run(["kernel", "--activation", "piecewise(0.5*x^2; x)", "--t", "0.3"])
        #expect(table.status == 0 && table.stdout.contains("nngp"))
    }

    /// Issue 20, consistency: fixedpoints takes --no-bias like every network command (it is
    /// --sigma-b 0), and --seed defaults to 0 everywhere (sample without --seed is --seed 0).
    @Test func fixedPointsNoBiasAndTheSeedConvention() throws {
        let common = ["fixedpoints", "--activation", "elu(1)", "--sigma-w", "1.2", "--format", "json"]
        let noBias = try CommandLineRunner.run(common + ["--no-bias"])
        let zero = try CommandLineRunner.run(common + ["--sigma-b", "0"])
        #expect(noBias.status == 0 && noBias.stdout == zero.stdout, "\(noBias.stderr)")
        let sample = ["sample", "--activation", "relu", "--depth", "2", "--points", "512", "--paths", "2"]
        let unseeded = try CommandLineRunner.run(sample)
        let seeded = try CommandLineRunner.run(sample + ["--seed", "0"])
        let other = try CommandLineRunner.run(sample + ["--seed", "1"])
        #expect(
            unseeded.status == 0 && unseeded.stdout == seeded.stdout && unseeded.stdout != other.stdout,
            "\(unseeded.stdout)")
    }

    /// JSON goes through JSONEncoder (issue 15, item 5): a tab in a user expression, which the
    /// old string builder copied raw into the kernel's name (invalid JSON), is escaped, and the
    /// name reads back exactly.
    @Test func jsonEscapesControlCharacters() throws {
        let r = try CommandLineRunner.run([
            "spectrum", "--expression", "exp(x\t- 1)", "--kmax", "3", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["kernel"] as? String == "exp(x\t- 1)", "\(r.stdout.prefix(200))")
        #expect(!r.stdout.contains("\t"))
    }

    /// The spectrum CSV has exactly the columns; mu_0 of the 2-layer ReLU NTK with bias
    /// on S^2 is the sphere average of kappa, 2 (checked against the library's own kernel:
    /// mean of kappa over t uniform in [-1, 1] for d = 3 by Gauss-Legendre).
    @Test func spectrumCSVColumns() throws {
        let r = try CommandLineRunner.run([
            "spectrum", "--activation", "relu", "--depth", "2", "--kernel", "ntk",
            "--dim", "3", "--kmax", "4", "--format", "csv",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "k,mu,multiplicity,error,resolved")
        #expect(lines.count == 6)
        let mu0 = Double(lines[1].split(separator: ",")[1])!
        let sphere = try SphereKernel(try NetworkKernel(activation: .relu, depth: 2))
        // On S^2 the measure of t is uniform on [-1, 1]; kappa is smooth enough inside, and its
        // sqrt(1 -+ t) ends are integrated exactly in u = sqrt((1 -+ t)/2).
        var mean = 0.0
        let n = 200
        for i in 0..<n {
            for half in [1.0, -1.0] {
                let u = (Double(i) + 0.5) / Double(n) * (0.5).squareRoot()
                let t = half * (1 - 2 * u * u)
                mean += sphere(t).ntk * 4 * u * (0.5).squareRoot() / Double(n) / 2
            }
        }
        #expect(Swift.abs(mu0 - mean) <= 1e-4 * mean, "mu_0 \(mu0) vs sphere mean \(mean)")
    }

    /// rkhs sample writes reproducible paths and reports the regularity against theory.
    @Test func sampleWritesReproduciblePaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-sample-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.npy").path
        let b = dir.appendingPathComponent("b.npy").path
        let args = [
            "sample", "--activation", "relu", "--depth", "3", "--points", "4096", "--paths", "8", "--seed", "5",
        ]
        let r1 = try CommandLineRunner.run(args + ["--out", a])
        let r2 = try CommandLineRunner.run(args + ["--out", b])
        #expect(r1.status == 0 && r2.status == 0, "\(r1.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        #expect(r1.stdout.contains("theory 1.5"))
        let decoded = try NPYFile.decode(try Data(contentsOf: URL(fileURLWithPath: a)))
        #expect(decoded.rows == 8 && decoded.columns == 4096)
    }

    @Test(arguments: [
        (["kernel", "--activation", "swish"], "unknown activation 'swish'; valid: relu"),
        (["kernel", "--depth", "0"], "invalid --depth '0'"),
        (["kernel", "--sigma-w=-1"], "invalid --sigma-w '-1.0'"),
        (["kernel", "--t", "1.5"], "invalid --t value '1.5'"),
        (["kernel", "--t", "nan"], "invalid --t value 'nan'"),
        (["kernel", "--activation", "piecewise(exp(x; x)"], "missing ')'"),
        (["kernel", "--activation", "leaky_relu(a)"], "expected finite numbers"),
        (["kernel", "--parametrization", "standard", "--width", "64"], "needs --dim"),
        (["kernel", "--bogus"], "Unknown option '--bogus'"),
        // Issue 16: q_2 = 1e200 * E[elu^2] overflows; reported, never printed as inf/nan.
        (
            ["kernel", "--activation", "elu", "--depth", "3", "--sigma-w", "1e100", "--t", "1"],
            "exceeds the double range"
        ),
        (["gram", "--data", "/nonexistent.csv", "--out", "/tmp/k.npy"], "cannot read '/nonexistent.csv'"),
        (["gram", "--data", "/dev/null", "--out", "/tmp/k.txt"], "allowed: a path ending in .npy or .csv"),
        (["spectrum", "--dim", "1"], "invalid --dim '1'"),
        (["sample", "--points", "10"], "invalid --points '10'"),
        (["sample", "--out", "/tmp/x.txt"], "allowed: a path ending in .csv or .npy"),
        (["spectrum", "--standard", "laplace(1)", "--expression", "x"], "at most one of"),
        (["fixedpoints", "--no-bias", "--sigma-b", "1"], "--no-bias conflicts with --sigma-b 1.0"),
        (
            ["compare", "--activations", "relu", "--depths", "2,3", "--kmax", "5"],
            "invalid --kmax '5'; allowed: an integer 16...100000"
        ),
    ])
    func badInputIsOneLineWithStatus64(_ arguments: [String], _ message: String) throws {
        let r = try CommandLineRunner.run(arguments)
        #expect(r.status == 64, "\(arguments): status \(r.status)")
        #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrace"))
    }

    @Test func gramWritesNpyAtomicallyAndRejectsRaggedRows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-gram-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("x.csv")
        try "x1,x2\n1,0\n0.6,0.8\n0,2\n".write(to: data, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("K.npy")
        let r = try CommandLineRunner.run([
            "gram", "--data", data.path, "--activation", "gelu", "--depth", "3",
            "--kernel", "nngp", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let decoded = try NPYFile.decode(try Data(contentsOf: out))
        #expect(decoded.rows == 3 && decoded.columns == 3)
        let network = try NetworkKernel(activation: .gelu, depth: 3)
        let expected = network.kernel([0.6, 0.8], [0, 2]).nngp
        #expect(Swift.abs(decoded.values[5] - expected) <= 1e-14 * expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["K.npy", "x.csv"])

        try "1,0\n0.6\n".write(to: data, atomically: true, encoding: .utf8)
        let bad = try CommandLineRunner.run([
            "gram", "--data", data.path, "--out", dir.appendingPathComponent("K2.npy").path,
        ])
        #expect(bad.status == 64 && bad.stderr.contains("line 2 has 1 fields; expected 2"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("K2.npy").path))
    }
}

/// `rkhs regress`: bad data gives one line naming the value, exit 64; a good CSV gives the
/// issue's JSON fields. Data are tiny synthetic CSVs written to a temporary folder.
@Suite struct RegressCommandLineTests {
    static func write(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-regress-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let good: String = {
        var text = "x1,x2,target\n"
        for i in 0..<30 {
            let a = Double(i) / 7
            let b = sin(Double(i))
            text += "\(a),\(b),\(sin(a) + 0.5 * b + 0.01 * cos(Double(7 * i)))\n"
        }
        return text
    }()

    static let cases: [(String, String, [String], String)] = [
        ("missing-target.csv", good, ["--target", "price"], "no target column 'price'; available: x1, x2, target"),
        (
            "non-numeric.csv", "a,b,y\n1,2,3\n4,x5,6\n7,8,9\n", ["--target", "y"],
            "line 3, column 2: 'x5' is not a number"
        ),
        (
            "constant-input.csv", "a,b,y\n1,2,3\n1,5,6\n1,8,9\n1,3,4\n", ["--target", "y"],
            "'a' (column 1) is constant (1.0); remove it"
        ),
        ("constant-target.csv", "a,y\n1,2\n3,2\n5,2\n", ["--target", "y"], "target 'y' (column 2) is constant (2.0)"),
        ("two-rows.csv", "a,y\n1,2\n3,4\n", ["--target", "y"], "2 rows; need at least 3"),
        ("fraction.csv", good, ["--target", "target", "--test-fraction", "1.5"], "invalid --test-fraction '1.5'"),
        ("kernel.csv", good, ["--target", "target", "--kernel", "rbf"], "rbf"),
    ]

    @Test(arguments: cases) func badDataIsOneLineWithStatus64(
        _ file: String, _ text: String, _ options: [String], _ message: String
    ) throws {
        let path = try Self.write(file, text)
        let r = try CommandLineRunner.run(["regress", "--data", path] + options)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func missingUCIFolderAndMissingTarget() throws {
        let r = try CommandLineRunner.run(["regress", "--uci", "/nonexistent/uci/concrete"])
        #expect(r.status == 64 && r.stderr.contains("cannot read '/nonexistent/uci/concrete/data.txt'"), "\(r.stderr)")
        let path = try Self.write("good.csv", Self.good)
        let s = try CommandLineRunner.run(["regress", "--data", path])
        #expect(s.status == 64 && s.stderr.contains("--data needs --target"), "\(s.stderr)")
    }

    /// A good CSV: the JSON has the fields, the splits asked for, finite values, and
    /// progress lines on stderr (one per split).
    @Test func goodCSVGivesSummaryJSON() throws {
        let path = try Self.write("good.csv", Self.good)
        let r = try CommandLineRunner.run([
            "regress", "--data", path, "--target", "target", "--activation", "gelu",
            "--depth", "3", "--kernel", "ntk", "--splits", "3", "--seed", "4", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        for key in ["rmse_mean", "rmse_stderr", "nll_mean", "nll_stderr"] {
            #expect((object?[key] as? Double)?.isFinite == true, "\(key) in \(r.stdout)")
        }
        #expect(object?["splits"] as? Int == 3)
        #expect(r.stderr.split(separator: "\n").filter { $0.hasPrefix("regress: split") }.count == 3)
    }

    /// CSV: one row per split with the fitted hyperparameters, same seed, same numbers as JSON.
    @Test func csvHasOneRowPerSplit() throws {
        let path = try Self.write("good.csv", Self.good)
        let common = ["regress", "--data", path, "--target", "3", "--splits", "2", "--seed", "1", "--restarts", "1"]
        let csv = try CommandLineRunner.run(common + ["--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n")
        #expect(
            lines.first
                == "split,rmse,nll,sigma_w2,sigma_b2,noise,fit_points,evaluations,converged,log_marginal_likelihood,seconds"
        )
        #expect(lines.count == 3)
        let json = try CommandLineRunner.run(common + ["--format", "json"])
        let splits =
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["per_split"]
            as? [[String: Any]]
        // Foundation's JSON parser may round the 17-digit value differently in the last place.
        let fromCSV = Double(lines[1].split(separator: ",")[1])!
        let fromJSON = splits?.first?["rmse"] as? Double ?? .nan
        #expect(Swift.abs(fromCSV - fromJSON) <= 4e-16 * fromCSV, "\(fromCSV) vs \(fromJSON)")
        let evidenceCSV = Double(lines[1].split(separator: ",")[9])!
        let evidenceJSON = try #require(splits?.first?["log_marginal_likelihood"] as? Double)
        #expect(evidenceCSV.isFinite && Swift.abs(evidenceCSV - evidenceJSON) <= 1e-12 * Swift.abs(evidenceCSV))
        // The optimiser's outcome per split: converged or not (then a warning on stderr), and the
        // hyperparameters that ended on the box (then a note).
        for (k, split) in (splits ?? []).enumerated() {
            let converged = try #require(split["converged"] as? Bool)
            // at_bound is data (issue 20): {parameter, bound, value} per hyperparameter on the box.
            let bounds = try #require(split["at_bound"] as? [[String: Any]])
            #expect(json.stderr.contains("split \(k + 1): the optimiser stopped") == !converged)
            for bound in bounds {
                let parameter = try #require(bound["parameter"] as? String)
                let side = try #require(bound["bound"] as? String)
                let value = try #require(bound["value"] as? Double)
                let names = ["sigma_w2", "sigma_b2", "noise"]
                let i = try #require(names.firstIndex(of: parameter))
                let upper = side == "upper"
                #expect(upper || side == "lower")
                // The box of rkhs regress: sigma_w^2, sigma_b^2 in [1e-4, 100], noise in [1e-6, 10].
                let nominal = upper ? [100, 100, 10][i] : [1e-4, 1e-4, 1e-6][i]
                #expect(Swift.abs(value - nominal) <= 1e-15 * nominal, "\(parameter) \(side) bound \(value)")
                #expect(json.stderr.contains("split \(k + 1): \(parameter) at its \(side) bound"))
            }
        }
    }
}

/// `rkhs reproduce tsuchida` on a 2 x 2 phase grid (the full grid belongs to the reproduce
/// step): every file is written, and the fixed points are the paper's qualitative claims,
/// ReLU's only fixed point rho = 1 attracting, ELU's and GELU's rho* < 1 attracting.
@Suite struct ReproduceTsuchidaCommandLineTests {
    @Test func writesEveryFileWithThePapersFixedPoints() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkhs-reproduce-\(getpid())").path
        let r = try CommandLineRunner.run([
            "reproduce", "tsuchida", "--out", dir, "--sigma-w-range", "1:1.5:2", "--sigma-b-range", "0:0.1:2",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        for stem in [
            "correlation-maps", "trajectories", "variance-trajectories", "fixed-points", "phase-relu", "phase-elu",
            "phase-gelu", "phase-erf",
        ] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(stem).csv"), "\(stem).csv")
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(stem).json"), "\(stem).json")
        }
        for stem in ["correlation-maps", "trajectories-relu", "trajectories-elu", "phase-gelu"] {
            let svg = try String(contentsOfFile: "\(dir)/\(stem).svg", encoding: .utf8)
            #expect(svg.hasPrefix("<svg") && svg.contains("</svg>"), "\(stem).svg")
        }
        let rows = try String(contentsOfFile: "\(dir)/fixed-points.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { $0.split(separator: ",") }
        let stable = rows.filter { $0[7] == "true" }.map { (String($0[0]), Double($0[5])!) }
        #expect(stable.filter { $0.0 == "relu" }.map(\.1) == [1])
        // rho* from scripts/fixtures/tsuchida_fixed_points.py (mpmath, 30 digits, 1-D conditional
        // integrals with Gaussian-identity inner expectations): ELU(1), sigma_w 1.2, no bias:
        // q* = 0.511638850374298, rho* = 0.54362552622725 (slope 0.978); GELU, sigma_w 1.5, no
        // bias: q* = 1.40177895996101 (repelling), rho* = 0.803370551373428 (slope 0.938). The
        // tolerance allows q* settled to 1e-11 (the variance iteration's stopping rule) amplified
        // by 1/(1 - slope) = 45.
        #expect(stable.contains { $0.0 == "elu(1)" && Swift.abs($0.1 - 0.54362552622725) < 1e-9 }, "\(stable)")
        #expect(stable.contains { $0.0 == "gelu" && Swift.abs($0.1 - 0.803370551373428) < 1e-9 }, "\(stable)")
        try? FileManager.default.removeItem(atPath: dir)
    }
}
