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
        /// The odd parts in the signed angle (``ClosedFormDuals/nngpOddPart``), when known.
        let nngpOdd: (@Sendable (GaussianPair) -> Double)?
        let derivativeOdd: (@Sendable (GaussianPair) -> Double)?
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
                                         secondMoment: closed.nngp(GaussianPair(q1: q, q2: q, c: q)),
                                         nngpOdd: closed.nngpOddPart, derivativeOdd: closed.derivativeOddPart))
            } else {
                let f = TabulatedDual(q: q) { rho in dual.nngp(q1: q, q2: q, c: q * rho) }
                let g = TabulatedDual(q: q) { rho in dual.derivative(q1: q, q2: q, c: q * rho) }
                worst = max(worst, f.error, g.error)
                layers.append(LayerDuals(
                    q: q,
                    nngp: { pair in f.value(theta: pair.angle.theta) },
                    derivative: { pair in g.value(theta: pair.angle.theta) },
                    secondMoment: dual.secondMoment(q: q),
                    nngpOdd: network.activation.closedForm?.nngpOddPart,
                    derivativeOdd: network.activation.closedForm?.derivativeOddPart))
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

    /// Whether ``singularPart(oneMinusT:)`` is available: every layer's duals have known odd
    /// parts in the signed angle (arc-cosine and ELU-family closed forms).
    public var hasContinuation: Bool {
        priceApplies && !layers.isEmpty && layers.allSatisfy { $0.nngpOdd != nil && $0.derivativeOdd != nil }
    }

    /// The odd part S = (K(theta) - K(-theta))/2 of the NNGP and NTK in the signed angle theta of
    /// t = cos theta = 1 - y, K(-theta) the analytic continuation through theta = 0. Near t = 1 this is
    /// exactly the singular part y^a B(y) = sum_j b_j (1 - t)^{a + j} of the Puiseux expansion
    /// kappa(1 - y) = A(y) + y^a B(y) (Proofs/endpoint-expansion.md).
    ///
    /// The continued branch is computed layer by layer: layer l's dual at the signed angle
    /// -theta_l is K_l(theta_l) - 2 O_l(theta_l) (the odd part in closed form); the deficit q - c of
    /// the next layer is the (Price-accurate) deficit of the true branch plus 2 w^2 O_l, and the
    /// next angle is again negative, theta_{l+1} = -2 asin(sqrt((1 - rho_{l+1})/2)) (1 - rho_{l+1}
    /// is even in theta_l to leading order, its square root odd). Nil when the continuation is
    /// not available or leaves rho > 0 (y too large).
    public func singularPart(oneMinusT y: Double) -> (nngp: Double, ntk: Double)? {
        guard hasContinuation, y >= 0 else { return nil }
        guard let plus = branch(oneMinusT: y, continued: false), let minus = branch(oneMinusT: y, continued: true)
        else { return nil }
        return (0.5 * (plus.nngp - minus.nngp), 0.5 * (plus.ntk - minus.ntk))
    }

    /// NNGP and NTK at t = 1 - y on the true branch (theta > 0) or the continued one (-theta), with
    /// Price-accurate deficits.
    private func branch(oneMinusT y: Double, continued: Bool) -> (nngp: Double, ntk: Double)? {
        let t = 1 - y
        let w2 = network.sigmaW * network.sigmaW
        let b2 = network.sigmaB * network.sigmaB * network.sigmaI * network.sigmaI
        let s = inputVariance
        var state = network.denseLayer(0, inputWidth: Double(network.inputDimension ?? 1))(
            KernelState(q1: s, q2: s, nngp: s * t, ntk: 0))
        var deficit = w2 * s * y
        var surplus = w2 * s * (2 - y) + 2 * b2
        for (index, layer) in layers.enumerated() {
            // The pair at |theta_l|; the continued branch sits at -|theta_l|.
            let pair = GaussianPair(q: layer.q, deficit: deficit, surplus: surplus)
            guard pair.rho > 0, let nngpOdd = layer.nngpOdd, let derivativeOdd = layer.derivativeOdd else { return nil }
            let oddN = continued ? nngpOdd(pair) : 0, oddD = continued ? derivativeOdd(pair) : 0
            guard oddN.isFinite, oddD.isFinite else { return nil }
            let trueNNGP = layer.nngp(pair)
            let nngp = trueNNGP - 2 * oddN
            let ntk = state.ntk * (layer.derivative(pair) - 2 * oddD)
            let truePostDeficit = pair.angle.theta < 0.2
                ? DualActivation.priceDeficit(q: layer.q, angle: pair.angle, derivative: layer.derivative)
                : layer.secondMoment - trueNNGP
            let postDeficit = truePostDeficit + 2 * oddN
            guard postDeficit >= 0 else { return nil }
            state = KernelState(q1: layer.secondMoment, q2: layer.secondMoment, nngp: nngp, ntk: ntk)
            state = network.denseLayer(index + 1, inputWidth: 0)(state)
            deficit = w2 * postDeficit
            surplus = w2 * (layer.secondMoment + nngp) + 2 * b2
        }
        return (state.nngp, state.ntk)
    }
}
