import Foundation

/// Adaptive quadrature on an interval: Gauss-Legendre with 8 and 16 points on each panel,
/// bisection where the panel's error estimate is too large.
///
/// The integrands met here (each piece of a wedge integral) are analytic on each panel, where
/// Gauss-Legendre errors fall geometrically with the number of points: if the 8-point error
/// is about the difference D = |I16 - I8|, the 16-point error is about D^2/|I|. The estimate
/// used is D min(1, 1000 D/|I|) (in the spirit of QUADPACK's (200 D/|I|)^1.5 scaling); the
/// tests compare the results with closed forms at 1e-12.
public struct AdaptiveGaussLegendre: Sendable {
    /// Relative tolerance on each panel, measured against `scale` (the magnitude of the
    /// whole integral when known, else the panel's own value).
    public var relativeTolerance: Double = 1e-14
    /// Deepest bisection level.
    public var maxDepth: Int = 24

    /// The 16-point error is estimated as D min(1, errorMargin D/|I|): the factor 1000 on the
    /// geometric-convergence estimate D^2/|I| keeps a wide margin.
    static let errorMargin = 1000.0
    /// |I| in that estimate is at least this fraction of sum |w f|, so a panel whose value
    /// cancels is not taken as converged for its small |I|.
    static let referenceFraction = 1e-3
    /// Rounding noise of a panel's sum: 64 eps sum |w f|, below which bisection cannot help.
    static let roundingUlps = 64.0

    public init(relativeTolerance: Double = 1e-14, maxDepth: Int = 24) {
        self.relativeTolerance = relativeTolerance
        self.maxDepth = maxDepth
    }

    /// The integral of f over [a, b], with an estimate of its absolute error.
    public func integrate(
        _ a: Double, _ b: Double, scale: Double = 0,
        _ f: (Double) -> Double
    ) -> (value: Double, error: Double) {
        if a == b { return (0, 0) }
        let coarse = GaussLegendre.rule(count: 8)
        let fine = GaussLegendre.rule(count: 16)
        func panel(_ a: Double, _ b: Double, _ depth: Int) -> (Double, Double) {
            let i8 = coarse.integrate(a, b, f)
            var i16 = 0.0
            var magnitude = 0.0
            let mid = 0.5 * (a + b)
            let half = 0.5 * (b - a)
            for i in 0..<fine.nodes.count {
                let term = fine.weights[i] * f(mid + half * fine.nodes[i])
                i16 += term
                magnitude += Swift.abs(term)
            }
            i16 *= half
            magnitude *= Swift.abs(half)
            let difference = Swift.abs(i16 - i8)
            let reference = max(Swift.abs(i16), magnitude * Self.referenceFraction)
            // For an analytic integrand the 8- and 16-point errors decay like R^-16 and R^-32, so
            // the 16-point error is about difference^2 / reference (``errorMargin``).
            let err = difference * min(1, Self.errorMargin * difference / max(reference, .leastNormalMagnitude))
            // Below the rounding noise of the sum itself, bisection cannot help.
            let tol = max(
                relativeTolerance * max(Swift.abs(i16), scale), Self.roundingUlps * Double.ulpOfOne * magnitude)
            if err <= tol || depth >= maxDepth || !err.isFinite { return (i16, err) }
            let m = 0.5 * (a + b)
            let (l, le) = panel(a, m, depth + 1)
            let (r, re) = panel(m, b, depth + 1)
            return (l + r, le + re)
        }
        return panel(a, b, 0)
    }
}
