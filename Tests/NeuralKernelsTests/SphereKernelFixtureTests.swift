import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// Deep sphere kernels against 40-digit mpmath values (scripts/fixtures/sphere_kernel_fixtures.py,
/// written independently: arc-cosine kernels by their angular integral, GELU by 1-D Gaussian
/// conditioning): relative error <= 1e-12 for NNGP and NTK at every t, including t = +-1 and
/// 1 - t = 1e-12, with and without bias, with sigma_i < 1.
@Suite struct SphereKernelFixtureTests {
    @Test func deepKernelsMatchHighPrecisionReferences() throws {
        let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        let file = dir.appendingPathComponent("sphere_kernels.csv")
        guard FileManager.default.fileExists(atPath: file.path) else {
            Issue.record("missing fixture sphere_kernels.csv")
            return
        }
        let table = try FixtureTable(file)
        #expect(table.rows.count == 504, "sphere_kernels.csv truncated: \(table.rows.count) rows")
        let c = ["activation", "depth", "sigma_w", "sigma_b", "sigma_i", "t", "nngp", "ntk"].map(table.column)
        var worst = 0.0
        for row in table.rows {
            let network = try NetworkKernel(
                activation: try ActivationCatalogue.activation(named: row[c[0]]),
                depth: Int(row[c[1]])!, sigmaW: Double(row[c[2]])!,
                sigmaB: Double(row[c[3]])!, sigmaI: Double(row[c[4]])!)
            let sphere = try SphereKernel(network)
            let t = Double(row[c[5]])!
            let v = sphere(t)
            let refN = Double(row[c[6]])!
            let refT = Double(row[c[7]])!
            let top = sphere(1)
            let en = Swift.abs(v.nngp - refN)
            let et = Swift.abs(v.ntk - refT)
            #expect(en <= 1e-12 * Swift.abs(refN) + 1e-15 * top.nngp, "\(row): nngp \(v.nngp) vs \(refN)")
            #expect(et <= 1e-12 * Swift.abs(refT) + 1e-15 * top.ntk, "\(row): ntk \(v.ntk) vs \(refT)")
            if refN != 0 { worst = max(worst, en / Swift.abs(refN)) }
            if refT != 0 { worst = max(worst, et / Swift.abs(refT)) }
        }
        print("sphere kernel fixtures: \(table.rows.count) rows, worst relative error \(worst)")
    }
}
