import Foundation
import Testing
@testable import NeuralKernels

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
