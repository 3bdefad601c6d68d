import Foundation
import NeuralKernels
import _NumericalBackends

/// Paths of an infinitely wide network with one finite bottleneck (Littwin et al.: a deep
/// Gaussian process), along a great circle, as a composition of Gaussian processes.
///
/// The network has depth L with every hidden layer infinitely wide except layer `layer` (1 <=
/// layer <= L - 1), of width k. Its pre-activations z_1..z_k are k independent GPs with the NNGP
/// Sigma_layer of the first `layer` weight layers (sampled exactly on the circle by circulant
/// embedding). Given them, the next layer sees phi(z) in R^k with the input kernel
/// sigma_w^2 <phi(z), phi(z')>/k + sigma_b^2 sigma_i^2, so the output is a GP with the NNGP of
/// the remaining L - layer weight layers on the data points phi(z(theta_j)) (Neural Tangents'
/// convention <x, x'>/d, d = k), sampled by Cholesky (LAPACK) on the n points.
///
/// With one readout layer after the bottleneck (L - layer = 1) the output covariance is
/// exactly Sigma_L at every k; otherwise it tends to Sigma_L as k grows. Each bottleneck unit's
/// phi(z_i) has a kink wherever z_i crosses 0, and the outer GP is itself 1.5-regular (ReLU):
/// the quadratic-variation exponent is 1.5, while the kinks pull the sup-norm one below the
/// NNGP's towards 1 (Proofs/path-regularity-theorem.md, section "Bottleneck networks").
public struct BottleneckPaths: Sendable {
    public let network: NetworkKernel
    public let layer: Int
    public let width: Int

    public init(network: NetworkKernel, layer: Int, width: Int) {
        precondition(layer >= 1 && layer < network.depth && width >= 1)
        self.network = network
        self.layer = layer
        self.width = width
    }

    /// The largest diagonal jitter (relative to the output variance) any path needed.
    public private(set) var jitter = 0.0

    /// `m` paths on n points, seeded (features and output from one generator).
    public mutating func sample(paths m: Int, points n: Int, seed: UInt) throws -> [[Double]] {
        var first = network
        first.depth = layer
        let featureSampler = CirculantSampler(points: n, sphere: try SphereKernel(first), kind: .nngp)
        var rest = network
        rest.depth = network.depth - layer
        rest.inputDimension = width
        let random = GSLRandom(seed: seed)
        var out: [[Double]] = []
        for _ in 0..<m {
            var features: [[Double]] = []
            while features.count < width {
                let (a, b) = featureSampler.samplePair(random)
                features.append(a)
                if features.count < width { features.append(b) }
            }
            let points = (0..<n).map { j in features.map { network.activation($0[j]) } }
            var k = try GramMatrix(points: points, network: rest, kind: .nngp).values
            let scale = (0..<n).reduce(0) { max($0, k[$1 * n + $1]) }
            var epsilon = 0.0
            let original = k
            while true {
                do {
                    try LAPACK.cholesky(&k, n: n)
                    break
                } catch {
                    guard epsilon < 1e-6 else { throw error }
                    epsilon = epsilon == 0 ? 1e-12 : epsilon * 10
                    k = original
                    for a in 0..<n { k[a * n + a] += epsilon * scale }
                }
            }
            jitter = max(jitter, epsilon)
            var z = (0..<n).map { _ in random.normal() }
            LAPACK.lowerTriangularMultiply(k, n: n, &z)
            out.append(z)
        }
        return out
    }
}
