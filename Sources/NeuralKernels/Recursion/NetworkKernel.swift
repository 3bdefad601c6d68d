/// The NNGP and NTK of a deep fully connected network: `depth` dense layers with the same
/// activation after every hidden one.
///
/// "Depth L" is L layers of weights = L - 1 hidden layers (design.md), so depth 1 is the
/// linear input kernel and a 2-layer network has one hidden layer. No bias is sigma_b = 0.
public struct NetworkKernel: Sendable {
    public var activation: Activation
    public var depth: Int
    public var sigmaW: Double
    public var sigmaB: Double
    public var sigmaI: Double
    public var parametrization: Parametrization
    /// Hidden width n used by the standard parametrisation's NTK (ignored otherwise).
    public var width: Int?
    /// Input dimension d used by the standard parametrisation's NTK on the sphere.
    public var inputDimension: Int?

    public init(
        activation: Activation, depth: Int, sigmaW: Double = 1, sigmaB: Double = 1,
        sigmaI: Double = 1, parametrization: Parametrization = .ntk,
        width: Int? = nil, inputDimension: Int? = nil
    ) throws {
        guard depth >= 1 else {
            throw KernelError.invalidParameter(name: "depth", value: "\(depth)", allowed: "an integer >= 1")
        }
        for (name, v) in [("sigma-w", sigmaW), ("sigma-b", sigmaB), ("sigma-i", sigmaI)] {
            guard v.isFinite, v >= 0 else {
                throw KernelError.invalidParameter(name: name, value: "\(v)", allowed: "a finite number >= 0")
            }
        }
        if parametrization == .standard {
            guard let w = width, w >= 1 else {
                throw KernelError.invalidParameter(
                    name: "width", value: width.map(String.init) ?? "none",
                    allowed: "a hidden width >= 1 for the standard parametrization")
            }
            _ = w
        }
        self.activation = activation
        self.depth = depth
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        self.sigmaI = sigmaI
        self.parametrization = parametrization
        self.width = width
        self.inputDimension = inputDimension
    }

    /// Whether the network has biases.
    public var hasBias: Bool { sigmaB > 0 }

    /// The dense layer number `index` (0-based) with its fan-in.
    public func denseLayer(_ index: Int, inputWidth: Double) -> DenseLayer {
        DenseLayer(
            sigmaW: sigmaW, sigmaB: sigmaB, sigmaI: sigmaI, parametrization: parametrization,
            inputWidth: index == 0 ? inputWidth : Double(width ?? 1))
    }

    /// Propagates an input state (see ``KernelState/input(_:_:)``) through the network.
    /// `inputWidth` is the data dimension d (used by the standard parametrisation only).
    public func propagate(_ input: KernelState, inputWidth: Double) -> KernelState {
        let nonlinearity = NonlinearityLayer(activation)
        return propagate(input, inputWidth: inputWidth) { _, state in nonlinearity(state) }!
    }

    /// NNGP and NTK between two data points, with Neural Tangents' input kernel <x, x'>/d.
    public func kernel(_ x: [Double], _ y: [Double]) -> (nngp: Double, ntk: Double) {
        let s = propagate(.input(x, y), inputWidth: Double(x.count))
        return (s.nngp, s.ntk)
    }

    /// NNGP and NTK on the unit sphere as functions of t = <x, x'> (Sigma_1 = sigma_w^2 t +
    /// sigma_b^2 sigma_i^2). For the standard parametrisation the first layer's fan-in is the
    /// input dimension, which must be given.
    public func sphere(t: Double) -> (nngp: Double, ntk: Double) {
        let s = propagate(.sphere(t: t), inputWidth: Double(inputDimension ?? 1))
        return (s.nngp, s.ntk)
    }
}
