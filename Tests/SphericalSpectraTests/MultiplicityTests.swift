import Testing
@testable import SphericalSpectra

/// N(d, k) against the dimension of degree-k harmonic polynomials in d variables,
/// binom(k + d - 1, d - 1) - binom(k + d - 3, d - 1) (Proofs/funk-hecke-normalisation.md).
@Suite struct MultiplicityTests {
    static func binomial(_ n: Int, _ r: Int) -> Double {
        if r < 0 || n < r { return 0 }
        var x = 1.0
        for j in 0..<r { x = x * Double(n - j) / Double(j + 1) }
        return x.rounded()
    }

    @Test(arguments: [2, 3, 4, 5, 10, 64])
    func matchesHarmonicDimension(d: Int) {
        for k in 0...60 {
            let expected = MultiplicityTests.binomial(k + d - 1, d - 1) - MultiplicityTests.binomial(k + d - 3, d - 1)
            let n = Multiplicity.value(dimension: d, degree: k)
            if expected < 1e15 {
                #expect(n == expected, "d \(d) k \(k)")
            } else {
                #expect(Swift.abs(n - expected) <= 1e-13 * expected, "d \(d) k \(k)")
            }
        }
    }

    @Test func knownCases() {
        #expect(Multiplicity.value(dimension: 2, degree: 7) == 2)
        #expect(Multiplicity.value(dimension: 3, degree: 7) == 15)
        #expect(Multiplicity.value(dimension: 4, degree: 3) == 16)  // (k + 1)^2
    }
}
