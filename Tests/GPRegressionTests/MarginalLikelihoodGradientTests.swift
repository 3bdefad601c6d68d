import Foundation
import Testing
import _TestSupport
@testable import GPRegression
import NeuralKernels

/// The analytic gradient of log p(y) (trace formula + DualPartials through the layers) against
/// central differences of log p itself, for activations whose partials are partly numerical
/// (GELU, erf) as well as ReLU, NNGP and NTK, on points of unequal norms (the quadrature
/// fallback, e.g. tanh, is covered by NetworkCovarianceTests, where it is cheaper).
@Suite struct MarginalLikelihoodGradientTests {
    static func data(n: Int, d: Int, seed: UInt64) -> (x: [[Double]], y: [Double]) {
        var random = GaussianRandomSource(seed: seed)
        let x = (0..<n).map { _ in (0..<d).map { _ in random.normal() } }
        let y = x.map { sin($0[0]) + 0.3 * $0[1] + 0.1 * random.normal() }
        return (x, y)
    }

    static let cases: [(String, Int, KernelKind)] = [
        ("relu", 3, .nngp), ("relu", 3, .ntk), ("gelu", 3, .nngp), ("gelu", 3, .ntk), ("erf", 4, .ntk),
        ("leaky_relu(0.2)", 2, .ntk),
    ]

    @Test(arguments: cases) func gradientMatchesCentralDifferences(_ name: String, _ depth: Int, _ kind: KernelKind)
        throws
    {
        let (x, y) = Self.data(n: 16, d: 4, seed: 3)
        let gp = ExactGP(
            covariance: NetworkCovariance(
                activation: try ActivationCatalogue.activation(named: name), depth: depth, kind: kind))
        let logs = [log(1.3), log(0.2), log(0.04)]
        let e = try gp.logMarginalLikelihood(x, y, ExactGP.Hyperparameters(logs: logs))
        // Fourth-order central differences, step 1e-3: truncation ~ h^4 f^(5) ~ 1e-12 here.
        let h = 1e-3
        for p in 0..<3 {
            func f(_ t: Double) throws -> Double {
                var l = logs
                l[p] += t
                return try gp.logMarginalLikelihood(x, y, ExactGP.Hyperparameters(logs: l), gradient: false).value
            }
            let fd = (8 * (try f(h) - f(-h)) - (try f(2 * h) - f(-2 * h))) / (12 * h)
            #expect(
                Swift.abs(e.gradient[p] - fd) <= 1e-8 * max(1, Swift.abs(fd)),
                "\(name) \(kind) component \(p): \(e.gradient[p]) vs \(fd)")
        }
    }
}
