import _ParallelFill
import Dispatch
import Foundation
import _NumericalBackends

/// n-point Gauss-Legendre rules on [0, 1/sqrt 2] with weights accurate to a few ulps and
/// nodes known to about 1e-19 beyond their double rounding.
///
/// Nodes: Tricomi's asymptotic initial guess x_i ~ (1 - 1/(8n^2) + 1/(8n^3)) cos(pi (4i - 1)/(4n + 2))
/// refined by Newton's method on P_n (three-term recurrence) until the step is below 1e-16,
/// the positive half only (x_{n+1-i} = -x_i exactly); weights from
///
///     w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)
///
/// at the converged node. O(n^2) once per n (about 3 Newton steps per node), cached. (GSL's
/// Golub-Welsch rule, used before, took 70 ms at n = 1200 and its weights had relative
/// errors up to 4e-12 at n = 260; GaussLegendreRuleTests compares both.)
///
/// Why the nodes carry a low part: rounding u_i to double moves each node by up to an ulp,
/// and a Gauss rule with moved nodes is no longer exact: the error of sum w_i f(u_i) is
/// sum w_i f'(u_i) du_i, and for f = g P_k(1 - 2u^2) the derivative grows like k. Measured on
/// the 3-layer ReLU NNGP on the circle: 1e-16 mu_0 at k = 40 (a relative error 2e-10 where
/// mu_k = 1.6e-6 mu_0) from the rounded nodes alone, against 5e-18 mu_0 from the rounded
/// weights. The last Newton correction -P_n(x)/P_n'(x), evaluated at the converged double x,
/// is that low part (accurate to about eps/n, as P_n(x) is evaluated to about eps/sqrt(n) of
/// its scale); ``FunkHeckeQuadrature`` applies it to P_k to first order
/// (Proofs/spectral-quadrature.md).
public enum GaussLegendreRule {
    /// A rule on [0, 1/sqrt 2]: nodes u_i rounded to double, and s_i = 2 u_i^2 of the exact
    /// nodes in double-double (`squareHigh[i] + squareLow[i]`).
    public struct HalfIntervalRule: Sendable {
        public let nodes: [Double]
        public let weights: [Double]
        /// 2 u_i^2 of the exact node, rounded to double.
        public let squareHigh: [Double]
        /// The remainder 2 u_i^2 - squareHigh[i] (about 1e-17 squareHigh[i]).
        public let squareLow: [Double]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [Int: HalfIntervalRule] = [:]

    /// The rule on [0, 1/sqrt 2].
    public static func halfInterval(count n: Int) throws -> HalfIntervalRule {
        lock.lock()
        if let rule = cache[n] {
            lock.unlock()
            return rule
        }
        lock.unlock()
        let (x, w, low) = standardWithCorrections(count: n)
        // h = sqrt(2)/4 in double-double: h = hHi + hLo.
        let hHi = 0.5.squareRoot() / 2
        let hLo = fma(-hHi, hHi, 0.125) / (2 * hHi)
        var nodes = [Double](repeating: 0, count: n)
        var squareHigh = nodes
        var squareLow = nodes
        for i in 0..<n {
            // y = x + 1 + low exactly as a double-double (|x| <= 1, so Fast2Sum applies).
            let y = 1 + x[i]
            let yLo = (x[i] - (y - 1)) + low[i]
            // u = h y in double-double.
            let p = hHi * y
            let pLo = fma(hHi, y, -p) + (hHi * yLo + hLo * y)
            let u = p + pLo
            let uLo = pLo - (u - p)
            nodes[i] = u
            // s = 2 u^2 = 2 (u + uLo)^2.
            let sq = u * u
            let sqLo = fma(u, u, -sq) + 2 * u * uLo
            let sHi = 2 * (sq + sqLo)
            squareHigh[i] = sHi
            squareLow[i] = 2 * (sqLo - (sq + sqLo - sq))
        }
        let rule = HalfIntervalRule(
            nodes: nodes, weights: w.map { hHi * $0 }, squareHigh: squareHigh, squareLow: squareLow)
        lock.lock()
        if cache.count > 16 { cache.removeAll() }
        cache[n] = rule
        lock.unlock()
        return rule
    }

    /// Nodes (ascending) and weights of the n-point rule on [-1, 1].
    static func standard(count n: Int) -> (nodes: [Double], weights: [Double]) {
        let r = standardWithCorrections(count: n)
        return (r.nodes, r.weights)
    }

    /// Nodes (ascending), weights and the nodes' low parts (exact node - double node) of the
    /// n-point rule on [-1, 1].
    ///
    /// Newton, four nodes at a time (SIMD, groups split between two threads): Tricomi's guess is accurate to O(n^-4), so one
    /// step lands within ~1e-20 and a second confirms it; nodes whose step is still larger
    /// iterate alone. Then one compensated evaluation of the recurrence at each converged
    /// double x (``compensated(_:_:)``: P_n, P_{n-1}, P_{n-2} to about eps^2 n) gives
    ///
    ///     low = -P_n(x)/P_n'(x)                       (x* = x + low, the exact node to ~eps^2)
    ///     w   = 2 (1 - x*^2) / (n P_{n-1}(x*))^2,     P_{n-1}(x*) = P_{n-1}(x) + low P_{n-1}'(x),
    ///
    /// with 1 - x*^2 = (1 - x*)(1 + x*) formed from exact sums. Plain double evaluation gave
    /// weights off by sqrt(n) eps in the middle (1.5e-15 at n = 270) and by eps/(1 - x^2) next to
    /// +-1 (3e-13), which put 2e-16 mu_0 of noise on every Funk-Hecke eigenvalue.
    static func standardWithCorrections(count n: Int) -> (nodes: [Double], weights: [Double], low: [Double]) {
        precondition(n >= 1)
        var nodes = [Double](repeating: 0, count: n)
        var weights = nodes
        var low = nodes
        if n == 1 {
            weights[0] = 2
            return (nodes, weights, low)
        }
        let nn = Double(n)
        let scale = 1 - 1 / (8 * nn * nn) + 1 / (8 * nn * nn * nn)
        let half = (n + 1) / 2
        @Sendable func guess(_ i: Int) -> Double {
            if n % 2 == 1 && i == half { return 0 }
            return scale * cos(Double.pi * (4 * Double(i) - 1) / (4 * nn + 2))
        }
        let coefficients = Coefficients(n)
        // Groups of four nodes x_i >= 0 (i = 1...half, descending), split between two threads:
        // Newton in double, then one compensated evaluation for the low part and the weight.
        let groups = (half + 3) / 4
        let slots = SlotArray<[(index: Int, x: Double, weight: Double, low: Double)]>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { c in
            var out: [(index: Int, x: Double, weight: Double, low: Double)] = []
            for g in stride(from: c, to: groups, by: 2) {
                let first = 4 * g + 1
                let count = min(4, half - 4 * g)
                var x = SIMD4<Double>(repeating: guess(first))
                for lane in 0..<count { x[lane] = guess(first + lane) }
                var (p, dp) = legendre4(n, x, coefficients)
                x -= p / dp
                (p, dp) = legendre4(n, x, coefficients)
                let dx = p / dp
                for lane in 0..<count {
                    var xl = x[lane]
                    var step = dx[lane]
                    // Rarely needed: a node whose second step is not yet negligible.
                    var iterations = 0
                    while Swift.abs(step) > 1e-16 && iterations < 6 {
                        xl -= step
                        let (pl, d) = legendre(n, xl)
                        step = pl / d
                        iterations += 1
                    }
                    x[lane] = xl
                }
                let (pn, pnErr, q, qErr, r) = compensated(n, x, coefficients)
                for lane in 0..<count {
                    let xl = x[lane]
                    // The middle node of an odd rule is 0 exactly (P_n(0) = 0 for odd n).
                    var correction = 0.0
                    var weight: Double
                    let pPrev = q[lane] + qErr[lane]
                    if xl == 0 {
                        weight = 2 / (nn * pPrev * nn * pPrev)
                    } else {
                        // P_n'(x) = n (x P_n - P_{n-1})/(x^2 - 1); P_{n-1}' likewise with P_{n-2}.
                        let oneMinus = (1 - xl) * (1 + xl)
                        let derivative = nn * (pPrev - xl * pn[lane]) / oneMinus
                        correction = -(pn[lane] + pnErr[lane]) / derivative
                        let prevDerivative = (nn - 1) * (r[lane] - xl * q[lane]) / oneMinus
                        let atNode = pPrev + correction * prevDerivative
                        // 1 - x* = (1 - x) - low and 1 + x* = (1 + x) + low, each from an exact sum.
                        let a = 1 - xl
                        let aLow = (1 - a) - xl
                        let b = 1 + xl
                        let bLow = xl - (b - 1)
                        let factor = (a + (aLow - correction)) * (b + (bLow + correction))
                        weight = 2 * factor / (nn * atNode * nn * atNode)
                    }
                    out.append((first + lane, xl, weight, correction))
                }
            }
            slots.store(out, at: c)
        }
        for c in 0..<2 {
            for (index, x, weight, correction) in slots[c]! {
                nodes[n - index] = x
                weights[n - index] = weight
                low[n - index] = correction
                nodes[index - 1] = -x
                weights[index - 1] = weight
                low[index - 1] = -correction
            }
        }
        return (nodes, weights, low)
    }

    /// The recurrence P_j = A_j x P_{j-1} - B_j P_{j-2}, A_j = (2j - 1)/j, B_j = (j - 1)/j, with
    /// A_j and B_j as double-doubles (high, low), j = 0...n (entries 0 and 1 unused).
    struct Coefficients {
        let a: [Double], aLow: [Double], b: [Double], bLow: [Double]
        init(_ n: Int) {
            var a = [Double](repeating: 0, count: n + 1)
            var aLow = a
            var b = a
            var bLow = a
            for j in stride(from: 2, through: n, by: 1) {
                let jj = Double(j)
                let num = Double(2 * j - 1)
                let den = Double(j - 1)
                a[j] = num / jj
                aLow[j] = fma(-a[j], jj, num) / jj
                b[j] = den / jj
                bLow[j] = fma(-b[j], jj, den) / jj
            }
            self.a = a
            self.aLow = aLow
            self.b = b
            self.bLow = bLow
        }
    }

    /// P_n(x), P_{n-1}(x) with their rounding errors (value = high + error to about eps^2 n),
    /// and P_{n-2}(x) in plain double, at four points, n >= 2: the three-term recurrence with
    /// each step's rounding recovered by error-free transformations (fma products, TwoSum) and
    /// the coefficients' own rounding (``Coefficients``), carried through the same recurrence
    /// to first order. No divisions: about 20 operations per step and four points.
    static func compensated(_ n: Int, _ x: SIMD4<Double>, _ c: Coefficients)
        -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>)
    {
        var p0 = SIMD4<Double>(repeating: 1)
        var p1 = x
        var pm = SIMD4<Double>(repeating: 0)
        var e0 = SIMD4<Double>.zero
        var e1 = SIMD4<Double>.zero
        c.a.withUnsafeBufferPointer { ap in
            c.aLow.withUnsafeBufferPointer { alp in
                c.b.withUnsafeBufferPointer { bp in
                    c.bLow.withUnsafeBufferPointer { blp in
                        for j in stride(from: 2, through: n, by: 1) {
                            let aj = SIMD4<Double>(repeating: ap[j])
                            let bj = SIMD4<Double>(repeating: bp[j])
                            let t = x * p1
                            let te = (-t).addingProduct(x, p1)
                            let a = aj * t
                            let ae = (-a).addingProduct(aj, t)
                            let b = bj * p0
                            let be = (-b).addingProduct(bj, p0)
                            let s = a - b
                            let z = s - a
                            let se = (a - (s - z)) - (b + z)
                            let alj = SIMD4<Double>(repeating: alp[j])
                            let blj = SIMD4<Double>(repeating: blp[j])
                            let carried: SIMD4<Double> = aj * (x * e1 + te) - bj * e0
                            let local: SIMD4<Double> = (alj * t - blj * p0) + (ae - be + se)
                            let e2 = carried + local
                            pm = p0
                            p0 = p1
                            e0 = e1
                            p1 = s
                            e1 = e2
                        }
                    }
                }
            }
        }
        return (p1, e1, p0, e0, pm)
    }

    /// P_n and P_n' at four points (the recurrence with the tabulated A_j, B_j).
    static func legendre4(_ n: Int, _ x: SIMD4<Double>, _ c: Coefficients) -> (SIMD4<Double>, SIMD4<Double>) {
        var p0 = SIMD4<Double>(repeating: 1)
        var p1 = x
        if n == 0 { return (p0, .zero) }
        c.a.withUnsafeBufferPointer { ap in
            c.b.withUnsafeBufferPointer { bp in
                for j in stride(from: 2, through: n, by: 1) {
                    let p2 = ap[j] * x * p1 - bp[j] * p0
                    p0 = p1
                    p1 = p2
                }
            }
        }
        return (p1, Double(n) * (x * p1 - p0) / (x * x - 1))
    }

    /// P_n(x) and P_n'(x).
    static func legendre(_ n: Int, _ x: Double) -> (Double, Double) {
        var p0 = 1.0
        var p1 = x
        if n == 0 { return (1, 0) }
        for j in stride(from: 2, through: n, by: 1) {
            let p2 = (Double(2 * j - 1) * x * p1 - Double(j - 1) * p0) / Double(j)
            p0 = p1
            p1 = p2
        }
        return (p1, Double(n) * (x * p1 - p0) / (x * x - 1))
    }
}
