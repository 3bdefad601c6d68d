import Foundation
import Testing
import _TestSupport
import NeuralKernels

/// The real rkhs binary: output formats, one-line errors with status 64, atomic files.
@Suite struct CommandLineTests {
    @Test func kernelCSVHasExactColumnsAndFullPrecision() throws {
        let r = try CommandLineRunner.run(["kernel", "--activation", "relu", "--depth", "3", "--t", "0.5,1", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "t,nngp,ntk")
        // Depth-3 ReLU with bias at t = 1: Sigma = 2, Theta = 2 + (2 + 2/2)/2 = 3.5 exactly.
        #expect(lines.last == "1,2,3.5")
        let fields = lines[1].split(separator: ",")
        #expect(fields.count == 3)
        let nngp = Double(fields[1])!
        let expected = try SphereKernel(try NetworkKernel(activation: .relu, depth: 3))(0.5).nngp
        #expect(nngp == expected)   // 17 significant digits round-trip exactly
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
        (["gram", "--data", "/nonexistent.csv", "--out", "/tmp/k.npy"], "cannot read '/nonexistent.csv'"),
        (["gram", "--data", "/dev/null", "--out", "/tmp/k.txt"], "allowed: a path ending in .npy or .csv"),
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
        let r = try CommandLineRunner.run(["gram", "--data", data.path, "--activation", "gelu", "--depth", "3",
                                           "--kernel", "nngp", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let decoded = try NPYFile.decode(try Data(contentsOf: out))
        #expect(decoded.rows == 3 && decoded.columns == 3)
        let network = try NetworkKernel(activation: .gelu, depth: 3)
        let expected = network.kernel([0.6, 0.8], [0, 2]).nngp
        #expect(Swift.abs(decoded.values[5] - expected) <= 1e-14 * expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["K.npy", "x.csv"])

        try "1,0\n0.6\n".write(to: data, atomically: true, encoding: .utf8)
        let bad = try CommandLineRunner.run(["gram", "--data", data.path, "--out", dir.appendingPathComponent("K2.npy").path])
        #expect(bad.status == 64 && bad.stderr.contains("line 2 has 1 fields; expected 2"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("K2.npy").path))
    }
}
