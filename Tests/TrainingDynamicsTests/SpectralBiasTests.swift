import Foundation
import NeuralKernels
import Testing
import _NumericalBackends
import SphericalSpectra
@testable import TrainingDynamics

/// Spectral bias on the sphere: degree-k residuals decay at the rate eta mu_k per step, with
/// mu_k the Mercer eigenvalue of the NTK (Proofs/spectral-bias-on-the-sphere.md).
@Suite("Spectral bias of kernel gradient descent on the sphere")
struct SpectralBiasTests {
    @Test(
        "normalised Gegenbauer polynomials: GSL's C_k^lambda / C_k^lambda(1), cos(k theta) and Legendre",
        arguments: [2, 3, 5, 10])
    func gegenbauerRecurrence(d: Int) throws {
        for k in 0...12 {
            for t in [-0.97, -0.4, 0, 0.31, 0.88, 1] {
                let ours = NormalisedGegenbauer.value(k, dimension: d, at: t)
                let reference: Double
                if d == 2 {
                    reference = cos(Double(k) * acos(t))
                } else {
                    let lambda = Double(d - 2) / 2
                    reference =
                        try GSL.gegenbauer(k, lambda: lambda, t).value / GSL.gegenbauer(k, lambda: lambda, 1).value
                }
                #expect(Swift.abs(ours - reference) < 1e-13, "d \(d) k \(k) t \(t): \(ours) vs \(reference)")
            }
        }
        // Legendre P_3 in closed form.
        #expect(Swift.abs(NormalisedGegenbauer.value(3, dimension: 3, at: 0.3) - 0.5 * (5 * 0.027 - 0.9)) < 1e-15)
    }

    /// The infinite network on 1000 points of S^2: every degree 1 ... 6 decays at eta mu_k per
    /// step within 15% (the Gram matrix's action on degree k is n mu_k up to fluctuations of
    /// relative size about sqrt(N(d, k) / n); measured 1% ... 11%).
    @Test func infiniteNetworkRatesMatchTheSpectrum() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let report = try SpectralBias.run(
            SpectralBias.Configuration(
                network: network, dimension: 3, points: 1000,
                degrees: Array(1...6)))
        for d in report.degrees {
            let measured = try #require(d.infiniteRate)
            #expect(
                Swift.abs(measured / d.predictedRate - 1) < 0.15,
                "k \(d.k): measured \(measured), predicted \(d.predictedRate)")
        }
        // Spectral bias itself: each degree strictly slower than the one below.
        #expect(zip(report.degrees, report.degrees.dropFirst()).allSatisfy { $0.infiniteRate! > $1.infiniteRate! })
    }

    /// Finite centred networks of width 2048 on the same points: the seed-mean rate within 10% of
    /// the infinite network's measured rate (measured 1% ... 7%).
    @Test func finiteNetworksFollowTheInfiniteRates() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let report = try SpectralBias.run(
            SpectralBias.Configuration(
                network: network, dimension: 3, points: 200,
                degrees: [1, 2], widths: [2048], seeds: 3))
        for d in report.degrees {
            let infinite = try #require(d.infiniteRate)
            let finite = try #require(d.finiteRates.first?.mean)
            #expect(Swift.abs(finite / infinite - 1) < 0.1, "k \(d.k): width 2048 \(finite), infinite \(infinite)")
        }
    }
}
