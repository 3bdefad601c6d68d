import Foundation

/// The self-consistent equation for the effective regularisation kappa of kernel ridge
/// regression with n samples and ridge lambda (the predictor f = k(x, X)(K + lambda I)^{-1} y,
/// K the n x n Gram matrix; Simon et al. 2021, eq. for kappa; Bordelon, Canatar & Pehlevan 2020;
/// Jacot et al. 2020 with their per-sample ridge lambda/n):
///
///     F(kappa) = sum_k N(d, k) mu_k / (mu_k + kappa) + rho / kappa - n = 0,   rho = lambda (+ T_U for the bound),
///
/// Proofs/learning-curves.md. F is strictly decreasing on (0, inf) (each term is), so the root
/// is unique when it exists: always for rho > 0, and for rho = 0 iff the number R of modes
/// with mu_k > 0 exceeds n (otherwise kappa = 0: the interpolant of a finite-rank kernel).
///
/// Solved in u = log kappa: bracket [u_lo, u_hi] with F(u_lo) > 0 >= F(u_hi)
/// (u_hi = log((trace + rho)/n), since F(kappa) <= (trace + rho)/kappa - n; u_lo = log(rho/n)
/// when rho > 0, since F >= rho/kappa - n; else stepped down from u_hi), then Newton steps in u,
/// replaced by bisection whenever they leave the bracket, which shrinks at every step. Stops
/// when |F| <= 4e-15 (n + sum of the terms) or the bracket is below 4 ulps of u.
public struct EffectiveRegularisation: Sendable {
    /// The root (0 when there is none: rho = 0 and R <= n).
    public let kappa: Double
    public let iterations: Int
    /// |F(kappa)| / n at the returned kappa.
    public let residual: Double
    public let converged: Bool

    /// The positive modes (mu_k > 0, N_k) and the modelled tail the equation sums.
    struct Modes {
        let mu: [Double]
        let multiplicity: [Double]
        let tail: TailMoments?
        let rank: Double
        let trace: Double

        /// (F + n - rho/kappa, its kappa-derivative, the sum of the magnitudes) at kappa.
        func learned(_ kappa: Double) -> (value: Double, derivative: Double) {
            var s = 0.0
            var ds = 0.0
            mu.withUnsafeBufferPointer { m in
                multiplicity.withUnsafeBufferPointer { n in
                    for i in 0..<m.count {
                        let inv = 1 / (m[i] + kappa)
                        let term = n[i] * m[i] * inv
                        s += term
                        ds -= term * inv
                    }
                }
            }
            if let tail {
                s += tail.learnedModes(kappa)
                ds += tail.learnedModesDerivative(kappa)
            }
            return (s, ds)
        }
    }

    static func solve(_ modes: Modes, n: Double, rho: Double) -> EffectiveRegularisation {
        if rho == 0 && modes.rank <= n {
            return EffectiveRegularisation(kappa: 0, iterations: 0, residual: 0, converged: true)
        }
        func f(_ u: Double) -> (value: Double, slope: Double) {
            let kappa = exp(u)
            let (s, ds) = modes.learned(kappa)
            return (s + rho / kappa - n, kappa * ds - rho / kappa)
        }
        var hi = log((modes.trace + rho) / n)
        var fhi = f(hi).value
        var guardSteps = 0
        while fhi > 0 && guardSteps < 200 {
            hi += 2
            fhi = f(hi).value
            guardSteps += 1
        }
        var lo: Double
        if rho > 0 {
            lo = log(rho / n)
            if lo >= hi { lo = hi - 1 }
        } else {
            lo = hi - 5
        }
        var flo = f(lo).value
        var iterations = 0
        while flo <= 0 && lo > log(Double.leastNormalMagnitude) + 10 {
            hi = lo
            fhi = flo
            lo -= 5
            flo = f(lo).value
            iterations += 1
        }
        guard flo > 0 else {
            // Below the smallest normal kappa the equation is not representable.
            return EffectiveRegularisation(
                kappa: exp(lo), iterations: iterations, residual: Swift.abs(flo) / n, converged: false)
        }
        var u = 0.5 * (lo + hi)
        var value = f(u)
        var converged = false
        while iterations < 300 {
            iterations += 1
            if value.value > 0 { lo = u } else { hi = u }
            let scale = n + Swift.abs(value.value) + rho / exp(u)
            if Swift.abs(value.value) <= 4e-15 * scale || hi - lo <= 4 * Double.ulpOfOne * max(1, Swift.abs(u)) {
                converged = true
                break
            }
            var next = u - value.value / value.slope
            if !(next > lo && next < hi) || !next.isFinite { next = 0.5 * (lo + hi) }
            u = next
            value = f(u)
        }
        return EffectiveRegularisation(
            kappa: exp(u), iterations: iterations, residual: Swift.abs(value.value) / n, converged: converged)
    }
}
