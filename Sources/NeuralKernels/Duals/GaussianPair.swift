/// A centred Gaussian pair (u, v): Var u = q1, Var v = q2, Cov(u, v) = c, together with its
/// correlation angle computed to full relative accuracy.
///
/// Duals of non-smooth activations are infinitely sensitive to the correlation at rho = +-1
/// (they behave like (1 -+ rho)^{m + 1/2}), so the angle is carried alongside c: when the
/// deficit q - c is known exactly (on the sphere, from 1 - t; deeper, from Price's theorem),
/// it is not recomputed from a rounded c.
public struct GaussianPair: Sendable, Equatable {
    public let q1: Double
    public let q2: Double
    public let c: Double
    public let angle: CorrelationAngle

    /// The pair with the given second moments; the angle is computed from them in double-double.
    @inlinable public init(q1: Double, q2: Double, c: Double) {
        self.q1 = q1
        self.q2 = q2
        self.c = c
        self.angle = CorrelationAngle(q1: q1, q2: q2, c: c)
    }

    /// A pair with a known angle (scaling all second moments by one factor keeps the angle).
    public init(q1: Double, q2: Double, c: Double, angle: CorrelationAngle) {
        self.q1 = q1
        self.q2 = q2
        self.c = c
        self.angle = angle
    }

    /// Equal variances q with the deficit q - c (and surplus q + c) known exactly.
    public init(q: Double, deficit: Double, surplus: Double) {
        self.q1 = q
        self.q2 = q
        self.c = 0.5 * (surplus - deficit)
        self.angle = CorrelationAngle(q: q, deficit: deficit, surplus: surplus)
    }

    /// The correlation c / sqrt(q1 q2) in [-1, 1].
    @inlinable public var rho: Double { angle.rho }
}
