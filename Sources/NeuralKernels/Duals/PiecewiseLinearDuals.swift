import Foundation

/// Closed-form duals of an activation that is affine between finitely many breakpoints
/// (hardtanh, ReLU6, shifted and clipped ReLUs, user `piecewise` activations built from x,
/// constants and abs), with kinks or jumps at the breakpoints.
///
/// phi(x) = alpha_p + beta_p x on [t_p, t_{p+1}) (t_0 = -inf, t_{n+1} = +inf). With u = a X,
/// v = b Y (a = sqrt q1, b = sqrt q2; X, Y standard normal with correlation rho), each pair of
/// pieces contributes the moments of order <= 1 in each variable of the bivariate normal over a
/// rectangle; by summation by parts every rectangle sum becomes a sum over the grid corners
/// (t_i / a, t_j / b) of corner weights (second differences of the piece coefficients) times
/// the lower-orthant moments
///
///     P(h, k)   = Phi2(h, k; rho)
///     E[X; .]   = -phi(h) A - rho phi(k) B,        A = Phi((k - rho h)/s), B = Phi((h - rho k)/s)
///     E[Y; .]   = -phi(k) B - rho phi(h) A
///     E[XY; .]  = rho P - rho h phi(h) A - rho k phi(k) B + s phi(h) phi((k - rho h)/s),
///
/// s = sqrt(1 - rho^2) (Stein's lemma; Proofs/piecewise-linear-duals.md). Phi2 is Genz's method
/// (absolute error about 1e-16); k - rho h is formed as (k - h) + h (1 - rho) (or with 1 + rho
/// for rho < 0) from the exact angle, so rho -> +-1 keeps full accuracy, and at s = 0 the
/// ratios are the limits 0, 1 or 1/2 (a tie, the limit of the equal-variance case).
///
/// Accuracy: each rectangle is a signed sum of orthant moments written from its nearer tail,
/// each known to 2e-16 of its size plus 1e-16 (Genz), so a dual's error is at most the sum of
/// those errors times the coefficients' magnitudes. That sum grows like a b beta^2 where
/// narrow pieces carry a slope (hardtanh at large variance: the orthant moments of the middle
/// piece cancel). ``nngp(_:)`` and ``derivative(_:)`` return nil where
/// the bound exceeds ``relativeAccuracy`` of the scale sqrt(E[phi(u)^2] E[phi(v)^2]); the
/// caller then integrates (``BreakpointQuadrature``). Against 30-digit mpmath references
/// (PiecewiseLinearDualsTests) the accepted values are within 1e-15 of the scale.
public struct PiecewiseLinearDuals: Sendable {
    /// t_1 < ... < t_n.
    public let breakpoints: [Double]
    /// alpha_0 ... alpha_n: phi(x) = alpha_p + beta_p x on [t_p, t_{p+1}).
    public let intercepts: [Double]
    /// beta_0 ... beta_n.
    public let slopes: [Double]
    /// Whether phi is continuous (then the jet and E[phi'' phi''] exist: phi'' is a sum of
    /// point masses (beta_p - beta_{p-1}) delta_{t_p}).
    public let isContinuous: Bool

    /// Largest accepted error bound, relative to the scale of the dual (above it: nil).
    public static let relativeAccuracy = 1e-13

    public init(breakpoints: [Double], intercepts: [Double], slopes: [Double]) {
        precondition(intercepts.count == breakpoints.count + 1 && slopes.count == intercepts.count)
        self.breakpoints = breakpoints
        self.intercepts = intercepts
        self.slopes = slopes
        var continuous = true
        for (i, t) in breakpoints.enumerated() {
            let left = intercepts[i] + slopes[i] * t
            let right = intercepts[i + 1] + slopes[i + 1] * t
            if Swift.abs(right - left) > 1e-14 * max(Swift.abs(left), Swift.abs(right), 1) { continuous = false }
        }
        isContinuous = continuous
    }

    /// phi(x).
    public func value(_ x: Double) -> Double {
        let p = piece(x)
        return intercepts[p] + slopes[p] * x
    }

    func piece(_ x: Double) -> Int {
        var p = 0
        while p < breakpoints.count && x >= breakpoints[p] { p += 1 }
        return p
    }

    /// The truncated moments of a standard normal X over every piece of phi(a X):
    /// [t_p / a, t_{p+1} / a), p = 0 ... n.
    func pieceMoments(scale a: Double) -> [TruncatedMoments] {
        (0...breakpoints.count).map { p in
            TruncatedMoments(
                p == 0 ? -Double.infinity : breakpoints[p - 1] / a,
                p == breakpoints.count ? Double.infinity : breakpoints[p] / a)
        }
    }

    // MARK: - Duals

    /// E[phi(u) phi(v)], or nil where the closed form cannot certify ``relativeAccuracy``.
    public func nngp(_ pair: GaussianPair) -> Double? {
        guard let grid = RectangleGrid(self, pair) else { return degenerateNNGP(pair) }
        let f = grid.nngpParts()
        let value = f.constant + f.first + f.second + f.product
        guard certifies(f.error, value, scale: { self.secondMoment($0) }, pair) else { return nil }
        return value
    }

    /// E[phi'(u) phi'(v)] (phi' the almost-everywhere derivative), or nil as ``nngp(_:)``.
    public func derivative(_ pair: GaussianPair) -> Double? {
        guard let grid = RectangleGrid(self, pair) else { return degenerateDerivative(pair) }
        let d = grid.derivative()
        guard certifies(d.error, d.value, scale: { self.derivativeSecondMoment($0) }, pair) else { return nil }
        return d.value
    }

    /// Whether `error` is within ``relativeAccuracy`` of the scale sqrt(m(q1) m(q2)) of a dual
    /// with second moments m. |value| is at most that scale (Cauchy-Schwarz), so a bound within
    /// reach of |value| already certifies and the second moments (one-dimensional sums, but on
    /// every entry of a Gram matrix) are formed only when it is not.
    func certifies(_ error: Double, _ value: Double, scale m: (Double) -> Double, _ pair: GaussianPair) -> Bool {
        if error <= Self.relativeAccuracy * Swift.abs(value) { return true }
        let scale = (m(pair.q1) * m(pair.q2)).squareRoot()
        return error <= Self.relativeAccuracy * max(scale, Double.leastNormalMagnitude)
    }

    /// Both duals and their first derivatives (``DualJet``) for continuous phi and positive
    /// variances; nil where phi jumps, a variance is 0 or the bound is not met.
    public func jet(_ pair: GaussianPair) -> DualJet? {
        guard isContinuous, let grid = RectangleGrid(self, pair) else { return nil }
        let f = grid.nngpParts()
        let d = grid.derivative()
        let nngp = f.constant + f.first + f.second + f.product
        guard certifies(f.error, nngp, scale: { self.secondMoment($0) }, pair),
            certifies(d.error, d.value, scale: { self.derivativeSecondMoment($0) }, pair)
        else { return nil }
        let t = grid.derivativeScalings()
        return DualJet(
            nngp: nngp, derivative: d.value,
            nngpScaling: (f.first + f.product, f.second + f.product),
            derivativeScaling: (t.first, t.second), derivativeSlope: grid.derivativeSlope())
    }

    /// E[phi''(u) phi''(v)] = sum over breakpoint pairs J_i J_j p(t_i, t_j) for continuous phi
    /// (J_i the slope jumps, p the density of (u, v)); +inf at rho = +-1 where two kinks meet.
    public func secondDerivative(_ pair: GaussianPair) -> Double {
        guard let grid = RectangleGrid(self, pair) else {
            // A variance of 0: u = 0, and phi''(0) is a point mass if a kink sits at 0, else 0.
            let kinkAtZero = breakpoints.enumerated().contains { i, t in t == 0 && slopes[i + 1] != slopes[i] }
            return kinkAtZero ? .infinity : 0
        }
        return grid.derivativeSlope()
    }

    /// E[phi(u)^2] for Var u = q, from one-dimensional truncated moments.
    public func secondMoment(_ q: Double) -> Double {
        let a = max(q, 0).squareRoot()
        guard a > 0 else { return value(0) * value(0) }
        var total = 0.0
        for (p, m) in pieceMoments(scale: a).enumerated() {
            let alpha = intercepts[p]
            let beta = slopes[p] * a
            total += alpha * alpha * m.zeroth + 2 * alpha * beta * m.first + beta * beta * m.second
        }
        return max(total, 0)
    }

    /// E[phi'(u)^2] for Var u = q.
    public func derivativeSecondMoment(_ q: Double) -> Double {
        let a = max(q, 0).squareRoot()
        guard a > 0 else {
            let s = slopes[piece(0)]
            return s * s
        }
        var total = 0.0
        for (p, m) in pieceMoments(scale: a).enumerated() { total += slopes[p] * slopes[p] * m.zeroth }
        return total
    }

    /// A variance of 0: u = 0 (or v = 0) is a constant, and the expectation is one-dimensional.
    func degenerateNNGP(_ pair: GaussianPair) -> Double {
        let a = max(pair.q1, 0).squareRoot()
        let b = max(pair.q2, 0).squareRoot()
        if a == 0 && b == 0 { return value(0) * value(0) }
        return value(0) * mean(scale: max(a, b), derivative: false)
    }

    func degenerateDerivative(_ pair: GaussianPair) -> Double {
        let a = max(pair.q1, 0).squareRoot()
        let b = max(pair.q2, 0).squareRoot()
        let s = slopes[piece(0)]
        if a == 0 && b == 0 { return s * s }
        return s * mean(scale: max(a, b), derivative: true)
    }

    /// E[phi(a X)] or E[phi'(a X)].
    func mean(scale a: Double, derivative: Bool) -> Double {
        var total = 0.0
        for (p, m) in pieceMoments(scale: a).enumerated() {
            total += derivative ? slopes[p] * m.zeroth : intercepts[p] * m.zeroth + slopes[p] * a * m.first
        }
        return total
    }
}

/// E[X^j 1{lo <= X < hi}] for a standard normal X, j = 0, 1, 2.
struct TruncatedMoments {
    let zeroth: Double
    let first: Double
    let second: Double

    /// P(lo <= X < hi) = Phi(hi) - Phi(lo) from the nearer tail, so that neither end loses digits.
    static func mass(_ lo: Double, _ hi: Double) -> Double {
        lo + hi > 0
            ? StandardNormal.cdf(-lo) - StandardNormal.cdf(-hi) : StandardNormal.cdf(hi) - StandardNormal.cdf(lo)
    }

    init(_ lo: Double, _ hi: Double) {
        zeroth = Self.mass(lo, hi)
        let dLo = lo.isFinite ? StandardNormal.density(lo) : 0
        let dHi = hi.isFinite ? StandardNormal.density(hi) : 0
        first = dLo - dHi
        let xdLo = lo.isFinite ? lo * dLo : 0
        let xdHi = hi.isFinite ? hi * dHi : 0
        second = zeroth + xdLo - xdHi
    }
}

/// E[X^j Y^k 1{X < h, Y < k}] (j, k <= 1) for a standard bivariate normal pair, finite h, k.
struct OrthantMoments {
    var p = 0.0
    var ex = 0.0
    var ey = 0.0
    var exy = 0.0
    /// (k - rho h)/s (its limit +-inf or 0 at s = 0).
    var argumentA = 0.0
    /// min(Phi(h), Phi(k)), a bound on p: Genz's absolute error (about 1e-16 of the terms he
    /// sums, each at most of this size up to a small factor) is taken as 1e-16 of it.
    var tail = 0.0

    init() {}

    /// Stein's lemma forms (Proofs/piecewise-linear-duals.md). k - rho h is formed from the exact
    /// 1 -+ rho; at s = 0 a tie takes the limit 1/2 of the equal-variance case.
    init(_ h: Double, _ k: Double, angle: CorrelationAngle, oneMinus: Double, onePlus: Double) {
        let rho = angle.rho
        let sine = angle.sine
        func ratio(_ k: Double, _ h: Double) -> Double {
            Self.standardisedGap(k, h, rho: rho, sine: sine, oneMinus: oneMinus, onePlus: onePlus)
        }
        let dh = StandardNormal.density(h)
        let dk = StandardNormal.density(k)
        let rA = ratio(k, h)
        let rB = ratio(h, k)
        let pA = rA == 0 && sine == 0 ? 0.5 : StandardNormal.cdf(rA)
        let pB = rB == 0 && sine == 0 ? 0.5 : StandardNormal.cdf(rB)
        p = BivariateNormal.genz(h, k, angle: angle)
        ex = -dh * pA - rho * dk * pB
        ey = -dk * pB - rho * dh * pA
        let corner = sine == 0 ? 0 : sine * dh * StandardNormal.density(rA)
        exy = rho * p - rho * h * dh * pA - rho * k * dk * pB + corner
        argumentA = rA
        tail = StandardNormal.cdf(min(h, k))
    }
}

/// The moments of order <= 1 in each variable of (X, Y) over every rectangle
/// [x_p, x_{p+1}) x [y_q, y_{q+1}) of the breakpoint grid (x_i = t_i / a, y_j = t_j / b), and
/// the sums over them that give the duals.
///
/// Each interval's indicator is written from the side of its nearer tail: 1{X < x_{p+1}} -
/// 1{X < x_p} when x_p + x_{p+1} <= 0, else 1{-X <= -x_p} - 1{-X <= -x_{p+1}}; so a rectangle is
/// a signed sum of at most four orthant moments of the reflected pair (+-X, +-Y) (correlation
/// +-rho), none of them near 1 where the rectangle is a tail. (Differences of lower-orthant
/// values alone cost 36 ulps of 1 for ReLU6's top piece: 1e-14 relative.)
struct RectangleGrid {
    let duals: PiecewiseLinearDuals
    let a: Double
    let b: Double
    let angle: CorrelationAngle
    let rho: Double
    let sine: Double
    /// The finite cuts.
    let x: [Double]
    let y: [Double]
    /// Rectangle moments, row-major (n + 1) x (n + 1), and the sum of the magnitudes of the
    /// orthant moments each is formed from (for the error bound).
    var m00: [Double]
    var m10: [Double]
    var m01: [Double]
    var m11: [Double]
    var size00: [Double]
    var size10: [Double]
    var size01: [Double]
    var size11: [Double]
    /// The sum of the orthants' `tail`s: the floor of the error of P (and of rho P in E[XY]).
    var floor: [Double]
    let oneMinus: Double
    let onePlus: Double

    init?(_ duals: PiecewiseLinearDuals, _ pair: GaussianPair) {
        let a = max(pair.q1, 0).squareRoot()
        let b = max(pair.q2, 0).squareRoot()
        guard a > 0, b > 0, a.isFinite, b.isFinite else { return nil }
        self.duals = duals
        self.a = a
        self.b = b
        angle = pair.angle
        rho = angle.rho
        sine = angle.sine
        x = duals.breakpoints.map { $0 / a }
        y = duals.breakpoints.map { $0 / b }
        let n = x.count
        let m = n + 1
        m00 = [Double](repeating: 0, count: m * m)
        m10 = m00
        m01 = m00
        m11 = m00
        size00 = m00
        size10 = m00
        size01 = m00
        size11 = m00
        floor = m00
        // 1 - rho and 1 + rho without cancellation (theta and pi - theta are exact).
        let halfTheta = sin(0.5 * angle.theta)
        let halfComplement = sin(0.5 * angle.complement)
        oneMinus = 2 * halfTheta * halfTheta
        onePlus = 2 * halfComplement * halfComplement
        // Orthant moments of (sx X, sy Y) at (sx x_i, sy y_j), cached: index ((i * 2 + sx) * n + j) * 2 + sy.
        var cache = [OrthantMoments?](repeating: nil, count: 4 * n * n)
        let flipped = angle.negated
        func orthant(_ i: Int, _ upperX: Bool, _ j: Int, _ upperY: Bool) -> OrthantMoments {
            let key = ((i * 2 + (upperX ? 1 : 0)) * n + j) * 2 + (upperY ? 1 : 0)
            if let known = cache[key] { return known }
            let sameSide = upperX == upperY
            let moments = OrthantMoments(
                upperX ? -x[i] : x[i], upperY ? -y[j] : y[j], angle: sameSide ? angle : flipped,
                oneMinus: sameSide ? oneMinus : onePlus, onePlus: sameSide ? onePlus : oneMinus)
            cache[key] = moments
            return moments
        }
        // The x side of interval p: (sign, cut index) terms and whether it is written from above.
        func terms(_ p: Int, _ cuts: [Double]) -> (upper: Bool, terms: [(sign: Double, index: Int)]) {
            let lo = p == 0 ? -Double.infinity : cuts[p - 1]
            let hi = p == n ? Double.infinity : cuts[p]
            if lo + hi > 0 || hi == .infinity && lo > -.infinity {
                // 1{X >= lo} - 1{X >= hi}
                var t: [(Double, Int)] = [(1, p - 1)]
                if p < n { t.append((-1, p)) }
                return (true, t)
            }
            var t: [(Double, Int)] = []
            if p < n { t.append((1, p)) }
            if p > 0 { t.append((-1, p - 1)) }
            return (false, t)
        }
        for p in 0...n {
            let tx = terms(p, x)
            for q in 0...n {
                let ty = terms(q, y)
                let index = p * m + q
                let signX = tx.upper ? -1.0 : 1.0
                let signY = ty.upper ? -1.0 : 1.0
                if n == 0 || (tx.terms.isEmpty && ty.terms.isEmpty) {
                    // The whole plane (no breakpoints).
                    m00[index] = 1
                    m11[index] = rho
                    size00[index] = 1
                    size11[index] = 1
                    floor[index] = 1
                    continue
                }
                for (sx, i) in tx.terms {
                    for (sy, j) in ty.terms {
                        let o = orthant(i, tx.upper, j, ty.upper)
                        let w = sx * sy
                        m00[index] += w * o.p
                        m10[index] += w * signX * o.ex
                        m01[index] += w * signY * o.ey
                        m11[index] += w * signX * signY * o.exy
                        size00[index] += Swift.abs(o.p)
                        size10[index] += Swift.abs(o.ex)
                        size01[index] += Swift.abs(o.ey)
                        size11[index] += Swift.abs(o.exy)
                        floor[index] += o.tail
                    }
                }
            }
        }
    }

    /// Error of one orthant moment relative to its size, and Genz's absolute error relative to
    /// the orthant's `tail`.
    static let relativeError = 2e-16
    static let absoluteError = 1e-16

    func bound(_ coefficient: Double, _ size: Double, _ floor: Double) -> Double {
        Swift.abs(coefficient) * (Self.relativeError * size + Self.absoluteError * floor)
    }

    /// E[phi(u) phi(v)] split by the order of the moments: sum alpha alpha P, the terms in
    /// E[X] (beta_p a alpha_q) and in E[Y], and in E[XY] (beta beta a b), with the error bound.
    func nngpParts() -> (constant: Double, first: Double, second: Double, product: Double, error: Double) {
        let alpha = duals.intercepts
        let beta = duals.slopes
        let m = x.count + 1
        var constant = 0.0
        var first = 0.0
        var second = 0.0
        var product = 0.0
        var error = 0.0
        for p in 0..<m {
            for q in 0..<m {
                let index = p * m + q
                let c00 = alpha[p] * alpha[q]
                let c10 = a * beta[p] * alpha[q]
                let c01 = b * alpha[p] * beta[q]
                let c11 = a * b * beta[p] * beta[q]
                constant += c00 * m00[index]
                first += c10 * m10[index]
                second += c01 * m01[index]
                product += c11 * m11[index]
                error +=
                    bound(c00, size00[index], floor[index]) + bound(c10, size10[index], 0)
                    + bound(c01, size01[index], 0) + bound(c11, size11[index], floor[index])
            }
        }
        return (constant, first, second, product, error)
    }

    /// E[phi'(u) phi'(v)] = sum beta_p beta_q P(rectangle), with its error bound.
    func derivative() -> (value: Double, error: Double) {
        let beta = duals.slopes
        let m = x.count + 1
        var total = 0.0
        var error = 0.0
        for p in 0..<m {
            for q in 0..<m {
                let c = beta[p] * beta[q]
                total += c * m00[p * m + q]
                error += bound(c, size00[p * m + q], floor[p * m + q])
            }
        }
        return (total, error)
    }

    /// E[phi'(v) | X = h] = sum_q beta_q P(y_q <= Y < y_{q+1} | X = h), Y | X = h ~ N(rho h, s^2)
    /// (at s = 0 the point mass at rho h, half on each side of a cut it meets).
    func conditionalSlope(given h: Double, cuts: [Double]) -> Double {
        let beta = duals.slopes
        let n = cuts.count
        func standardised(_ k: Double) -> Double {
            OrthantMoments.standardisedGap(k, h, rho: rho, sine: sine, oneMinus: oneMinus, onePlus: onePlus)
        }
        // At s = 0: P(Y >= cut) is 1, 1/2 or 0 as the cut lies below, at or above rho h.
        func above(_ z: Double) -> Double { z == 0 ? 0.5 : (z < 0 ? 1 : 0) }
        var total = 0.0
        for q in 0...n where beta[q] != 0 {
            let lo = q == 0 ? -Double.infinity : standardised(cuts[q - 1])
            let hi = q == n ? Double.infinity : standardised(cuts[q])
            let mass = sine == 0 ? above(lo) - above(hi) : TruncatedMoments.mass(lo, hi)
            total += beta[q] * mass
        }
        return total
    }

    /// T1 = E[u phi''(u) phi'(v)] = sum_i J_i h_i phi(h_i) E[phi'(v) | X = h_i] (h_i = t_i / a,
    /// J_i the slope jump at t_i); T2 the same with the roles exchanged.
    func derivativeScalings() -> (first: Double, second: Double) {
        let beta = duals.slopes
        var first = 0.0
        var second = 0.0
        for i in 0..<x.count {
            let jump = beta[i + 1] - beta[i]
            if jump == 0 { continue }
            first += jump * x[i] * StandardNormal.density(x[i]) * conditionalSlope(given: x[i], cuts: y)
            second += jump * y[i] * StandardNormal.density(y[i]) * conditionalSlope(given: y[i], cuts: x)
        }
        return (first, second)
    }

    /// dD/dc = E[phi''(u) phi''(v)] = sum_{i,j} J_i J_j phi2(h_i, k_j; rho) / (a b), phi2 the
    /// bivariate standard normal density; at s = 0 it is +inf where two kinks meet, else 0.
    func derivativeSlope() -> Double {
        let beta = duals.slopes
        let n = x.count
        var total = 0.0
        for i in 0..<n {
            let ji = beta[i + 1] - beta[i]
            if ji == 0 { continue }
            for j in 0..<n {
                let jj = beta[j + 1] - beta[j]
                if jj == 0 { continue }
                let z = OrthantMoments.standardisedGap(
                    y[j], x[i], rho: rho, sine: sine, oneMinus: oneMinus, onePlus: onePlus)
                if sine == 0 {
                    // (X, Y) lies on a line: the density is a point mass on it.
                    if z == 0 { return .infinity }
                    continue
                }
                total += ji * jj * StandardNormal.density(x[i]) * StandardNormal.density(z) / sine
            }
        }
        return total / (a * b)
    }
}

extension OrthantMoments {
    /// (k - rho h)/s from the exact 1 -+ rho (+-inf or 0 at s = 0).
    static func standardisedGap(
        _ k: Double, _ h: Double, rho: Double, sine: Double, oneMinus: Double, onePlus: Double
    ) -> Double {
        let numerator = rho >= 0 ? (k - h) + h * oneMinus : (k + h) - h * onePlus
        if sine == 0 { return numerator == 0 ? 0 : (numerator > 0 ? .infinity : -.infinity) }
        return numerator / sine
    }
}

extension ClosedFormDuals {
    /// The duals of a piecewise-affine activation: ``PiecewiseLinearDuals`` where it certifies
    /// its accuracy, ``BreakpointQuadrature`` split at the breakpoints elsewhere (large
    /// variances over narrow sloped pieces). Costly like the ELU family's (up to 4 n^2 bivariate
    /// normal values for n breakpoints), so Gram matrices of unequal norms prefer the Hermite
    /// series route where it certifies; but not tabulated on the sphere: kinks away from 0 make
    /// the duals smooth but not analytic in the angle at theta = 0, where a Chebyshev table
    /// converges slowly (5e-14 of the NTK near t = 1 at depth 4, against 3e-16 evaluated).
    public static func piecewiseLinear(_ duals: PiecewiseLinearDuals) -> ClosedFormDuals {
        let quadrature = BreakpointQuadrature()
        let cuts = duals.breakpoints.isEmpty ? [0] : duals.breakpoints
        let phi: @Sendable (Double) -> Double = { duals.value($0) }
        let dphi: @Sendable (Double) -> Double = { duals.slopes[duals.piece($0)] }
        let nngp: @Sendable (GaussianPair) -> Double = { pair in
            if let value = duals.nngp(pair) { return value }
            return quadrature.expectation(pair, g: phi, gBreakpoints: cuts, h: phi, hBreakpoints: cuts)
        }
        let derivative: @Sendable (GaussianPair) -> Double = { pair in
            if let value = duals.derivative(pair) { return value }
            return quadrature.expectation(pair, g: dphi, gBreakpoints: cuts, h: dphi, hBreakpoints: cuts)
        }
        var jet: (@Sendable (GaussianPair) -> DualJet?)? = nil
        var second: (@Sendable (GaussianPair) -> Double)? = nil
        if duals.isContinuous {
            jet = { duals.jet($0) }
            second = { duals.secondDerivative($0) }
        }
        return ClosedFormDuals(
            reference: "rectangle moments of the bivariate normal; Proofs/piecewise-linear-duals.md",
            isCheap: false, tabulatesAccurately: false, nngp: nngp, derivative: derivative, jet: jet,
            secondDerivative: second)
    }
}
