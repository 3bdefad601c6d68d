import Foundation
import Testing
import _TestSupport
@testable import GPRegression
import NeuralKernels

/// The Hermite series jet (Proofs/hermite-series-duals.md, "Scaling derivatives"): against the
/// direct partials (wedge quadrature and central differences, ``DualPartials``) and against
/// fourth-order differences of the series F and D themselves; Stein's identity on the
/// coefficients and the moments at u = v.
@Suite struct HermiteSeriesPartialsTests {
    static let smooth = ["tanh", "softplus", "silu", "mish"]

    /// (q1, q2, rho): unequal variances, both signs, up to |rho| = 0.95.
    static let pairs: [(Double, Double, Double)] = [
        (0.5, 2.0, 0.3), (1.2, 0.8, -0.7), (3.0, 1.0, 0.9), (0.3, 0.4, 0.95), (1.0, 5.0, -0.2),
    ]

    /// A jet from two expansions' rows.
    static func jet(_ a: Activation, _ q1: Double, _ q2: Double, rho: Double, ntk: Bool = true) -> DualJet? {
        let order = HermiteCoefficients.defaultOrder
        let length = HermiteCoefficients.rowLength(order: order)
        guard let x = HermiteCoefficients(a, variance: q1), let y = HermiteCoefficients(a, variance: q2) else {
            return nil
        }
        var rx = [Double](repeating: 0, count: length)
        var ry = rx
        rx.withUnsafeMutableBufferPointer { x.write(row: $0.baseAddress!) }
        ry.withUnsafeMutableBufferPointer { y.write(row: $0.baseAddress!) }
        return rx.withUnsafeBufferPointer { px in
            ry.withUnsafeBufferPointer { py in
                HermiteCoefficients.jet(
                    px.baseAddress!, x.scalars, py.baseAddress!, y.scalars, order: order, rho: rho, gradient: true,
                    ntk: ntk)
            }
        }
    }

    /// Every entry of the series jet against the direct partials: F, D to 1e-12 of their
    /// scales (the wedge quadrature's accuracy: measured 3.3e-13 for mish, where the series
    /// agrees with mpmath to 3e-15, HermiteSeriesTests), S, T and dD/dc to the central
    /// differences' 1e-8 (their truncation and rounding are about 1e-10 ... 1e-9).
    @Test(arguments: smooth) func jetMatchesDirectPartials(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let direct = DualPartials(a)
        for (q1, q2, rho) in Self.pairs {
            let c = rho * (q1 * q2).squareRoot()
            let j = try #require(Self.jet(a, q1, q2, rho: rho), "\(name) \(q1) \(q2) \(rho): not certified")
            let s = direct.scalings(q1: q1, q2: q2, c: c, ntk: true)
            let fScale =
                (direct.nngp(GaussianPair(q1: q1, q2: q1, c: q1)) * direct.nngp(GaussianPair(q1: q2, q2: q2, c: q2)))
                .squareRoot()
            let dScale =
                (direct.derivative(GaussianPair(q1: q1, q2: q1, c: q1))
                * direct.derivative(GaussianPair(q1: q2, q2: q2, c: q2))).squareRoot()
            let label = "\(name) (\(q1), \(q2), \(rho))"
            #expect(Swift.abs(j.nngp - s.f) <= 1e-12 * fScale, "\(label) F: \(j.nngp) vs \(s.f)")
            #expect(Swift.abs(j.derivative - s.d) <= 1e-12 * dScale, "\(label) D: \(j.derivative) vs \(s.d)")
            #expect(
                Swift.abs(j.nngpScaling.first - s.s1) <= 1e-8 * fScale, "\(label) S1: \(j.nngpScaling.first) vs \(s.s1)"
            )
            #expect(Swift.abs(j.nngpScaling.second - s.s2) <= 1e-8 * fScale, "\(label) S2")
            #expect(
                Swift.abs(j.derivativeScaling.first - s.t1) <= 1e-8 * dScale,
                "\(label) T1: \(j.derivativeScaling.first) vs \(s.t1)")
            #expect(Swift.abs(j.derivativeScaling.second - s.t2) <= 1e-8 * dScale, "\(label) T2")
            let slopeScale = dScale / (q1 * q2).squareRoot()
            #expect(
                Swift.abs(j.derivativeSlope - s.dSlope) <= 1e-8 * slopeScale,
                "\(label) dD/dc: \(j.derivativeSlope) vs \(s.dSlope)")
        }
    }

    /// S1, T1 against fourth-order differences of the series F, D along l (F(l^2 q1, q2, l c)
    /// keeps rho), dD/dc against differences of D in c, step 1e-3: truncation ~ h^4 ~ 1e-12,
    /// rounding ~ 1e-14 / h; independent of the direct quadrature.
    @Test(arguments: ["tanh", "softplus"]) func jetMatchesDifferencesOfTheSeries(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let h = 1e-3
        for (q1, q2, rho) in Self.pairs {
            let j = try #require(Self.jet(a, q1, q2, rho: rho))
            func along(_ t: Double) throws -> DualJet {
                try #require(Self.jet(a, (1 + t) * (1 + t) * q1, q2, rho: rho))
            }
            func across(_ t: Double) throws -> DualJet {
                // c + t sqrt(q1 q2): rho + t.
                try #require(Self.jet(a, q1, q2, rho: rho + t))
            }
            func fd(_ f: (Double) throws -> Double) rethrows -> Double {
                (8 * (try f(h) - f(-h)) - (try f(2 * h) - f(-2 * h))) / (12 * h)
            }
            let s1 = try fd { try along($0).nngp }
            let t1 = try fd { try along($0).derivative }
            let slope = try fd { try across($0).derivative } / (q1 * q2).squareRoot()
            let label = "\(name) (\(q1), \(q2), \(rho))"
            let scale = max(1, Swift.abs(j.nngp))
            #expect(
                Swift.abs(j.nngpScaling.first - s1) <= 1e-10 * scale, "\(label) S1: \(j.nngpScaling.first) vs \(s1)")
            #expect(
                Swift.abs(j.derivativeScaling.first - t1) <= 1e-10 * scale,
                "\(label) T1: \(j.derivativeScaling.first) vs \(t1)")
            #expect(
                Swift.abs(j.derivativeSlope - slope) <= 1e-10 * scale / (q1 * q2).squareRoot(),
                "\(label) dD/dc: \(j.derivativeSlope) vs \(slope)")
        }
    }

    /// Stein's lemma on the coefficients, sqrt(q) b_k = sqrt(k+1) a_{k+1} (k < 200), to 1e-14 of
    /// sqrt(E[phi(u)^2]); and the scaling moments at u = v against the direct differences at rho = 1.
    @Test(arguments: smooth) func steinIdentityAndDiagonalMoments(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let direct = DualPartials(a)
        for q in [0.2, 1.0, 4.0] {
            let e = try #require(HermiteCoefficients(a, variance: q))
            let scale = e.valueEnergy.squareRoot()
            var worst = 0.0
            for k in 0..<200 {
                worst = max(
                    worst, Swift.abs(q.squareRoot() * e.derivative[k] - Double(k + 1).squareRoot() * e.value[k + 1]))
            }
            #expect(worst <= 1e-14 * scale, "\(name) q = \(q): Stein off by \(worst / scale)")
            let s = direct.scalings(q1: q, q2: q, c: q, ntk: true)
            let j = HermiteCoefficients.diagonalJet(e.scalars)
            #expect(
                Swift.abs(j.nngpScaling.first - s.s1) <= 1e-8 * e.valueEnergy,
                "\(name) q = \(q) S: \(j.nngpScaling.first) vs \(s.s1)")
            #expect(
                Swift.abs(j.derivativeScaling.first - s.t1) <= 1e-8 * e.derivativeEnergy,
                "\(name) q = \(q) T: \(j.derivativeScaling.first) vs \(s.t1)")
        }
    }
}
