import Foundation
import Testing
import NeuralKernels
@testable import SamplePaths

/// Infinitely wide networks with one finite bottleneck, as compositions of Gaussian processes.
@Suite struct BottleneckPathTests {
    /// Depth 3 ReLU with a bottleneck of width 3 at layer 2 (one readout after it): the output
    /// covariance is exactly Sigma_3 at any width; 1500 paths on 32 points, positions averaged,
    /// are within 5 standard errors at every lag (and the error bars are small enough to fail).
    @Test func readoutAfterBottleneckHasTheNNGPCovariance() throws {
        let network = try NetworkKernel(activation: .relu, depth: 3)
        let sphere = try SphereKernel(network)
        var generator = BottleneckPaths(network: network, layer: 2, width: 3)
        let n = 32
        let paths = try generator.sample(paths: 1500, points: n, seed: 8)
        for lag in [0, 1, 4, 8, 16] {
            let s = RegularitySummary(
                paths.map { p in (0..<n).reduce(0) { $0 + p[$1] * p[($1 + lag) % n] } / Double(n) })
            let exact = sphere.nngp(cos(2 * Double.pi * Double(lag) / Double(n)))
            #expect(
                Swift.abs(s.mean - exact) <= 5 * s.standardError,
                "lag \(lag): \(s.mean) +- \(s.standardError) vs \(exact)")
            #expect(s.standardError <= 0.05 * exact)
        }
    }

    /// Depth 3 ReLU, bottleneck of width 4 at layer 1, n = 2048, 6 paths, scales 2^1..2^4: the
    /// quadratic variation is 1.5 within 0.1 (kinks and the 1.5-regular outer GP both scale as
    /// h^3 in mean square), while the sup-norm exponent is pulled well below the NNGP's
    /// 1.5 + bias (at least 0.15 lower) towards the kinks' 1: after the bottleneck the outer GP
    /// is itself 1.5-rough, so kinks of phi(z_i) dominate the maximum only at the finest scales
    /// and the estimate lies between the two regimes (measured 1.15 +- 0.02).
    @Test func bottleneckKinksGiveBothRegularities() throws {
        var generator = BottleneckPaths(network: try NetworkKernel(activation: .relu, depth: 3), layer: 1, width: 4)
        let paths = try generator.sample(paths: 6, points: 2048, seed: 3)
        let qv = RegularitySummary(paths.map(QuadraticVariation(order: 4, scales: 1...4).regularity))
        let sup = RegularitySummary(paths.map(SupremumVariation(order: 4, scales: 1...4).regularity))
        print(
            "bottleneck k = 4: QV \(qv.mean) +- \(qv.standardError), sup \(sup.mean) +- \(sup.standardError), jitter \(generator.jitter)"
        )
        let gaussian = 1.5 + SupremumVariation(order: 4, scales: 1...4).gaussianBias(points: 2048)
        #expect(Swift.abs(qv.mean - 1.5) <= 0.1)
        #expect(sup.mean <= gaussian - 0.15 && sup.mean >= 0.9)
    }
}
