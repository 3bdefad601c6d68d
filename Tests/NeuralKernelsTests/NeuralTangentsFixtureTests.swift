import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// Our recursion reproduces Neural Tangents 0.6.5 (jax 0.4.30, float64) for every activation
/// it has, both parametrisations, depths 1-4, with and without bias, on data with unit and
/// non-unit norms and a repeated point (scripts/fixtures/neural_tangents_fixtures.py).
@Suite struct NeuralTangentsFixtureTests {
    @Test func matchesNeuralTangents() throws {
        let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        let data = try FixtureTable(dir.appendingPathComponent("nt_data.csv")).rows.map { $0.map { Double($0)! } }
        let table = try FixtureTable(dir.appendingPathComponent("nt_kernels.csv"))
        // A truncated file must fail, not check fewer rows.
        #expect(
            data.count == 8 && table.rows.count == 6048,
            "nt_data.csv / nt_kernels.csv truncated: \(data.count), \(table.rows.count) rows")
        let c = ["activation", "parametrization", "depth", "sigma_w", "sigma_b", "width", "i", "j", "nngp", "ntk"].map(
            table.column)
        var worst = 0.0
        var checked = 0
        for row in table.rows {
            let activation = try ActivationCatalogue.activation(named: row[c[0]])
            let network = try NetworkKernel(
                activation: activation, depth: Int(row[c[2]])!, sigmaW: Double(row[c[3]])!, sigmaB: Double(row[c[4]])!,
                parametrization: row[c[1]] == "ntk" ? .ntk : .standard, width: Int(row[c[5]])!)
            let i = Int(row[c[6]])!
            let j = Int(row[c[7]])!
            let ours = network.kernel(data[i], data[j])
            let nngp = Double(row[c[8]])!
            let ntk = Double(row[c[9]])!
            let scaleN = max(Swift.abs(nngp), 1e-300)
            let scaleT = max(Swift.abs(ntk), 1e-300)
            let en = Swift.abs(ours.nngp - nngp) / scaleN
            let et = Swift.abs(ours.ntk - ntk) / scaleT
            worst = max(worst, en, et)
            checked += 1
            #expect(en <= 1e-11, "\(row): nngp \(ours.nngp) vs NT \(nngp)")
            #expect(et <= 1e-11, "\(row): ntk \(ours.ntk) vs NT \(ntk)")
        }
        #expect(checked > 1000)
        print("Neural Tangents fixtures: \(checked) rows, worst relative difference \(worst)")
    }
}
