/// A fully connected layer acting on kernel states.
///
/// NTK parametrisation, with sigma_i the bias initialisation scale of the "Beyond ReLU" code:
///
///     Sigma' = sigma_w^2 Sigma + sigma_b^2 sigma_i^2
///     Theta' = Sigma' + sigma_b^2 (1 - sigma_i^2) + sigma_w^2 Theta
///
/// Standard parametrisation (Neural Tangents' stax.Dense, `parameterization='standard'`):
///
///     Theta' = n_in Sigma + sigma_w^2 Theta + [bias] 1
///
/// with the same Sigma' (Proofs/layer-recursion.md).
public struct DenseLayer: Sendable, Equatable {
    public var sigmaW: Double
    public var sigmaB: Double
    public var sigmaI: Double
    public var parametrization: Parametrization
    /// Fan-in, used by the standard parametrisation only.
    public var inputWidth: Double

    public init(sigmaW: Double, sigmaB: Double, sigmaI: Double = 1,
                parametrization: Parametrization = .ntk, inputWidth: Double = 1) {
        self.sigmaW = sigmaW; self.sigmaB = sigmaB; self.sigmaI = sigmaI
        self.parametrization = parametrization; self.inputWidth = inputWidth
    }

    @inlinable public func callAsFunction(_ s: KernelState) -> KernelState {
        let w2 = sigmaW * sigmaW, b2 = sigmaB * sigmaB
        let nngpBias = b2 * sigmaI * sigmaI
        let nngp = w2 * s.nngp + nngpBias
        let ntk: Double
        switch parametrization {
        case .ntk: ntk = nngp + (b2 - nngpBias) + w2 * s.ntk
        case .standard: ntk = inputWidth * s.nngp + w2 * s.ntk + (sigmaB > 0 ? 1 : 0)
        }
        return KernelState(q1: w2 * s.q1 + nngpBias, q2: w2 * s.q2 + nngpBias, nngp: nngp, ntk: ntk)
    }
}
