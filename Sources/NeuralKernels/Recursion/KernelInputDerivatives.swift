/// Derivatives of a deep network's NNGP Sigma and NTK Theta with respect to their inputs, for
/// training dynamics in which the inputs themselves move (bottleneck networks, where the
/// features z = g(x) feeding f change during training; Proofs/bottleneck-dynamics.md).
///
/// Both kernels depend on the inputs only through the input state (q1, q2, c) =
/// (|x|^2/d, |x'|^2/d, <x, x'>/d) (Neural Tangents' convention, ``KernelState/input(_:_:)``),
/// so with Phi(q1, q2, c) either kernel,
///
///     grad_x Phi(x, x') = (2 dPhi/dq1 x + dPhi/dc x') / d      (x' held fixed).
///
/// The partials are propagated forward through the layer recursion (tangents of the
/// ``KernelState``): a dense layer maps tangents by its bias-free linear part; a nonlinearity
/// maps a tangent (dq1, dq2, dc, dTheta) of the state (q1, q2, c, Theta) with the partials of the
/// duals F = E[phi(u) phi(v)], D = E[phi'(u) phi'(v)] (Price's theorem dF/dc = D, Stein's lemma
/// for the variances):
///
///     dF = S1 dq1/(2 q1) + S2 dq2/(2 q2) + D (dc - c/2 (dq1/q1 + dq2/q2))
///     dD = T1 dq1/(2 q1) + T2 dq2/(2 q2) + E[phi'' phi''] (dc - c/2 (dq1/q1 + dq2/q2))
///     dTheta' = D dTheta + Theta dD,    dq1' = S1(q1, q1, q1) dq1 / q1
///
/// with S1 = E[u phi'(u) phi(v)] = d/dl F(l^2 q1, q2, l c) at l = 1 and T1 the same for D.
/// Positively homogeneous activations of degree p (``Activation/homogeneity``) have S = p F and
/// T = (p - 1) D exactly, and a closed form declaring E[phi'' phi'']
/// (``Activation/secondDerivativeDual``: J^2 / (2 pi sqrt(q1 q2 - c^2)) for one kink of jump J,
/// 0 for phi' constant) gives the slope: ReLU, LeakyReLU, abs and the identity are then exact
/// to rounding. Closed forms declaring a
/// ``DualJet`` (the ELU family) give every partial directly. Otherwise S, T are central
/// differences along l (relative step 6e-6; l keeps the correlation, so never leaves the
/// admissible set) and E[phi'' phi''] a central difference in c (one-sided near rho = +-1):
/// relative error about 1e-10 for closed-form duals, a little more on quadrature duals.
///
/// At rho = +-1 the correlation is extremal, so it cannot change to first order; the
/// E[phi'' phi''] term is dropped there (it is infinite for ReLU, whose NTK has a cone
/// singularity in x at x = x': the value taken is the symmetric subgradient).
///
/// The same forward rules are used for hyperparameter gradients in GPRegression's
/// `DualPartials`; this type exposes them for input derivatives, the use they were not built for.
public struct KernelInputDerivatives: Sendable {
    public let network: NetworkKernel
    let dual: DualActivation
    let homogeneity: Int?
    let secondDerivative: (@Sendable (GaussianPair) -> Double)?
    let jet: (@Sendable (GaussianPair) -> DualJet?)?
    static let step = 6e-6

    public init(_ network: NetworkKernel) {
        self.network = network
        let activation = network.activation
        dual = DualActivation(activation)
        jet = activation.closedForm?.jet
        homogeneity = activation.homogeneity
        secondDerivative = activation.secondDerivativeDual
    }

    /// A kernel value with its partial derivatives in the input state (q1, q2, c).
    public struct Partials: Sendable, Equatable {
        public var value: Double
        public var q1: Double
        public var q2: Double
        public var c: Double
    }

    /// Sigma and Theta at the input state (q1, q2, c) with their partials. `inputWidth` is the
    /// first layer's fan-in d (used by the standard parametrisation only).
    public func partials(q1: Double, q2: Double, c: Double, inputWidth: Double = 1) -> (nngp: Partials, ntk: Partials) {
        var state = KernelState(q1: q1, q2: q2, nngp: c, ntk: 0)
        var tangents = [
            KernelState(q1: 1, q2: 0, nngp: 0, ntk: 0),
            KernelState(q1: 0, q2: 1, nngp: 0, ntk: 0),
            KernelState(q1: 0, q2: 0, nngp: 1, ntk: 0),
        ]
        func dense(_ l: Int) {
            let layer = network.denseLayer(l, inputWidth: inputWidth)
            var linear = layer
            linear.sigmaB = 0  // tangents see only the linear part (no constant bias terms)
            state = layer(state)
            for i in tangents.indices { tangents[i] = linear(tangents[i]) }
        }
        dense(0)
        for l in 1..<network.depth {
            // The variances' tangents only matter to a later nonlinearity: the last one skips them.
            nonlinearity(&state, &tangents, variances: l < network.depth - 1)
            dense(l)
        }
        return (
            Partials(value: state.nngp, q1: tangents[0].nngp, q2: tangents[1].nngp, c: tangents[2].nngp),
            Partials(value: state.ntk, q1: tangents[0].ntk, q2: tangents[1].ntk, c: tangents[2].ntk)
        )
    }

    /// Sigma(x, y), Theta(x, y) and their gradients with respect to x (y held fixed), in the
    /// input convention <x, y>/d.
    public func gradient(_ x: [Double], _ y: [Double]) -> (
        nngp: Double, ntk: Double, nngpGradient: [Double], ntkGradient: [Double]
    ) {
        precondition(x.count == y.count && !x.isEmpty)
        let s = KernelState.input(x, y)
        let d = Double(x.count)
        let (k, t) = partials(q1: s.q1, q2: s.q2, c: s.nngp, inputWidth: d)
        let gk = (0..<x.count).map { (2 * k.q1 * x[$0] + k.c * y[$0]) / d }
        let gt = (0..<x.count).map { (2 * t.q1 * x[$0] + t.c * y[$0]) / d }
        return (k.value, t.value, gk, gt)
    }

    /// The dual's value F, derivative dual D, scalings S1, S2, T1, T2 and E[phi'' phi''].
    struct Moments {
        var f: Double, d: Double, s1: Double, s2: Double, t1: Double, t2: Double, slope: Double
    }

    func moments(_ pair: GaussianPair, needSlope: Bool) -> Moments {
        if let jet, let j = jet(pair) {
            let slope = needSlope && Swift.abs(pair.rho) < 1 - 1e-12 ? j.derivativeSlope : 0
            return Moments(
                f: j.nngp, d: j.derivative, s1: j.nngpScaling.first, s2: j.nngpScaling.second,
                t1: j.derivativeScaling.first, t2: j.derivativeScaling.second, slope: slope)
        }
        let (q1, q2, c) = (pair.q1, pair.q2, pair.c)
        let f = dual.nngp(pair)
        let d = dual.derivative(pair)
        let h = KernelInputDerivatives.step
        @inline(__always) func scaled(_ l1: Double, _ l2: Double) -> GaussianPair {
            GaussianPair(q1: l1 * l1 * q1, q2: l2 * l2 * q2, c: l1 * l2 * c, angle: pair.angle)
        }
        var m = Moments(f: f, d: d, s1: 0, s2: 0, t1: 0, t2: 0, slope: 0)
        if let p = homogeneity {
            m.s1 = Double(p) * f
            m.s2 = m.s1
            m.t1 = Double(p - 1) * d
            m.t2 = m.t1
        } else {
            m.s1 = (dual.nngp(scaled(1 + h, 1)) - dual.nngp(scaled(1 - h, 1))) / (2 * h)
            m.s2 = (dual.nngp(scaled(1, 1 + h)) - dual.nngp(scaled(1, 1 - h))) / (2 * h)
            m.t1 = (dual.derivative(scaled(1 + h, 1)) - dual.derivative(scaled(1 - h, 1))) / (2 * h)
            m.t2 = (dual.derivative(scaled(1, 1 + h)) - dual.derivative(scaled(1, 1 - h))) / (2 * h)
        }
        guard needSlope else { return m }
        let root = (q1 * q2).squareRoot()
        let rho = pair.rho
        guard Swift.abs(rho) < 1 - 1e-12 else { return m }
        if let secondDerivative {
            m.slope = secondDerivative(pair)
        } else {
            let e = 1e-5 * root
            func dd(_ shift: Double) -> Double { dual.derivative(GaussianPair(q1: q1, q2: q2, c: c + shift)) }
            if rho + 2e-5 > 1 {
                m.slope = (3 * d - 4 * dd(-e) + dd(-2 * e)) / (2 * e)
            } else if rho - 2e-5 < -1 {
                m.slope = (-3 * d + 4 * dd(e) - dd(2 * e)) / (2 * e)
            } else {
                m.slope = (dd(e) - dd(-e)) / (2 * e)
            }
        }
        return m
    }

    func nonlinearity(_ state: inout KernelState, _ tangents: inout [KernelState], variances: Bool) {
        let (q1, q2, c) = (state.q1, state.q2, state.nngp)
        let m = moments(GaussianPair(q1: q1, q2: q2, c: c), needSlope: true)
        // Without the variances' tangents only the variances themselves are needed.
        let diag1 =
            variances
            ? moments(GaussianPair(q1: q1, q2: q1, c: q1), needSlope: false)
            : Moments(f: dual.secondMoment(q: q1), d: 0, s1: 0, s2: 0, t1: 0, t2: 0, slope: 0)
        let diag2 =
            q2 == q1
            ? diag1
            : variances
                ? moments(GaussianPair(q1: q2, q2: q2, c: q2), needSlope: false)
                : Moments(f: dual.secondMoment(q: q2), d: 0, s1: 0, s2: 0, t1: 0, t2: 0, slope: 0)
        func change(_ a: Double, _ b: Double, _ slope: Double, _ t: KernelState) -> Double {
            let rhoPart = t.nngp - 0.5 * c * (t.q1 / q1 + t.q2 / q2)
            return a * t.q1 / (2 * q1) + b * t.q2 / (2 * q2) + (rhoPart == 0 ? 0 : slope * rhoPart)
        }
        for i in tangents.indices {
            let t = tangents[i]
            tangents[i] = KernelState(
                q1: diag1.s1 * t.q1 / q1, q2: diag2.s1 * t.q2 / q2,
                nngp: change(m.s1, m.s2, m.d, t),
                ntk: m.d * t.ntk + state.ntk * change(m.t1, m.t2, m.slope, t))
        }
        state = KernelState(q1: diag1.f, q2: diag2.f, nngp: m.f, ntk: state.ntk * m.d)
    }
}
