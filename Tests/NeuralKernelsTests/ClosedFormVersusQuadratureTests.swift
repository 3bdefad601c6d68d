import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// Every closed-form dual agrees with the wedge quadrature (two independent routes) at every
/// correlation, including rho = +-1 and 1 - rho = 1e-12, and at unequal variances.
@Suite struct ClosedFormVersusQuadratureTests {
    static let closedFormActivations: [Activation] = [
        .relu, .leakyReLU(0.2), .abs, .reluPower(2), .reluPower(3), .erf, .gelu, .gaussian, .sin, .cos,
        .identity, .polynomial([0, 1, 0.5]), .polynomial([1, 0, 0, 0.3]),
        .elu(1), .elu(0.5), .selu, .celu(1), .celu(2),
    ]
    static let variancePairs: [(Double, Double)] = [(1, 1), (0.5, 2), (3, 0.7), (10, 10)]
    static let correlations: [Double] = [-1, -1 + 1e-12, -0.999999, -0.9, -0.5, 0, 0.3, 0.7, 0.99, 0.999999, 1 - 1e-12, 1]

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
                #expect(Swift.abs(closed - quad) <= 1e-12 * Swift.abs(closed) + 1e-14 * scale,
                        "\(activation) nngp q=(\(q1),\(q2)) rho=\(rho): closed \(closed) quadrature \(quad)")
                let closedD = dual.derivative(q1: q1, q2: q2, c: c)
                let quadD = dual.derivativeByQuadrature(q1: q1, q2: q2, c: c)
                #expect(Swift.abs(closedD - quadD) <= 1e-12 * Swift.abs(closedD) + 1e-14 * dscale,
                        "\(activation) derivative q=(\(q1),\(q2)) rho=\(rho): closed \(closedD) quadrature \(quadD)")
            }
        }
    }
}

extension Activation: CustomTestStringConvertible {
    public var testDescription: String { name }
}
