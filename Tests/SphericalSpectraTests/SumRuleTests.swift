import Foundation
import Testing
import NeuralKernels
@testable import SphericalSpectra

/// Mercer's theorem at x = x': kappa(1) = sum_k N(d, k) mu_k (P_k(1) = 1). For kernels whose
/// eigenvalues vanish or decay super-polynomially the partial sum must reproduce kappa(1)
/// to rounding; identities independent of the quadrature's own error estimate.
@Suite struct SumRuleTests {
    @Test(arguments: [2, 3, 5, 10])
    func finiteRankPolynomialKernel(_ d: Int) throws {
        // (t + 1)^3: rank 4 in degrees, kappa(1) = 8, mu_k = 0 exactly for k > 3.
        let s = try GegenbauerSpectrum(kernel: try StandardKernel.parse("polynomial(1,3)"), dimension: d, kmax: 12)
        #expect(Swift.abs(s.sumRule.residual) <= 1e-13 * 8, "d=\(d): residual \(s.sumRule.residual)")
        for k in 4...12 { #expect(s.mu[k] == 0) }
        if d == 3 {
            // On S^2 the measure of t is dt/2 and P_1 = t: mu_1 = (1/2) int (t+1)^3 t dt
            // = (1/2)(2/5 + 2) = 1.2 (only t^4 and 3t^2 survive), mu_0 = (1/2) int (t+1)^3 dt = 2.
            #expect(Swift.abs(s.mu[1] - 1.2) <= 1e-14, "mu_1 \(s.mu[1])")
            #expect(Swift.abs(s.mu[0] - 2) <= 1e-14, "mu_0 \(s.mu[0])")
        }
    }

    /// kmax below the rank: (t + 1)^3 through k = 2 only (this trapped on an empty range once).
    /// The values are those of the longer computation, and the sum check is honest about the
    /// missing degree 3: kappa(1) - sum N mu = N(3, 3) mu_3 = 7 mu_3 on S^2.
    @Test func kmaxBelowTheRank() throws {
        let kernel = try StandardKernel.parse("polynomial(1,3)")
        let short = try GegenbauerSpectrum(kernel: kernel, dimension: 3, kmax: 2)
        let long = try GegenbauerSpectrum(kernel: kernel, dimension: 3, kmax: 12)
        #expect(short.kmax == 2)
        for k in 0...2 { #expect(Swift.abs(short.mu[k] - long.mu[k]) <= 1e-15 * 8, "k \(k)") }
        #expect(Swift.abs(short.sumRule.residual - 7 * long.mu[3]) <= 1e-13 * 8, "residual \(short.sumRule.residual)")
    }

    @Test(arguments: [2, 3, 5])
    func gaussianKernelSumsToOne(_ d: Int) throws {
        // exp(-c |x - y|^2) = exp(-2c (1 - t)): kappa(1) = 1, super-polynomial decay.
        let s = try GegenbauerSpectrum(kernel: try StandardKernel.parse("gaussian(0.5)"), dimension: d, kmax: 60)
        #expect(Swift.abs(s.sumRule.residual) <= 1e-13, "d=\(d): residual \(s.sumRule.residual)")
        // Against the closed form (replacing mu_k >= -error, which a sum of positive terms cannot
        // fail): e^{t - 1} = sum_k N(d, k) mu_k P_k(t) with
        //     mu_k = e^{-1} Gamma(d/2) 2^{d/2 - 1} I_{k + d/2 - 1}(1)
        // (Gegenbauer's expansion e^t = Gamma(nu) 2^nu sum_k (k + nu) I_{k+nu}(1) C_k^nu(t), nu = d/2 - 1,
        // and N(d, k) = (k + nu)/nu C_k^nu(1); Watson, Bessel functions, 11.5; d = 2: e^{cos} = I_0 + 2 sum I_k cos),
        // I_nu(1) from its power series, independent of the package.
        func besselI(_ nu: Double) -> Double {
            var sum = 0.0
            for m in 0..<40 {
                let m = Double(m)
                sum += exp(-(2 * m + nu) * log(2.0) - lgamma(m + 1) - lgamma(m + nu + 1))
            }
            return sum
        }
        let nu = 0.5 * Double(d) - 1
        for k in 0...s.kmax {
            let reference = exp(-1) * tgamma(0.5 * Double(d)) * pow(2, nu) * besselI(Double(k) + nu)
            let tolerance = reference >= 1e-6 ? 1e-12 * reference : 1e-15
            #expect(Swift.abs(s.mu[k] - reference) <= tolerance, "d=\(d) k=\(k): \(s.mu[k]) vs \(reference)")
        }
    }

    /// A deep ReLU NTK: the residual after kmax is positive (all mu_k > 0) and explained by the
    /// tail estimate within the error sum and a factor-2 allowance on the tail's size.
    @Test func reluNTKResidualIsTheTail() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let s = try GegenbauerSpectrum(kernel: try NetworkSphereKernel(network, kind: .ntk), dimension: 3, kmax: 400)
        #expect(s.sumRule.residual > 0)
        #expect(
            s.sumRule.residual <= 2 * s.sumRule.tailEstimate + s.sumRule.errorSum + 1e-12,
            "residual \(s.sumRule.residual) tail \(s.sumRule.tailEstimate)")
        #expect(
            s.sumRule.residual >= 0.5 * s.sumRule.tailEstimate - s.sumRule.errorSum - 1e-12,
            "residual \(s.sumRule.residual) tail \(s.sumRule.tailEstimate)")
    }
}
