import Foundation

/// The local (Puiseux) expansion of a kernel at t = +1 or t = -1, fitted in t-space:
///
///     kappa(1 - y) = A(y) + y^a B(y),   y = 1 - t in [0, y0],   A, B analytic,
///
/// a the kernel's leading half-integer exponent (``PredictedDecay``), and the same form in
/// y = 1 + t at t = -1. Written out, y^a B(y) = sum_j b_j (1 - t)^{a + j}: the singular terms
/// whose Mercer eigenvalues are known in closed form (``SingularExpansion``), so that
///
///     mu_k = sum_j b_j G_k(d, a + j) [+ (-1)^k sum_j b'_j G_k(d, a + j)] + R_k,
///
/// R_k from the analytic remainder and the omitted terms (Proofs/endpoint-expansion.md).
///
/// Why t-space: the coefficients b_j are properties of kappa next to the endpoint, where the
/// kernel is evaluated to a few ulps with 1 - t passed exactly; fitting them to eigenvalues
/// instead (``FittedTail/init(fitting:error:dimension:accuracy:)``) needs eigenvalues accurate far
/// below double precision's floor of about 1e-17 mu_0, which quadrature cannot give for fast
/// decays (the 3-layer ELU NNGP on S^4 reaches 1e-14 mu_0 by k = 40).
///
/// Fit: M = 200 Chebyshev points in y on (0, y0], least squares (Householder QR) in the basis
/// T_j(2y/y0 - 1) (j <= Ja) and (y/y0)^a T_j(2y/y0 - 1) (j <= J); B is then rewritten in
/// monomials of y. Only the structure (a half-integer a, A and B analytic near the endpoint)
/// is assumed. Separating y^a B from A on one side of the endpoint is ill-conditioned (the
/// basis' condition number is about 1e10 at Ja = J = 6, and worse the larger a is), so the
/// degrees stay low and the range wide: measured on the 3-layer ELU NNGP (a = 5/2) against the
/// mpmath eigenvalues, b_0 comes out to 1e-7 ... 6e-7 relatively for y0 = 1/2 ... 3/4 and
/// Ja, J = 6 ... 7, to 3e-10 for the 2-layer ReLU NTK (a = 1/2). The fit is done twice
/// (y0 = 1/2, Ja = J = 6 and y0 = 3/4, Ja = 7, J = 6) and the difference of the two models'
/// eigenvalues is part of the error estimate (``AsymptoticTail``).
public enum EndpointExpansion {
    public enum Endpoint: Sendable { case upper, lower }

    /// The singular terms b_j (1 -+ t)^{a + j}, j = 0...J, of `kernel` at `endpoint`, or nil when
    /// the least-squares problem is degenerate or a kernel value is not finite.
    public static func singularTerms(
        of kernel: some DotProductKernel, at endpoint: Endpoint, exponent a: Double,
        range y0: Double = 0.5, analyticDegree Ja: Int = 6, degree J: Int = 6,
        points m: Int = 200
    ) -> [SingularExpansion.Term]? {
        var ys: [Double] = []
        var values: [Double] = []
        for i in 0..<m {
            let x = cos(Double.pi * (Double(i) + 0.5) / Double(m))
            let y = 0.5 * y0 * (x + 1)
            let v =
                endpoint == .upper
                ? kernel.value(1 - y, oneMinusT: y, onePlusT: 2 - y)
                : kernel.value(-1 + y, oneMinusT: 2 - y, onePlusT: y)
            guard v.isFinite else { return nil }
            ys.append(y)
            values.append(v)
        }
        // Columns: T_j(x) and (y/y0)^a T_j(x), x = 2y/y0 - 1.
        var columns: [[Double]] = []
        let chebyshev = ys.map { y -> [Double] in
            let x = 2 * y / y0 - 1
            var t = [1.0, x]
            while t.count <= max(J, Ja) { t.append(2 * x * t[t.count - 1] - t[t.count - 2]) }
            return t
        }
        for j in 0...Ja { columns.append(chebyshev.map { $0[j] }) }
        for j in 0...J { columns.append(zip(ys, chebyshev).map { pow($0 / y0, a) * $1[j] }) }
        guard let x = LeastSquares.solve(columns: columns, rhs: values, weights: [Double](repeating: 1, count: m))
        else { return nil }
        // B(y) (y/y0)^a = sum_j beta_j T_j(2y/y0 - 1) (y/y0)^a: to monomials in z = y/y0, then in y.
        let beta = Array(x[(Ja + 1)...])
        let inZ = chebyshevToMonomialsShifted(beta)  // sum_i g_i z^i
        return inZ.enumerated().map { i, g in
            SingularExpansion.Term(exponent: a + Double(i), coefficient: g / pow(y0, a + Double(i)))
        }
    }

    /// The singular terms b_j (1 - t)^{a + j}, j = 0...J, at t = +1 from the kernel's exact singular
    /// part S(y) = y^a B(y) (``DotProductKernel/upperSingularPart(oneMinusT:)``, the odd part of
    /// its continuation in the signed angle): B is fitted as a plain polynomial, least squares in
    /// the basis (y/y0)^a T_j(2y/y0 - 1) at M Chebyshev points of (0, y0]. Nothing analytic has to
    /// be separated, so the problem is well conditioned (Proofs/endpoint-expansion.md): on the
    /// 3-layer ELU NNGP b_0 agrees with the mpmath reference to the reference's 8 digits and
    /// between (y0, J) = (1/2, 12) and (3/4, 14) to about 1e-13. Nil when the kernel has no
    /// continuation or a value is not finite.
    public static func continuedSingularTerms(
        of kernel: some DotProductKernel, exponent a: Double,
        range y0: Double = 0.5, degree J: Int = 12,
        points m: Int = 200
    ) -> [SingularExpansion.Term]? {
        continuedSingularFit(of: kernel, exponent: a, range: y0, degree: J, points: m)?.terms
    }

    /// ``continuedSingularTerms(of:exponent:range:degree:points:)`` with the coefficients'
    /// derivatives with respect to the fitted values, derivatives[j][i] = d b_j / d S(y_i): when
    /// every value is off by at most epsilon, the eigenvalues of the terms j <= J are off by at most
    /// epsilon sum_i |sum_{j <= J} G_k(d, a + j) derivatives[j][i]| (worst case, systematic errors
    /// included; the b_j's errors are strongly correlated, so this is far tighter than bounding
    /// each b_j separately).
    public static func continuedSingularFit(
        of kernel: some DotProductKernel, exponent a: Double,
        range y0: Double = 0.5, degree J: Int = 12,
        points m: Int = 200
    ) -> (terms: [SingularExpansion.Term], derivatives: [[Double]])? {
        var ys: [Double] = []
        var values: [Double] = []
        for i in 0..<m {
            let x = cos(Double.pi * (Double(i) + 0.5) / Double(m))
            let y = 0.5 * y0 * (x + 1)
            guard let v = kernel.upperSingularPart(oneMinusT: y), v.isFinite else { return nil }
            ys.append(y)
            values.append(v)
        }
        var columns: [[Double]] = []
        let chebyshev = ys.map { y -> [Double] in
            let x = 2 * y / y0 - 1
            var t = [1.0, x]
            while t.count <= J { t.append(2 * x * t[t.count - 1] - t[t.count - 2]) }
            return t
        }
        for j in 0...J { columns.append(zip(ys, chebyshev).map { pow($0 / y0, a) * $1[j] }) }
        guard
            let (beta, covariance) = LeastSquares.solveWithCovariance(
                columns: columns, rhs: values,
                weights: [Double](repeating: 1, count: m))
        else { return nil }
        let inZ = chebyshevToMonomialsShifted(beta)
        let terms = inZ.enumerated().map { i, g in
            SingularExpansion.Term(exponent: a + Double(i), coefficient: g / pow(y0, a + Double(i)))
        }
        // d beta / d S = C A^T (C = (A^T A)^{-1}); monomials = L beta, L linear (unit vectors).
        let n = J + 1
        let l = (0..<n).map { j -> [Double] in
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            return chebyshevToMonomialsShifted(e)  // column j of L
        }
        var derivatives = [[Double]](repeating: [Double](repeating: 0, count: m), count: n)
        for row in 0..<m {
            // d beta_j / d S_row = sum_c C[j][c] A[row][c]
            var dBeta = [Double](repeating: 0, count: n)
            for j in 0..<n { for c in 0..<n { dBeta[j] += covariance[j][c] * columns[c][row] } }
            for i in 0..<n {
                var d = 0.0
                for j in 0..<n { d += l[j][i] * dBeta[j] }
                derivatives[i][row] = d / pow(y0, a + Double(i))
            }
        }
        return (terms, derivatives)
    }

    /// sum_j c_j T_j(2z - 1) as sum_i g_i z^i (exact arithmetic on small integers up to rounding).
    static func chebyshevToMonomialsShifted(_ c: [Double]) -> [Double] {
        let n = c.count
        // Shifted Chebyshev polynomials T*_j(z) = T_j(2z - 1) in monomials of z:
        // T*_0 = 1, T*_1 = 2z - 1, T*_{j+1} = 2 (2z - 1) T*_j - T*_{j-1}.
        var previous = [Double](repeating: 0, count: n)
        var current = previous
        previous[0] = 1
        if n > 1 {
            current[0] = -1
            current[1] = 2
        }
        var out = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let poly = j == 0 ? previous : current
            for i in 0..<n { out[i] += c[j] * poly[i] }
            if j >= 1 && j + 1 < n {
                var next = [Double](repeating: 0, count: n)
                for i in 0..<n {
                    next[i] -= 2 * current[i] + previous[i]
                    if i + 1 < n { next[i + 1] += 4 * current[i] }
                }
                previous = current
                current = next
            }
        }
        return out
    }
}
