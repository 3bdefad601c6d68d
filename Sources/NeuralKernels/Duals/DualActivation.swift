import Foundation

/// The dual maps of an activation: for a centred Gaussian pair (u, v) with Var u = q1,
/// Var v = q2 and Cov(u, v) = c,
///
///     nngp(q1, q2, c)       = E[phi(u) phi(v)]
///     derivative(q1, q2, c) = E[phi'(u) phi'(v)]
///
/// Closed forms where the activation declares them, otherwise ``WedgeQuadrature``
/// (relative error about 1e-14 at every correlation, including rho = +-1).
public struct DualActivation: Sendable {
    public let activation: Activation
    let quadrature = WedgeQuadrature()

    public init(_ activation: Activation) { self.activation = activation }

    /// E[phi(u) phi(v)].
    @inlinable public func nngp(q1: Double, q2: Double, c: Double) -> Double {
        if let closed = activation.closedForm { return closed.nngp(q1, q2, c) }
        return nngpByQuadrature(q1: q1, q2: q2, c: c)
    }

    /// E[phi'(u) phi'(v)] (phi' the almost-everywhere derivative).
    @inlinable public func derivative(q1: Double, q2: Double, c: Double) -> Double {
        if let closed = activation.closedForm { return closed.derivative(q1, q2, c) }
        return derivativeByQuadrature(q1: q1, q2: q2, c: c)
    }

    /// E[phi(u)^2] for Var u = q.
    public func secondMoment(q: Double) -> Double { nngp(q1: q, q2: q, c: q) }

    /// E[phi'(u)^2] for Var u = q.
    public func derivativeSecondMoment(q: Double) -> Double { derivative(q1: q, q2: q, c: q) }

    /// E[phi(u) phi(v)] by the wedge quadrature, ignoring any closed form (for cross-checks).
    public func nngpByQuadrature(q1: Double, q2: Double, c: Double) -> Double {
        let branches = (negative: activation.negative.value, positive: activation.positive.value)
        return quadrature.expectation(q1: q1, q2: q2, c: c, g: branches, h: branches)
    }

    /// E[phi'(u) phi'(v)] by the wedge quadrature, ignoring any closed form.
    public func derivativeByQuadrature(q1: Double, q2: Double, c: Double) -> Double {
        let branches = (negative: activation.negative.derivative, positive: activation.positive.derivative)
        return quadrature.expectation(q1: q1, q2: q2, c: c, g: branches, h: branches)
    }
}
