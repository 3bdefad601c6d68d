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
/// |rounding| <= (valueAccuracy + (8 + sqrt(k)) eps) * magnitude[k].
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
        let dm2 = 0.5 * Double(d - 2), dm3 = 0.5 * Double(d - 3)
        // Kernel values at the nodes, in parallel (two interleaved chunks). The lower half's
        // node -1 + 2u^2 is the mirror of the upper half's 1 - 2u^2, and P_k(-t) = (-1)^k P_k(t).
        let samples = SlotArray<(s: [Double], sLow: [Double], upper: [Double], lower: [Double])>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { c in
            var ss: [Double] = [], sl: [Double] = [], up: [Double] = [], low: [Double] = []
            for i in stride(from: c, to: n, by: 2) {
                // s = 1 - t = 2 u^2 of the exact Gauss node, e its double rounding.
                let e = rule.squareHigh[i], f = 2 - e
                // Weight 2 sqrt 2 c_d (1 - t)^{(d-2)/2} (1 + t)^{(d-3)/2} on the upper half; mirrored below.
                let jacobian = exp(logPrefactor + dm2 * log(e) + dm3 * log(f)) * rule.weights[i]
                ss.append(e); sl.append(rule.squareLow[i])
                up.append(jacobian * kernel.value(1 - e, oneMinusT: e, onePlusT: f))
                low.append(jacobian * kernel.value(-1 + e, oneMinusT: f, onePlusT: e))
            }
            samples.store((ss, sl, up, low), at: c)
        }
        let pad = (4 - n % 4) % 4
        let zeros = [Double](repeating: 0, count: pad)
        let s = samples[0]!.s + samples[1]!.s + zeros
        let sLow = samples[0]!.sLow + samples[1]!.sLow + zeros
        let upper = samples[0]!.upper + samples[1]!.upper + zeros
        let lower = samples[0]!.lower + samples[1]!.lower + zeros
        // The recurrence, split over nodes between two threads; partial sums added after.
        let count = n + pad
        let half = (count / 4 + 1) / 2 * 4
        let parts = SlotArray<([Double], [Double])>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { c in
            let lo = c == 0 ? 0 : half, hi = c == 0 ? half : count
            parts.store(FunkHeckeQuadrature.recurrence(s: Array(s[lo..<hi]), sLow: Array(sLow[lo..<hi]), upper: Array(upper[lo..<hi]),
                                                       lower: Array(lower[lo..<hi]), dimension: d, kmax: kmax), at: c)
        }
        let (s0, a0) = parts[0]!, (s1, a1) = parts[1]!
        mu = zip(s0, s1).map { $0 + $1 }
        magnitude = zip(a0, a1).map { $0 + $1 }
    }

    /// log c_d = log Gamma(d/2) - log Gamma((d-1)/2) - log(pi)/2 (GSL log-gamma).
    static func logPrefactor(dimension d: Int) throws -> Double {
        do {
            return try GSL.logGamma(0.5 * Double(d)).log.value - GSL.logGamma(0.5 * Double(d - 1)).log.value - 0.5 * log(Double.pi)
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
    static func recurrence(s: [Double], sLow: [Double], upper: [Double], lower: [Double], dimension d: Int, kmax: Int) -> ([Double], [Double]) {
        var sums = [Double](repeating: 0, count: kmax + 1)
        var absSums = [Double](repeating: 0, count: kmax + 1)
        let chunks = s.count / 4
        if chunks == 0 { return (sums, absSums) }
        func v(_ a: [Double], _ j: Int) -> SIMD4<Double> { SIMD4(a[4 * j], a[4 * j + 1], a[4 * j + 2], a[4 * j + 3]) }
        var sv = (0..<chunks).map { v(s, $0) }
        var slv = (0..<chunks).map { v(sLow, $0) }
        var uv = (0..<chunks).map { v(upper, $0) }
        var lv = (0..<chunks).map { v(lower, $0) }
        var hv = (0..<chunks).map { pointwiseMax(uv[$0], -uv[$0]) + pointwiseMax(lv[$0], -lv[$0]) }
        var p = [SIMD4<Double>](repeating: SIMD4(repeating: 1), count: chunks)
        var diff = [SIMD4<Double>](repeating: .zero, count: chunks)
        // dP_k/ds and dD_k/ds, for the first-order node correction P_k(1 - s - sLow) = P_k - sLow dP_k/ds.
        var pd = [SIMD4<Double>](repeating: .zero, count: chunks)
        var dd = [SIMD4<Double>](repeating: .zero, count: chunks)
        var su = SIMD4<Double>.zero, sl = SIMD4<Double>.zero, m = SIMD4<Double>.zero
        for j in 0..<chunks { su += uv[j]; sl += lv[j]; m += hv[j] }
        sums[0] = su.sum() + sl.sum(); absSums[0] = m.sum()
        if kmax == 0 { return (sums, absSums) }
        su = .zero; sl = .zero; m = .zero
        for j in 0..<chunks {
            diff[j] = -sv[j]; p[j] = 1 - sv[j]; dd[j] = SIMD4(repeating: -1); pd[j] = SIMD4(repeating: -1)
            let corrected = p[j] - slv[j]
            su += uv[j] * corrected; sl += lv[j] * corrected; m += hv[j] * pointwiseMax(p[j], -p[j])
        }
        sums[1] = su.sum() - sl.sum(); absSums[1] = m.sum()
        sv.withUnsafeMutableBufferPointer { sb in
         slv.withUnsafeMutableBufferPointer { slb in
          pd.withUnsafeMutableBufferPointer { pdb in
           dd.withUnsafeMutableBufferPointer { ddb in
          uv.withUnsafeMutableBufferPointer { ub in
            lv.withUnsafeMutableBufferPointer { lb in
              hv.withUnsafeMutableBufferPointer { hb in
                p.withUnsafeMutableBufferPointer { pb in
                  diff.withUnsafeMutableBufferPointer { db in
                    let sp = sb.baseAddress!, up = ub.baseAddress!, lp = lb.baseAddress!, hp = hb.baseAddress!
                    let pp = pb.baseAddress!, dp = db.baseAddress!
                    let slp = slb.baseAddress!, pdp = pdb.baseAddress!, ddp = ddb.baseAddress!
                    for k in stride(from: 1, to: kmax, by: 1) {
                        let den = 1 / Double(k + d - 2)
                        let a = SIMD4<Double>(repeating: Double(2 * k + d - 2) * den)
                        let b = SIMD4<Double>(repeating: Double(k) * den)
                        var su = SIMD4<Double>.zero, sl = SIMD4<Double>.zero, m = SIMD4<Double>.zero
                        var cu = SIMD4<Double>.zero, cl = SIMD4<Double>.zero
                        for j in 0..<chunks {
                            let pk = pp[j], sj = sp[j]
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
                            let x = up[j] * value, y = lp[j] * value
                            let tu = su + x, zu = tu - su
                            cu += (su - (tu - zu)) + (x - zu); su = tu
                            let tl = sl + y, zl = tl - sl
                            cl += (sl - (tl - zl)) + (y - zl); sl = tl
                            m += hp[j] * pointwiseMax(next, -next)
                        }
                        let upperSum = FunkHeckeQuadrature.exactSum(su, cu), lowerSum = FunkHeckeQuadrature.exactSum(sl, cl)
                        sums[k + 1] = (k + 1) % 2 == 0 ? upperSum + lowerSum : upperSum - lowerSum
                        absSums[k + 1] = m.sum()
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
        return (sums, absSums)
    }

    /// The sum of the lanes of s + c, compensated.
    @inline(__always) static func exactSum(_ s: SIMD4<Double>, _ c: SIMD4<Double>) -> Double {
        var total = 0.0, comp = 0.0
        for x in [s[0], s[1], s[2], s[3], c[0], c[1], c[2], c[3]] {
            let t = total + x, z = t - total
            comp += (total - (t - z)) + (x - z)
            total = t
        }
        return total + comp
    }
}
