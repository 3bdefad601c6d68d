import Foundation
import Synchronization

/// Arc-cosine expectations E[relu(u)^p relu(v)^p] in closed form (Cho & Saul 2009).
///
/// For unit variances and correlation rho, with psi(rho) = pi - arccos(rho) = arccos(-rho):
///
///     2 pi E[relu(z1)^p relu(z2)^p] = A_p(rho) sqrt(1 - rho^2) + B_p(rho) psi(rho)
///
/// with polynomials A_p, B_p generated exactly by Price's theorem
/// f_p' = p^2 f_{p-1}, f_p(-1) = 0 (Proofs/arc-cosine-kernels.md). General variances scale
/// by (q1 q2)^{p/2}. Near rho = -1 both terms cancel to O((1+rho)^{p+1/2}), so there the
/// value is computed instead as an angular integral over the wedge where u, v > 0, whose
/// integrand is positive: full relative accuracy everywhere.
public enum ArcCosine {
    /// E[relu(u)^p relu(v)^p] for Var u = q1, Var v = q2, Cov = c.
    public static func expectation(order p: Int, q1: Double, q2: Double, c: Double) -> Double {
        expectation(order: p, GaussianPair(q1: q1, q2: q2, c: c))
    }

    /// E[relu(u)^p relu(v)^p] for a Gaussian pair, using its accurate correlation angle.
    public static func expectation(order p: Int, _ pair: GaussianPair) -> Double {
        let q1 = pair.q1
        let q2 = pair.q2
        if q1 <= 0 || q2 <= 0 {
            // A zero-variance argument is identically 0, where relu^p = 0 (p >= 1) or 1 (p = 0).
            if p > 0 { return 0 }
            let q = max(q1, q2)
            return q1 <= 0 && q2 <= 0 ? 1 : (q > 0 ? 0.5 : 1)
        }
        let product = q1 * q2
        // q1 q2 overflows beyond 1e154: then the factors separately.
        let scale =
            p == 0
            ? 1.0
            : (product.isFinite
                ? pow(product, 0.5 * Double(p))
                : pow(q1, 0.5 * Double(p)) * pow(q2, 0.5 * Double(p)))
        return scale * unitVariance(order: p, angle: pair.angle)
    }

    /// The odd part, in the signed angle theta, of the closed form continued analytically:
    /// 2 pi E = A_p(rho) sin theta + B_p(rho) (pi - theta) is analytic in theta, and its odd part is
    /// (A_p(rho) sin theta - B_p(rho) theta)/(2 pi), times (q1 q2)^{p/2}. For equal variances and
    /// rho > 0 (NaN otherwise), like ``ClosedFormDuals/nngpOddPart``.
    public static func oddPart(order p: Int, _ pair: GaussianPair) -> Double {
        guard pair.q1 == pair.q2, pair.q1 > 0, pair.rho > 0 else { return .nan }
        let scale = p == 0 ? 1.0 : pow(pair.q1, Double(p))
        let (a, b) = polynomials(order: p)
        let rho = pair.rho
        return scale
            * (NeuralKernels.horner(a, rho) * pair.angle.sine - NeuralKernels.horner(b, rho) * pair.angle.theta)
            / (2 * Double.pi)
    }

    /// E[relu(z1)^p relu(z2)^p] for standard normals with correlation rho.
    public static func unitVariance(order p: Int, rho: Double) -> Double {
        unitVariance(order: p, angle: CorrelationAngle(q1: 1, q2: 1, c: rho))
    }

    /// The same, given the correlation angle.
    public static func unitVariance(order p: Int, angle: CorrelationAngle) -> Double {
        let rho = angle.rho
        if p == 0 { return angle.complement / (2 * Double.pi) }
        if rho < -0.5 { return positiveWedge(order: p, delta: angle.complement) }
        let (a, b) = polynomials(order: p)
        return (NeuralKernels.horner(a, rho) * angle.sine + NeuralKernels.horner(b, rho) * angle.complement)
            / (2 * Double.pi)
    }

    /// 2^p p!/(2 pi) * integral over the wedge {cos phi > 0, cos(phi - theta) > 0} of
    /// (cos phi cos(phi - theta))^p, by Gauss-Legendre (the integrand is entire and positive).
    /// `delta` = pi - theta is the wedge length; cos phi and cos(phi - theta) are the sines of
    /// the distances to the wedge's two edges, so nothing cancels.
    static func positiveWedge(order p: Int, delta: Double) -> Double {
        let rule = GaussLegendre.rule(count: 24)
        var sum = 0.0
        for (x, w) in zip(rule.nodes, rule.weights) {
            let a = sin(0.5 * delta * (1 + x))
            let b = sin(0.5 * delta * (1 - x))
            sum += w * pow(a * b, Double(p))
        }
        var factor = 1.0
        for j in 1...p { factor *= 2 * Double(j) }
        return factor * 0.5 * delta * sum / (2 * Double.pi)
    }

    /// Coefficients (ascending powers of rho) of A_p and B_p.
    public static func polynomials(order p: Int) -> (a: [Double], b: [Double]) {
        if p < precomputed.count { return precomputed[p] }
        return cache.withLock { table in
            while table.count <= p {
                let n = table.count
                let (a, b) = table[n - 1]
                table.append(integrateOnce(a: a, b: b, scale: Double(n * n)))
            }
            return table[p]
        }
    }

    private static let cache = Mutex<[(a: [Double], b: [Double])]>([(a: [0], b: [1])])

    /// Orders 0...8 computed once, so the hot path takes no lock.
    private static let precomputed: [(a: [Double], b: [Double])] = {
        var table: [(a: [Double], b: [Double])] = [(a: [0], b: [1])]
        for n in 1...8 { table.append(integrateOnce(a: table[n - 1].a, b: table[n - 1].b, scale: Double(n * n))) }
        return table
    }()

    /// n^2 * integral_{-1}^{rho} of (A sqrt(1-s^2) + B psi), in the same representation.
    private static func integrateOnce(a: [Double], b: [Double], scale: Double) -> (a: [Double], b: [Double]) {
        // Integral of B psi = Bint psi - integral Bint / sqrt(1-s^2); integral of A sqrt(1-s^2) =
        // integral A (1-s^2)/sqrt(1-s^2). So what remains is integral C / sqrt(1-s^2).
        var bint = [0.0]
        for (k, coeff) in b.enumerated() { bint.append(coeff / Double(k + 1)) }
        var cpoly = [Double](repeating: 0, count: max(a.count + 2, bint.count))
        for (k, coeff) in a.enumerated() {
            cpoly[k] += coeff
            cpoly[k + 2] -= coeff
        }
        for (k, coeff) in bint.enumerated() { cpoly[k] -= coeff }
        // I_k = integral s^k / sqrt(1-s^2) = P_k sqrt(1-s^2) + gamma_k psi + const,
        // P_0 = 0, gamma_0 = 1; P_1 = -1, gamma_1 = 0; I_k = -s^{k-1} sqrt/k + (k-1)/k I_{k-2}.
        var pk: [[Double]] = [[0], [-1]]
        var gk: [Double] = [1, 0]
        for k in 2..<max(cpoly.count, 2) {
            var poly = [Double](repeating: 0, count: k)
            poly[k - 1] = -1 / Double(k)
            for (j, coeff) in pk[k - 2].enumerated() { poly[j] += Double(k - 1) / Double(k) * coeff }
            pk.append(poly)
            gk.append(Double(k - 1) / Double(k) * gk[k - 2])
        }
        var newA = [Double](repeating: 0, count: max(cpoly.count, 1))
        var newB = bint
        for (k, coeff) in cpoly.enumerated() where coeff != 0 {
            for (j, pc) in pk[k].enumerated() { newA[j] += coeff * pc }
            newB[0] += coeff * gk[k]
        }
        return (newA.map { $0 * scale }, newB.map { $0 * scale })
    }
}
