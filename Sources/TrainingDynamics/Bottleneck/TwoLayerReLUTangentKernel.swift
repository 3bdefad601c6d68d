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
        let bigQ1 = w2 * q1 + nngpBias
        let bigQ2 = w2 * q2 + nngpBias
        let bigC = w2 * c + nngpBias
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

    /// For the feature z (k values) with q1 = |z|^2 / k, over all entries of `history`:
    /// returns sum_e C_e Theta(z, Z_e) and sum_e C_e dTheta/dq1, and (when `gradient`) sets
    /// along[a] = sum_e C_e dTheta/dc Z_e,a: the decoder history's value and the pieces of its
    /// input gradient, four entries per SIMD vector (``VectorArcCosine`` for theta). The same
    /// formulas as ``evaluate(q1:q2:c:partials:)`` lane by lane, with fdlibm's acos (within 2 ulp
    /// of the platform's) and the sums over e in four partial sums: equal to the scalar form to
    /// rounding, 1e-13 relative (`BottleneckVectorisedDecoderTests`). cos theta = C / sqrt(Q1 Q2)
    /// is formed exactly as there, so that a point meeting its own history entry (step 1) gets
    /// cos theta = 1 and theta = 0 exactly: theta = acos(1 - delta) ~ sqrt(2 delta) would turn a
    /// one-ulp rearrangement into a 1e-8 error there.
    @inline(__always)
    func accumulate(
        point z: UnsafePointer<Double>, q1: Double, history: BottleneckDecoderHistory,
        gradient: Bool,
        into along: UnsafeMutablePointer<SIMD4<Double>>
    ) -> (value: Double, radial: Double) {
        typealias V = SIMD4<Double>
        let k = history.width
        let w2 = weightVariance
        let nb = nngpBias
        let eb = ntkBias
        let kk = Double(k)
        let w22 = w2 * w2
        let bigQ1 = w2 * q1 + nb
        let inverse2Q1 = 1 / (2 * bigQ1)
        let inverse2Pi = 1 / (2 * Double.pi)
        let blocks = history.blocks
        let one = V(repeating: 1)
        let minusOne = V(repeating: -1)
        let flatAbove = V(repeating: 1 - 1e-12)
        let absMask = SIMD4<UInt64>(repeating: 0x7fff_ffff_ffff_ffff)
        for a in 0..<k { along[a] = .zero }
        var value = V.zero
        var radial = V.zero
        history.lanes.withUnsafeBufferPointer { lanesBuffer in
            history.laneCoefficients.withUnsafeBufferPointer { coefficientsBuffer in
                history.laneNorms.withUnsafeBufferPointer { normsBuffer in
                    do {
                        let lanes = UnsafeRawPointer(lanesBuffer.baseAddress!)
                        let coefficients = UnsafeRawPointer(coefficientsBuffer.baseAddress!)
                        let norms = UnsafeRawPointer(normsBuffer.baseAddress!)
                        let stride = MemoryLayout<Double>.stride
                        for b in 0..<blocks {
                            let offset = 4 * b * stride
                            let coefficient = coefficients.loadUnaligned(fromByteOffset: offset, as: V.self)
                            var dot = V.zero
                            for a in 0..<k {
                                dot += z[a] * lanes.loadUnaligned(fromByteOffset: 4 * (b * k + a) * stride, as: V.self)
                            }
                            dot /= kk
                            let bigC: V = w2 * dot + nb
                            let bigQ2: V = w2 * norms.loadUnaligned(fromByteOffset: offset, as: V.self) + nb
                            let root: V = (bigQ1 * bigQ2).squareRoot()
                            var cosine: V = bigC / root
                            cosine = VectorArcCosine.select(cosine .> one, one, cosine)
                            cosine = VectorArcCosine.select(cosine .< minusOne, minusOne, cosine)
                            let opposite: V = Double.pi - VectorArcCosine.acos(cosine)
                            var sine2: V = one - cosine * cosine
                            sine2 = VectorArcCosine.select(sine2 .< V.zero, V.zero, sine2)
                            let sine = sine2.squareRoot()
                            let f: V = root * (sine + opposite * cosine) * inverse2Pi
                            let d: V = opposite * inverse2Pi
                            let shifted: V = bigC + eb
                            let v: V = w2 * f + (nb + eb) + w2 * shifted * d
                            value += coefficient * v
                            guard gradient else { continue }
                            let absolute = unsafeBitCast(
                                unsafeBitCast(cosine, to: SIMD4<UInt64>.self) & absMask, to: V.self)
                            let g: V = VectorArcCosine.select(
                                absolute .>= flatAbove, V.zero, inverse2Pi / (root * sine))
                            let dC: V = w22 * (2 * d + shifted * g)
                            let dQ1: V = w22 * (f - bigC * d - shifted * bigC * g) * inverse2Q1
                            radial += coefficient * dQ1
                            let w: V = coefficient * dC
                            for a in 0..<k {
                                along[a] +=
                                    w * lanes.loadUnaligned(fromByteOffset: 4 * (b * k + a) * stride, as: V.self)
                            }
                        }
                    }
                }
            }
        }
        return (value.sum(), radial.sum())
    }
}
