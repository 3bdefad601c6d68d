import Foundation
import Testing
import NeuralKernels
import KernelDynamics

/// Fixed points of the correlation map close to rho = 1, checked against iteration of the
/// map itself: where iteration from several starts converges to a limit below 1, that limit
/// must be one of the reported fixed points, and stable. Near the order-to-chaos boundary
/// (chi_1 slightly above 1) the attracting fixed point sits within 1e-2 of 1, inside the last
/// cell of a uniform grid, and used to be missed (issue 20: ELU at sigma_w 1.35, sigma_b 0.85,
/// rho* = 0.9965, where only the repelling rho = 1 was reported).
@Suite("Fixed points near rho = 1")
struct FixedPointsNearOneTests {
    /// Both sides of the boundary for ELU (sigma_b = 0.85: ordered at sigma_w = 1.34, rho*
    /// within 4e-3 of 1 at 1.35), and chaotic cases of other activations.
    static let cases: [(String, Double, Double)] = [
        ("elu(1)", 1.35, 0.85), ("elu(1)", 1.34, 0.85), ("elu(1)", 1.4, 0.85), ("elu(1)", 1.3, 0.6),
        ("celu(2)", 1.3, 0.5), ("erf", 1.6, 0.5), ("selu", 1.05, 0.2),
    ]

    @Test("iteration's limit is a reported stable fixed point", arguments: cases)
    func iterationLimitIsReported(_ name: String, _ sw: Double, _ sb: Double) throws {
        let fp = KernelFixedPoints(activation: try ActivationCatalogue.activation(named: name), sigmaW: sw, sigmaB: sb)
        let chi = try #require(fp.chi1)
        for rho0 in [-0.5, 0.0, 0.9] {
            let path = fp.trajectory(from: rho0, depth: 40_000)
            let last = path.last!
            let before = path[path.count - 2]
            try #require(
                Swift.abs(last - before) <= 1e-13, "\(name) \(sw) \(sb): iteration from \(rho0) has not settled")
            if 1 - last < 1e-6 {
                #expect(chi <= 1 + 1e-9, "\(name) \(sw) \(sb): iteration reaches 1 though chi_1 = \(chi)")
                continue
            }
            let match = fp.fixedPoints.first { Swift.abs($0.rho - last) <= 1e-9 }
            #expect(
                match != nil,
                "\(name) \(sw) \(sb): iteration from \(rho0) settles at \(last), reported \(fp.fixedPoints.map(\.rho))")
            #expect(match?.stable == true)
        }
    }

    @Test func eluNearTheBoundary() throws {
        let fp = KernelFixedPoints(activation: .elu(1), sigmaW: 1.35, sigmaB: 0.85)
        let inner = fp.fixedPoints.filter { $0.rho < 1 }
        try #require(inner.count == 1)
        #expect(inner[0].stable && inner[0].rho > 0.99 && inner[0].rho < 0.999)
        #expect(fp.fixedPoints.last!.rho == 1 && !fp.fixedPoints.last!.stable)
    }
}
