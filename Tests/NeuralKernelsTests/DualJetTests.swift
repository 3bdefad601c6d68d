import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// The ELU family's closed-form ``DualJet`` against two independent routes: the wedge
/// quadrature of the defining expectations S1 = E[u phi'(u) phi(v)], T1 = E[u phi''(u) phi'(v)]
/// (phi'' the absolutely continuous part: u delta(u) = 0) and, for C^1 activations,
/// dD/dc = E[phi''(u) phi''(v)]; and central differences of the closed-form derivative dual in c
/// where phi' jumps (the Dirac terms have no quadrature).
@Suite struct DualJetTests {
    static let activations: [Activation] = [.elu(1), .elu(0.5), .selu, .celu(1), .celu(2)]
    /// Unequal and equal variances, up to and far beyond the sizes GP regression reaches (q of
    /// 40 to 600), where the tilting factors exceed double range.
    static let variancePairs: [(Double, Double)] = [
        (1, 1), (0.5, 2), (3, 0.7), (10, 10), (35, 28), (40, 40), (300, 330), (2000, 1500),
    ]
    static let correlations: [Double] = [-1, -0.999999, -0.9, -0.5, 0, 0.3, 0.7, 0.99, 0.999999, 1]

    typealias Branches = (negative: @Sendable (Double) -> Double, positive: @Sendable (Double) -> Double)

    /// phi, phi', x phi'(x) and x phi''(x) (a.c. part) of the activation, from its branches
    /// and a central difference of the derivative branch: nothing from the duals' closed forms.
    static func branches(_ a: Activation) -> (
        value: Branches, slope: Branches, scaledSlope: Branches,
        scaledCurvature: Branches, curvature: Branches
    ) {
        let n = a.negative
        let p = a.positive
        @Sendable func second(_ f: @escaping @Sendable (Double) -> Double) -> @Sendable (Double) -> Double {
            // The branches are x or exponentials: a fourth-order difference is exact to ~1e-11.
            { x in
                let h = 1e-3
                return (8 * (f(x + h) - f(x - h)) - (f(x + 2 * h) - f(x - 2 * h))) / (12 * h)
            }
        }
        return (
            (n.value, p.value), (n.derivative, p.derivative),
            ({ $0 * n.derivative($0) }, { $0 * p.derivative($0) }),
            ({ $0 * second(n.derivative)($0) }, { $0 * second(p.derivative)($0) }),
            (second(n.derivative), second(p.derivative))
        )
    }

    @Test(arguments: activations) func scalingDerivativesMatchQuadrature(_ activation: Activation) throws {
        let jetOf = try #require(activation.closedForm?.jet)
        let b = Self.branches(activation)
        let quadrature = WedgeQuadrature()
        var worst = 0.0
        for (q1, q2) in Self.variancePairs {
            for rho in Self.correlations {
                let pair = GaussianPair(q1: q1, q2: q2, c: rho * (q1 * q2).squareRoot())
                let swapped = GaussianPair(q1: q2, q2: q1, c: pair.c, angle: pair.angle)
                let jet = try #require(jetOf(pair))
                let expected: [(String, Double, Double)] = [
                    ("S1", jet.nngpScaling.first, quadrature.expectation(pair, g: b.scaledSlope, h: b.value)),
                    ("S2", jet.nngpScaling.second, quadrature.expectation(swapped, g: b.scaledSlope, h: b.value)),
                    ("T1", jet.derivativeScaling.first, quadrature.expectation(pair, g: b.scaledCurvature, h: b.slope)),
                    (
                        "T2", jet.derivativeScaling.second,
                        quadrature.expectation(swapped, g: b.scaledCurvature, h: b.slope)
                    ),
                    ("F", jet.nngp, quadrature.expectation(pair, g: b.value, h: b.value)),
                    ("D", jet.derivative, quadrature.expectation(pair, g: b.slope, h: b.slope)),
                ]
                // The scale of each quantity: q times the second moments of phi and phi' (SELU's
                // F and S vanish at rho = 0, to rounding).
                let scale = (1 + q1) * (1 + q2)
                for (name, got, want) in expected {
                    let error = Swift.abs(got - want) / (Swift.abs(want) + 1e-5 * scale)
                    worst = max(worst, error)
                    #expect(
                        Swift.abs(got - want) <= 1e-10 * Swift.abs(want) + 1e-14 * scale,
                        "\(activation) \(name) q=(\(q1),\(q2)) rho=\(rho): jet \(got) quadrature \(want)")
                }
            }
        }
        print(
            "DualJet \(activation.name): worst error against quadrature, relative to max(|value|, 1e-5 scale): \(worst)"
        )
    }

    /// dD/dc: against the quadrature of E[phi'' phi''] where phi is C^1 (ELU(1), CELU), and
    /// against fourth-order central differences of the closed-form derivative dual in c
    /// everywhere inside |rho| < 1.
    @Test(arguments: activations) func derivativeSlope(_ activation: Activation) throws {
        let jetOf = try #require(activation.closedForm?.jet)
        let closed = try #require(activation.closedForm)
        let b = Self.branches(activation)
        let smooth = activation.regularity.nonSmoothnessDegree != 1
        for (q1, q2) in Self.variancePairs {
            for rho in Self.correlations where Swift.abs(rho) < 0.999 {
                let root = (q1 * q2).squareRoot()
                let pair = GaussianPair(q1: q1, q2: q2, c: rho * root)
                let slope = try #require(jetOf(pair)).derivativeSlope
                // Small step: D is singular like (1 - rho)^{1/2} or ^{3/2} at rho = 1, 0.01 away at 0.99.
                let h = 1e-4 * root
                func d(_ dc: Double) -> Double { closed.derivative(GaussianPair(q1: q1, q2: q2, c: pair.c + dc)) }
                let difference = (8 * (d(h) - d(-h)) - (d(2 * h) - d(-2 * h))) / (12 * h)
                #expect(
                    Swift.abs(slope - difference) <= 1e-7 * Swift.abs(slope) + 1e-9 / root,
                    "\(activation) dD/dc q=(\(q1),\(q2)) rho=\(rho): jet \(slope) difference \(difference)")
                if smooth {
                    let quad = WedgeQuadrature().expectation(pair, g: b.curvature, h: b.curvature)
                    #expect(
                        Swift.abs(slope - quad) <= 1e-9 * Swift.abs(quad) + 1e-13,
                        "\(activation) dD/dc q=(\(q1),\(q2)) rho=\(rho): jet \(slope) quadrature \(quad)")
                }
            }
        }
    }
}
