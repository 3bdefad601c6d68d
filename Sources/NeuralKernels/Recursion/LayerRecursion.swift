/// What a network's layers carry, with the dense layer's map on it declared once.
///
/// The carriers of this package are plain kernel states (``KernelState``), the sphere
/// kernel's exact deficits Sigma_l(1) - Sigma_l(t) and their signed-angle continuation
/// (``SphereKernel``), per-point variances (``GramMatrix``), and values with their
/// derivatives in (sigma_w^2, sigma_b^2) for hyperparameter gradients (GPRegression's
/// NetworkCovariance). As in Neural Tangents' stax, each layer kind declares its map on a
/// carrier in one place: the dense map here (`Weights` says what it reads; usually a
/// ``DenseLayer``), the nonlinearity map where the duals it needs are prepared.
public protocol LayerCarrier {
    associatedtype Weights
    /// The carrier after the dense layer `weights`.
    func dense(_ weights: Weights) -> Self
}

/// The layer recursion of a fully connected network, written once (design.md section 2):
///
///     x_1 = Dense_0(input),    x_{l+1} = Dense_l(Phi_l(x_l)),    l = 1 ... L - 1
///
/// for any ``LayerCarrier``: `Phi_l` is the nonlinearity map of hidden layer l (0-based
/// index l - 1 passed to it), which may return nil to stop the recursion (a continued branch
/// leaving its domain). "Depth L" is L dense layers, so depth 1 is the input layer alone.
public enum LayerRecursion {
    /// Dense layer 0 on `input`, then the hidden layers.
    @inlinable
    public static func propagate<C: LayerCarrier>(
        _ input: C, depth: Int, weights: (_ layer: Int) -> C.Weights,
        nonlinearity: (_ hiddenLayer: Int, C) -> C?
    ) -> C? {
        propagate(
            afterFirstLayer: input.dense(weights(0)), depth: depth, weights: weights,
            nonlinearity: nonlinearity)
    }

    /// The hidden layers on x_1, for carriers whose first layer is computed from the input
    /// in a form the dense map cannot see (the exact deficit sigma_w^2 s (1 - t)).
    @inlinable
    public static func propagate<C: LayerCarrier>(
        afterFirstLayer first: C, depth: Int, weights: (_ layer: Int) -> C.Weights,
        nonlinearity: (_ hiddenLayer: Int, C) -> C?
    ) -> C? {
        var x = first
        var layer = 1
        while layer < depth {
            guard let activated = nonlinearity(layer - 1, x) else { return nil }
            x = activated.dense(weights(layer))
            layer += 1
        }
        return x
    }
}

extension NetworkKernel {
    /// The network's recursion on `input`, its dense layers from ``denseLayer(_:inputWidth:)``.
    @inlinable
    public func propagate<C: LayerCarrier>(
        _ input: C, inputWidth: Double,
        nonlinearity: (_ hiddenLayer: Int, C) -> C?
    ) -> C?
    where C.Weights == DenseLayer {
        LayerRecursion.propagate(
            input, depth: depth, weights: { denseLayer($0, inputWidth: inputWidth) },
            nonlinearity: nonlinearity)
    }

    /// The hidden layers on a carrier already through dense layer 0.
    @inlinable
    public func propagate<C: LayerCarrier>(
        afterFirstLayer first: C, inputWidth: Double,
        nonlinearity: (_ hiddenLayer: Int, C) -> C?
    ) -> C?
    where C.Weights == DenseLayer {
        LayerRecursion.propagate(
            afterFirstLayer: first, depth: depth,
            weights: { denseLayer($0, inputWidth: inputWidth) },
            nonlinearity: nonlinearity)
    }
}

/// A variance Sigma(x, x) alone: the NNGP diagonal, which every nonlinearity maps to
/// E[phi(u)^2], u ~ N(0, Sigma(x, x)).
public struct LayerVariance: LayerCarrier, Sendable, Equatable {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    @inlinable public func dense(_ layer: DenseLayer) -> LayerVariance { LayerVariance(layer.nngp(value)) }
}

extension KernelState: LayerCarrier {
    @inlinable public func dense(_ layer: DenseLayer) -> KernelState { layer(self) }
}
