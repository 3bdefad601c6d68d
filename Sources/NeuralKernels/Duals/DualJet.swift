/// The two dual maps of an activation at a Gaussian pair together with the first derivatives
/// that hyperparameter gradients need (Proofs/gp-regression-marginal-likelihood.md, "Partial
/// derivatives of the duals"). For (u, v) centred Gaussian, Var u = q1, Var v = q2, Cov = c:
///
///     nngp                 F  = E[phi(u) phi(v)]
///     derivative           D  = E[phi'(u) phi'(v)]
///     nngpScaling          S1 = d/dl F(l^2 q1, q2, l c) at l = 1 = E[u phi'(u) phi(v)]
///                          S2 = the same in the second argument
///     derivativeScaling    T1 = d/dl D(l^2 q1, q2, l c) at l = 1 = E[u phi''(u) phi'(v)], and T2
///     derivativeSlope      dD/dc = E[phi''(u) phi''(v)] (phi'' in the distributional sense;
///                          infinite at rho = +-1 when phi' jumps)
///
/// dF/dc = D is Price's theorem, so these determine the gradient of F and D in (q1, q2, c).
public struct DualJet: Sendable, Equatable {
    public var nngp: Double
    public var derivative: Double
    public var nngpScaling: (first: Double, second: Double)
    public var derivativeScaling: (first: Double, second: Double)
    public var derivativeSlope: Double

    public init(
        nngp: Double, derivative: Double, nngpScaling: (first: Double, second: Double),
        derivativeScaling: (first: Double, second: Double), derivativeSlope: Double
    ) {
        self.nngp = nngp
        self.derivative = derivative
        self.nngpScaling = nngpScaling
        self.derivativeScaling = derivativeScaling
        self.derivativeSlope = derivativeSlope
    }

    public static func == (a: DualJet, b: DualJet) -> Bool {
        a.nngp == b.nngp && a.derivative == b.derivative
            && a.nngpScaling == b.nngpScaling && a.derivativeScaling == b.derivativeScaling
            && a.derivativeSlope == b.derivativeSlope
    }

    /// The jet of lambda phi with k = lambda^2: every entry times k (SELU is lambda ELU(alpha)).
    public func scaled(by k: Double) -> DualJet {
        DualJet(
            nngp: k * nngp, derivative: k * derivative,
            nngpScaling: (k * nngpScaling.first, k * nngpScaling.second),
            derivativeScaling: (k * derivativeScaling.first, k * derivativeScaling.second),
            derivativeSlope: k * derivativeSlope)
    }

    /// For psi(x) = a phi(x/a) with s = a^2, given this jet of phi at (q1, q2, c)/s: psi's
    /// duals are s F and D there, so S scales by s, T is unchanged and dD/dc by 1/s (CELU).
    public func argumentsScaled(by s: Double) -> DualJet {
        DualJet(
            nngp: s * nngp, derivative: derivative,
            nngpScaling: (s * nngpScaling.first, s * nngpScaling.second),
            derivativeScaling: derivativeScaling, derivativeSlope: derivativeSlope / s)
    }
}
