import _ParallelFill
import Dispatch
import Foundation
import _NumericalBackends

/// Mercer eigenvalues mu_0...mu_K of a dot-product kernel on S^{d-1} by the Funk-Hecke
/// formula, with the substitutions t = 1 - 2u^2 on [0, 1] and t = -1 + 2u^2 on [-1, 0]:
///
///     mu_k = c_d int_{-1}^{1} kappa(t) P_k(t) (1 - t^2)^{(d-3)/2} dt,  c_d = Gamma(d/2)/(sqrt(pi) Gamma((d-1)/2))
///          = c_d sum_{halves} int_0^{1/sqrt 2} kappa(t(u)) P_k(t(u)) 2 sqrt(2) (1 -+ t)^{(d-2)/2} (1 +- t)^{(d-3)/2} du
///
/// For kernels kappa = A(t) + sqrt(1 - t) B(t) near t = 1 (and the mirror form near -1),
/// A, B analytic, the integrand is analytic in u, so n-point Gauss-Legendre in u
/// (``GaussLegendreRule``: GSL nodes, polished) converges geometrically once n exceeds K by a margin
/// (P_k(1 - 2u^2) is a polynomial of degree 2k in u). See Proofs/spectral-quadrature.md.
///
/// P_k at the n nodes 1 - 2u^2 by the normalised three-term recurrence (P_k(1) = 1)
///
///     P_{k+1}(t) = ((2k + d - 2) t P_k(t) - k P_{k-1}(t)) / (k + d - 2),   P_0 = 1, P_1 = t,
///
/// (stable upward for |t| <= 1: both solutions stay bounded), in Reinsch's difference form
/// (see `recurrence`); the mirrored nodes -1 + 2u^2 reuse it through P_k(-t) = (-1)^k P_k(t).
/// Sums are compensated. O(n K) work, O(n + K) memory, two threads.
///
/// `magnitude[k]` = sum_i |w_i g_i P_k(t_i)| bounds the rounding error of mu_k:
/// |rounding| <= (valueAccuracy + (8 + sqrt(k)) eps) * magnitude[k] + weightRounding[k].
public struct FunkHeckeQuadrature: Sendable {
    public let dimension: Int
    public let nodesPerHalf: Int
    public let mu: [Double]
    public let magnitude: [Double]

    public init(kernel: some DotProductKernel, dimension d: Int, kmax: Int, nodesPerHalf n: Int) throws {
        precondition(d >= 2 && kmax >= 0 && n >= 1)
        self.dimension = d
        self.nodesPerHalf = n
        let rule = try GaussLegendreRule.halfInterval(count: n)
        let logPrefactor = try FunkHeckeQuadrature.logPrefactor(dimension: d) + 1.5 * log(2.0)
        let dm2 = 0.5 * Double(d - 2)
        let dm3 = 0.5 * Double(d - 3)
        // Kernel values at the nodes, in parallel (two interleaved chunks). The lower half's
        // node -1 + 2u^2 is the mirror of the upper half's 1 - 2u^2, and P_k(-t) = (-1)^k P_k(t).
        let samples = SlotArray<(s: [Double], sLow: [Double], upper: [Double], lower: [Double], weightError: [Double])>(
            count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { c in
            var ss: [Double] = []
            var sl: [Double] = []
            var up: [Double] = []
            var low: [Double] = []
            var we: [Double] = []
            for i in stride(from: c, to: n, by: 2) {
                // s = 1 - t = 2 u^2 of the exact Gauss node, e its double rounding.
                let e = rule.squareHigh[i]
                let f = 2 - e
                // Weight 2 sqrt 2 c_d (1 - t)^{(d-2)/2} (1 + t)^{(d-3)/2} on the upper half; mirrored below.
                // The powers amplify relative errors of their bases d/2-fold, so the logarithms
                // are taken at the exact node: log(e + sLow) = log e + sLow/e and, with
                // r = (2 - f) - e the rounding of f (Fast2Sum), log(2 - e - sLow) = log f + (r - sLow)/f.
                // (Without this the weights were off by ~d eps/2 relative: 2e-13 at d = 4096.)
                let sLow = rule.squareLow[i]
                let r = -e - (f - 2)
                let logE = log(e) + sLow / e
                let logF = log(f) + (r - sLow) / f
                let jacobian = exp(logPrefactor + dm2 * logE + dm3 * logF) * rule.weights[i]
                // Rounding of the exponent amplified by exp: 1.5 ulp per unit of |(d-2)/2 log(1 - t)|
                // and |(d-3)/2 log(1 + t)| (log within 1 ulp, the product within half of one). The first
                // 8 units are the 8 eps already in the base bound (validated by the fixtures at d <= 10);
                // only the amplification beyond them is added, which matters at large d.
                we.append(1.5 * max(0, Swift.abs(dm2 * logE) + Swift.abs(dm3 * logF) - 8) * Double.ulpOfOne)
                ss.append(e)
                sl.append(rule.squareLow[i])
                up.append(jacobian * kernel.value(1 - e, oneMinusT: e, onePlusT: f))
                low.append(jacobian * kernel.value(-1 + e, oneMinusT: f, onePlusT: e))
            }
            samples.store((ss, sl, up, low, we), at: c)
        }
        let pad = (4 - n % 4) % 4
        let zeros = [Double](repeating: 0, count: pad)
        let s = samples[0]!.s + samples[1]!.s + zeros
        let sLow = samples[0]!.sLow + samples[1]!.sLow + zeros
        let upper = samples[0]!.upper + samples[1]!.upper + zeros
        let lower = samples[0]!.lower + samples[1]!.lower + zeros
        let weightError = samples[0]!.weightError + samples[1]!.weightError + zeros
        // The recurrence, split over nodes between two threads; partial sums added after.
        let count = n + pad
        let half = (count / 4 + 1) / 2 * 4
        let parts = SlotArray<([Double], [Double], [Double])>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { c in
            let lo = c == 0 ? 0 : half
            let hi = c == 0 ? half : count
            parts.store(
                FunkHeckeQuadrature.recurrence(
                    s: Array(s[lo..<hi]), sLow: Array(sLow[lo..<hi]), upper: Array(upper[lo..<hi]),
                    lower: Array(lower[lo..<hi]), weightError: Array(weightError[lo..<hi]),
                    dimension: d, kmax: kmax), at: c)
        }
        let (s0, a0, w0) = parts[0]!
        let (s1, a1, w1) = parts[1]!
        mu = zip(s0, s1).map { $0 + $1 }
        magnitude = zip(a0, a1).map { $0 + $1 }
        weightRounding = zip(w0, w1).map { $0 + $1 }
    }

    /// `weightRounding[k]` = sum_i delta_i |w_i g_i P_k(t_i)| bounds the error of mu_k from
    /// the rounding of the weights c_d (1 -+ t)^{(d-2)/2} (1 +- t)^{(d-3)/2} w beyond what the
    /// base bound's 8 eps covers: delta_i = 1.5 max(0, |(d-2)/2 log(1 - t_i)| + |(d-3)/2 log(1 + t_i)| - 8) eps.
    /// The powers amplify the logarithms' rounding d/2-fold, so this is about 1e-14 relative at
    /// d = 4096 where the weight lives, and zero near the weight's bulk at small d.
    public let weightRounding: [Double]

    /// log c_d = log Gamma(d/2) - log Gamma((d-1)/2) - log(pi)/2.
    ///
    /// The difference of two log-gammas of size ~ (d/2) log(d/2) loses that many ulps (3e-12 at
    /// d = 4096), so for x = (d-1)/2 >= 11 the ratio Gamma(x + 1/2)/Gamma(x) is carried up from
    /// x0 = x - floor(x - 10) in [10, 11): log Gamma(x + 1/2) - log Gamma(x) =
    /// log Gamma(x0 + 1/2) - log Gamma(x0) + sum_{j < x - x0} log1p(1/(2 (x0 + j))), every term
    /// positive and relatively accurate, summed compensated: absolute error about 1e-15.
    static func logPrefactor(dimension d: Int) throws -> Double {
        do {
            let x = 0.5 * Double(d - 1)
            if x < 11 {
                return try GSL.logGamma(0.5 * Double(d)).log.value - GSL.logGamma(x).log.value - 0.5 * log(Double.pi)
            }
            let steps = (x - 10).rounded(.down)
            let x0 = x - steps
            var sum = try GSL.logGamma(x0 + 0.5).log.value - GSL.logGamma(x0).log.value - 0.5 * log(Double.pi)
            var compensation = 0.0
            for j in 0..<Int(steps) {
                let term = log1p(0.5 / (x0 + Double(j)))
                let t = sum + term
                let z = t - sum
                compensation += (sum - (t - z)) + (term - z)
                sum = t
            }
            return sum + compensation
        } catch { throw SpectralError.backend("\(error)") }
    }

    /// mu_k = sum_i (upper_i + (-1)^k lower_i) P_k(1 - s_i) and the magnitudes
    /// sum_i (|upper_i| + |lower_i|) |P_k(1 - s_i)|, k = 0...kmax (count a multiple of 4).
    ///
    /// The recurrence runs in Reinsch's difference form, with s = 1 - t exact (= 2u^2):
    /// since a_k - b_k = 1 for a_k = (2k + d - 2)/(k + d - 2), b_k = k/(k + d - 2),
    ///
    ///     D_{k+1} = b_k D_k - a_k s P_k,   P_{k+1} = P_k + D_{k+1},   D_1 = -s,
    ///
    /// which never forms t = 1 - s: near t = 1 the plain form would see t rounded by eps/2,
    /// amplified by P_k'(1) ~ k^2 (measured: relative errors 1e-11 at k = 30 for d = 2).
    static func recurrence(
        s: [Double], sLow: [Double], upper: [Double], lower: [Double], weightError: [Double],
        dimension d: Int, kmax: Int
    ) -> ([Double], [Double], [Double]) {
        var sums = [Double](repeating: 0, count: kmax + 1)
        var absSums = [Double](repeating: 0, count: kmax + 1)
        var weightSums = [Double](repeating: 0, count: kmax + 1)
        let chunks = s.count / 4
        if chunks == 0 { return (sums, absSums, weightSums) }
        func v(_ a: [Double], _ j: Int) -> SIMD4<Double> { SIMD4(a[4 * j], a[4 * j + 1], a[4 * j + 2], a[4 * j + 3]) }
        var sv = (0..<chunks).map { v(s, $0) }
        var slv = (0..<chunks).map { v(sLow, $0) }
        var uv = (0..<chunks).map { v(upper, $0) }
        var lv = (0..<chunks).map { v(lower, $0) }
        var hv = (0..<chunks).map { pointwiseMax(uv[$0], -uv[$0]) + pointwiseMax(lv[$0], -lv[$0]) }
        var wv = (0..<chunks).map { hv[$0] * v(weightError, $0) }
        var p = [SIMD4<Double>](repeating: SIMD4(repeating: 1), count: chunks)
        var diff = [SIMD4<Double>](repeating: .zero, count: chunks)
        // dP_k/ds and dD_k/ds, for the first-order node correction P_k(1 - s - sLow) = P_k - sLow dP_k/ds.
        var pd = [SIMD4<Double>](repeating: .zero, count: chunks)
        var dd = [SIMD4<Double>](repeating: .zero, count: chunks)
        var su = SIMD4<Double>.zero
        var sl = SIMD4<Double>.zero
        var m = SIMD4<Double>.zero
        var mw = SIMD4<Double>.zero
        for j in 0..<chunks {
            su += uv[j]
            sl += lv[j]
            m += hv[j]
            mw += wv[j]
        }
        sums[0] = su.sum() + sl.sum()
        absSums[0] = m.sum()
        weightSums[0] = mw.sum()
        if kmax == 0 { return (sums, absSums, weightSums) }
        su = .zero
        sl = .zero
        m = .zero
        mw = .zero
        for j in 0..<chunks {
            diff[j] = -sv[j]
            p[j] = 1 - sv[j]
            dd[j] = SIMD4(repeating: -1)
            pd[j] = SIMD4(repeating: -1)
            let corrected = p[j] - slv[j]
            let magnitude = pointwiseMax(p[j], -p[j])
            su += uv[j] * corrected
            sl += lv[j] * corrected
            m += hv[j] * magnitude
            mw += wv[j] * magnitude
        }
        sums[1] = su.sum() - sl.sum()
        absSums[1] = m.sum()
        weightSums[1] = mw.sum()
        sv.withUnsafeMutableBufferPointer { sb in
            slv.withUnsafeMutableBufferPointer { slb in
                pd.withUnsafeMutableBufferPointer { pdb in
                    dd.withUnsafeMutableBufferPointer { ddb in
                        uv.withUnsafeMutableBufferPointer { ub in
                            lv.withUnsafeMutableBufferPointer { lb in
                                hv.withUnsafeMutableBufferPointer { hb in
                                    wv.withUnsafeMutableBufferPointer { wb in
                                        p.withUnsafeMutableBufferPointer { pb in
                                            diff.withUnsafeMutableBufferPointer { db in
                                                let sp = sb.baseAddress!
                                                let up = ub.baseAddress!
                                                let lp = lb.baseAddress!
                                                let hp = hb.baseAddress!
                                                let pp = pb.baseAddress!
                                                let dp = db.baseAddress!
                                                let wp = wb.baseAddress!
                                                let slp = slb.baseAddress!
                                                let pdp = pdb.baseAddress!
                                                let ddp = ddb.baseAddress!
                                                for k in stride(from: 1, to: kmax, by: 1) {
                                                    let den = 1 / Double(k + d - 2)
                                                    let a = SIMD4<Double>(repeating: Double(2 * k + d - 2) * den)
                                                    let b = SIMD4<Double>(repeating: Double(k) * den)
                                                    var su = SIMD4<Double>.zero
                                                    var sl = SIMD4<Double>.zero
                                                    var m = SIMD4<Double>.zero
                                                    var mw = SIMD4<Double>.zero
                                                    var cu = SIMD4<Double>.zero
                                                    var cl = SIMD4<Double>.zero
                                                    for j in 0..<chunks {
                                                        let pk = pp[j]
                                                        let sj = sp[j]
                                                        let dk = b * dp[j] - a * sj * pk
                                                        let next = pk + dk
                                                        dp[j] = dk
                                                        pp[j] = next
                                                        // Derivatives in s of the two lines above.
                                                        let dkd = b * ddp[j] - a * (pk + sj * pdp[j])
                                                        let nextd = pdp[j] + dkd
                                                        ddp[j] = dkd
                                                        pdp[j] = nextd
                                                        // P_k at the exact node: s + sLow, to first order (sLow ~ 1e-17 s).
                                                        let value = next + slp[j] * nextd
                                                        // Compensated (TwoSum) accumulation: the partial sums are O(mu_0)
                                                        // while mu_k may be 1e-6 mu_0; plain summation would lose ~sqrt(n) ulps of mu_0.
                                                        let x = up[j] * value
                                                        let y = lp[j] * value
                                                        let tu = su + x
                                                        let zu = tu - su
                                                        cu += (su - (tu - zu)) + (x - zu)
                                                        su = tu
                                                        let tl = sl + y
                                                        let zl = tl - sl
                                                        cl += (sl - (tl - zl)) + (y - zl)
                                                        sl = tl
                                                        let magnitude = pointwiseMax(next, -next)
                                                        m += hp[j] * magnitude
                                                        mw += wp[j] * magnitude
                                                    }
                                                    let upperSum = FunkHeckeQuadrature.exactSum(su, cu)
                                                    let lowerSum = FunkHeckeQuadrature.exactSum(sl, cl)
                                                    sums[k + 1] =
                                                        (k + 1) % 2 == 0 ? upperSum + lowerSum : upperSum - lowerSum
                                                    absSums[k + 1] = m.sum()
                                                    weightSums[k + 1] = mw.sum()
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (sums, absSums, weightSums)
    }

    /// The sum of the lanes of s + c, compensated.
    @inline(__always) static func exactSum(_ s: SIMD4<Double>, _ c: SIMD4<Double>) -> Double {
        var total = 0.0
        var comp = 0.0
        for x in [s[0], s[1], s[2], s[3], c[0], c[1], c[2], c[3]] {
            let t = total + x
            let z = t - total
            comp += (total - (t - z)) + (x - z)
            total = t
        }
        return total + comp
    }
}
