import Foundation

/// The NNGP and NTK of a network on the unit sphere as functions of t = <x, x'>, prepared for
/// many evaluations (spectra, sample paths, Gram matrices of unit-norm data).
///
/// On the sphere every point has the same variance after every layer, so each hidden layer's
/// dual maps are functions of the correlation alone at a known variance q_l. Activations
/// with closed forms use them directly; the others are tabulated once per layer as
/// Chebyshev series in theta = arccos(rho) (``TabulatedDual``), accurate to about 1e-15 of
/// the dual's size; `tableError` records the tabulation error.
///
/// Near t = 1 the recursion carries the deficit Sigma_l(1) - Sigma_l(t) exactly: it starts as
/// sigma_w^2 (1 - t) and passes each nonlinearity through Price's theorem
/// (``DualActivation/priceDeficit(q:angle:derivative:)``), so correlation angles stay
/// accurate to the last digit even at 1 - t = 1e-12, where the kernels are singular.
public struct SphereKernel: Sendable {
    public let network: NetworkKernel
    /// Sigma_l(1) for the variance fed to each nonlinearity (index 0 is the first hidden layer).
    public let variances: [Double]
    /// Largest estimated absolute error of the tables (0 when every dual is in closed form).
    public let tableError: Double
    private let layers: [LayerDuals]
    /// Price's theorem with the a.e. derivative needs a continuous activation (the step
    /// function's derivative is a Dirac mass, which the a.e. derivative misses).
    private let priceApplies: Bool

    private struct LayerDuals: Sendable {
        let q: Double
        let nngp: @Sendable (GaussianPair) -> Double
        let derivative: @Sendable (GaussianPair) -> Double
        let secondMoment: Double
    }

    /// The common input variance <x, x>/d (1 on the unit sphere in the sphere convention).
    public let inputVariance: Double

    /// Prepares the kernel of `network` for inputs of common variance `inputVariance` = |x|^2/d
    /// (1 for the sphere convention Sigma_1(t) = sigma_w^2 t + sigma_b^2 sigma_i^2).
    public init(_ network: NetworkKernel, inputVariance: Double = 1) throws {
        guard inputVariance.isFinite, inputVariance > 0 else {
            throw KernelError.invalidParameter(name: "input variance", value: "\(inputVariance)", allowed: "a finite number > 0")
        }
        self.inputVariance = inputVariance
        if network.parametrization == .standard && network.inputDimension == nil {
            throw KernelError.invalidParameter(name: "dim", value: "none",
                                               allowed: "the input dimension d, needed by the standard parametrization's NTK")
        }
        self.network = network
        self.priceApplies = network.activation.regularity.nonSmoothnessDegree != 0
        let dual = DualActivation(network.activation)
        let s = inputVariance
        var state = network.denseLayer(0, inputWidth: Double(network.inputDimension ?? 1))(
            KernelState(q1: s, q2: s, nngp: s, ntk: 0))
        var variances: [Double] = []
        var layers: [LayerDuals] = []
        var worst = 0.0
        for l in 1..<max(network.depth, 1) {
            let q = state.q1
            variances.append(q)
            if let closed = network.activation.closedForm, closed.isCheap {
                layers.append(LayerDuals(q: q, nngp: closed.nngp, derivative: closed.derivative,
                                         secondMoment: closed.nngp(GaussianPair(q1: q, q2: q, c: q))))
            } else {
                let f = TabulatedDual(q: q) { rho in dual.nngp(q1: q, q2: q, c: q * rho) }
                let g = TabulatedDual(q: q) { rho in dual.derivative(q1: q, q2: q, c: q * rho) }
                worst = max(worst, f.error, g.error)
                layers.append(LayerDuals(
                    q: q,
                    nngp: { pair in f.value(theta: pair.angle.theta) },
                    derivative: { pair in g.value(theta: pair.angle.theta) },
                    secondMoment: dual.secondMoment(q: q)))
            }
            state = NonlinearityLayer(network.activation)(state)
            state = network.denseLayer(l, inputWidth: 0)(state)
        }
        self.variances = variances
        self.layers = layers
        self.tableError = worst
    }

    /// NNGP and NTK at t = <x, x'> in [-1, 1].
    public func callAsFunction(_ t: Double) -> (nngp: Double, ntk: Double) { values(t) }

    /// NNGP Sigma_L(t).
    public func nngp(_ t: Double) -> Double { values(t).nngp }

    /// NTK Theta_L(t).
    public func ntk(_ t: Double) -> Double { values(t).ntk }

    /// NNGP and NTK at t.
    public func values(_ t: Double) -> (nngp: Double, ntk: Double) {
        values(t, oneMinusT: 1 - t, onePlusT: 1 + t)
    }

    /// NNGP and NTK at t with 1 - t and 1 + t given exactly (for example 1 - t = 2 u^2 when
    /// sampling in u = sqrt((1 - t)/2), where rounding t itself would blur u).
    public func values(_ t: Double, oneMinusT: Double, onePlusT: Double) -> (nngp: Double, ntk: Double) {
        let w2 = network.sigmaW * network.sigmaW
        let b2 = network.sigmaB * network.sigmaB * network.sigmaI * network.sigmaI
        let s = inputVariance
        var state = network.denseLayer(0, inputWidth: Double(network.inputDimension ?? 1))(
            KernelState(q1: s, q2: s, nngp: s * t, ntk: 0))
        // Sigma_1(1) - Sigma_1(t) and Sigma_1(1) + Sigma_1(t), exact whatever rounding Sigma_1(t) had.
        var deficit = w2 * s * oneMinusT
        var surplus = w2 * s * onePlusT + 2 * b2
        for (index, layer) in layers.enumerated() {
            let pair = GaussianPair(q: layer.q, deficit: deficit, surplus: surplus)
            let nngp = layer.nngp(pair)
            let ntk = state.ntk * layer.derivative(pair)
            let postDeficit = pair.angle.theta < 0.2 && priceApplies
                ? DualActivation.priceDeficit(q: layer.q, angle: pair.angle, derivative: layer.derivative)
                : layer.secondMoment - nngp
            state = KernelState(q1: layer.secondMoment, q2: layer.secondMoment, nngp: nngp, ntk: ntk)
            state = network.denseLayer(index + 1, inputWidth: 0)(state)
            deficit = w2 * postDeficit
            surplus = w2 * (layer.secondMoment + nngp) + 2 * b2
        }
        return (state.nngp, state.ntk)
    }
}
