import Foundation
import NeuralKernels

/// The NNGP deficit D(t) = Sigma_L(1) - Sigma_L(t) of a network on the unit sphere, to full
/// relative accuracy however small 1 - t is.
///
/// Sigma_L(t) itself carries an absolute round-off of about 1e-16 Sigma_L(1), while the
/// p-th order variogram of a path of regularity a is of order h^{2a} (1e-17 for a = 2.5 and
/// h = 4e-4): differences of kernel values cannot resolve it. The deficit passes through the
/// layers exactly: D_1 = sigma_w^2 (1 - t), and each nonlinearity maps the deficit of its
/// input to that of its output by Price's theorem (``DualActivation/nngpDeficit(_:)``), the
/// same recursion ``SphereKernel`` carries internally (Proofs/layer-recursion.md), so
/// -sum_r w_r D(r h) keeps its relative accuracy down to h -> 0.
public struct SphereDeficit: Sendable {
    public let network: NetworkKernel
    private let variances: [Double]
    private let inputVariance: Double
    private let dual: DualActivation

    public init(_ sphere: SphereKernel) {
        network = sphere.network
        variances = sphere.variances
        inputVariance = sphere.inputVariance
        dual = DualActivation(sphere.network.activation)
    }

    /// Sigma_L(1) - Sigma_L(t), given 1 - t and 1 + t exactly.
    public func nngp(oneMinusT: Double, onePlusT: Double) -> Double {
        let w2 = network.sigmaW * network.sigmaW
        let b2 = network.sigmaB * network.sigmaB * network.sigmaI * network.sigmaI
        var deficit = w2 * inputVariance * oneMinusT
        var surplus = w2 * inputVariance * onePlusT + 2 * b2
        for q in variances {
            let pair = GaussianPair(q: q, deficit: deficit, surplus: surplus)
            let post = dual.nngpDeficit(pair)
            let value = dual.nngp(pair)
            deficit = w2 * post
            surplus = w2 * (dual.secondMoment(q: q) + value) + 2 * b2
        }
        return deficit
    }

    /// D at angle theta on a great circle: 1 - cos(theta) = 2 sin^2(theta/2) exactly.
    public func nngp(theta: Double) -> Double {
        let s = sin(0.5 * theta)
        let c = cos(0.5 * theta)
        return nngp(oneMinusT: 2 * s * s, onePlusT: 2 * c * c)
    }
}
