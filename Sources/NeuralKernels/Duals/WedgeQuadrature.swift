import Foundation

/// E[g(u) h(v)] for a centred Gaussian pair by quadrature that is exact in structure.
///
/// Whitening u = sqrt(q1) z1, v = sqrt(q2) (rho z1 + sqrt(1 - rho^2) z2) and writing
/// z = r (cos phi, sin phi) gives u = sqrt(q1) r cos phi, v = sqrt(q2) r cos(phi - theta),
/// theta = arccos rho, and
///
///     E[g(u) h(v)] = 1/(2 pi) * sum over the four wedges W of
///                    integral_W dphi integral_0^inf r e^{-r^2/2} g_W(u) h_W(v) dr
///
/// where the wedges are cut at the sign changes of u (phi = +-pi/2) and of v
/// (phi = theta +- pi/2), and g_W, h_W are the analytic branches for the signs of that wedge.
/// Every integrand is analytic on its closed domain, so Gauss-Legendre converges
/// exponentially, and as rho -> +-1 the two thin wedges (width theta or pi - theta) are
/// integrated on their own, which keeps full relative accuracy where the singular behaviour
/// that decides the eigenvalue decay lives. (Proofs/wedge-quadrature.md.)
public struct WedgeQuadrature: Sendable {
    public var angular = AdaptiveGaussLegendre(relativeTolerance: 1e-14, maxDepth: 16)
    public var radial = AdaptiveGaussLegendre(relativeTolerance: 1e-15, maxDepth: 16)

    /// The radial integral runs over panels of this width ...
    static let radialPanelWidth = 5.0
    /// ... and, from this r on, stops once R e^{-R^2/2} |F(R)| is below `tailTolerance` of the total ...
    static let radialTailCheckFrom = 10.0
    /// ... at this r at the latest (e^{-r^2/2} = 1e-1390: nothing finite survives it).
    static let radialEnd = 80.0
    /// Relative size of the neglected tail: far below the rules' 1e-14 and 1e-15.
    static let tailTolerance = 1e-17
    /// The 1-D mean of a degenerate pair: panels of width 4, checked from r = 12
    /// (e^{-r^2/2} = 5e-32), ending at ``radialEnd``.
    static let meanPanelWidth = 4.0
    static let meanTailCheckFrom = 12.0

    public init() {}

    /// E[g(u) h(v)] with Var u = q1, Var v = q2, Cov(u, v) = c, for piecewise analytic g, h
    /// given by their negative and positive branches.
    public func expectation(
        q1: Double, q2: Double, c: Double,
        g: (negative: @Sendable (Double) -> Double, positive: @Sendable (Double) -> Double),
        h: (negative: @Sendable (Double) -> Double, positive: @Sendable (Double) -> Double)
    )
        -> Double
    {
        expectation(GaussianPair(q1: q1, q2: q2, c: c), g: g, h: h)
    }

    /// The same for a pair whose correlation angle is known accurately. `sameFunction` says
    /// that g and h are the same function: with q1 = q2 the pair is exchangeable, and the wedge
    /// where u > 0 > v mirrors the one where v > 0 > u, so it is integrated once.
    public func expectation(
        _ pair: GaussianPair,
        g: (negative: @Sendable (Double) -> Double, positive: @Sendable (Double) -> Double),
        h: (negative: @Sendable (Double) -> Double, positive: @Sendable (Double) -> Double),
        sameFunction: Bool = false
    )
        -> Double
    {
        let q1 = pair.q1
        let q2 = pair.q2
        let a = max(q1, 0).squareRoot()
        let b = max(q2, 0).squareRoot()
        if a == 0 || b == 0 {
            // A degenerate argument is identically 0; phi(0) is the positive branch at 0.
            if a == 0 && b == 0 { return g.positive(0) * h.positive(0) }
            if a == 0 { return g.positive(0) * gaussianMean(b, h) }
            return h.positive(0) * gaussianMean(a, g)
        }
        let angle = pair.angle
        let theta = angle.theta
        let complement = angle.complement
        // Wedges in s = distance from the wedge's first edge, with cos of u's and v's angle
        // written as +-sin(distance to the nearer edge), which has no cancellation:
        // (length, u positive?, u from start?, v positive?, v from start?)
        let wedges: [(Double, Bool, Bool, Bool, Bool)] = [
            (theta, true, true, false, false),  // phi in [-pi/2, theta - pi/2]
            (complement, true, false, true, true),  // phi in [theta - pi/2, pi/2]
            (theta, false, true, true, false),  // phi in [pi/2, theta + pi/2]
            (complement, false, false, false, true),  // phi in [theta + pi/2, 3 pi/2]
        ]
        let mirrored = sameFunction && q1 == q2
        var total = 0.0
        for (index, (length, uPositive, uFromStart, vPositive, vFromStart)) in wedges.enumerated() where length > 0 {
            if mirrored && index == 2 { continue }
            let gb = uPositive ? g.positive : g.negative
            let hb = vPositive ? h.positive : h.negative
            let su = uPositive ? 1.0 : -1.0
            let sv = vPositive ? 1.0 : -1.0
            let value = angular.integrate(0, length) { s in
                let cu = su * sin(uFromStart ? s : length - s)
                let cv = sv * sin(vFromStart ? s : length - s)
                return radialIntegral { r in gb(a * r * cu) * hb(b * r * cv) }
            }.value
            total += mirrored && index == 0 ? 2 * value : value
        }
        return total / (2 * Double.pi)
    }

    /// integral_0^inf r e^{-r^2/2} F(r) dr, on panels [0, 5], [5, 10], ... until, from R = 10 on,
    /// R e^{-R^2/2} |F(R)| is below 1e-17 of the total (or zero, or not finite), at R = 80 at
    /// the latest. (The exact tail is e^{-R^2/2} F(R) when F is constant beyond R; the extra
    /// factor R covers F growing like a power of r.)
    func radialIntegral(_ F: (Double) -> Double) -> Double {
        var total = 0.0
        var lo = 0.0
        while true {
            let hi = lo + Self.radialPanelWidth
            total += radial.integrate(lo, hi, scale: Swift.abs(total)) { r in r * exp(-0.5 * r * r) * F(r) }.value
            lo = hi
            if lo >= Self.radialTailCheckFrom {
                let tail = exp(-0.5 * lo * lo) * Swift.abs(F(lo)) * lo
                if tail <= Self.tailTolerance * Swift.abs(total) || (total == 0 && tail == 0) || !tail.isFinite {
                    break
                }
            }
            if lo >= Self.radialEnd { break }
        }
        return total
    }

    /// E[f(s)] for s ~ N(0, sd^2), f piecewise: 1-D Gaussian integral split at 0.
    private func gaussianMean(
        _ sd: Double,
        _ f: (negative: @Sendable (Double) -> Double, positive: @Sendable (Double) -> Double)
    ) -> Double {
        // E f(s) = 1/sqrt(2 pi) int_0^inf e^{-r^2/2} (f+(sd r) + f-(-sd r)) dr
        var total = 0.0
        var lo = 0.0
        while true {
            let hi = lo + Self.meanPanelWidth
            let piece = radial.integrate(lo, hi, scale: Swift.abs(total)) { r in
                exp(-0.5 * r * r) * (f.positive(sd * r) + f.negative(-sd * r))
            }.value
            total += piece
            lo = hi
            if lo >= Self.meanTailCheckFrom && Swift.abs(piece) <= Self.tailTolerance * Swift.abs(total) { break }
            if lo >= Self.radialEnd { break }
        }
        return total / (2 * Double.pi).squareRoot()
    }
}
