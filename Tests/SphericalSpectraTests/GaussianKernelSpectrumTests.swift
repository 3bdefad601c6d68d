import Foundation
import Testing
@testable import SphericalSpectra

/// The Gaussian kernel exp(-c |x - y|^2) = e^{-2c} e^{s t}, s = 2c, has Funk-Hecke eigenvalues
/// in closed form on every sphere S^{d-1}:
///
///     mu_k = e^{-s} Gamma(d/2) (2/s)^{d/2 - 1} I_{k + d/2 - 1}(s)
///
/// (expand e^{st} in Gegenbauer polynomials; Watson, Bessel Functions, 11.5; with P_k(1) = 1
/// and the probability measure on the sphere). I_nu is summed here from its power series
/// sum_m (s/2)^{2m + nu} / (m! Gamma(m + nu + 1)) in log space: independent of the quadrature
/// and of GSL. The accuracy targets, up to d = 64.
@Suite struct GaussianKernelSpectrumTests {
    /// log of e^{-s} Gamma(d/2) (2/s)^{d/2-1} I_nu(s), nu = k + d/2 - 1, by the power series.
    static func logMu(k: Int, d: Int, s: Double) -> Double { logMuWithSize(k: k, d: d, s: s).value }

    /// The value and the summed magnitudes of the logarithms it is made of: exp(value) is
    /// accurate to about eps times that size.
    static func logMuWithSize(k: Int, d: Int, s: Double) -> (value: Double, size: Double) {
        let nu = Double(k) + Double(d) / 2 - 1
        var terms: [Double] = []
        for m in 0..<200 {
            let dm = Double(m)
            terms.append((2 * dm + nu) * log(s / 2) - lgamma(dm + 1) - lgamma(dm + nu + 1))
        }
        let top = terms.max()!
        let logI = top + log(terms.reduce(0) { $0 + exp($1 - top) })
        let pieces = [-s, lgamma(Double(d) / 2), (Double(d) / 2 - 1) * log(2 / s), top]
        return (pieces.reduce(0, +) + logI - top, pieces.reduce(0) { $0 + Swift.abs($1) } + lgamma(nu + 1) + 10)
    }

    @Test(arguments: [2, 3, 5, 10, 32, 64])
    func matchesTheBesselClosedForm(_ d: Int) throws {
        let c = 1.5
        let s = 2 * c
        let kmax = 80
        let spectrum = try GegenbauerSpectrum(kernel: GaussianKernel(c: c), dimension: d, kmax: kmax)
        let mu0 = exp(Self.logMu(k: 0, d: d, s: s))
        var worstHigh = 0.0
        var worstLow = 0.0
        for k in 0...kmax {
            let (logExact, size) = Self.logMuWithSize(k: k, d: d, s: s)
            let exact = exp(logExact)
            let referenceError = 4 * Double.ulpOfOne * size * exact
            let actual = Swift.abs(spectrum.mu[k] - exact)
            if exact >= 1e-6 * mu0 {
                worstHigh = max(worstHigh, actual / exact)
            } else if exact >= 1e-14 * mu0 {
                worstLow = max(worstLow, actual / exact)
            }
            if spectrum.resolved[k] {
                #expect(
                    actual <= spectrum.error[k] + referenceError,
                    "d \(d) k \(k): error \(actual) above its estimate \(spectrum.error[k])")
            }
        }
        #expect(worstHigh <= 1e-10, "d \(d): \(worstHigh) where mu_k >= 1e-6 mu_0")
        #expect(worstLow <= 1e-6, "d \(d): \(worstLow) where 1e-14 mu_0 <= mu_k < 1e-6 mu_0")
        print(
            "gaussian(\(c)) on S^\(d - 1): worst relative error \(worstHigh) (>= 1e-6 mu_0), \(worstLow) (down to 1e-14 mu_0)"
        )
    }

    /// The quadrature alone (the same kernel without its series): every value it marks resolved
    /// must be within its error estimate, at large d too, where the rounding floor is met early.
    @Test(arguments: [3, 10, 32, 64])
    func quadratureEstimatesBoundItsErrors(_ d: Int) throws {
        let c = 1.5
        let s = 2 * c
        let kernel = ClosureKernel(name: "gaussian without series", exact: { _, y, _ in exp(-2 * c * y) })
        let spectrum = try GegenbauerSpectrum(kernel: kernel, dimension: d, kmax: 80)
        for k in 0...80 where spectrum.method[k] == .quadrature {
            let (logExact, size) = Self.logMuWithSize(k: k, d: d, s: s)
            let exact = exp(logExact)
            let referenceError = 4 * Double.ulpOfOne * size * exact
            let actual = Swift.abs(spectrum.mu[k] - exact)
            #expect(
                actual <= spectrum.error[k] + referenceError,
                "d \(d) k \(k): error \(actual) above its estimate \(spectrum.error[k]) (mu \(exact))")
        }
    }
}
