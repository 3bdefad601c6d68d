import Foundation

/// Limited-memory BFGS (Nocedal & Wright 2006, Algorithm 7.4) with a backtracking Armijo line
/// search, inside a box: steps are projected onto it, and variables held on a bound by the
/// gradient are left out of the quasi-Newton direction (a simple active-set rule, as in
/// projected L-BFGS variants; Nocedal & Wright 2006, section 16.7, for the projected path). Minimises f; an evaluation that fails
/// (throws or returns a non-finite value) counts as +infinity, so the line search backs off.
public struct LBFGS: Sendable {
    public var memory = 6
    public var maxIterations = 60
    /// Stop when the step changes f by less than this (absolute) and the projected gradient's
    /// norm is below `gradientTolerance`.
    public var tolerance = 1e-6
    public var gradientTolerance = 1e-3

    public init() {}

    public struct Result: Sendable {
        public let x: [Double]
        public let value: Double
        public let iterations: Int
        public let evaluations: Int
        /// Whether it stopped by the convergence test (small decrease and small projected
        /// gradient), rather than by the iteration limit or a line search that found no
        /// acceptable step while the projected gradient was still large.
        public let converged: Bool
        /// The norm of the projected gradient at `x`.
        public let projectedGradientNorm: Double
    }

    public func minimize(
        _ x0: [Double], lower: [Double], upper: [Double],
        _ f: ([Double]) -> (value: Double, gradient: [Double])?
    ) -> Result? {
        let n = x0.count
        func project(_ x: [Double]) -> [Double] { (0..<n).map { min(upper[$0], max(lower[$0], x[$0])) } }
        var evaluations = 0
        func eval(_ x: [Double]) -> (Double, [Double])? {
            evaluations += 1
            guard let r = f(x), r.value.isFinite, r.gradient.allSatisfy(\.isFinite) else { return nil }
            return (r.value, r.gradient)
        }
        var x = project(x0)
        guard var (fx, gx) = eval(x) else { return nil }
        var s: [[Double]] = []
        var y: [[Double]] = []
        var iteration = 0
        // Components held on a bound: at it, with the gradient pushing outward.
        func blocked(_ x: [Double], _ g: [Double]) -> [Bool] {
            (0..<n).map { (x[$0] <= lower[$0] && g[$0] > 0) || (x[$0] >= upper[$0] && g[$0] < 0) }
        }
        // Projected gradient: components pushing against an active bound do not count.
        func projectedNorm(_ x: [Double], _ g: [Double]) -> Double {
            zip(blocked(x, g), g).reduce(0.0) { $0 + ($1.0 ? 0 : $1.1 * $1.1) }.squareRoot()
        }
        var converged = false
        while iteration < maxIterations {
            iteration += 1
            // Variables on a bound with the gradient pushing outward stay there this iteration:
            // the direction is computed in the free variables only (gradient and pairs
            // restricted to them). A full-space quasi-Newton direction that moves a bound
            // variable is clipped by the projection, and in a valley coupling the variables
            // (sigma_b^2 at its bound against the noise) what remains need not descend: the
            // line search then fails with the projected gradient still large.
            let held = blocked(x, gx)
            func free(_ v: [Double]) -> [Double] { (0..<n).map { held[$0] ? 0 : v[$0] } }
            let g = free(gx)
            let pairs = zip(s.map(free), y.map(free)).filter {
                dot($0.0, $0.1) > 1e-12 * (dot($0.0, $0.0) * dot($0.1, $0.1)).squareRoot()
            }
            let (fs, fy) = (pairs.map(\.0), pairs.map(\.1))
            // Two-loop recursion for the direction -H g.
            var q = g
            var alphas: [Double] = []
            for k in stride(from: fs.count - 1, through: 0, by: -1) {
                let rho = 1 / dot(fy[k], fs[k])
                let a = rho * dot(fs[k], q)
                alphas.append(a)
                for i in 0..<n { q[i] -= a * fy[k][i] }
            }
            if let last = fs.indices.last {
                let gamma = dot(fs[last], fy[last]) / dot(fy[last], fy[last])
                for i in 0..<n { q[i] *= gamma }
            } else {
                let norm = dot(g, g).squareRoot()
                if norm > 0 { for i in 0..<n { q[i] /= max(1, norm) } }
            }
            for (index, k) in fs.indices.enumerated() {
                let rho = 1 / dot(fy[k], fs[k])
                let b = rho * dot(fy[k], q)
                let a = alphas[fs.count - 1 - index]
                for i in 0..<n { q[i] += fs[k][i] * (a - b) }
            }
            var direction = free(q.map { -$0 })
            if dot(direction, g) >= 0 {
                direction = g.map { -$0 }
                s.removeAll()
                y.removeAll()
            }
            // Backtracking on the projected path; each retry minimises the quadratic through
            // f(x), the slope along the step and the rejected value (Nocedal & Wright 2006,
            // section 3.5), kept within [0.1 t, 0.5 t]; 0.3 t after a failed evaluation.
            var t = 1.0
            var accepted: ([Double], Double, [Double])? = nil
            for _ in 0..<30 {
                let trial = project((0..<n).map { x[$0] + t * direction[$0] })
                let moved = (0..<n).map { trial[$0] - x[$0] }
                if dot(moved, moved) == 0 { break }
                let slope = dot(gx, moved)
                guard let (ft, gt) = eval(trial) else {
                    t *= 0.3
                    continue
                }
                if ft <= fx + 1e-4 * slope {
                    accepted = (trial, ft, gt)
                    break
                }
                let curvature = ft - fx - slope
                let minimiser = curvature > 0 ? -slope / (2 * curvature) : 0.3
                t *= min(0.5, max(0.1, minimiser))
            }
            guard let (xNew, fNew, gNew) = accepted else {
                // No acceptable step: stationary to rounding if the gradient is small.
                converged = projectedNorm(x, gx) < gradientTolerance
                break
            }
            let sk = (0..<n).map { xNew[$0] - x[$0] }
            let yk = (0..<n).map { gNew[$0] - gx[$0] }
            if dot(sk, yk) > 1e-12 * dot(yk, yk).squareRoot() * dot(sk, sk).squareRoot() {
                s.append(sk)
                y.append(yk)
                if s.count > memory {
                    s.removeFirst()
                    y.removeFirst()
                }
            }
            let decrease = fx - fNew
            x = xNew
            fx = fNew
            gx = gNew
            if decrease < tolerance && projectedNorm(x, gx) < gradientTolerance {
                converged = true
                break
            }
        }
        return Result(
            x: x, value: fx, iterations: iteration, evaluations: evaluations, converged: converged,
            projectedGradientNorm: projectedNorm(x, gx))
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }
}
