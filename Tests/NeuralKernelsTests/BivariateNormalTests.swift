import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// Genz's bivariate normal method against the adaptive integral (an independent route: the
/// conditional form integrated adaptively) and against closed forms:
/// Phi2(h, k; 0) = Phi(h) Phi(k), Phi2(0, 0; rho) = 1/4 + asin(rho)/(2 pi) (Sheppard).
@Suite struct BivariateNormalTests {
    static let correlations: [Double] = [-0.999999, -0.99, -0.93, -0.9, -0.6, -0.2, 0, 0.1, 0.5, 0.8, 0.92, 0.93, 0.99, 0.999999]
    static let limits: [Double] = [-6, -3, -1.2, -0.3, 0, 0.4, 1.5, 3, 5]

    @Test func genzAgreesWithTheAdaptiveIntegral() {
        var worst = 0.0
        for r in Self.correlations {
            let angle = CorrelationAngle(q1: 1, q2: 1, c: r)
            for h in Self.limits {
                for k in Self.limits {
                    let g = BivariateNormal.genz(h, k, angle: angle), a = BivariateNormal.adaptive(h, k, angle: angle)
                    worst = max(worst, Swift.abs(g - a))
                    #expect(Swift.abs(g - a) <= 2e-16 + 1e-14 * a, "rho \(r) h \(h) k \(k): genz \(g), adaptive \(a)")
                }
            }
        }
        print("Genz vs adaptive: worst absolute difference \(worst)")
    }

    /// Lower-tail values (below 1e-6, down to 1e-300) against 40-digit mpmath quadrature of the
    /// conditional integral (scripts/fixtures/bivariate_normal_fixtures.py): the ELU duals
    /// multiply them by exponentials as large as e^40, so `cdf` must be relatively accurate
    /// there, not just to 1e-16 absolutely. The values are exp(-E) with E up to 700, so the
    /// tolerance is E ulps (the conditioning of exp), at least 1e-13.
    @Test func tailIsRelativelyAccurate() throws {
        let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        let table = try FixtureTable(dir.appendingPathComponent("bivariate_normal_tail.csv"))
        let (ih, ik, ir, iv) = (table.column("h"), table.column("k"), table.column("rho"), table.column("phi2"))
        var worst = 0.0
        let clock = ContinuousClock()
        let start = clock.now
        for row in table.rows {
            let h = Double(row[ih])!, k = Double(row[ik])!, r = Double(row[ir])!, exact = Double(row[iv])!
            let angle = CorrelationAngle(q1: 1, q2: 1, c: r)
            for (a, b) in [(h, k), (k, h)] {
                let value = BivariateNormal.cdf(a, b, angle: angle)
                let relative = Swift.abs(value - exact) / exact
                worst = max(worst, relative)
                // exp of an exponent E carries a relative error of about |E| ulp. Above 1e-7
                // Genz's value is used, accurate to 2e-16 absolutely (the test above).
                let tolerance = exact >= 1e-7 ? 2e-16 / exact : max(1e-13, 5e-16 * -log(exact))
                #expect(relative <= tolerance, "rho \(r) h \(a) k \(b): \(value) vs \(exact)")
            }
        }
        let perCall = (clock.now - start) / (2 * table.rows.count)
        print("bivariate normal tail: \(table.rows.count) values, worst relative error \(worst), \(perCall) a call")
    }

    @Test func closedForms() {
        for r in Self.correlations {
            let angle = CorrelationAngle(q1: 1, q2: 1, c: r)
            let sheppard = 0.25 + asin(r) / (2 * Double.pi)
            #expect(Swift.abs(BivariateNormal.cdf(0, 0, angle: angle) - sheppard) <= 4e-16, "rho \(r)")
        }
        let zero = CorrelationAngle(q1: 1, q2: 1, c: 0)
        for h in Self.limits {
            for k in Self.limits {
                let exact = BivariateNormal.phi(h) * BivariateNormal.phi(k)
                #expect(Swift.abs(BivariateNormal.cdf(h, k, angle: zero) - exact) <= 1e-14 * exact + 1e-300, "h \(h) k \(k)")
            }
        }
    }
}
