import Foundation
import Testing
import _NumericalBackends
@testable import SphericalSpectra

/// The polished rule integrates polynomials of degree 2n - 1 to a few ulps, where GSL's own
/// Golub-Welsch weights miss by ~1e-12 (the reason for polishing).
@Suite struct GaussLegendreRuleTests {
    @Test(arguments: [40, 260, 1500])
    func integratesMonomials(n: Int) throws {
        let rule = try GaussLegendreRule.halfInterval(count: n)
        let b = 0.5.squareRoot()
        for p in [0, 1, 7, 39] {
            let exact = pow(b, Double(p + 1)) / Double(p + 1)
            let sum = zip(rule.nodes, rule.weights).reduce(0.0) { $0 + $1.1 * pow($1.0 / b, Double(p)) * pow(b, Double(p)) }
            #expect(Swift.abs(sum - exact) <= 64 * Double.ulpOfOne * exact, "n \(n) degree \(p)")
        }
        let gsl = try GSL.gaussRule(.legendre, count: n, on: 0, b)
        let worstGSL = zip(gsl.weights.sorted(), rule.weights.sorted()).map { Swift.abs($0 - $1) / $1 }.max()!
        print("n \(n): GSL weights' largest relative deviation \(worstGSL)")
    }
}
