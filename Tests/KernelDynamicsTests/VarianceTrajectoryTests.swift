import Foundation
import Testing
import NeuralKernels
@testable import KernelDynamics

/// The joint (q_l, rho_l) trajectory where the variance has no fixed point (issue 16, item 5:
/// GELU at sigma_w = 1.2, no bias, Tsuchida et al. 2021 figure 2), against direct iteration
/// with an independent expectation: GELU is entire, so E[phi(u) phi(v)] by a tensor
/// Gauss-Legendre rule (160 x 160 nodes on [-12, 12]^2 in standard coordinates, u = sqrt(q) z1,
/// v = sqrt(q)(rho z1 + sqrt(1 - rho^2) z2)) is exact to about 1e-15 and shares nothing with the
/// closed-form GELU dual.
@Suite struct VarianceTrajectoryTests {
    static func gelu(_ x: Double) -> Double { 0.5 * x * erfc(-x / 2.0.squareRoot()) }

    static func expectation(q: Double, rho: Double) -> (second: Double, cross: Double) {
        let rule = GaussLegendre.rule(count: 160)
        let s = (1 - rho * rho).squareRoot()
        let sq = q.squareRoot()
        var second = 0.0
        var cross = 0.0
        for (x, wx) in zip(rule.nodes, rule.weights) {
            let z1 = 12 * x
            let p1 = exp(-0.5 * z1 * z1) / (2 * Double.pi).squareRoot() * 12 * wx
            let g1 = gelu(sq * z1)
            second += p1 * g1 * g1
            var inner = 0.0
            for (y, wy) in zip(rule.nodes, rule.weights) {
                let z2 = 12 * y
                inner += exp(-0.5 * z2 * z2) / (2 * Double.pi).squareRoot() * 12 * wy * gelu(sq * (rho * z1 + s * z2))
            }
            cross += p1 * g1 * inner
        }
        return (second, cross)
    }

    @Test(arguments: [0.5, -0.5, 0.0]) func geluTrajectoryMatchesDirectIteration(_ rho0: Double) throws {
        let fp = KernelFixedPoints(
            activation: try ActivationCatalogue.activation(named: "gelu"), sigmaW: 1.2, sigmaB: 0)
        #expect(fp.variance == .vanishes)
        let path = fp.jointTrajectory(q0: 1, rho0: rho0, depth: 12)
        #expect(path.count == 13)
        var q = 1.0
        var rho = rho0
        for l in 1..<path.count {
            let e = Self.expectation(q: q, rho: rho)
            let next = 1.44 * e.second
            rho = 1.44 * e.cross / next
            q = next
            #expect(Swift.abs(path[l].q - q) <= 1e-12 * q, "layer \(l): q \(path[l].q) vs \(q)")
            #expect(Swift.abs(path[l].rho - rho) <= 1e-12, "layer \(l): rho \(path[l].rho) vs \(rho)")
        }
        // The regime the figure shows: q_l -> 0 geometrically (slope sigma_w^2/4 = 0.36 at 0, as
        // GELU(x) ~ x/2), while rho_l settles at a value other than 1 (rho_12 about 0.558 from 0.5).
        #expect(path[12].q < 1e-4)
        if rho0 == 0.5 { #expect(Swift.abs(path[12].rho - 0.5578) < 1e-3, "\(path[12].rho)") }
    }
}
