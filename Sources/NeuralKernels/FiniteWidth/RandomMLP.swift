import Foundation

/// A finite-width fully connected network with i.i.d. Gaussian parameters, scalar output:
/// the finite object whose infinite-width limits are ``NetworkKernel``'s NNGP and NTK.
///
/// NTK parametrisation: h_{l+1} = sigma_w / sqrt(n_l) W_{l+1} a_l + sigma_b b_{l+1} with
/// W, b standard normal (b with standard deviation sigma_i), a_l = phi(h_l), a_0 = x.
/// Standard parametrisation (Neural Tangents): W ~ N(0, sigma_w^2/n_l) and b ~ N(0, sigma_b^2)
/// are the trained parameters themselves. The empirical NTK is the inner product of the
/// parameter gradients, computed by backpropagation (Proofs/layer-recursion.md).
public struct RandomMLP: Sendable {
    public let network: NetworkKernel
    public let widths: [Int]  // n_0 = d, n_1 ... n_{L-1}, n_L = 1
    /// Row-major weights (n_{l+1} x n_l) and biases per layer, as stored parameters.
    private var weights: [[Double]]
    private var biases: [[Double]]

    /// Draws a network for inputs of dimension `inputDimension` with hidden width `width`.
    public init(_ network: NetworkKernel, inputDimension: Int, width: Int, random: inout GaussianRandomSource) {
        self.network = network
        widths = [inputDimension] + Array(repeating: width, count: network.depth - 1) + [1]
        weights = []
        biases = []
        for l in 0..<network.depth {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            var w = [Double](repeating: 0, count: nIn * nOut)
            let wScale = network.parametrization == .standard ? network.sigmaW / Double(nIn).squareRoot() : 1
            for k in 0..<w.count { w[k] = wScale * random.normal() }
            var b = [Double](repeating: 0, count: nOut)
            let bScale = network.parametrization == .standard ? network.sigmaB * network.sigmaI : network.sigmaI
            if network.sigmaB > 0 { for k in 0..<nOut { b[k] = bScale * random.normal() } }
            weights.append(w)
            biases.append(b)
        }
    }

    /// Pre-activations h_1 ... h_L for one input (h_L is the scalar output).
    public func forward(_ x: [Double]) -> [[Double]] {
        precondition(x.count == widths[0])
        var a = x
        var pre: [[Double]] = []
        for l in 0..<network.depth {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            let (wFactor, bFactor) = factors(nIn)
            var h = [Double](repeating: 0, count: nOut)
            weights[l].withUnsafeBufferPointer { w in
                a.withUnsafeBufferPointer { av in
                    for i in 0..<nOut {
                        var s = 0.0
                        let row = w.baseAddress! + i * nIn
                        for j in 0..<nIn { s += row[j] * av[j] }
                        h[i] = wFactor * s + bFactor * biases[l][i]
                    }
                }
            }
            pre.append(h)
            if l < network.depth - 1 { a = h.map { network.activation($0) } }
        }
        return pre
    }

    /// The network's output f(x).
    public func callAsFunction(_ x: [Double]) -> Double { forward(x).last![0] }

    /// The empirical NNGP of the last hidden layer, sigma_w^2/n <phi(h(x)), phi(h(y))> + bias
    /// variance (the conditional covariance of the output given the hidden layers; it tends
    /// to Sigma_L as the width grows), and the empirical NTK <grad f(x), grad f(y)>.
    public func empiricalKernels(_ x: [Double], _ y: [Double]) -> (nngp: Double, ntk: Double) {
        let hx = forward(x)
        let hy = forward(y)
        let L = network.depth
        let w2 = network.sigmaW * network.sigmaW
        let b2 = network.sigmaB * network.sigmaB
        var ax: [[Double]] = [x]
        var ay: [[Double]] = [y]
        for l in 1..<L {
            ax.append(hx[l - 1].map { network.activation($0) })
            ay.append(hy[l - 1].map { network.activation($0) })
        }
        let nLast = Double(widths[L - 1])
        var dotLast = 0.0
        for j in 0..<widths[L - 1] { dotLast += ax[L - 1][j] * ay[L - 1][j] }
        let nngp = w2 / nLast * dotLast + b2 * network.sigmaI * network.sigmaI
        // Backpropagation: delta_l = d f / d h_l.
        var dx: [Double] = [1]
        var dy: [Double] = [1]
        var ntk = 0.0
        for l in stride(from: L - 1, through: 0, by: -1) {
            let nIn = widths[l]
            let nOut = widths[l + 1]
            let wFactor = factors(nIn).0
            var dd = 0.0
            var aa = 0.0
            for i in 0..<nOut { dd += dx[i] * dy[i] }
            for j in 0..<nIn { aa += ax[l][j] * ay[l][j] }
            // d f/d W_ij = wFactor a_j delta_i; d f / d b_i = bFactor delta_i (parameters as stored).
            ntk += wFactor * wFactor * aa * dd
            if network.sigmaB > 0 { ntk += (network.parametrization == .standard ? 1 : b2) * dd }
            if l == 0 { break }
            // delta_{l} = phi'(h_l) * (wFactor W^T delta_{l+1})
            var nx = [Double](repeating: 0, count: nIn)
            var ny = nx
            weights[l].withUnsafeBufferPointer { w in
                for i in 0..<nOut {
                    let row = w.baseAddress! + i * nIn
                    let gx = wFactor * dx[i]
                    let gy = wFactor * dy[i]
                    for j in 0..<nIn {
                        nx[j] += row[j] * gx
                        ny[j] += row[j] * gy
                    }
                }
            }
            for j in 0..<nIn {
                nx[j] *= network.activation.derivative(hx[l - 1][j])
                ny[j] *= network.activation.derivative(hy[l - 1][j])
            }
            dx = nx
            dy = ny
        }
        return (nngp, ntk)
    }

    /// Multipliers of the stored weights and biases in the forward pass.
    private func factors(_ nIn: Int) -> (Double, Double) {
        network.parametrization == .standard
            ? (1, 1)
            : (network.sigmaW / Double(nIn).squareRoot(), network.sigmaB)
    }
}
