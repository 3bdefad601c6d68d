import Foundation

/// E[g(u) h(v)] for a centred Gaussian pair when g and h are analytic between finitely many
/// breakpoints anywhere on the line (kinks or jumps of hardtanh, ReLU6, shifted ReLUs, ...).
///
/// Whitening u = a z1, v = b (rho z1 + s z2) (a = sqrt q1, b = sqrt q2, rho = cos theta,
/// s = sin theta, z1, z2 independent standard normals) and conditioning on z1,
///
///     E[g(u) h(v)] = integral phi(z1) g(a z1) H(z1) dz1,
///     H(z1)        = integral phi(z2) h(b rho z1 + b s z2) dz2.
///
/// The lines u = c of g's breakpoints are z1 = c/a; the lines v = c of h's breakpoints are
/// z2 = (c/b - rho z1)/s, so the inner integral is split there and each inner piece is
/// analytic. H is analytic in z1, but as s -> 0 it approaches h(b rho z1), with a transition
/// of width s/|rho| around z1 = c/(b rho); the outer integral is split there as well, so
/// adaptive Gauss-Legendre sees an analytic integrand on every panel and at s = 0 (rho = +-1)
/// the inner integral is exactly h(b rho z1). Around z1 = c/(b rho) the outer panels are cut
/// at distances (s/|rho|) 4^j, so they resolve the transition however thin it is. Both integrals run over |z| <= 13
/// (the Gaussian mass beyond is below 1e-38) in panels of width at most 2.
/// (Proofs/breakpoint-quadrature.md.)
///
/// The work is bounded: each adaptive level bisects at most ``maxDepth`` times, so one
/// expectation costs at most a few million evaluations even for a pathological activation;
/// typical cost is about 10^4 to 10^5 evaluations.
public struct BreakpointQuadrature: Sendable {
    public var outer = AdaptiveGaussLegendre(relativeTolerance: 1e-14, maxDepth: 10)
    public var inner = AdaptiveGaussLegendre(relativeTolerance: 1e-15, maxDepth: 8)
    /// The integrals run over [-range, range] in the standard normal variables.
    public static let range = 13.0
    /// Largest panel before adaptivity, in standard deviations.
    static let panel = 4.0

    public init() {}

    /// E[g(u) h(v)], g non-smooth only at `gBreakpoints`, h only at `hBreakpoints`.
    public func expectation(
        _ pair: GaussianPair,
        g: (Double) -> Double, gBreakpoints: [Double],
        h: (Double) -> Double, hBreakpoints: [Double]
    ) -> Double {
        let a = max(pair.q1, 0).squareRoot()
        let b = max(pair.q2, 0).squareRoot()
        if a == 0 && b == 0 { return g(0) * h(0) }
        if a == 0 { return g(0) * gaussianMean(scale: b, h, hBreakpoints) }
        if b == 0 { return h(0) * gaussianMean(scale: a, g, gBreakpoints) }
        let rho = pair.angle.rho
        let s = pair.angle.sine
        var outerCuts = gBreakpoints.map { $0 / a }
        if rho != 0 {
            // H changes over a width s/|rho| around each z0 = c/(b rho): cuts graded
            // geometrically towards z0 keep every panel within a few panel widths of analytic.
            let width = s / Swift.abs(rho)
            for c in hBreakpoints {
                let z0 = c / (b * rho)
                outerCuts.append(z0)
                var t = width
                while t < Self.panel && width > 0 {
                    outerCuts.append(z0 - t)
                    outerCuts.append(z0 + t)
                    t *= 4
                }
            }
        }
        let innerScale = b * s
        let bRho = b * rho
        func H(_ z1: Double) -> Double {
            if innerScale == 0 { return h(bRho * z1) }
            let mean = bRho * z1
            return gaussianMean(shift: mean, scale: innerScale, h, hBreakpoints, tolerance: inner)
        }
        return integrateGaussian(cuts: outerCuts, rule: outer) { z in g(a * z) * H(z) }
    }

    /// E[f(scale Z)] for a standard normal Z.
    func gaussianMean(scale: Double, _ f: (Double) -> Double, _ breakpoints: [Double]) -> Double {
        gaussianMean(shift: 0, scale: scale, f, breakpoints, tolerance: outer)
    }

    /// E[f(shift + scale Z)] for a standard normal Z, split at every breakpoint.
    func gaussianMean(
        shift: Double, scale: Double, _ f: (Double) -> Double, _ breakpoints: [Double],
        tolerance: AdaptiveGaussLegendre
    ) -> Double {
        integrateGaussian(cuts: breakpoints.map { ($0 - shift) / scale }, rule: tolerance) { z in f(shift + scale * z) }
    }

    /// integral over [-range, range] of phi(z) F(z) dz, on panels cut at `cuts` and at most
    /// `panel` wide.
    func integrateGaussian(cuts: [Double], rule: AdaptiveGaussLegendre, _ F: (Double) -> Double) -> Double {
        let r = Self.range
        var points = [-r, r]
        for c in cuts where c.isFinite && c > -r && c < r { points.append(c) }
        points.sort()
        var edges: [Double] = [points[0]]
        for p in points.dropFirst() {
            let last = edges[edges.count - 1]
            if p <= last { continue }
            let pieces = Int(((p - last) / Self.panel).rounded(.up))
            for i in 1...max(pieces, 1) {
                edges.append(i == pieces ? p : last + (p - last) * Double(i) / Double(pieces))
            }
        }
        let normalisation = 1 / (2 * Double.pi).squareRoot()
        var total = 0.0
        // Integrate from the centre outwards so that `scale` is known before the tails.
        let centres: [Double] = (0..<(edges.count - 1)).map { i in Swift.abs(edges[i] + edges[i + 1]) }
        let order = centres.indices.sorted { centres[$0] < centres[$1] }
        for i in order {
            total +=
                rule.integrate(edges[i], edges[i + 1], scale: Swift.abs(total)) { z in
                    exp(-0.5 * z * z) * F(z)
                }.value
        }
        return total * normalisation
    }
}
