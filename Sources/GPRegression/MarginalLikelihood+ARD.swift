import Foundation
import _NumericalBackends

extension MarginalLikelihood {
    /// log p(y) and its gradient for a first layer with one weight variance per input,
    ///
    ///     Sigma^1(x, x') = sigma_b^2 + sum_a sigma_{w,a}^2 x_a x'_a / d,
    ///
    /// in O(d n^2) from the first-layer partials A, B, C (``NetworkCovariance/FirstLayerPartials``)
    /// instead of d derivative matrices (Proofs/gp-regression-marginal-likelihood.md, section 5):
    /// with W = (alpha alpha^T - A^{-1})/2 and P_ij = dK_ij / dSigma^1_ii,
    ///
    ///     d log p / d log sigma_{w,a}^2 = sigma_{w,a}^2 / d [ diag(X^T (W o A) X)_a + 2 sum_i x_ia^2 (W o P 1)_i ].
    ///
    /// The partials are taken at the scaled inputs `scaled` (x~_a = x_a sigma_{w,a} / sigma_w,
    /// row-major n x d) with first-layer variance `firstW2` = sigma_w^2, so sigma_{w,a}^2 x_ia x_ja =
    /// sigma_w^2 x~_ia x~_ja. Gradient: (d log p / d log sigma_{w,a}^2 for a = 1...d,
    /// d / d log sigma_w^2 of the layers after the first, d / d log sigma_b^2, d / d log s2).
    public static func evaluate(
        firstLayer p: NetworkCovariance.FirstLayerPartials, scaled x: [Double], inputs d: Int,
        firstW2: Double, noise: Double, y: [Double]
    ) throws -> Evaluation {
        let n = y.count
        precondition(p.n == n && x.count == n * d)
        let (factor, alpha, value) = try factorise(k: p.k, noise: noise, y: y)
        let inverse = try LAPACK.choleskyInverse(factor: factor, n: n)
        // W o A (full, for one dgemm), the row sums u_i = sum_j W_ij P_ij, and the deep traces.
        var weightedPair = [Double](repeating: 0, count: n * n)
        var own = [Double](repeating: 0, count: n)
        var gDeep = 0.0
        var gBias = 0.0
        var trace = 0.0
        var aa = 0.0
        for i in 0..<n {
            let ai = alpha[i]
            for j in i..<n {
                let w = 0.5 * (ai * alpha[j] - inverse[i * n + j])
                let ij = i * n + j
                let pair = w * p.pair[ij]
                weightedPair[ij] = pair
                weightedPair[j * n + i] = pair
                if i == j {
                    own[i] += w * p.first[ij]
                    gDeep += w * p.dLogW2Deep[ij]
                    gBias += w * p.dLogB2[ij]
                } else {
                    // W_ij P_ij = W_ij B_ij in row i, W_ji P_ji = W_ij C_ij in row j.
                    own[i] += w * p.first[ij]
                    own[j] += w * p.second[ij]
                    gDeep += 2 * w * p.dLogW2Deep[ij]
                    gBias += 2 * w * p.dLogB2[ij]
                }
            }
            trace += inverse[i * n + i]
            aa += ai * ai
        }
        var product = [Double](repeating: 0, count: n * d)
        BLAS.gemm(.none, .none, m: n, n: d, k: n, weightedPair, x, &product)
        var gradient = [Double](repeating: 0, count: d)
        for a in 0..<d {
            var s = 0.0
            for i in 0..<n {
                let xi = x[i * d + a]
                s += xi * product[i * d + a] + 2 * xi * xi * own[i]
            }
            gradient[a] = firstW2 / Double(d) * s
        }
        return Evaluation(value: value, gradient: gradient + [gDeep, gBias, 0.5 * noise * (aa - trace)])
    }
}
