import Foundation
import NeuralKernels

/// The NTK of a two-layer (one hidden layer) ReLU network in the NTK parametrisation, with its
/// partials in the input state (q1, q2, c) = (|z|^2, |z'|^2, <z, z'>)/k, in closed form: the
/// decoder of ``BottleneckDynamics`` evaluates it (s n^2 times per step), and the generic
/// ``KernelInputDerivatives`` recursion costs about 50 times more per call.
///
/// With w2 = sigma_w^2, b = sigma_b^2 sigma_i^2 (the bias's share of the NNGP), e = sigma_b^2 - b,
/// Q_a = w2 q_a + b, C = w2 c + b, cos theta = C / sqrt(Q1 Q2), F = sqrt(Q1 Q2) (sin theta +
/// (pi - theta) cos theta) / (2 pi), D = (pi - theta) / (2 pi):
///
///     Theta = w2 F + b + e + w2 (C + e) D
///     dTheta/dc  = w2^2 (2 D + (C + e) g),                     g = 1 / (2 pi sqrt(Q1 Q2 - C^2))
///     dTheta/dq1 = w2^2 (F - C D - (C + e) C g) / (2 Q1)
///
/// (Price's theorem dF/dC = D; Stein's lemma with degree-1 homogeneity dF/dQ1 = (F - C D)/(2 Q1),
/// dD/dQ1 = -C g / (2 Q1); Proofs/bottleneck-dynamics.md, "Kernel input derivatives"). As in
/// ``KernelInputDerivatives``, g is dropped at |cos theta| >= 1 - 1e-12 (the cone point z = z':
/// the symmetric subgradient). Checked against ``KernelInputDerivatives`` to 1e-12
/// (`BottleneckReLUDecoderTests`).
public struct TwoLayerReLUTangentKernel: Sendable {
    public let weightVariance: Double
    public let nngpBias: Double
    public let ntkBias: Double

    /// The closed form of `network` when it is a two-layer ReLU network in the NTK
    /// parametrisation; nil otherwise.
    public init?(_ network: NetworkKernel) {
        guard network.depth == 2, network.parametrization == .ntk, network.activation.name == "relu" else { return nil }
        let layer = network.denseLayer(0, inputWidth: 1)
        weightVariance = layer.weightVariance
        nngpBias = layer.nngpBias
        ntkBias = network.sigmaB * network.sigmaB - layer.nngpBias
    }

    /// Theta and, when `partials`, dTheta/dq1 and dTheta/dc at the input state (q1, q2, c).
    @inline(__always)
    public func evaluate(q1: Double, q2: Double, c: Double, partials: Bool) -> (value: Double, q1: Double, c: Double) {
        let w2 = weightVariance
        let bigQ1 = w2 * q1 + nngpBias, bigQ2 = w2 * q2 + nngpBias, bigC = w2 * c + nngpBias
        let root = (bigQ1 * bigQ2).squareRoot()
        let cosine = Swift.min(1, Swift.max(-1, bigC / root))
        let theta = acos(cosine)
        let sine = (Swift.max(0, 1 - cosine * cosine)).squareRoot()
        let f = root * (sine + (Double.pi - theta) * cosine) / (2 * Double.pi)
        let d = (Double.pi - theta) / (2 * Double.pi)
        let value = w2 * f + nngpBias + ntkBias + w2 * (bigC + ntkBias) * d
        guard partials else { return (value, 0, 0) }
        let g = Swift.abs(cosine) < 1 - 1e-12 ? 1 / (2 * Double.pi * root * sine) : 0
        let dC = w2 * w2 * (2 * d + (bigC + ntkBias) * g)
        let dQ1 = w2 * w2 * (f - bigC * d - (bigC + ntkBias) * bigC * g) / (2 * bigQ1)
        return (value, dQ1, dC)
    }
}
