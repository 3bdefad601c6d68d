/// A pointwise nonlinearity acting on kernel states:
///
///     Sigma(x, x')  -> E[phi(u) phi(v)],   Sigma(x, x) -> E[phi(u)^2]
///     Theta(x, x')  -> Theta(x, x') * E[phi'(u) phi'(v)]
///
/// with (u, v) centred Gaussian of covariance [[Sigma(x,x), Sigma(x,x')], [., Sigma(x',x')]].
public struct NonlinearityLayer: Sendable {
    public let dual: DualActivation

    public init(_ activation: Activation) { dual = DualActivation(activation) }

    public func callAsFunction(_ s: KernelState) -> KernelState {
        let c = s.nngp
        let (nngp, derivative) = dual.both(GaussianPair(q1: s.q1, q2: s.q2, c: c))
        let q1 = dual.secondMoment(q: s.q1)
        let q2 = s.q2 == s.q1 ? q1 : dual.secondMoment(q: s.q2)
        return KernelState(q1: q1, q2: q2, nngp: nngp, ntk: s.ntk * derivative)
    }
}
