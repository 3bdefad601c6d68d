import Foundation
import Testing
import NeuralKernels
import _TestSupport
@testable import SphericalSpectra

/// mu_k against 30-digit mpmath references (scripts/spectral/generate_fixtures.py), d in
/// {2, 3, 5, 10}, k <= 200. Checks the issue's accuracy targets and that no resolved value's
/// true error exceeds its estimate.
@Suite struct FixtureTests {
    struct Reference {
        let k: Int
        let mu: Double
        let error: Double
    }

    static let table = references("Fixtures/spectra")

    /// The rows of a kernel,d,k,mu,reference_error CSV by "kernel d" (empty when the file is
    /// missing or unreadable: the tests then fail on their `#require`).
    static func references(_ resource: String) -> [String: [Reference]] {
        guard let url = Bundle.module.url(forResource: resource, withExtension: "csv"),
            let t = try? FixtureTable(url)
        else { return [:] }
        var out: [String: [Reference]] = [:]
        let (kc, dc, kk, mc, ec) = (
            t.column("kernel"), t.column("d"), t.column("k"), t.column("mu"), t.column("reference_error")
        )
        for row in t.rows {
            out["\(row[kc]) \(row[dc])", default: []].append(
                Reference(k: Int(row[kk])!, mu: Double(row[mc])!, error: Double(row[ec])!))
        }
        return out
    }

    static func kernel(_ name: String) throws -> any DotProductKernel {
        switch name {
        case "relu_ntk_depth2_bias":
            return try NetworkSphereKernel(NetworkKernel(activation: .relu, depth: 2, sigmaB: 1), kind: .ntk)
        case "relu_ntk_depth2_nobias":
            return try NetworkSphereKernel(NetworkKernel(activation: .relu, depth: 2, sigmaB: 0), kind: .ntk)
        case "relu_nngp_depth3_bias":
            return try NetworkSphereKernel(NetworkKernel(activation: .relu, depth: 3, sigmaB: 1), kind: .nngp)
        case "selu_ntk_depth3_bias":
            return try NetworkSphereKernel(NetworkKernel(activation: .selu, depth: 3, sigmaB: 1), kind: .ntk)
        case "elu_nngp_depth3_bias":
            return try NetworkSphereKernel(NetworkKernel(activation: .elu(), depth: 3, sigmaB: 1), kind: .nngp)
        case "elu_ntk_depth3_bias":
            return try NetworkSphereKernel(NetworkKernel(activation: .elu(), depth: 3, sigmaB: 1), kind: .ntk)
        case "laplace_1": return try LaplaceKernel(c: 1)
        default: throw SpectralError.invalidData("unknown fixture kernel \(name)")
        }
    }

    static let cases: [String] = [
        "relu_ntk_depth2_bias", "relu_ntk_depth2_nobias", "relu_nngp_depth3_bias",
        "selu_ntk_depth3_bias", "elu_nngp_depth3_bias", "elu_ntk_depth3_bias", "laplace_1",
    ].flatMap { name in [2, 3, 5, 10].map { "\(name) \($0)" } }

    /// Kernel/dimension pairs that still miss the issue's accuracy targets: none. (The 3-layer
    /// ELU NNGP at d = 2, 3, 5, 1e-5 ... 3e-5 past the double-precision floor with a tail fitted on
    /// 1e-4 data, left the list when the singular terms at t = 1 came exactly from the kernel's
    /// continuation in the signed angle, Proofs/endpoint-expansion.md; the circle's 3-layer ReLU
    /// NNGP and SELU NTK, and the ELU NNGP at d = 10, when the Gauss-Legendre nodes and weights
    /// became exact to double-double, Proofs/spectral-quadrature.md.)
    /// `withKnownIssue` fails as soon as one of them starts meeting the targets, so this list
    /// must match reality. The error-estimate check below has no exceptions.
    static let knownMisses: Set<String> = []

    @Test(arguments: cases)
    func matchesReference(key: String) throws {
        // Every case is in spectra.csv: a missing or unreadable file (an empty table) fails here.
        let refs = try #require(FixtureTests.table[key], "Fixtures/spectra.csv missing, unreadable or without \(key)")
        let parts = key.split(separator: " ")
        let d = Int(parts[1])!
        let kmax = refs.map(\.k).max()!
        let spectrum = try GegenbauerSpectrum(kernel: FixtureTests.kernel(String(parts[0])), dimension: d, kmax: kmax)
        let mu0 = refs.first { $0.k == 0 }!.mu
        var worstHigh = 0.0
        var worstLow = 0.0
        for r in refs {
            let actual = Swift.abs(spectrum.mu[r.k] - r.mu)
            let relative = actual / Swift.abs(r.mu)
            if Swift.abs(r.mu) >= 1e-6 * mu0 {
                worstHigh = max(worstHigh, relative)
            } else if Swift.abs(r.mu) >= 1e-14 * mu0 {
                worstLow = max(worstLow, relative)
            }
            if spectrum.resolved[r.k] && actual > spectrum.error[r.k] + r.error {
                Issue.record(
                    "\(key) k \(r.k): resolved with error estimate \(spectrum.error[r.k]) but actual error \(actual)")
            }
        }
        let targets = {
            #expect(worstHigh <= 1e-10, "\(key): relative error \(worstHigh) where mu_k >= 1e-6 mu_0")
            #expect(worstLow <= 1e-6, "\(key): relative error \(worstLow) where 1e-14 mu_0 <= mu_k < 1e-6 mu_0")
        }
        if FixtureTests.knownMisses.contains(key) { withKnownIssue { targets() } } else { targets() }
        // FIXTURE_DUMP=<directory>: every k's reference, value, estimate and method as CSV (diagnostics).
        if let dir = ProcessInfo.processInfo.environment["FIXTURE_DUMP"] {
            var out = "k,ref,mu,err,method,measured,merr\n"
            for r in refs {
                out +=
                    "\(r.k),\(r.mu),\(spectrum.mu[r.k]),\(spectrum.error[r.k]),\(spectrum.method[r.k]),\(r.k <= spectrum.quadratureDegree ? spectrum.measuredMu[r.k] : .nan),\(r.k <= spectrum.quadratureDegree ? spectrum.measuredError[r.k] : .nan)\n"
            }
            try? out.write(
                toFile: dir + "/" + key.replacingOccurrences(of: " ", with: "_") + ".csv", atomically: true,
                encoding: .utf8)
        }
        print(
            "\(key): worst relative error \(worstHigh) (mu >= 1e-6 mu_0), \(worstLow) (1e-14 mu_0 <= mu < 1e-6 mu_0); resolved \(spectrum.resolved.filter { $0 }.count)/\(kmax + 1)"
        )
    }
}
