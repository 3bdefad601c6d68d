import Foundation

/// The predicted learning curve of kernel ridge regression on S^{d-1} (Proofs/learning-curves.md):
/// n i.i.d. uniform inputs, labels y = f(x) + noise of variance sigma^2, predictor
/// f_hat = k(x, X)(K + lambda I)^{-1} y. With kappa the root of ``EffectiveRegularisation``,
/// L_k = mu_k/(mu_k + kappa) and gamma = (1/n) sum_k N(d, k) L_k^2,
///
///     E_g(n) = E ||f_hat - f||^2 = [ sum_k (1 - L_k)^2 p_k + sigma^2 gamma ] / (1 - gamma)
///
/// (Canatar, Bordelon & Pehlevan 2021, eqs. for E_g; Simon et al. 2021: test MSE with noisy
/// labels = E_g + sigma^2). The sum is over degrees, each with its p_k (``TargetSpectrum``).
///
/// Unresolved eigenvalues are not used as if exact (``KernelModes``): the central value uses
/// their lower ends lo_k, and [lower, upper] holds for every spectrum with mu_k in
/// [lo_k, hi_k], sum_U N (mu_k - lo_k) <= T_U and the tail's trace within its bound.
/// Raising eigenvalues raises F (L = mu/(mu + kappa) increases with mu), so the true kappa lies
/// in [kappa_0, kappa_1]: kappa_0 the root with every mu_k at lo_k, kappa_1 the smaller of the
/// roots with (a) the unresolved mu_k at hi_k and the tail's trace bound T_tail added to the
/// ridge, (b) T_U added to the ridge (L(lo + delta) - L(lo) <= delta/kappa). At the true root the
/// raised modes add D = n - lambda/kappa_1 - F_lo(kappa_1) at most to sum N L (both terms are
/// monotone in kappa), hence at most 2D to sum N L^2, and take at most 2 m_U D off the bias
/// (m_U the largest target power per harmonic in U). With B(kappa) increasing and
/// gamma(kappa) decreasing in kappa, and E increasing in both,
///
///     upper = [B(kappa_1) + P_t + sigma^2 G] / (1 - G),      G = gamma(kappa_0) + 2D/n,
///     lower = [B_low(kappa_0) - 2 m_U D + sigma^2 gamma(kappa_1)] / (1 - gamma(kappa_1)),
///
/// P_t the target's unresolved power, B_low counting power past kmax as learned up to
/// L <= mu_max/kappa. A point is resolved when max(upper - E, E - lower) <= tolerance E, the
/// solver converged, and the tail past kmax is far below kappa (mu_max/kappa <= 1e-3).
public struct LearningCurvePredictor: Sendable {
    public let modes: KernelModes
    public let target: TargetSpectrum
    /// Relative width of the bounds under which a point counts as resolved.
    public let tolerance: Double

    private let positive: EffectiveRegularisation.Modes
    /// The same with the unresolved eigenvalues at their upper ends (nil when the tail has no bound).
    private let raisedModes: EffectiveRegularisation.Modes?
    /// (mu_k, p_k) over degrees with mu_k > 0 (as used) and p_k > 0.
    private let biasTerms: (mu: [Double], power: [Double])
    /// Target power at resolved zero eigenvalues (never learned, whatever n).
    public let unlearnablePower: Double
    /// Target power at unresolved degrees whose lower end lo_k is 0 (and past kmax where
    /// unmodelled), even and odd: unlearned in the central value.
    public let unresolvedZeroPower: (even: Double, odd: Double)
    private let unresolvedHarmonicPower: Double
    /// Target power past kmax in modelled parities.
    private let modelledBeyondPower: Double

    public init(modes: KernelModes, target: TargetSpectrum, tolerance: Double = 1e-3) throws {
        guard target.dimension == modes.dimension else {
            throw LearningCurveError.invalidParameter(
                name: "target dimension", value: "\(target.dimension)",
                allowed: "the kernel's dimension \(modes.dimension)")
        }
        self.modes = modes
        self.tolerance = tolerance
        let t = target.covering(kmax: modes.kmax)
        self.target = t
        var mu: [Double] = []
        var mult: [Double] = []
        var bMu: [Double] = []
        var bPower: [Double] = []
        var zero = 0.0
        var unresolvedZero = [0.0, 0.0]
        var harmonic = 0.0
        for k in 0...modes.kmax {
            let p = t.power[k]
            if modes.unresolved[k] && p > 0 { harmonic = max(harmonic, p / modes.multiplicity[k]) }
            if modes.mu[k] > 0 {
                mu.append(modes.mu[k])
                mult.append(modes.multiplicity[k])
                if p > 0 {
                    bMu.append(modes.mu[k])
                    bPower.append(p)
                }
            } else if modes.unresolved[k] {
                unresolvedZero[k % 2] += p
            } else {
                zero += p
            }
        }
        // Past kmax: a modelled parity's power is counted as unlearned (its L_k <= mu_max/kappa,
        // bounded below); an unmodelled parity's belongs to U; a zero tail never learns.
        var beyond = 0.0
        let finiteRankTail =
            modes.tail.map { $0.s1 == 0 && $0.unmodelledTrace == 0 && $0.modelledEven && $0.modelledOdd } ?? false
        for (r, power, inU) in [
            (0, t.powerBeyondEven, modes.unresolvedBeyondEven), (1, t.powerBeyondOdd, modes.unresolvedBeyondOdd),
        ] where power > 0 {
            if finiteRankTail {
                zero += power
            } else if inU {
                unresolvedZero[r] += power
                harmonic = max(harmonic, t.harmonicPowerBeyond)
            } else {
                beyond += power
            }
        }
        positive = EffectiveRegularisation.Modes(
            mu: mu, multiplicity: mult, tail: modes.tail, rank: modes.rank,
            trace: modes.usedTrace)
        if modes.tailTraceBound.isFinite && modes.unresolvedTrace > 0 {
            var hiMu: [Double] = []
            var hiMult: [Double] = []
            var rank = 0.0
            var trace = 0.0
            for k in 0...modes.kmax where modes.upperMu[k] > 0 {
                hiMu.append(modes.upperMu[k])
                hiMult.append(modes.multiplicity[k])
                rank += modes.multiplicity[k]
                trace += modes.multiplicity[k] * modes.upperMu[k]
            }
            raisedModes = EffectiveRegularisation.Modes(
                mu: hiMu, multiplicity: hiMult, tail: modes.tail,
                rank: modes.tail.map { $0.s1 > 0 } ?? false ? .infinity : rank,
                trace: trace + (modes.tail?.s1 ?? 0))
        } else {
            raisedModes = nil
        }
        biasTerms = (bMu, bPower)
        unlearnablePower = zero
        unresolvedZeroPower = (unresolvedZero[0], unresolvedZero[1])
        unresolvedHarmonicPower = harmonic
        modelledBeyondPower = beyond
    }

    /// sum N L^2 over the used modes and the modelled tail at kappa (kappa = 0: the rank).
    private func squaredLearnabilities(_ kappa: Double) -> Double {
        if kappa == 0 { return modes.rank }
        var s = 0.0
        positive.mu.withUnsafeBufferPointer { m in
            positive.multiplicity.withUnsafeBufferPointer { n in
                for i in 0..<m.count {
                    let l = m[i] / (m[i] + kappa)
                    s += n[i] * l * l
                }
            }
        }
        return s + (positive.tail?.squaredLearnabilities(kappa) ?? 0)
    }

    /// sum (1 - L_k)^2 p_k over the degrees with mu_k > 0.
    private func learnableBias(_ kappa: Double) -> Double {
        if kappa == 0 { return 0 }
        var s = 0.0
        for i in biasTerms.mu.indices {
            let r = kappa / (biasTerms.mu[i] + kappa)
            s += r * r * biasTerms.power[i]
        }
        return s
    }

    /// (B + sigma^2 gamma)/(1 - gamma), infinite for gamma >= 1 unless the numerator is 0.
    private static func error(bias: Double, gamma: Double, noise: Double) -> Double {
        let numerator = bias + noise * gamma
        guard gamma < 1 else { return numerator == 0 ? 0 : .infinity }
        return numerator / (1 - gamma)
    }

    /// The prediction at n samples, ridge lambda >= 0, noise variance sigma^2 >= 0, listing
    /// degrees 0...listedDegrees.
    public func point(n: Int, ridge lambda: Double, noise sigma2: Double, listedDegrees: Int = 10) -> LearningCurvePoint
    {
        let nn = Double(n)
        let solution = EffectiveRegularisation.solve(positive, n: nn, rho: lambda)
        let tu = modes.unresolvedTrace
        // kappa_1 and D by (b), then by (a) where it is available; the smaller of each is kept.
        var upperSolution = tu > 0 ? EffectiveRegularisation.solve(positive, n: nn, rho: lambda + tu) : solution
        var raised = tu == 0 ? 0 : (upperSolution.kappa > 0 ? tu / upperSolution.kappa : .infinity)
        if tu > 0, let raisedModes {
            let a = EffectiveRegularisation.solve(raisedModes, n: nn, rho: lambda + modes.tailTraceBound)
            if a.kappa > 0 {
                let d = max(0, nn - lambda / a.kappa - positive.learned(a.kappa).value)
                if a.kappa < upperSolution.kappa { upperSolution = a }
                raised = min(raised, d)
            }
        }
        let k0 = solution.kappa
        let k1 = max(upperSolution.kappa, k0)
        let largestBeyond = modes.tail?.largestEigenvalue ?? 0
        let unresolvedZero = unresolvedZeroPower.even + unresolvedZeroPower.odd
        let fixedBias = unlearnablePower + unresolvedZero + modelledBeyondPower
        let gamma0 = squaredLearnabilities(k0) / nn
        let central = Self.error(bias: learnableBias(k0) + fixedBias, gamma: gamma0, noise: sigma2)
        // The bounds (see the type's description); `raised` is D.
        let gammaUpper = gamma0 + 2 * raised / nn
        let upper = Self.error(
            bias: learnableBias(k1) + fixedBias + target.unresolvedPower, gamma: gammaUpper, noise: sigma2)
        let beyondLow = k0 > 0 ? modelledBeyondPower * max(0, 1 - 2 * largestBeyond / k0) : modelledBeyondPower
        let biasLow = max(
            0, learnableBias(k0) + unlearnablePower + unresolvedZero + beyondLow - 2 * unresolvedHarmonicPower * raised)
        let lower = Self.error(bias: biasLow, gamma: squaredLearnabilities(k1) / nn, noise: sigma2)
        let uncertainty = max(upper - central, central - lower, 0)
        var notes: [String] = []
        if !solution.converged || !upperSolution.converged {
            notes.append(
                "the self-consistent equation did not converge (residual \(max(solution.residual, upperSolution.residual)))"
            )
        }
        if k0 > 0 && largestBeyond > 1e-3 * k0 {
            notes.append(
                "kmax = \(modes.kmax) is too small for this n: eigenvalues past it (\(largestBeyond)) are not far below kappa = \(k0)"
            )
        }
        if !central.isFinite {
            notes.append(
                "the prediction diverges: gamma = 1 (ridgeless interpolation with n equal to the kernel's rank \(modes.rank))"
            )
        } else if !(uncertainty <= tolerance * central) && !(central == 0 && uncertainty == 0) {
            let relative = central > 0 ? uncertainty / central : .infinity
            notes.append(
                "not resolved: the bounds from unresolved eigenvalues (sum_U N (mu - lo) <= \(String(format: "%.2g", tu))), unresolved target coefficients (power <= \(String(format: "%.2g", target.unresolvedPower))) and the tail past kmax leave a relative uncertainty \(relative.isFinite ? String(format: "%.2g", relative) : "inf") > \(tolerance)"
                    + (lambda < tu / tolerance
                        ? String(format: "; a ridge well above T_U/tolerance = %.1g narrows it", tu / tolerance) : ""))
        }
        // Per-degree decomposition at the central value.
        let factor = gamma0 < 1 ? 1 / (1 - gamma0) : .infinity
        var listed: [LearningCurvePoint.Degree] = []
        var listedError = 0.0
        for k in 0...min(listedDegrees, modes.kmax) {
            let p = target.power[k]
            let m = modes.mu[k]
            let l: Double = m > 0 ? (k0 > 0 ? m / (m + k0) : 1) : 0
            let share = (1 - l) * (1 - l) * p
            let e = share == 0 ? 0 : share * factor
            listedError += e
            listed.append(
                .init(
                    k: k, multiplicity: modes.multiplicity[k], eigenvalue: modes.unresolved[k] ? nil : m,
                    learnability: l, targetPower: p, error: e))
        }
        let noiseError = gamma0 < 1 ? sigma2 * gamma0 / (1 - gamma0) : .infinity
        let finite = central.isFinite
        return LearningCurvePoint(
            n: n, testError: finite ? central : nil, uncertainty: uncertainty.isFinite ? uncertainty : nil,
            lower: lower.isFinite ? lower : nil, upper: upper.isFinite ? upper : nil,
            resolved: notes.isEmpty, note: notes.isEmpty ? nil : notes.joined(separator: "; "),
            kappa: k0, kappaUpper: k1, gamma: gamma0, noiseError: noiseError,
            errorBeyondListed: finite ? max(0, central - listedError - noiseError) : .infinity,
            degrees: listed, solverIterations: solution.iterations + upperSolution.iterations,
            solverResidual: max(solution.residual, upperSolution.residual),
            solverConverged: solution.converged && upperSolution.converged)
    }
}
