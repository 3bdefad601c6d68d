import Foundation
import Testing
import NeuralKernels
import _NumericalBackends
@testable import SphericalSpectra

/// Cross-check against the empirical spectrum: the eigenvalues (LAPACK dsyevd) of the Gram
/// matrix of n points drawn uniformly on S^2, divided by n, approach mu_k, each with
/// multiplicity N(3, k) = 2k + 1 (Koltchinskii & Gine 2000). Independent of the quadrature:
/// only the kernel and random points are shared.
@Suite struct EmpiricalSpectrumTests {
    @Test func gramEigenvaluesApproachMercerEigenvaluesWithMultiplicity() throws {
        let n = 1600
        var random = GaussianRandomSource(seed: 2024)
        let points = (0..<n).map { _ -> [Double] in
            let x = (0..<3).map { _ in random.normal() }
            let r = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
            // |x|^2 = d: Neural Tangents' <x, x'>/d is then t, the sphere convention.
            return x.map { 3.0.squareRoot() * $0 / r }
        }
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let gram = try GramMatrix(points: points, network: network, kind: .ntk)
        let eigen = try LAPACK.symmetricEigen(gram.values, n: n).values.reversed().map { $0 / Double(n) }
        let s = try GegenbauerSpectrum(kernel: try NetworkSphereKernel(network, kind: .ntk), dimension: 3, kmax: 8)
        // The ReLU NTK with bias has mu_0 > mu_1 > ... (checked), so the sorted empirical
        // eigenvalues come in consecutive blocks of 2k + 1.
        for k in 0..<8 { #expect(s.mu[k] > s.mu[k + 1]) }
        var start = 0
        for k in 0...6 {
            let block = Array(eigen[start..<(start + 2 * k + 1)])
            start += 2 * k + 1
            let mean = block.reduce(0, +) / Double(block.count)
            // Sampling error of order sqrt(mu_0 mu_k / n) (Braun 2006's relative bounds); 10%
            // for the first blocks at n = 1600, where mu_k >= 4e-3 mu_0.
            #expect(Swift.abs(mean / s.mu[k] - 1) < 0.1, "k = \(k): empirical \(mean), mu_k \(s.mu[k])")
            // The block's members are closer to their own mu_k than to the neighbours'.
            if k > 0 {
                for e in block {
                    #expect(
                        Swift.abs(e - s.mu[k]) < Swift.abs(e - s.mu[k - 1])
                            && Swift.abs(e - s.mu[k]) < Swift.abs(e - s.mu[k + 1]),
                        "k = \(k): eigenvalue \(e) not nearest to mu_k = \(s.mu[k])")
                }
            }
        }
        // Mercer's sum: trace / n = kappa(1) exactly for unit points.
        #expect(Swift.abs(eigen.reduce(0, +) - s.sumRule.kernelAtOne) < 1e-9 * s.sumRule.kernelAtOne)
    }
}
