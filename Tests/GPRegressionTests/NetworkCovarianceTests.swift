import Foundation
import Testing
import _TestSupport
@testable import GPRegression
import NeuralKernels

/// NetworkCovariance against the kernel core (GramMatrix of NetworkKernel, an independent
/// code path): the values, and its derivatives in log sigma_w^2 and log sigma_b^2 (DualPartials
/// pushed through the layers) against central differences of GramMatrix in sigma_w, sigma_b.
@Suite struct NetworkCovarianceTests {
    static let points: [[Double]] = {
        var random = GaussianRandomSource(seed: 11)
        // Unequal norms, and one repeated point (rho = 1 off the diagonal).
        var x = (0..<6).map { _ in (0..<3).map { _ in random.normal() } }
        x.append(x[2])
        return x
    }()

    static let cases: [(String, Int, KernelKind)] = [
        ("relu", 2, .nngp), ("relu", 3, .ntk), ("gelu", 3, .nngp), ("gelu", 3, .ntk), ("erf", 3, .ntk),
        ("elu(1)", 3, .ntk), ("elu(0.5)", 3, .ntk), ("selu", 2, .nngp), ("celu(2)", 3, .ntk),
        ("tanh", 3, .nngp), ("abs", 3, .ntk),
    ]

    func gram(_ a: Activation, _ depth: Int, _ kind: KernelKind, w2: Double, b2: Double) throws -> [Double] {
        try GramMatrix(
            points: Self.points,
            network: NetworkKernel(activation: a, depth: depth, sigmaW: w2.squareRoot(), sigmaB: b2.squareRoot()),
            kind: kind
        ).values
    }

    @Test(arguments: cases) func valuesAndDerivativesMatchKernelCore(_ name: String, _ depth: Int, _ kind: KernelKind)
        throws
    {
        try check(name, depth, kind, w2: 1.6, b2: 0.25)
    }

    /// Large variances (ELU's optimum on yacht is about sigma_w^2 = 7.4, sigma_b^2 = 35): the
    /// ELU duals' tilted terms then multiply bivariate normal tails by up to e^{40}.
    @Test(arguments: [KernelKind.nngp, .ntk]) func eluAtLargeVariances(_ kind: KernelKind) throws {
        try check("elu(1)", 2, kind, w2: 7.4, b2: 35)
    }

    func check(_ name: String, _ depth: Int, _ kind: KernelKind, w2: Double, b2: Double) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let m = NetworkCovariance(activation: a, depth: depth, kind: kind).matrices(
            Self.points, sigmaW2: w2, sigmaB2: b2, gradient: true)
        let reference = try gram(a, depth, kind, w2: w2, b2: b2)
        let scale = reference.map(Swift.abs).max()!
        for (u, v) in zip(m.k, reference) { #expect(Swift.abs(u - v) <= 1e-13 * scale, "\(name): \(u) vs \(v)") }
        // d/d(log w2) by fourth-order central differences of the kernel core, step 1e-3.
        let h = 1e-3
        func fd(_ f: (Double) throws -> [Double]) throws -> [Double] {
            let p1 = try f(h)
            let m1 = try f(-h)
            let p2 = try f(2 * h)
            let m2 = try f(-2 * h)
            return (0..<p1.count).map { (8 * (p1[$0] - m1[$0]) - (p2[$0] - m2[$0])) / (12 * h) }
        }
        let dw = try fd { try gram(a, depth, kind, w2: w2 * exp($0), b2: b2) }
        let db = try fd { try gram(a, depth, kind, w2: w2, b2: b2 * exp($0)) }
        for i in 0..<dw.count {
            #expect(
                Swift.abs(m.dLogW2[i] - dw[i]) <= 1e-8 * scale,
                "\(name) \(kind) dLogW2[\(i)]: \(m.dLogW2[i]) vs \(dw[i])")
            #expect(
                Swift.abs(m.dLogB2[i] - db[i]) <= 1e-8 * scale,
                "\(name) \(kind) dLogB2[\(i)]: \(m.dLogB2[i]) vs \(db[i])")
        }
    }

    /// The cross-covariance of a set with itself is the training covariance, and its diagonal
    /// the test variances; the value-only and the gradient paths give the same matrix (for ELU
    /// the value path takes both duals from the jet). The cross-covariance evaluates the lower
    /// triangle with the pair's arguments swapped, which for ELU rounds differently: 4 ulps.
    @Test(arguments: [Activation.gelu, .elu(1)]) func crossCovarianceOfASetWithItself(_ activation: Activation) throws {
        let c = NetworkCovariance(activation: activation, depth: 3, kind: .ntk)
        let k = c.matrices(Self.points, sigmaW2: 2, sigmaB2: 0.1, gradient: false).k
        let kGradient = c.matrices(Self.points, sigmaW2: 2, sigmaB2: 0.1, gradient: true).k
        let x = c.cross(Self.points, Self.points, sigmaW2: 2, sigmaB2: 0.1)
        for i in 0..<k.count {
            #expect(Swift.abs(x.k[i] - k[i]) <= 4 * k[i].ulp, "\(i): \(x.k[i]) vs \(k[i])")
            #expect(Swift.abs(kGradient[i] - k[i]) <= 4 * k[i].ulp, "\(i): \(kGradient[i]) vs \(k[i])")
        }
        let n = Self.points.count
        for i in 0..<n { #expect(x.diagonal[i] == k[i * n + i]) }
    }
}
