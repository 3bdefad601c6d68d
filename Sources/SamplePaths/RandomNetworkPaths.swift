import Foundation
import NeuralKernels
import _NumericalBackends

/// Finite-width random networks evaluated along a great circle: the finite objects whose
/// outputs tend, as the width grows, to the NNGP's Gaussian process.
///
/// The law is ``RandomMLP``'s (NTK parametrisation; the standard one gives the same forward
/// pass in law): i.i.d. standard normal weights and biases, and on the circle
/// x(theta) = sqrt(2) (cos theta, sin theta) (d = 2, so <x, x'>/d = cos(theta - theta') = t):
///
///     h_1(theta) = sigma_w (W_1 (cos theta, sin theta)) + sigma_b sigma_i b_1
///     h_{l+1}    = sigma_w / sqrt(n) W_{l+1} phi(h_l) + sigma_b sigma_i b_{l+1},   f = h_L.
///
/// E[f(theta) f(theta')] = Sigma_L(cos(theta - theta')) exactly for depth 2 at every width
/// (the output is a sum over independent hidden units); deeper networks approach it as
/// O(1/n). All points of a path go through each layer at once as a matrix product (BLAS),
/// which is what makes widths of thousands affordable. A ReLU network's path is piecewise
/// smooth with kinks wherever a unit's pre-activation crosses 0 (about 2n per layer).
public struct RandomNetworkPaths: Sendable {
    public let network: NetworkKernel
    public let width: Int

    public init(network: NetworkKernel, width: Int) {
        precondition(width >= 1)
        self.network = network
        self.width = width
    }

    /// One network's output at theta_j = 2 pi j / n, its parameters drawn from `random`.
    public func path(points n: Int, random: inout GaussianRandomSource) -> [Double] {
        let w = width
        let L = network.depth
        let sw = network.sigmaW
        let sb = network.sigmaB * network.sigmaI
        let hasBias = network.sigmaB > 0
        func biases(_ count: Int) -> [Double] {
            var b = [Double](repeating: 0, count: count)
            if hasBias { for k in 0..<count { b[k] = sb * random.normal() } }
            return b
        }
        let outWidth = L == 1 ? 1 : w
        let w1 = (0..<(2 * outWidth)).map { _ in random.normal() }
        let b1 = biases(outWidth)
        // h (n x outWidth, row-major): the first layer in closed form on the circle.
        var h = [Double](repeating: 0, count: n * outWidth)
        for i in 0..<n {
            let theta = 2 * Double.pi * Double(i) / Double(n)
            let c = cos(theta)
            let s = sin(theta)
            for k in 0..<outWidth { h[i * outWidth + k] = sw * (w1[2 * k] * c + w1[2 * k + 1] * s) + b1[k] }
        }
        if L == 1 { return h }
        let scale = sw / Double(w).squareRoot()
        for l in 1..<L {
            let nOut = l == L - 1 ? 1 : w
            let a = h.map { network.activation($0) }
            let weights = (0..<(w * nOut)).map { _ in scale * random.normal() }  // (w x nOut)
            let b = biases(nOut)
            h = LAPACK.multiply(a, weights, m: n, k: w, n: nOut)
            for i in 0..<n { for k in 0..<nOut { h[i * nOut + k] += b[k] } }
        }
        return h
    }

    /// `m` independent networks' paths from one seeded stream.
    public func sample(paths m: Int, points n: Int, seed: UInt64) -> [[Double]] {
        var random = GaussianRandomSource(seed: seed)
        return (0..<m).map { _ in path(points: n, random: &random) }
    }
}
