import Foundation

/// The NNGP and NTK of a network on the unit sphere as functions of t = <x, x'>, prepared for
/// many evaluations (spectra, sample paths, Gram matrices of unit-norm data).
///
/// On the sphere every point has the same variance after every layer, so each hidden layer's
/// dual maps are functions of the correlation alone at a known variance q_l. Activations
/// with cheap closed forms use them directly, and so do costly closed forms that are not
/// analytic in the angle at theta = 0 (``ClosedFormDuals/tabulatesAccurately``: kinks away
/// from 0); the others are tabulated once per layer as Chebyshev series in
/// theta = arccos(rho) (``TabulatedDual``), accurate to about 1e-15 of the dual's size where
/// the dual is analytic in theta; `tableError` records the tabulation error.
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
    ///
    /// `tabulated: false` evaluates every dual directly at each t instead of tabulating it per
    /// layer: a table costs 100-200 dual evaluations a layer, a direct value 2 (22 near t = 1,
    /// where the deficit takes Price's theorem), so for up to a few hundred t values direct is
    /// faster (`rkhs kernel --activation tanh --depth 50 --t 0.5`: 0.1 s, 33 s tabulated). Costly duals then
    /// take Mehler's series of one Hermite expansion per layer where it certifies its sum
    /// (``HermiteCoefficients``), else the duals themselves. The values carry the duals' or the
    /// series' own accuracy instead of the table's (``tableError`` is 0).
    public init(_ network: NetworkKernel, inputVariance: Double = 1, tabulated: Bool = true) throws {
        guard inputVariance.isFinite, inputVariance > 0 else {
            throw KernelError.invalidParameter(
                name: "input variance", value: "\(inputVariance)", allowed: "a finite number > 0")
        }
        self.inputVariance = inputVariance
        if network.parametrization == .standard && network.inputDimension == nil {
            throw KernelError.invalidParameter(
                name: "dim", value: "none",
                allowed: "the input dimension d, needed by the standard parametrization's NTK")
        }
        self.network = network
        self.priceApplies = network.activation.regularity.nonSmoothnessDegree != 0
        let dual = DualActivation(network.activation)
        let nonlinearity = NonlinearityLayer(network.activation)
        let s = inputVariance
        var variances: [Double] = []
        var layers: [LayerDuals] = []
        var worst = 0.0
        _ = network.propagate(
            KernelState(q1: s, q2: s, nngp: s, ntk: 0),
            inputWidth: Double(network.inputDimension ?? 1)
        ) { _, state in
            let q = state.q1
            variances.append(q)
            let odd = (network.activation.closedForm?.nngpOddPart, network.activation.closedForm?.derivativeOddPart)
            func layer(
                nngp: @escaping @Sendable (GaussianPair) -> Double,
                derivative: @escaping @Sendable (GaussianPair) -> Double, secondMoment: Double
            ) -> LayerDuals {
                LayerDuals(
                    q: q, nngp: nngp, derivative: derivative, secondMoment: secondMoment, nngpOdd: odd.0,
                    derivativeOdd: odd.1)
            }
            if let closed = network.activation.closedForm, closed.isCheap || !closed.tabulatesAccurately {
                layers.append(
                    layer(
                        nngp: closed.nngp, derivative: closed.derivative,
                        secondMoment: closed.nngp(GaussianPair(q1: q, q2: q, c: q))))
            } else if !tabulated {
                // Costly duals, evaluated at each t: Mehler's series of the layer's Hermite
                // expansion where it certifies 1e-14 of the scale (one 1-D quadrature a layer,
                // then arithmetic; the Price deficit's 20 derivative values near t = 1
                // included), else the dual itself.
                let expansion = HermiteCoefficients(network.activation, variance: q)
                let nngp: @Sendable (GaussianPair) -> Double = { pair in
                    if let e = expansion, let s = HermiteCoefficients.series(e, e, rho: pair.rho, derivative: false) {
                        return s.value
                    }
                    return dual.nngp(pair)
                }
                let derivative: @Sendable (GaussianPair) -> Double = { pair in
                    if let e = expansion, let s = HermiteCoefficients.series(e, e, rho: pair.rho, derivative: true) {
                        return s.value
                    }
                    return dual.derivative(pair)
                }
                guard let e = expansion else {
                    layers.append(layer(nngp: nngp, derivative: derivative, secondMoment: dual.secondMoment(q: q)))
                    return nonlinearity(state)
                }
                // The expansion's own energies are E[phi^2] and E[phi'^2] (Parseval, 24- and
                // 16-node rules agreeing to 1e-14): the diagonal without another 2-D quadrature.
                layers.append(layer(nngp: nngp, derivative: derivative, secondMoment: e.valueEnergy))
                return KernelState(
                    q1: e.valueEnergy, q2: e.valueEnergy, nngp: e.valueEnergy, ntk: state.ntk * e.derivativeEnergy)
            } else {
                let f = TabulatedDual(q: q) { rho in dual.nngp(q1: q, q2: q, c: q * rho) }
                let g = TabulatedDual(q: q) { rho in dual.derivative(q1: q, q2: q, c: q * rho) }
                worst = max(worst, f.error, g.error)
                layers.append(
                    layer(
                        nngp: { pair in f.value(theta: pair.angle.theta) },
                        derivative: { pair in g.value(theta: pair.angle.theta) },
                        secondMoment: dual.secondMoment(q: q)))
            }
            return nonlinearity(state)
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
        let s = propagate(t, oneMinusT: oneMinusT, onePlusT: onePlusT, branch: nil)!.state
        return (s.nngp, s.ntk)
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
        propagate(1 - y, oneMinusT: y, onePlusT: 2 - y, branch: continued ? .continued : .principal)
            .map { ($0.state.nngp, $0.state.ntk) }
    }

    /// Which branch in the signed angle a continuation follows.
    enum Branch { case principal, continued }

    /// What a layer carries on the sphere: the kernel state and the exact deficit
    /// Sigma_l(1) - Sigma_l(t) and surplus Sigma_l(1) + Sigma_l(t). Between a nonlinearity and
    /// the next dense layer, `deficit` and `surplus` hold E[phi^2] - E[phi phi'] (Price-accurate)
    /// and E[phi^2] + E[phi phi'], which the dense map scales.
    struct Carrier: LayerCarrier {
        var state: KernelState
        var deficit: Double
        var surplus: Double

        func dense(_ layer: DenseLayer) -> Carrier {
            Carrier(
                state: layer(state), deficit: layer.weightVariance * deficit,
                surplus: layer.weightVariance * surplus + 2 * layer.nngpBias)
        }
    }

    /// The recursion at t, with 1 - t and 1 + t exact, on the plain kernel (`branch` nil) or on
    /// a branch of the signed-angle continuation (nil where it leaves rho > 0).
    private func propagate(_ t: Double, oneMinusT: Double, onePlusT: Double, branch: Branch?) -> Carrier? {
        let w2 = network.sigmaW * network.sigmaW
        let b2 = network.sigmaB * network.sigmaB * network.sigmaI * network.sigmaI
        let s = inputVariance
        // Sigma_1(1) - Sigma_1(t) and Sigma_1(1) + Sigma_1(t), exact whatever rounding Sigma_1(t) had.
        let first = Carrier(
            state: network.denseLayer(0, inputWidth: Double(network.inputDimension ?? 1))(
                KernelState(q1: s, q2: s, nngp: s * t, ntk: 0)),
            deficit: w2 * s * oneMinusT, surplus: w2 * s * onePlusT + 2 * b2)
        return network.propagate(afterFirstLayer: first, inputWidth: 0) { index, x in
            let layer = layers[index]
            // On a branch, the pair at |theta_l|; the continued branch sits at -|theta_l|.
            let pair = GaussianPair(q: layer.q, deficit: x.deficit, surplus: x.surplus)
            var oddN = 0.0
            var oddD = 0.0
            if let branch {
                guard pair.rho > 0, let nngpOdd = layer.nngpOdd, let derivativeOdd = layer.derivativeOdd else {
                    return nil
                }
                if branch == .continued {
                    oddN = nngpOdd(pair)
                    oddD = derivativeOdd(pair)
                }
                guard oddN.isFinite, oddD.isFinite else { return nil }
            }
            let trueNNGP = layer.nngp(pair)
            let nngp = branch == nil ? trueNNGP : trueNNGP - 2 * oddN
            let derivative = branch == nil ? layer.derivative(pair) : layer.derivative(pair) - 2 * oddD
            var postDeficit =
                pair.angle.theta < 0.2 && priceApplies
                ? DualActivation.priceDeficit(q: layer.q, angle: pair.angle, derivative: layer.derivative)
                : layer.secondMoment - trueNNGP
            if branch != nil {
                postDeficit += 2 * oddN
                guard postDeficit >= 0 else { return nil }
            }
            return Carrier(
                state: KernelState(
                    q1: layer.secondMoment, q2: layer.secondMoment, nngp: nngp,
                    ntk: x.state.ntk * derivative),
                deficit: postDeficit, surplus: layer.secondMoment + nngp)
        }
    }
}
