import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// The duals continued to signed correlation angles (Proofs/elu-family-duals.md, "Continuation
/// to signed angles"): Owen's T, the Owen forms of the bivariate normal terms the ELU duals
/// use (equal to the existing duals' terms at theta > 0), and the odd parts against references
/// independent of that derivation (mpmath Puiseux fits, scripts/fixtures/continued_dual_fixtures.py).
@Suite struct ContinuedDualTests {
    @Test func owensTClosedForms() {
        // T(0, a) = atan(a)/(2 pi); T(h, 1) = Phi(h)(1 - Phi(h))/2; odd in a.
        for a in [0.01, 0.3, 1.0, 2.5] {
            #expect(Swift.abs(OwensT.value(0, a) - atan(a) / (2 * Double.pi)) <= 2e-16)
            #expect(OwensT.value(1.3, -a) == -OwensT.value(1.3, a))
        }
        for h in [0.0, 0.5, 1.4, 3.0, 6.0] {
            let t = OwensT.value(h, 1)
            let closed = 0.5 * StandardNormal.cdf(h) * StandardNormal.cdf(-h)
            #expect(Swift.abs(t - closed) <= 1e-14 * closed, "T(\(h), 1) = \(t), closed form \(closed)")
        }
    }

    /// The bivariate normal terms of the ELU duals in Owen's form (the form whose continuation
    /// to negative theta defines the continued dual) equal the existing ones at theta > 0, so
    /// the continued dual at theta > 0 is the dual.
    @Test(arguments: [0.5, 2.0, 8.0])
    func owenFormsMatchTheBivariateNormal(q: Double) {
        let sigma = q.squareRoot()
        for y in [1e-6, 1e-3, 0.05, 0.3, 0.7] {
            let pair = GaussianPair(q: q, deficit: q * y, surplus: q * (2 - y))
            let rho = pair.rho
            let s = pair.angle.sine
            let theta = pair.angle.theta
            let t1 = OwensT.value(sigma * rho, s / rho)
            let t2 = OwensT.value(sigma * (1 + rho), tan(0.5 * theta))
            let phi = StandardNormal.cdf
            // P(u < -q, v < -c), P(u > -c, v < -q), P(u < -q - c, v < -q - c).
            let checks: [(Double, Double)] = [
                (
                    0.5 * phi(-sigma) + 0.5 * phi(-sigma * rho) - t1,
                    ExponentialLinearDuals.lower(pair, -q, -pair.c, logScale: 0)
                ),
                (
                    0.5 * phi(-sigma) - 0.5 * phi(-sigma * rho) + t1,
                    ExponentialLinearDuals.upperLower(pair, -pair.c, -q, logScale: 0)
                ),
                (
                    phi(-sigma * (1 + rho)) - 2 * t2,
                    ExponentialLinearDuals.lower(pair, -(q + pair.c), -(q + pair.c), logScale: 0)
                ),
            ]
            for (i, (owen, existing)) in checks.enumerated() {
                #expect(
                    Swift.abs(owen - existing) <= 4e-16 + 1e-13 * Swift.abs(existing),
                    "q \(q) y \(y) term \(i): Owen \(owen), bivariate normal \(existing)")
            }
        }
    }

    /// Odd parts against the mpmath Puiseux fits (independent of Owen's T): absolute error below
    /// 1e-15 of the dual's scale, relative 1e-10 where the odd part is not tiny.
    @Test func oddPartsMatchMpmathPuiseuxFits() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/continued_duals", withExtension: "csv"))
        let table = try FixtureTable(url)
        #expect(table.rows.count == 30, "continued_duals.csv truncated: \(table.rows.count) rows")
        let c = ["alpha", "kind", "q", "y", "odd", "reference_error"].map(table.column)
        var worst = 0.0
        var worstRelative = 0.0
        var worstRow = ""
        for row in table.rows {
            let alpha = Double(row[c[0]])!
            let q = Double(row[c[2]])!
            let y = Double(row[c[3]])!
            let reference = Double(row[c[4]])!
            let referenceError = Double(row[c[5]])!
            let pair = GaussianPair(q: q, deficit: q * y, surplus: q * (2 - y))
            let nngp = row[c[1]] == "nngp"
            let odd =
                nngp
                ? ExponentialLinearDuals.nngpOddPart(pair, alpha: alpha)
                : ExponentialLinearDuals.derivativeOddPart(pair, alpha: alpha)
            let scale = nngp ? ExponentialLinearDuals.nngp(GaussianPair(q1: q, q2: q, c: q), alpha: alpha) : 1
            let error = Swift.abs(odd - reference)
            #expect(
                error <= 2e-15 * scale + 1e-10 * Swift.abs(reference) + referenceError,
                "elu(\(alpha)) \(row[c[1]]) q \(q) y \(y): \(odd) vs \(reference)")
            if error / scale > worst {
                worst = error / scale
                worstRow = "elu(\(alpha)) \(row[c[1]]) q \(q) y \(y)"
            }
            worstRelative = max(worstRelative, error / Swift.abs(reference))
        }
        print(
            "continued duals: \(table.rows.count) odd parts, worst error \(worst) of the dual's scale (\(worstRow)), worst relative \(worstRelative)"
        )
    }

    /// The odd part vanishes to the order the activation's regularity says: ELU(1) nngp ~ y^{5/2},
    /// derivative ~ y^{3/2}; ReLU nngp ~ y^{3/2} (the arc-cosine leading term sqrt 2 q y^{3/2}/(3 pi)).
    @Test func oddPartsVanishAtTheRightOrder() {
        let q = 2.0
        func pair(_ y: Double) -> GaussianPair { GaussianPair(q: q, deficit: q * y, surplus: q * (2 - y)) }
        for (f, a) in [
            ({ (p: GaussianPair) in ExponentialLinearDuals.nngpOddPart(p, alpha: 1) }, 2.5),
            ({ (p: GaussianPair) in ExponentialLinearDuals.derivativeOddPart(p, alpha: 1) }, 1.5),
        ] {
            let r = f(pair(1e-4)) / f(pair(1e-5))
            #expect(Swift.abs(r / pow(10, a) - 1) < 1e-3, "ratio \(r), exponent \(a)")
        }
        let y = 1e-6
        let relu = ArcCosine.oddPart(order: 1, pair(y))
        let lead = 2.0.squareRoot() / (3 * Double.pi) * q * pow(y, 1.5)
        #expect(Swift.abs(relu / lead - 1) < 1e-5, "ReLU odd part \(relu) vs leading term \(lead)")
    }
}
