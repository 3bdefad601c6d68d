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

    public init(
        sigmaW: Double, sigmaB: Double, sigmaI: Double = 1,
        parametrization: Parametrization = .ntk, inputWidth: Double = 1
    ) {
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        self.sigmaI = sigmaI
        self.parametrization = parametrization
        self.inputWidth = inputWidth
    }

    /// sigma_w^2.
    @inlinable public var weightVariance: Double { sigmaW * sigmaW }

    /// sigma_b^2 sigma_i^2, the bias's share of the NNGP.
    @inlinable public var nngpBias: Double { sigmaB * sigmaB * sigmaI * sigmaI }

    /// The NNGP map Sigma' = sigma_w^2 Sigma + sigma_b^2 sigma_i^2 (covariances and variances alike).
    @inlinable public func nngp(_ sigma: Double) -> Double { weightVariance * sigma + nngpBias }

    @inlinable public func callAsFunction(_ s: KernelState) -> KernelState {
        let w2 = weightVariance
        let b2 = sigmaB * sigmaB
        let nngpBias = self.nngpBias
        let nngp = self.nngp(s.nngp)
        let ntk: Double
        switch parametrization {
        case .ntk: ntk = nngp + (b2 - nngpBias) + w2 * s.ntk
        case .standard: ntk = inputWidth * s.nngp + w2 * s.ntk + (sigmaB > 0 ? 1 : 0)
        }
        return KernelState(q1: self.nngp(s.q1), q2: self.nngp(s.q2), nngp: nngp, ntk: ntk)
    }
}
