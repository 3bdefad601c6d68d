import Foundation
import Testing
import NeuralKernels
import _TestSupport
@testable import SphericalSpectra

/// The closed-form Gegenbauer coefficients of (1 - t)^a and (1 + t)^b, and the constant
/// C(d, a) of their large-k asymptotics (Proofs/gegenbauer-coefficients-of-singular-terms.md),
/// against the Funk-Hecke quadrature in u, where (1 -+ t)^{half-integer} is analytic.
@Suite struct SingularExpansionTests {
    @Test(arguments: [(2, 0.5), (3, 0.5), (3, 1.5), (5, 2.5), (10, 0.5), (64, 1.5)])
    func closedFormMatchesQuadrature(d: Int, a: Double) throws {
        let kernel = ClosureKernel(exact: { _, oneMinusT, _ in pow(oneMinusT, a) })
        let q = try FunkHeckeQuadrature(kernel: kernel, dimension: d, kmax: 200, nodesPerHalf: 260)
        let g = SingularExpansion.gegenbauerCoefficients(ofPower: a, dimension: d, from: 0, through: 200)
        // Tolerance: 1e-12 relative plus the quadrature's rounding floor, ~k ulps of mu_0 / sqrt(n)
        // (node rounding amplified by P_k' ~ k; Proofs/spectral-quadrature.md).
        for k in 0...200 {
            let difference = Swift.abs(q.mu[k] - g[k])
            let tolerance = 1e-12 * Swift.abs(g[k]) + 1e-17 * Double(k + 10) * Swift.abs(g[0])
            #expect(difference <= tolerance, "d \(d) a \(a) k \(k): \(q.mu[k]) vs \(g[k])")
        }
        // Mirror: (1 + t)^a has coefficients (-1)^k G_k.
        let mirror = ClosureKernel(exact: { _, _, onePlusT in pow(onePlusT, a) })
        let m = try FunkHeckeQuadrature(kernel: mirror, dimension: d, kmax: 40, nodesPerHalf: 100)
        for k in 0...40 {
            let expected = (k % 2 == 0 ? 1.0 : -1.0) * g[k]
            let tolerance = 1e-12 * Swift.abs(g[k]) + 1e-17 * Double(k + 10) * Swift.abs(g[0])
            #expect(Swift.abs(m.mu[k] - expected) <= tolerance)
        }
    }

    /// G_k(d, a) / (C(d, a) k^{-(d-1)-2a}) = 1 + O(1/k): the ratio's distance from 1 shrinks
    /// like 1/k (checked by its decrease between k = 1000 and k = 10000).
    @Test(arguments: [(2, 0.5), (3, 0.5), (3, 2.5), (10, 1.5)])
    func leadingConstant(d: Int, a: Double) {
        let c = SingularExpansion.leadingConstant(dimension: d, exponent: a)
        let p = Double(d - 1) + 2 * a
        let g = SingularExpansion.gegenbauerCoefficients(ofPower: a, dimension: d, from: 1000, through: 10000)
        let r1 = g[0] / (c * pow(1000, -p))
        let r2 = g[9000] / (c * pow(10000, -p))
        #expect(Swift.abs(r2 - 1) < 0.02 * Double(d) * (a + 1) / 10)
        #expect(Swift.abs(r2 - 1) < 0.2 * Swift.abs(r1 - 1))
    }
}

/// The leading term C(d, a) c_+ k^{-(d-1)-2a} against computed eigenvalues, with c_+ known in
/// closed form: Laplace exp(-sqrt(2(1 - t))) has c_+ = -sqrt 2 on (1 - t)^{1/2}; the 2-layer
/// ReLU NTK with sigma_w = sigma_b = 1 has c_+ = -Sigma_1(1) sigma_w^2 sqrt(2 sigma_w^2/(sigma_w^2 + sigma_b^2))/(2 pi)
/// = -1/pi (from theta ~ sqrt(2(1 - rho)) in its derivative kernel (pi - theta)/(2 pi)).
@Suite struct LeadingTermTests {
    @Test(arguments: [2, 3, 5])
    func leadingConstantMatchesComputedEigenvalues(_ d: Int) throws {
        let cases: [(any DotProductKernel, Double)] = [
            (try StandardKernel.parse("laplace(1)"), -2.0.squareRoot()),
            (try NetworkSphereKernel(NetworkKernel(activation: .relu, depth: 2), kind: .ntk), -1 / Double.pi),
        ]
        for (kernel, cPlus) in cases {
            let s = try GegenbauerSpectrum(kernel: kernel, dimension: d, kmax: 2000)
            let c = SingularExpansion.leadingConstant(dimension: d, exponent: 0.5) * cPlus
            let p = Double(d - 1) + 1
            // mu_k / (C c_+ k^-p) = 1 + O(1/k): within 4/k at k = 500 and 2000, and closer at 2000.
            let r500 = s.mu[500] / (c * pow(500, -p))
            let r2000 = s.mu[2000] / (c * pow(2000, -p))
            #expect(Swift.abs(r2000 - 1) < 4.0 / 2000 * Double(d), "\(kernel.name) d=\(d): ratio \(r2000) at k = 2000")
            #expect(Swift.abs(r2000 - 1) < Swift.abs(r500 - 1), "\(kernel.name) d=\(d): \(r500) -> \(r2000)")
            // The fitted expansion's leading coefficient is c_+ itself.
            let fitted = try #require(s.tail?.expansion.upper.first)
            #expect(
                fitted.exponent == 0.5 && Swift.abs(fitted.coefficient / cPlus - 1) < 1e-6,
                "\(kernel.name) d=\(d): fitted c_+ \(fitted.coefficient), closed form \(cPlus)")
        }
    }
}

/// The singular terms from the kernel's continuation in the signed angle
/// (``EndpointExpansion/continuedSingularTerms(of:exponent:range:degree:points:)``,
/// Proofs/endpoint-expansion.md).
@Suite struct ContinuedSingularTermsTests {
    /// b_0 against closed forms and the mpmath reference, and the two fits against each other.
    @Test func leadingCoefficients() throws {
        let cases: [(NetworkSphereKernel, Double, Double, Double)] = [
            // 2-layer ReLU NTK (bias 1): (1 - t)^{1/2} coefficient -1/pi (LeadingTermTests).
            (
                try NetworkSphereKernel(NetworkKernel(activation: .relu, depth: 2), kind: .ntk), 0.5, -1 / Double.pi,
                1e-12
            ),
            // 3-layer ELU NNGP (bias 1): -0.039058722 fitted to the 30-digit fixture eigenvalues
            // at k = 60 ... 200 (consistent across d to its 8 digits).
            (
                try NetworkSphereKernel(NetworkKernel(activation: .elu(), depth: 3, sigmaB: 1), kind: .nngp), 2.5,
                -0.039058722, 3e-8
            ),
        ]
        for (kernel, a, reference, tolerance) in cases {
            let first = try #require(EndpointExpansion.continuedSingularTerms(of: kernel, exponent: a))
            let second = try #require(
                EndpointExpansion.continuedSingularTerms(of: kernel, exponent: a, range: 0.75, degree: 14))
            let b0 = first[0].coefficient
            print(
                "\(kernel.name): b_0 = \(b0) (second fit \(second[0].coefficient)), b_1...b_3 = \(first[1...3].map(\.coefficient)) vs \(second[1...3].map(\.coefficient))"
            )
            #expect(Swift.abs(b0 / reference - 1) <= tolerance, "\(kernel.name): b_0 = \(b0), reference \(reference)")
            // Well conditioned: b_0 agrees to 1e-10 between the fits (measured 2e-11 for the ELU
            // NNGP, 1e-15 for the ReLU NTK), each further order losing about three digits.
            for j in 0...3 {
                let x = first[j].coefficient
                let y = second[j].coefficient
                #expect(
                    Swift.abs(x - y) <= 1e-10 * pow(1000, Double(j)) * Swift.abs(b0),
                    "\(kernel.name): b_\(j) = \(x) vs \(y)")
            }
        }
    }

    /// Kernels without a continuation (no closed-form odd parts: GELU's smooth duals, quadrature
    /// duals, tables) keep the t-space fit.
    @Test func onlyClosedFormNetworksContinue() throws {
        let gelu = try NetworkSphereKernel(NetworkKernel(activation: .gelu, depth: 3), kind: .nngp)
        #expect(gelu.upperSingularPart(oneMinusT: 0.1) == nil)
        let laplace = try StandardKernel.parse("laplace(1)")
        #expect(laplace.upperSingularPart(oneMinusT: 0.1) == nil)
        let elu = try NetworkSphereKernel(NetworkKernel(activation: .elu(), depth: 3), kind: .ntk)
        #expect(elu.upperSingularPart(oneMinusT: 0.1) != nil)
    }
}
