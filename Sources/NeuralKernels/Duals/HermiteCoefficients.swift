import Foundation

/// The Hermite expansion of an activation at one variance, from which its duals at any pair
/// of variances follow by Mehler's formula (Proofs/hermite-series-duals.md).
///
/// With h_k = He_k / sqrt(k!), orthonormal under the standard normal density,
///
///     phi(sqrt(q) z) = sum_k a_k(q) h_k(z),    phi'(sqrt(q) z) = sum_k b_k(q) h_k(z),
///
/// and Mehler's formula E[h_j(z1) h_k(z2)] = delta_jk rho^k for standard normals of
/// correlation rho gives, for Var u = q1, Var v = q2 and rho = c / sqrt(q1 q2),
///
///     E[phi(u) phi(v)]   = sum_k a_k(q1) a_k(q2) rho^k,
///     E[phi'(u) phi'(v)] = sum_k b_k(q1) b_k(q2) rho^k.
///
/// The coefficients of one variance are computed once (1-D quadrature), so a Gram matrix on
/// points of unequal norms costs per entry a short series instead of a 2-D quadrature. The
/// series is cut where Cauchy-Schwarz bounds the rest, |sum_{k > K} ...| <= |rho|^{K+1}
/// sqrt(T_1(K) T_2(K)) with T(K) = sum_{k > K} a_k^2 the energy not yet used; where the bound
/// cannot be met within `order` terms (|rho| near 1 for activations whose coefficients decay
/// slowly: kinks, steep variances), ``series(_:_:rho:derivative:)`` returns nil and the
/// caller takes the direct dual.
///
/// Accuracy: the coefficients by composite Gauss-Legendre on [-14, 14] in z, panels of width
/// 1/2 split at 0 and at every breakpoint / sqrt(q), graded towards 0 and each breakpoint
/// down to min(1/2, 1/sqrt(q)) / 2 (where tanh(sqrt(q) z) and its kin are steepest); each
/// coefficient with 24 and 16 nodes per panel, their difference its error (measured 2e-16 to
/// 6e-16 of sqrt(E[phi(u)^2]) for the catalogue's activations, q = 0.1 ... 1000). The energies
/// E[phi(u)^2], E[phi'(u)^2] come from the same rule; where its two sizes disagree beyond
/// `energyTolerance` (an activation growing too fast for the interval or not resolved by the
/// panels) the expansion is refused (nil).
public struct HermiteCoefficients: Sendable {
    /// The variance q.
    public let variance: Double
    /// a_k(q) and b_k(q), k = 0 ... order.
    public let value: [Double]
    public let derivative: [Double]
    /// log T(k): the log of the energy beyond k, sum_{j > k} a_j^2 plus what the rule finds
    /// beyond `order` (and its rounding), for the truncation bound.
    let logValueTail: [Double]
    let logDerivativeTail: [Double]
    /// E[phi(u)^2] and E[phi'(u)^2] by the same rule (Parseval's sums of the expansion).
    public let valueEnergy: Double
    public let derivativeEnergy: Double
    /// sqrt(sum_k (error of a_k)^2), and the same for b_k.
    public let valueError: Double
    public let derivativeError: Double
    /// (1/2) E[phi(u)^2 (z^2 - 1)] and (1/2) E[phi'(u)^2 (z^2 - 1)] with u = sqrt(q) z: q times the
    /// q-derivatives of the two energies, which are the scaling derivatives S = E[u phi'(u) phi(u)]
    /// and T = E[u phi''(u) phi'(u)] of the duals at u = v (Proofs/hermite-series-duals.md,
    /// "Scaling derivatives"), by the same rule as the energies.
    public let valueScalingMoment: Double
    public let derivativeScalingMoment: Double
    /// sqrt(T(k)), the square roots of the tail energies, for the weighted truncation bounds.
    let rootValueTail: [Double]
    let rootDerivativeTail: [Double]

    /// Coefficients up to this order by default: enough for tanh-like activations at unit
    /// variance to reach 1e-16 of their energy (a_k ~ exp(-(pi/2) sqrt(2k / q))).
    public static let defaultOrder = 256
    /// Largest relative disagreement between the 24- and 16-node rules' energies (measured
    /// 4e-16 for the catalogue's activations at q = 0.1 ... 1000).
    public static let energyTolerance = 1e-14
    /// Half-width of the interval in z: beyond 14 the Gaussian weight is below e^-98 and
    /// h_k(z) exp(-z^2/2) below e^-49 for k <= 256 (polynomially growing activations only;
    /// faster growth fails the energy check).
    static let halfWidth = 14.0
    static let panelWidth = 0.5

    /// The expansion of `activation` at variance `q`, or nil where it cannot be trusted: q not
    /// positive and finite, values not finite, or energies that the 24- and 16-node rules do
    /// not agree on to `energyTolerance` (an activation growing too fast for the interval, or
    /// not resolved by the panels).
    public init?(_ activation: Activation, variance q: Double, order: Int = HermiteCoefficients.defaultOrder) {
        guard q.isFinite, q > 0, order >= 1 else { return nil }
        let root = q.squareRoot()
        let panels = HermiteCoefficients.panels(activation, root: root)
        let fine = HermiteCoefficients.nodes(panels, rule: GaussLegendre.rule(count: 24), activation, root: root)
        let coarse = HermiteCoefficients.nodes(panels, rule: GaussLegendre.rule(count: 16), activation, root: root)
        guard let f = fine, let c = coarse, f.valueEnergy > 0, f.valueEnergy.isFinite else { return nil }
        let m = f.valueEnergy
        let dm = f.derivativeEnergy
        // phi' is measured against m / q, its natural scale (phi(sqrt(q) z) / sqrt(q) per unit z).
        guard Swift.abs(m - c.valueEnergy) <= HermiteCoefficients.energyTolerance * m,
            Swift.abs(dm - c.derivativeEnergy) <= HermiteCoefficients.energyTolerance * Swift.max(dm, m / q)
        else { return nil }
        let (a, b) = HermiteCoefficients.project(f, order: order)
        let (ac, bc) = HermiteCoefficients.project(c, order: order)
        guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { return nil }
        func error(_ x: [Double], _ y: [Double]) -> Double {
            var s = 0.0
            for k in x.indices { s += (x[k] - y[k]) * (x[k] - y[k]) }
            return s.squareRoot()
        }
        func logTails(_ x: [Double], energy: Double) -> [Double] {
            var used = 0.0
            var compensation = 0.0
            for v in x {
                // Kahan: the residual energy - sum is a small difference of large numbers.
                let y = v * v - compensation
                let t = used + y
                compensation = (t - used) - y
                used = t
            }
            // Beyond `order`: the rule's residual, at least its rounding (a few ulps of the energy).
            let beyond = Swift.max(energy - used, 0) + 4 * Double.ulpOfOne * energy
            var tails = [Double](repeating: 0, count: x.count)
            var suffix = beyond
            for k in stride(from: x.count - 1, through: 0, by: -1) {
                tails[k] = log(suffix)
                suffix += x[k] * x[k]
            }
            return tails
        }
        variance = q
        value = a
        derivative = b
        valueEnergy = m
        derivativeEnergy = dm
        valueError = error(a, ac) + 4 * Double.ulpOfOne * m.squareRoot()
        derivativeError = error(b, bc) + 4 * Double.ulpOfOne * dm.squareRoot()
        logValueTail = logTails(a, energy: m)
        logDerivativeTail = logTails(b, energy: dm)
        valueScalingMoment = f.valueScalingMoment
        derivativeScalingMoment = f.derivativeScalingMoment
        rootValueTail = logValueTail.map { exp(0.5 * $0) }
        rootDerivativeTail = logDerivativeTail.map { exp(0.5 * $0) }
    }

    /// The dual E[phi(u) phi(v)] (or E[phi'(u) phi'(v)] with `derivative`) of the two variances
    /// at correlation rho, with its error estimate; nil where the series cannot reach
    /// `tolerance` sqrt(E_1 E_2) within the stored order.
    public static func series(
        _ x: HermiteCoefficients, _ y: HermiteCoefficients, rho: Double,
        derivative: Bool, tolerance: Double = 1e-14
    ) -> (value: Double, error: Double)? {
        let (a, b, ta, tb) =
            derivative
            ? (x.derivative, y.derivative, x.logDerivativeTail, y.logDerivativeTail)
            : (x.value, y.value, x.logValueTail, y.logValueTail)
        let energies = derivative ? (x.derivativeEnergy, y.derivativeEnergy) : (x.valueEnergy, y.valueEnergy)
        let errors = derivative ? (x.derivativeError, y.derivativeError) : (x.valueError, y.valueError)
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                ta.withUnsafeBufferPointer { ta in
                    tb.withUnsafeBufferPointer { tb in
                        sum(
                            a.baseAddress!, b.baseAddress!, ta.baseAddress!, tb.baseAddress!,
                            count: Swift.min(a.count, b.count), energies: energies, errors: errors,
                            rho: rho, tolerance: tolerance)
                    }
                }
            }
        }
    }

    /// The series sum_k a_k b_k rho^k of two expansions' coefficients `a`, `b` (with the logs of
    /// their tail energies `ta`, `tb`, `count` of each), cut at the first order whose remainder
    /// bound |rho|^{K+1} sqrt(T_a(K) T_b(K)) is below half of `tolerance` sqrt(E_a E_b); nil
    /// where no stored order reaches it, or the coefficients' own errors exceed the tolerance.
    @inline(__always)
    static func sum(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ ta: UnsafePointer<Double>,
        _ tb: UnsafePointer<Double>, count: Int, energies: (Double, Double), errors: (Double, Double),
        rho: Double, tolerance: Double
    ) -> (value: Double, error: Double)? {
        let scale = (energies.0 * energies.1).squareRoot()
        // Coefficient errors through Cauchy-Schwarz (|rho| <= 1): |da| |b| + |a| |db| + |da| |db|.
        let coefficientError =
            errors.0 * energies.1.squareRoot() + energies.0.squareRoot() * errors.1
            + errors.0 * errors.1
        let allowed = tolerance * scale
        guard coefficientError <= 0.5 * allowed, scale > 0 else { return nil }
        var order = -1
        if rho == 0 {
            order = 0
        } else {
            let logRho = log(Swift.abs(rho))
            let logAllowed = log(0.25 * allowed)
            var k = 0
            while k < count {
                if Double(k + 1) * logRho + 0.5 * (ta[k] + tb[k]) <= logAllowed {
                    order = k
                    break
                }
                k += 1
            }
        }
        guard order >= 0 else { return nil }
        // Horner in four interleaved chains (powers rho^4), so the additions overlap.
        let r2 = rho * rho
        let r4 = r2 * r2
        var s0 = 0.0
        var s1 = 0.0
        var s2 = 0.0
        var s3 = 0.0
        var k = order - order % 4
        while k >= 0 {
            s0 = s0 * r4 + a[k] * b[k]
            if k + 1 <= order { s1 = s1 * r4 + a[k + 1] * b[k + 1] }
            if k + 2 <= order { s2 = s2 * r4 + a[k + 2] * b[k + 2] }
            if k + 3 <= order { s3 = s3 * r4 + a[k + 3] * b[k + 3] }
            k -= 4
        }
        let total = s0 + rho * (s1 + rho * (s2 + rho * s3))
        // Rounding: about sqrt(K) ulps of the sum of |terms|, which is at most sqrt(E_a E_b).
        let rounding = Double(order + 1).squareRoot() * Double.ulpOfOne * scale
        return (total, coefficientError + 0.25 * allowed + rounding)
    }

    /// Panel edges in z: a uniform grid of width 1/2, split at 0 and at each breakpoint, graded
    /// geometrically towards those points down to min(1/2, 1/sqrt(q)) / 2.
    static func panels(_ activation: Activation, root: Double) -> [Double] {
        let L = halfWidth
        let h = panelWidth
        var edges = stride(from: -L, through: L, by: h).map { $0 }
        var centres = [0.0]
        for b in activation.breakpoints where Swift.abs(b / root) < L { centres.append(b / root) }
        let smallest = 0.5 * Swift.min(h, 1 / root)
        for c in centres {
            edges.append(c)
            var w = 0.5 * h
            while w >= smallest {
                edges.append(c - w)
                edges.append(c + w)
                w *= 0.5
            }
        }
        edges = edges.filter { $0 >= -L && $0 <= L }.sorted()
        var unique: [Double] = []
        for e in edges where unique.last.map({ e - $0 > 1e-12 }) ?? true { unique.append(e) }
        return unique
    }

    /// Quadrature nodes with the Gaussian weight folded in, and the activation on them.
    struct Nodes {
        var z: [Double] = []
        /// w phi_N(z) phi(sqrt(q) z) and w phi_N(z) phi'(sqrt(q) z).
        var value: [Double] = []
        var derivative: [Double] = []
        var valueEnergy = 0.0
        var derivativeEnergy = 0.0
        /// (1/2) sum w phi_N (z^2 - 1) phi^2, and the same for phi'.
        var valueScalingMoment = 0.0
        var derivativeScalingMoment = 0.0
    }

    static func nodes(_ edges: [Double], rule: GaussLegendre, _ activation: Activation, root: Double) -> Nodes? {
        var out = Nodes()
        let count = (edges.count - 1) * rule.nodes.count
        out.z.reserveCapacity(count)
        out.value.reserveCapacity(count)
        out.derivative.reserveCapacity(count)
        let normal = 1 / (2 * Double.pi).squareRoot()
        let byBranch = activation.breakpoints.isEmpty
        for p in 0..<(edges.count - 1) {
            let lo = edges[p]
            let hi = edges[p + 1]
            let mid = 0.5 * (lo + hi)
            let half = 0.5 * (hi - lo)
            // One branch per panel (panels never straddle 0 or a breakpoint): the branch of the
            // panel's side of 0, evaluated across the panel as the quadratures elsewhere do.
            let branch = mid < 0 ? activation.negative : activation.positive
            for (t, w) in zip(rule.nodes, rule.weights) {
                let z = mid + half * t
                let x = root * z
                let weight = w * half * normal * exp(-0.5 * z * z)
                let f = byBranch ? branch.value(x) : activation(x)
                let g = byBranch ? branch.derivative(x) : activation.derivative(x)
                guard f.isFinite, g.isFinite else { return nil }
                out.z.append(z)
                out.value.append(weight * f)
                out.derivative.append(weight * g)
                out.valueEnergy += weight * f * f
                out.derivativeEnergy += weight * g * g
                let hermite2 = 0.5 * (z * z - 1)
                out.valueScalingMoment += hermite2 * weight * f * f
                out.derivativeScalingMoment += hermite2 * weight * g * g
            }
        }
        return out
    }

    /// a_k = sum_m (w phi_N phi)(z_m) h_k(z_m), b_k likewise, k = 0 ... order, by the
    /// three-term recurrence h_{k+1} = (z h_k - sqrt(k) h_{k-1}) / sqrt(k + 1) run over all
    /// nodes at once (the node loop vectorises; four partial sums keep the adds overlapped).
    static func project(_ nodes: Nodes, order: Int) -> ([Double], [Double]) {
        let n = nodes.z.count
        var a = [Double](repeating: 0, count: order + 1)
        var b = [Double](repeating: 0, count: order + 1)
        var previous = [Double](repeating: 0, count: n)
        var current = [Double](repeating: 1, count: n)
        nodes.z.withUnsafeBufferPointer { z in
            nodes.value.withUnsafeBufferPointer { f in
                nodes.derivative.withUnsafeBufferPointer { g in
                    previous.withUnsafeMutableBufferPointer { hp in
                        current.withUnsafeMutableBufferPointer { hc in
                            for k in 0...order {
                                var fa = SIMD4<Double>()
                                var ga = SIMD4<Double>()
                                var m = 0
                                while m + 4 <= n {
                                    let h = SIMD4(hc[m], hc[m + 1], hc[m + 2], hc[m + 3])
                                    fa += SIMD4(f[m], f[m + 1], f[m + 2], f[m + 3]) * h
                                    ga += SIMD4(g[m], g[m + 1], g[m + 2], g[m + 3]) * h
                                    m += 4
                                }
                                var fs = fa.sum()
                                var gs = ga.sum()
                                while m < n {
                                    fs += f[m] * hc[m]
                                    gs += g[m] * hc[m]
                                    m += 1
                                }
                                a[k] = fs
                                b[k] = gs
                                if k == order { break }
                                let s = Double(k).squareRoot()
                                let inverse = 1 / Double(k + 1).squareRoot()
                                for m in 0..<n {
                                    let next = (z[m] * hc[m] - s * hp[m]) * inverse
                                    hp[m] = hc[m]
                                    hc[m] = next
                                }
                            }
                        }
                    }
                }
            }
        }
        return (a, b)
    }
}
