import Foundation

/// The dual maps of an activation: for a centred Gaussian pair (u, v) with Var u = q1,
/// Var v = q2 and Cov(u, v) = c,
///
///     nngp(q1, q2, c)       = E[phi(u) phi(v)]
///     derivative(q1, q2, c) = E[phi'(u) phi'(v)]
///
/// Closed forms where the activation declares them; otherwise the conditional quadrature
/// ``BreakpointQuadrature`` for activations analytic on the whole line (tanh, sigmoid, softplus,
/// SiLU, Mish: no cuts) and for those with breakpoints away from 0 whose pieces are not all
/// affine (piecewise-affine ones have the closed form ``PiecewiseLinearDuals``), and
/// ``WedgeQuadrature`` for the rest (non-smooth at 0 without a closed form). Measured against
/// 25-digit mpmath fixtures at every correlation including rho = +-1 and 1 - rho = 1e-12
/// (DualFixtureTests): closed forms and both quadratures ~1e-15 (tanh 8e-16, mish 1e-15;
/// the wedge quadrature, which these activations used before, reached only 2e-14 to 1.1e-12
/// on them: its 8/16-point panel test accepted the edge panels of a wedge too early,
/// Proofs/wedge-quadrature.md).
public struct DualActivation: Sendable {
    public let activation: Activation
    let quadrature = WedgeQuadrature()
    let splitQuadrature = BreakpointQuadrature()

    public init(_ activation: Activation) { self.activation = activation }

    /// E[phi(u) phi(v)].
    @inlinable public func nngp(q1: Double, q2: Double, c: Double) -> Double {
        nngp(GaussianPair(q1: q1, q2: q2, c: c))
    }

    /// E[phi'(u) phi'(v)] (phi' the almost-everywhere derivative).
    @inlinable public func derivative(q1: Double, q2: Double, c: Double) -> Double {
        derivative(GaussianPair(q1: q1, q2: q2, c: c))
    }

    /// E[phi(u) phi(v)] for a pair whose correlation angle is already known accurately.
    @inlinable public func nngp(_ pair: GaussianPair) -> Double {
        if let closed = activation.closedForm { return closed.nngp(pair) }
        return nngpByQuadrature(pair)
    }

    /// E[phi'(u) phi'(v)] for a pair whose correlation angle is already known accurately.
    @inlinable public func derivative(_ pair: GaussianPair) -> Double {
        if let closed = activation.closedForm { return closed.derivative(pair) }
        return derivativeByQuadrature(pair)
    }

    /// Both duals at once: from the closed form's ``DualJet`` where it declares one (the ELU
    /// family computes both from the same five bivariate normal values, not eight), else
    /// separately.
    public func both(_ pair: GaussianPair) -> (nngp: Double, derivative: Double) {
        if let jet = activation.closedForm?.jet, let j = jet(pair) { return (j.nngp, j.derivative) }
        return (nngp(pair), derivative(pair))
    }

    /// E[phi(u)^2] for Var u = q.
    public func secondMoment(q: Double) -> Double { nngp(q1: q, q2: q, c: q) }

    /// E[phi'(u)^2] for Var u = q.
    public func derivativeSecondMoment(q: Double) -> Double { derivative(q1: q, q2: q, c: q) }

    /// E[phi(u)^2] - E[phi(u) phi(v)] for equal variances, without cancellation
    /// (see ``priceDeficit(q:angle:derivative:)``).
    public func nngpDeficit(_ pair: GaussianPair) -> Double {
        // Price's theorem with the a.e. derivative needs phi continuous (not the step function).
        if pair.angle.theta < 0.2 && activation.regularity.nonSmoothnessDegree != 0 {
            return DualActivation.priceDeficit(q: pair.q1, angle: pair.angle) { derivative($0) }
        }
        return secondMoment(q: pair.q1) - nngp(pair)
    }

    /// E[phi(u)^2] - E[phi(u) phi(v)] for Var u = Var v = q and correlation angle theta, from
    /// the derivative dual alone.
    ///
    /// By Price's theorem d/dc E[phi(u) phi(v)] = E[phi'(u) phi'(v)], so the deficit is
    /// integral_c^q E[phi' phi'](c') dc'. With c' = q - D s^2 (D = q - c = 2 q sin^2(theta/2))
    /// the integrand 2 D s E[phi' phi'](q - D s^2) is analytic in s (the derivative dual is
    /// analytic in its angle, which is analytic in s), so 20-point Gauss-Legendre on [0, 1]
    /// keeps full relative accuracy however small D is. Used for theta < 0.2, where
    /// subtraction would lose digits (Proofs/layer-recursion.md).
    public static func priceDeficit(
        q: Double, angle: CorrelationAngle,
        derivative: (GaussianPair) -> Double
    ) -> Double {
        let half = sin(0.5 * angle.theta)
        let d = 2 * q * half * half
        let rule = GaussLegendre.rule(count: 20)
        var sum = 0.0
        for i in 0..<rule.nodes.count {
            let s = 0.5 * (1 + rule.nodes[i])
            let deficit = d * s * s
            sum +=
                rule.weights[i] * 2 * d * s * derivative(GaussianPair(q: q, deficit: deficit, surplus: 2 * q - deficit))
        }
        return 0.5 * sum
    }

    /// E[phi(u) phi(v)] by the wedge quadrature, ignoring any closed form (for cross-checks).
    public func nngpByQuadrature(q1: Double, q2: Double, c: Double) -> Double {
        nngpByQuadrature(GaussianPair(q1: q1, q2: q2, c: c))
    }

    /// E[phi'(u) phi'(v)] by the wedge quadrature, ignoring any closed form.
    public func derivativeByQuadrature(q1: Double, q2: Double, c: Double) -> Double {
        derivativeByQuadrature(GaussianPair(q1: q1, q2: q2, c: c))
    }

    public func nngpByQuadrature(_ pair: GaussianPair) -> Double {
        if !activation.breakpoints.isEmpty {
            let phi = activation.positive.value
            let cuts = activation.breakpoints
            return splitQuadrature.expectation(pair, g: phi, gBreakpoints: cuts, h: phi, hBreakpoints: cuts)
        }
        if case .analytic = activation.regularity {
            let phi: (Double) -> Double = { activation($0) }
            return splitQuadrature.expectation(pair, g: phi, gBreakpoints: [], h: phi, hBreakpoints: [])
        }
        let branches = (negative: activation.negative.value, positive: activation.positive.value)
        return quadrature.expectation(pair, g: branches, h: branches, sameFunction: true)
    }

    public func derivativeByQuadrature(_ pair: GaussianPair) -> Double {
        if !activation.breakpoints.isEmpty {
            let dphi = activation.positive.derivative
            let cuts = activation.breakpoints
            return splitQuadrature.expectation(pair, g: dphi, gBreakpoints: cuts, h: dphi, hBreakpoints: cuts)
        }
        if case .analytic = activation.regularity {
            let dphi: (Double) -> Double = { activation.derivative($0) }
            return splitQuadrature.expectation(pair, g: dphi, gBreakpoints: [], h: dphi, hBreakpoints: [])
        }
        let branches = (negative: activation.negative.derivative, positive: activation.positive.derivative)
        return quadrature.expectation(pair, g: branches, h: branches, sameFunction: true)
    }
}
