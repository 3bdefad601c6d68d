import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// Every closed-form dual agrees with the wedge quadrature (two independent routes) at every
/// correlation, including rho = +-1 and 1 - rho = 1e-12, and at unequal variances.
@Suite struct ClosedFormVersusQuadratureTests {
    /// Every catalogue example with a closed form, and a few more parameters.
    static let closedFormActivations: [Activation] =
        ActivationCatalogue.examples.compactMap { try? ActivationCatalogue.activation(named: $0) }
        .filter { $0.closedForm != nil }
        + [.polynomial([0, 1, 0.5]), .polynomial([1, 0, 0, 0.3]), .celu(1)]
    static let variancePairs: [(Double, Double)] = [(1, 1), (0.5, 2), (3, 0.7), (10, 10)]
    static let correlations: [Double] = [
        -1, -1 + 1e-12, -0.999999, -0.9, -0.5, 0, 0.3, 0.7, 0.99, 0.999999, 1 - 1e-12, 1,
    ]

    @Test(arguments: closedFormActivations)
    func nngpAndDerivativeDuals(_ activation: Activation) {
        let dual = DualActivation(activation)
        for (q1, q2) in Self.variancePairs {
            let scale = (dual.secondMoment(q: q1) * dual.secondMoment(q: q2)).squareRoot()
            let dscale = (dual.derivativeSecondMoment(q: q1) * dual.derivativeSecondMoment(q: q2)).squareRoot()
            for rho in Self.correlations {
                let c = rho * (q1 * q2).squareRoot()
                let closed = dual.nngp(q1: q1, q2: q2, c: c)
                let quad = dual.nngpByQuadrature(q1: q1, q2: q2, c: c)
                #expect(
                    Swift.abs(closed - quad) <= 1e-12 * Swift.abs(closed) + 1e-14 * scale,
                    "\(activation) nngp q=(\(q1),\(q2)) rho=\(rho): closed \(closed) quadrature \(quad)")
                let closedD = dual.derivative(q1: q1, q2: q2, c: c)
                let quadD = dual.derivativeByQuadrature(q1: q1, q2: q2, c: c)
                #expect(
                    Swift.abs(closedD - quadD) <= 1e-12 * Swift.abs(closedD) + 1e-14 * dscale,
                    "\(activation) derivative q=(\(q1),\(q2)) rho=\(rho): closed \(closedD) quadrature \(quadD)")
            }
        }
    }
}

/// The ELU family at the variances deep networks and GP regression reach (q from 50 to 2000):
/// there the closed forms multiply bivariate normal values as small as e^{-2q} by e^{2q}, so
/// the far tails must be relatively accurate (a 1% error at q = 200, rho = 0.999 and
/// eigenvalues of -0.17 in a yacht Gram matrix came from there), and beyond double range the
/// wedge quadrature takes over (NaN before).
@Suite struct ExponentialLinearAtLargeVariancesTests {
    @Test(arguments: [Activation.elu(1), .elu(0.5), .selu, .celu(1)])
    func closedFormMatchesQuadrature(_ activation: Activation) {
        let dual = DualActivation(activation)
        var worst = 0.0
        for q in [50.0, 100, 200, 300, 360, 800, 2000] {
            for ratio in [1.0, 1.1, 2] {
                let q1 = q
                let q2 = q * ratio
                for rho in [-0.999, -0.5, 0, 0.3, 0.9, 0.999, 0.999999] {
                    let c = rho * (q1 * q2).squareRoot()
                    for (closed, quad) in [
                        (dual.nngp(q1: q1, q2: q2, c: c), dual.nngpByQuadrature(q1: q1, q2: q2, c: c)),
                        (dual.derivative(q1: q1, q2: q2, c: c), dual.derivativeByQuadrature(q1: q1, q2: q2, c: c)),
                    ] {
                        let error = Swift.abs(closed - quad) / Swift.abs(quad)
                        worst = max(worst, error.isNaN ? .infinity : error)
                        #expect(
                            error <= 1e-11,
                            "\(activation) q=(\(q1),\(q2)) rho=\(rho): closed \(closed) quadrature \(quad)")
                    }
                }
            }
        }
        print("\(activation.name) at large variances: worst relative difference from quadrature \(worst)")
    }
}

extension Activation: CustomTestStringConvertible {
    public var testDescription: String { name }
}
