import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// Genz's bivariate normal method against the adaptive integral (an independent route: the
/// conditional form integrated adaptively) and against closed forms:
/// Phi2(h, k; 0) = Phi(h) Phi(k), Phi2(0, 0; rho) = 1/4 + asin(rho)/(2 pi) (Sheppard).
@Suite struct BivariateNormalTests {
    static let correlations: [Double] = [
        -0.999999, -0.99, -0.93, -0.9, -0.6, -0.2, 0, 0.1, 0.5, 0.8, 0.92, 0.93, 0.99, 0.999999,
    ]
    static let limits: [Double] = [-6, -3, -1.2, -0.3, 0, 0.4, 1.5, 3, 5]

    @Test func genzAgreesWithTheAdaptiveIntegral() {
        var worst = 0.0
        for r in Self.correlations {
            let angle = CorrelationAngle(q1: 1, q2: 1, c: r)
            for h in Self.limits {
                for k in Self.limits {
                    let g = BivariateNormal.genz(h, k, angle: angle)
                    let a = BivariateNormal.adaptive(h, k, angle: angle)
                    worst = max(worst, Swift.abs(g - a))
                    #expect(Swift.abs(g - a) <= 2e-16 + 1e-14 * a, "rho \(r) h \(h) k \(k): genz \(g), adaptive \(a)")
                }
            }
        }
        print("Genz vs adaptive: worst absolute difference \(worst)")
    }

    /// Lower-tail values (below 1e-6, down to 1e-300) against mpmath's Drezner integral at 40
    /// digits beyond its cancellation: limits down to -9 (scripts/fixtures/bivariate_normal_fixtures.py)
    /// and, with one limit between -10.5 and -37, the far tail that GP regression's variances
    /// (q about 50: limits -sqrt(q)(1 + rho)) reach (bivariate_normal_far_tail_fixtures.py). The
    /// ELU duals multiply these values by exponentials as large as e^{q (1 + rho)}, so `cdf`
    /// must be relatively accurate there, not just to 1e-16 absolutely. The values are exp(-E)
    /// with E up to 700, so the tolerance is E ulps (the conditioning of exp), at least 1e-13;
    /// where the value is dominated by Phi(z) of the conditional argument z = (k - rho h)/s at
    /// the smaller limit h (rho near -1 with k > 0: z = -33 at rho = -0.999, h = -10.5, k = 9),
    /// z^2 ulps: Phi's relative condition number there is about z^2, so rounding z (or s) by one
    /// ulp moves the value by z^2 ulps in any double implementation.
    @Test(arguments: ["bivariate_normal_tail.csv", "bivariate_normal_far_tail.csv"])
    func tailIsRelativelyAccurate(_ fixture: String) throws {
        let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        let table = try FixtureTable(dir.appendingPathComponent(fixture))
        // A truncated file must fail, not check fewer rows.
        #expect(
            table.rows.count == (fixture == "bivariate_normal_tail.csv" ? 601 : 1028),
            "\(fixture): \(table.rows.count) rows")
        let (ih, ik, ir, iv) = (table.column("h"), table.column("k"), table.column("rho"), table.column("phi2"))
        var worst = 0.0
        let clock = ContinuousClock()
        let start = clock.now
        for row in table.rows {
            let h = Double(row[ih])!
            let k = Double(row[ik])!
            let r = Double(row[ir])!
            let exact = Double(row[iv])!
            let angle = CorrelationAngle(q1: 1, q2: 1, c: r)
            for (a, b) in [(h, k), (k, h)] {
                let value = BivariateNormal.cdf(a, b, angle: angle)
                let relative = Swift.abs(value - exact) / exact
                if exact < 1e-7 { worst = max(worst, relative) }
                // exp of an exponent E carries a relative error of about |E| ulp. Above 1e-7
                // Genz's value is used, accurate to 2e-16 absolutely (the test above).
                let low = min(a, b)
                let high = max(a, b)
                let z = (high - r * low) / ((1 - r) * (1 + r)).squareRoot()
                let tolerance = exact >= 1e-7 ? 2e-16 / exact : max(1e-13, 5e-16 * max(-log(exact), z * z))
                #expect(relative <= tolerance, "rho \(r) h \(a) k \(b): \(value) vs \(exact)")
            }
        }
        let perCall = (clock.now - start) / max(1, 2 * table.rows.count)
        print(
            "bivariate normal \(fixture): \(table.rows.count) values, worst relative error below 1e-7 \(worst), \(perCall) a call"
        )
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
                let exact = StandardNormal.cdf(h) * StandardNormal.cdf(k)
                #expect(
                    Swift.abs(BivariateNormal.cdf(h, k, angle: zero) - exact) <= 1e-14 * exact + 1e-300, "h \(h) k \(k)"
                )
            }
        }
    }

    /// The graded Drezner rule against the conditional integral (an independent form) where its
    /// change of variable is most delicate: correlations within an ulp or a few of +-1 (the
    /// variable u = tan(a/2) must stay regular as p -> pi) and of 0 (an interval of an ulp),
    /// unequal variances as GP regression produces them, tail limits. rho >= 0 only: for
    /// rho < 0 the graded value is not used where it cancels.
    @Test func gradedRuleNearTheEndsOfTheCorrelationRange() {
        let pairs: [(q1: Double, q2: Double, c: Double)] = [
            (3, 0.7, (3 * 0.7).squareRoot()), (3, 0.7, -(3 * 0.7).squareRoot()),
            (1, 1, 1 - 0x1p-52), (1, 1, -1 + 0x1p-52), (1, 1, 0.999999), (1, 1, -0.999999),
            (1, 1, 0x1p-60), (1, 1, -0x1p-60), (2, 5, 1e-3),
        ]
        var worst = 0.0
        for (q1, q2, c) in pairs {
            let angle = CorrelationAngle(q1: q1, q2: q2, c: c)
            guard angle.rho >= 0 || angle.complement > 0 else { continue }
            for h in [-14.0, -9, -6.5, -3] {
                for k in [-12.0, -7, -6.5, -2, 1] {
                    let graded = BivariateNormal.dreznerGraded(h, k, angle: angle)
                    if angle.rho < 0 && graded.product > 1e3 * graded.value { continue }
                    let reference = BivariateNormal.adaptive(h, k, angle: angle)
                    guard reference > 1e-300 else { continue }
                    let relative = Swift.abs(graded.value - reference) / reference
                    worst = max(worst, relative)
                    #expect(
                        relative <= 1e-13,
                        "c \(c) q (\(q1), \(q2)) h \(h) k \(k): graded \(graded.value), conditional \(reference)")
                }
            }
        }
        print("graded vs conditional near rho = -1, 0, 1: worst relative difference \(worst)")
    }
}
