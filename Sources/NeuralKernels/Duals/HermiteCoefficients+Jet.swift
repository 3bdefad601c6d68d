import Foundation

/// The duals' first derivatives (a ``DualJet``) from two points' Hermite coefficients, for
/// hyperparameter gradients on points of unequal norms (Proofs/hermite-series-duals.md,
/// "Scaling derivatives").
///
/// With a_k, b_k the coefficients of phi(sqrt(q) z) and phi'(sqrt(q) z) in h_k = He_k / sqrt(k!),
/// and rho = c / sqrt(q1 q2), scaling u -> l u keeps rho, so S1 = d/dl F(l^2 q1, q2, l c) is the
/// series of 2 q a_k'(q), which the three-term relation z h_k = sqrt(k+1) h_{k+1} + sqrt(k) h_{k-1}
/// and Stein's lemma sqrt(q) c_k = sqrt(k+1) b_{k+1} (c_k the coefficients of phi'') turn into
///
///     F     = sum_k a_k(q1) a_k(q2) rho^k,          D  = sum_k b_k(q1) b_k(q2) rho^k,
///     S1    = sum_k A_k(q1) a_k(q2) rho^k,          A_k = sqrt(q) (sqrt(k+1) b_{k+1} + sqrt(k) b_{k-1}),
///     T1    = sum_k B_k(q1) b_k(q2) rho^k,          B_k = k b_k + sqrt((k+1)(k+2)) b_{k+2},
///     dD/dc = sum_k (k+1) b_{k+1}(q1) b_{k+1}(q2) rho^k / sqrt(q1 q2),
///
/// and S2, T2 with the points exchanged. The weighted series are cut where the Cauchy-Schwarz
/// bound max_{k > K} w(k) |rho|^k sqrt(T_x(K) T_y(K)) (w the weight's growth, T the tail
/// energies of a and b) is below 1/4 of the tolerance; F and D as in
/// ``series(_:_:rho:derivative:tolerance:)`` (to ``jetTolerance``).
/// At u = v (one point) the scaling derivatives are the moments ``valueScalingMoment`` and
/// ``derivativeScalingMoment``, and dD/dc is dropped as in the direct partials (rho = 1 is extremal).
extension HermiteCoefficients {
    /// What a jet needs of one expansion besides its coefficient row: its variance, energies
    /// and coefficient errors.
    public struct Scalars: Sendable {
        public var variance: Double
        public var valueEnergy: Double
        public var derivativeEnergy: Double
        public var valueError: Double
        public var derivativeError: Double
        public var valueScalingMoment: Double
        public var derivativeScalingMoment: Double
    }

    /// Whether per-point expansions pay for this activation: its duals are costly (quadrature,
    /// or a costly closed form), as the Gram matrix's Hermite series route decides.
    public static func isWorthwhile(for activation: Activation) -> Bool {
        HermiteSeriesGramRoute.applies(to: activation)
    }

    /// The scalars of this expansion.
    public var scalars: Scalars {
        Scalars(
            variance: variance, valueEnergy: valueEnergy, derivativeEnergy: derivativeEnergy,
            valueError: valueError, derivativeError: derivativeError,
            valueScalingMoment: valueScalingMoment, derivativeScalingMoment: derivativeScalingMoment)
    }

    /// Doubles per coefficient row: a, b, sqrt(T_a), sqrt(T_b), log T_a, log T_b, each order + 1.
    public static func rowLength(order: Int) -> Int { 6 * (order + 1) }

    /// Writes this expansion's row (``rowLength(order:)`` doubles for `order`, at least this
    /// expansion's) at `row`, so that many expansions can sit in one flat array that concurrent
    /// workers read without retains. Beyond its own order the coefficients are 0 and the tail
    /// energies stay at the last one, which bounds everything not stored: the truncation
    /// bounds stay valid.
    public func write(row: UnsafeMutablePointer<Double>, order: Int? = nil) {
        let own = value.count
        let w = Swift.max(own, (order ?? 0) + 1)
        for k in 0..<w {
            let m = Swift.min(k, own - 1)
            row[k] = k < own ? value[k] : 0
            row[w + k] = k < own ? derivative[k] : 0
            row[2 * w + k] = rootValueTail[m]
            row[3 * w + k] = rootDerivativeTail[m]
            row[4 * w + k] = logValueTail[m]
            row[5 * w + k] = logDerivativeTail[m]
        }
    }

    /// Orders tried by ``forGradients(_:variance:)``.
    public static let gradientOrders = [256, 512, 1024]

    /// The expansion at the lowest of ``gradientOrders`` whose tail energies beyond it are at
    /// most 2e-15 of the energies, about twice their rounding floor (or at the highest): steep
    /// variances (tanh at q = 4: 8e-9 of E' beyond 256, 7.5e-13 beyond 512) need more terms for
    /// correlations near 1, where the bound |rho|^{K+1} sqrt(T_1 T_2) decays slowly, and the
    /// weighted series of the gradients converge more slowly than F's. The 24- and 16-node rules
    /// still agree to 3e-15 at order 1024 (tanh, softplus, SiLU at q = 1 ... 30).
    public static func forGradients(_ activation: Activation, variance q: Double) -> HermiteCoefficients? {
        var best: HermiteCoefficients? = nil
        for order in gradientOrders {
            guard let e = HermiteCoefficients(activation, variance: q, order: order) else { return best }
            best = e
            let limit = log(2e-15)
            if e.logValueTail[order] - log(e.valueEnergy) <= limit,
                e.derivativeEnergy == 0 || e.logDerivativeTail[order] - log(e.derivativeEnergy) <= limit
            {
                break
            }
        }
        return best
    }

    /// The jet of one point with itself (u = v): F = E[phi(u)^2], D = E[phi'(u)^2], S1 = S2 and
    /// T1 = T2 the scaling moments, dD/dc = 0 (as the direct partials drop it at rho = 1).
    public static func diagonalJet(_ s: Scalars) -> DualJet {
        DualJet(
            nngp: s.valueEnergy, derivative: s.derivativeEnergy,
            nngpScaling: (s.valueScalingMoment, s.valueScalingMoment),
            derivativeScaling: (s.derivativeScalingMoment, s.derivativeScalingMoment), derivativeSlope: 0)
    }

    /// Tolerance of F and D in a jet, relative to sqrt(E_1 E_2): twice the Gram route's, since the
    /// coefficients' error estimates (the 24- against the 16-node rule over all orders) grow to
    /// 3e-15 of sqrt(E) at order 1024 and the two points' together must stay below half of it.
    public static let jetTolerance = 2e-14

    /// Tolerance of the scaling and slope series, relative to their scales (sqrt(q1 E'_1 E_2) for
    /// S1, sqrt(E'_1 E'_2) for T, sqrt(E'_1 E'_2 / (q1 q2)) for dD/dc; E, E' the energies of phi,
    /// phi'): looser than the duals' 1e-14 because the weights k amplify the coefficients' own
    /// errors (at least 4 ulps of the energy's root each) by up to twice the order used, 2 (K + 2);
    /// still ten times below the direct route's central differences (about 1e-10).
    public static let scalingTolerance = 1e-11

    /// The jet at correlation `rho` of two expansions stored as rows (``write(row:)``) of
    /// `order + 1` coefficients, or nil where a series it needs cannot be certified (then the
    /// caller takes the direct partials). With `gradient` false only F (and D when `ntk`) are
    /// summed; with `ntk` false the T and dD/dc entries are 0.
    @inline(__always)
    public static func jet(
        _ x: UnsafePointer<Double>, _ sx: Scalars, _ y: UnsafePointer<Double>, _ sy: Scalars, order: Int,
        rho: Double, gradient: Bool, ntk: Bool, tolerance: Double = HermiteCoefficients.jetTolerance
    ) -> DualJet? {
        let w = order + 1
        guard Swift.abs(rho) < 1 - 1e-12 else { return nil }
        guard
            let f = sum(
                x, y, x + 4 * w, y + 4 * w, count: w, energies: (sx.valueEnergy, sy.valueEnergy),
                errors: (sx.valueError, sy.valueError), rho: rho, tolerance: tolerance)
        else { return nil }
        var d = 0.0
        if ntk || gradient {
            guard
                let t = sum(
                    x + w, y + w, x + 5 * w, y + 5 * w, count: w,
                    energies: (sx.derivativeEnergy, sy.derivativeEnergy),
                    errors: (sx.derivativeError, sy.derivativeError), rho: rho, tolerance: tolerance)
            else { return nil }
            d = t.value
        }
        guard gradient else {
            return DualJet(
                nngp: f.value, derivative: d, nngpScaling: (0, 0), derivativeScaling: (0, 0), derivativeSlope: 0)
        }
        guard let s1 = valueScaling(x, sx, y, sy, order: order, rho: rho),
            let s2 = valueScaling(y, sy, x, sx, order: order, rho: rho)
        else { return nil }
        guard ntk else {
            return DualJet(
                nngp: f.value, derivative: d, nngpScaling: (s1, s2), derivativeScaling: (0, 0), derivativeSlope: 0)
        }
        guard let t1 = derivativeScaling(x, sx, y, sy, order: order, rho: rho),
            let t2 = derivativeScaling(y, sy, x, sx, order: order, rho: rho),
            let slope = derivativeSlope(x, sx, y, sy, order: order, rho: rho)
        else { return nil }
        return DualJet(
            nngp: f.value, derivative: d, nngpScaling: (s1, s2), derivativeScaling: (t1, t2), derivativeSlope: slope)
    }

    /// S1 = sum_k A_k(q1) a_k(q2) rho^k, A_k = sqrt(q1) (sqrt(k+1) b_{k+1} + sqrt(k) b_{k-1}); tail
    /// beyond K at most sqrt(q1) max_{k > K} sqrt(k+1) |rho|^k (sqrt(T_b(K)) + sqrt(T_b(K-1)))
    /// sqrt(T_a(K)) of the other point.
    @inline(__always)
    static func valueScaling(
        _ x: UnsafePointer<Double>, _ sx: Scalars, _ y: UnsafePointer<Double>, _ sy: Scalars, order: Int,
        rho: Double
    ) -> Double? {
        let w = order + 1
        let b = x + w
        let a = y
        let rootB = x + 3 * w
        let rootA = y + 2 * w
        let root = sx.variance.squareRoot()
        let eb = sx.derivativeEnergy.squareRoot()
        let ea = sy.valueEnergy.squareRoot()
        let allowed = scalingTolerance * root * eb * ea
        guard
            let cut = weightedCut(
                rho: rho, power: 0.5, shift: 1, count: order, allowed: allowed,
                tail: { k in root * (rootB[k] + (k >= 1 ? rootB[k - 1] : eb)) * rootA[k] })
        else { return nil }
        // The coefficient errors by Cauchy-Schwarz against the other factor's weighted terms:
        // |sum dA_k a_k rho^k| <= 2 sqrt(q1) |db| |sqrt(k+1) a_k rho^k|, |sum A_k da_k rho^k| <= |A_k rho^k| |da|.
        return weightedSum(
            rho: rho, order: cut, errors: (sx.derivativeError, sy.valueError),
            crossWeight: 2 * root * Double(cut + 1).squareRoot(), allowed: allowed
        ) { k in
            let up = Double(k + 1).squareRoot() * b[k + 1]
            let down = k >= 1 ? Double(k).squareRoot() * b[k - 1] : 0
            return (root * (up + down), a[k], 2 * root * Double(k + 1).squareRoot() * a[k])
        }
    }

    /// T1 = sum_k B_k(q1) b_k(q2) rho^k, B_k = k b_k + sqrt((k+1)(k+2)) b_{k+2}; tail beyond K at
    /// most 2 max_{k > K} (k+2) |rho|^k sqrt(T_b1(K) T_b2(K)).
    @inline(__always)
    static func derivativeScaling(
        _ x: UnsafePointer<Double>, _ sx: Scalars, _ y: UnsafePointer<Double>, _ sy: Scalars, order: Int,
        rho: Double
    ) -> Double? {
        let w = order + 1
        let b1 = x + w
        let b2 = y + w
        let root1 = x + 3 * w
        let root2 = y + 3 * w
        let e1 = sx.derivativeEnergy.squareRoot()
        let e2 = sy.derivativeEnergy.squareRoot()
        let allowed = scalingTolerance * e1 * e2
        guard
            let cut = weightedCut(
                rho: rho, power: 1, shift: 2, count: order - 1, allowed: allowed,
                tail: { k in 2 * root1[k] * root2[k] })
        else { return nil }
        return weightedSum(
            rho: rho, order: cut, errors: (sx.derivativeError, sy.derivativeError),
            crossWeight: 2 * Double(cut + 2), allowed: allowed
        ) { k in
            let bk = Double(k) * b1[k] + (Double(k + 1) * Double(k + 2)).squareRoot() * b1[k + 2]
            return (bk, b2[k], 2 * Double(k + 2) * b2[k])
        }
    }

    /// dD/dc = sum_k (k+1) b_{k+1}(q1) b_{k+1}(q2) rho^k / sqrt(q1 q2); tail beyond K at most
    /// max_{k > K} (k+1) |rho|^k sqrt(T_b1(K) T_b2(K)) / sqrt(q1 q2).
    @inline(__always)
    static func derivativeSlope(
        _ x: UnsafePointer<Double>, _ sx: Scalars, _ y: UnsafePointer<Double>, _ sy: Scalars, order: Int,
        rho: Double
    ) -> Double? {
        let w = order + 1
        let b1 = x + w
        let b2 = y + w
        let root1 = x + 3 * w
        let root2 = y + 3 * w
        let inverse = 1 / (sx.variance * sy.variance).squareRoot()
        let e1 = sx.derivativeEnergy.squareRoot()
        let e2 = sy.derivativeEnergy.squareRoot()
        let allowed = scalingTolerance * e1 * e2
        guard
            let cut = weightedCut(
                rho: rho, power: 1, shift: 1, count: order, allowed: allowed,
                tail: { k in root1[k] * root2[k] })
        else { return nil }
        let sum = weightedSum(
            rho: rho, order: cut, errors: (sx.derivativeError, sy.derivativeError),
            crossWeight: Double(cut + 1), allowed: allowed
        ) { k in
            (Double(k + 1) * b1[k + 1], b2[k + 1], Double(k + 1) * b2[k + 1])
        }
        return sum.map { inverse * $0 }
    }

    /// sum_{k=0}^{order} x_k y_k rho^k for term(k) = (x_k, y_k, v_k), or nil where the
    /// coefficient errors could move it by more than half of `allowed`. With errors e_x, e_y of
    /// the two points' coefficient vectors, and v_k a bound on what an error in x's coefficients
    /// multiplies (so that |sum dx_k y_k rho^k| <= e_x |v_k rho^k|), the sum moves by at most
    /// e_x |v rho^k| + |x rho^k| e_y + crossWeight e_x e_y (Cauchy-Schwarz against the decaying
    /// factor, far tighter than the largest weight times both norms), plus the rounding,
    /// (order + 1) ulps of sum |terms|.
    @inline(__always)
    static func weightedSum(
        rho: Double, order: Int, errors: (Double, Double), crossWeight: Double, allowed: Double,
        _ term: (Int) -> (Double, Double, Double)
    ) -> Double? {
        var total = 0.0
        var magnitude = 0.0
        var xNorm = 0.0
        var vNorm = 0.0
        var power = 1.0
        for k in 0...order {
            let (x, y, v) = term(k)
            let t = x * y * power
            total += t
            magnitude += Swift.abs(t)
            xNorm += (x * power) * (x * power)
            vNorm += (v * power) * (v * power)
            power *= rho
        }
        let error =
            errors.0 * vNorm.squareRoot() + xNorm.squareRoot() * errors.1 + crossWeight * errors.0 * errors.1
            + Double(order + 1) * Double.ulpOfOne * magnitude
        guard error <= 0.5 * allowed else { return nil }
        return total
    }

    /// The first K < `count` at which max_{k > K} (k + shift)^power |rho|^k times `tail(K)` is at
    /// most 1/4 of `allowed`, or nil (power 1/2 or 1). (k + s)^p r^k is unimodal in k with its maximum at
    /// k* = p / (-log r) - s, so for K + 1 >= k* the maximum over k > K is at K + 1, and before
    /// that the continuous maximum (p / (-log r))^p e^{-p} r^{-s} bounds it.
    @inline(__always)
    static func weightedCut(
        rho: Double, power p: Double, shift s: Double, count: Int, allowed: Double, tail: (Int) -> Double
    ) -> Int? {
        let target = 0.25 * allowed
        guard allowed > 0, count > 0 else { return nil }
        let r = Swift.abs(rho)
        if r == 0 { return 0 }  // Only the k = 0 term is left.
        let logR = log(r)
        let peak = p / -logR - s
        let peakValue = Foundation.pow(p / -logR, p) * exp(-p) * exp(-s * logR)
        var power = r  // r^{K+1}
        for k in 0..<count {
            let next = Double(k + 1)
            let factor: Double
            if next >= peak {
                factor = (p == 1 ? next + s : (next + s).squareRoot()) * power
            } else {
                factor = peakValue
            }
            if factor * tail(k) <= target { return k }
            power *= r
        }
        return nil
    }
}
