import Foundation
import Testing
import NeuralKernels
@testable import SamplePaths

/// Paths of actual finite-width random networks along a circle.
@Suite struct FiniteWidthPathTests {
    /// Empirical covariance over S networks, averaged over positions (stationarity), at lags 0..n/2.
    static func covariance(_ paths: [[Double]]) -> (mean: [Double], se: [Double]) {
        let n = paths[0].count
        var mean: [Double] = []
        var se: [Double] = []
        for lag in 0...(n / 2) {
            let s = RegularitySummary(
                paths.map { p in (0..<n).reduce(0) { $0 + p[$1] * p[($1 + lag) % n] } / Double(n) })
            mean.append(s.mean)
            se.append(s.standardError)
        }
        return (mean, se)
    }

    /// Depth 2 (one hidden layer), width 64, ReLU: the output covariance is exactly the NNGP
    /// at every width, so the empirical covariance's mean squared error over lags falls as
    /// 1/S (the RMS error as S^{-1/2}). The MSE is averaged over 32 independent batches at each
    /// S = 16 ... 4096 (one batch's MSE has few effective degrees of freedom: the lags move
    /// together); the log-log slope of the RMS is -0.5 within 0.1, and the largest batches are
    /// within 5 standard errors of the kernel at every lag.
    @Test func depthTwoCovarianceConvergesAtTheMonteCarloRate() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let sphere = try SphereKernel(network)
        let n = 32
        let exact = (0...(n / 2)).map { sphere.nngp(cos(2 * Double.pi * Double($0) / Double(n))) }
        let generator = RandomNetworkPaths(network: network, width: 64)
        var points: [(log2h: Double, log2value: Double)] = []
        for (k, s) in [16, 64, 256, 1024, 4096].enumerated() {
            var mse = 0.0
            let batches = 32
            for r in 0..<batches {
                let c = Self.covariance(generator.sample(paths: s, points: n, seed: UInt64(1000 * k + r)))
                mse += zip(c.mean, exact).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(exact.count)
                if s == 4096 && r == 0 {
                    for lag in 0...(n / 2) {
                        #expect(
                            Swift.abs(c.mean[lag] - exact[lag]) <= 5 * c.se[lag],
                            "lag \(lag): \(c.mean[lag]) +- \(c.se[lag]) vs \(exact[lag])")
                    }
                }
            }
            points.append((log2(Double(s)), 0.5 * log2(mse / Double(batches))))
        }
        let slope = LogLogFit(points: points, power: 1).exponent
        print("depth 2 covariance RMS error ~ S^\(slope)")
        #expect(Swift.abs(slope + 0.5) <= 0.1)
    }

    /// Depth 3, width 512, 1000 networks: within 5 standard errors of the NNGP (the O(1/n)
    /// finite-width bias is below the Monte Carlo error here).
    @Test func depthThreeCovarianceApproachesTheNNGP() throws {
        let network = try NetworkKernel(activation: .relu, depth: 3)
        let sphere = try SphereKernel(network)
        let n = 16
        let c = Self.covariance(
            RandomNetworkPaths(network: network, width: 512).sample(paths: 1000, points: n, seed: 77))
        for lag in 0...(n / 2) {
            let exact = sphere.nngp(cos(2 * Double.pi * Double(lag) / Double(n)))
            #expect(
                Swift.abs(c.mean[lag] - exact) <= 5 * c.se[lag],
                "lag \(lag): \(c.mean[lag]) +- \(c.se[lag]) vs \(exact)")
            #expect(c.se[lag] <= 0.05 * exact)
        }
    }

    /// A finite ReLU network's path is piecewise smooth with isolated kinks (width 64, depth 2
    /// and 3, about 128 kinks per layer on n = 2^14 points, spacing ~ 100 grid steps). Below
    /// the kink spacing (h = 2^1 ... 2^5) the sup-norm estimate is 1 (a kink: |Delta^p| ~ J h)
    /// while the quadratic variation gives 1.5 (a fraction ~ p h / spacing of the stencils
    /// straddles a kink: V ~ h * h^2), both within 0.1, over 10 networks.
    @Test(arguments: [2, 3])
    func kinksSeparateTheTwoEstimators(_ depth: Int) throws {
        let network = try NetworkKernel(activation: .relu, depth: depth)
        let paths = RandomNetworkPaths(network: network, width: 64).sample(paths: 10, points: 1 << 14, seed: 31)
        let qv = RegularitySummary(paths.map(QuadraticVariation(order: 4, scales: 1...5).regularity))
        let sup = RegularitySummary(paths.map(SupremumVariation(order: 4, scales: 1...5).regularity))
        print("depth \(depth) width 64: QV \(qv.mean) +- \(qv.standardError), sup \(sup.mean) +- \(sup.standardError)")
        #expect(Swift.abs(qv.mean - 1.5) <= 0.1)
        #expect(Swift.abs(sup.mean - 1) <= 0.1)
    }
}
