import Foundation
import Testing
import NeuralKernels
@testable import SamplePaths

/// Samples on the whole sphere by Cholesky on an equirectangular grid.
@Suite struct SphereGridSamplerTests {
    /// 3000 samples of the depth-3 ReLU NNGP on a 10 x 20 grid: the empirical covariance of
    /// pairs at several angular distances (pole-adjacent, same latitude, antipodal-ish) is within
    /// 5 standard errors of kappa(<x, x'>) (exactness of L z, K = L L^T), with no jitter needed.
    @Test func empiricalCovarianceMatchesTheKernel() throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: .relu, depth: 3))
        let sampler = try SphereGridSampler(rows: 10, columns: 20) { sphere.nngp($0) }
        #expect(sampler.jitter == 0)
        let samples = sampler.sample(paths: 3000, seed: 12)
        for (a, b) in [(0, 0), (0, 10), (45, 47), (25, 175), (99, 100)] {
            let pa = SphereGridSampler.point(a / 20, a % 20, rows: 10, columns: 20)
            let pb = SphereGridSampler.point(b / 20, b % 20, rows: 10, columns: 20)
            let exact = sphere.nngp(pa.0 * pb.0 + pa.1 * pb.1 + pa.2 * pb.2)
            let s = RegularitySummary(samples.map { $0[a] * $0[b] })
            #expect(
                Swift.abs(s.mean - exact) <= 5 * s.standardError,
                "pair \(a), \(b): \(s.mean) +- \(s.standardError) vs \(exact)")
        }
    }

    /// A smooth kernel (GELU NNGP) on 800 points is numerically singular: the sampler
    /// succeeds with a reported jitter of at most 1e-6 kappa(1); the SVG picture is produced.
    @Test func smoothKernelNeedsAndReportsJitter() throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: .gelu, depth: 3))
        let table = SphereKernelTable(sphere)
        let sampler = try SphereGridSampler(rows: 20, columns: 40) { table.nngp($0) }
        #expect(sampler.jitter > 0 && sampler.jitter <= 1e-6)
        let values = sampler.sample(paths: 1, seed: 1)[0]
        let svg = SVGSphereMap(title: "gelu", rows: 20, columns: 40, values: values).svg
        #expect(svg.hasPrefix("<svg") && svg.components(separatedBy: "<rect").count > 800)
    }
}
