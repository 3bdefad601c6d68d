import Foundation
import Testing
import _NumericalBackends
@testable import LearningCurves

/// The tail sums past kmax against the Hurwitz zeta function (GSL): on S^2, N = 2k + 1, so for
/// mu_k = c k^-p, S_j = c^j (2 zeta(jp - 1, K + 1) + zeta(jp, K + 1)).
@Suite struct TailMomentsTests {
    @Test(arguments: [(3.0, 100), (3.0, 100_000), (5.0, 1000), (2.5, 20)])
    func powerLawTailMatchesHurwitzZeta(p: Double, after k: Int) throws {
        let c = 0.7
        let tail = TailMoments(powerLaw: c, exponent: p, dimension: 3, after: k)
        func exact(_ j: Double) throws -> Double {
            pow(c, j)
                * (2 * (try GSL.hurwitzZeta(j * p - 1, Double(k + 1)).value)
                    + (try GSL.hurwitzZeta(j * p, Double(k + 1)).value))
        }
        let (e1, e2, e3) = (try exact(1), try exact(2), try exact(3))
        print(
            "p \(p) K \(k): S1 rel \(Swift.abs(tail.s1 / e1 - 1)) S2 \(Swift.abs(tail.s2 / e2 - 1)) S3 \(Swift.abs(tail.s3 / e3 - 1))"
        )
        // The explicit block reaches K2 = max(4K, K + 4096); continuing N mu^j = 2c k^{1-jp}(1 + 1/(2k))
        // as a pure power law from there costs O(1/K2) of the remainder.
        let tolerance = 0.2 / Double(max(4 * k, k + 4096))
        #expect(Swift.abs(tail.s1 / e1 - 1) <= tolerance)
        #expect(Swift.abs(tail.s2 / e2 - 1) <= tolerance)
        #expect(Swift.abs(tail.s3 / e3 - 1) <= tolerance)
        #expect(tail.modelledEven && tail.modelledOdd && tail.unmodelledTrace == 0)
        #expect(Swift.abs(tail.largestEigenvalue / (c * pow(Double(k + 1), -p)) - 1) <= 1e-15)
    }

    /// A parity whose model changes sign (or is declared untrusted) is not summed: its
    /// |mu| + error go to the unmodelled bound.
    @Test func untrustedParityGoesToTheBound() {
        // Even k: k^-3; odd k: +-1e-20 k^-3 alternating (a cancelling parity's model), errors 1e-22 k^-3.
        func value(_ k: Int) -> Double {
            if k % 2 == 0 { return pow(Double(k), -3) }
            return ((k / 2) % 2 == 0 ? 1e-20 : -1e-20) * pow(Double(k), -3)
        }
        let tail = TailMoments(dimension: 3, after: 10, modelled: (true, true)) { k0, k1 in
            ((k0...k1).map(value), (k0...k1).map { 1e-22 * pow(Double($0), -3) })
        }
        #expect(tail.modelledEven && !tail.modelledOdd)
        // sum over odd k > 10 of (2k + 1)(1.01e-20) k^-3, about 1.01e-20 * 2 * (1/11 + 1/13 + ...) / 1 ~ 1e-21.
        #expect(tail.unmodelledTrace > 5e-22 && tail.unmodelledTrace < 3e-21, "\(tail.unmodelledTrace)")
    }
}
