import Foundation
import SphericalSpectra

/// The asymptotic rate E_g(n) ~ n^-r of the learning curve, from the kernel's eigenvalue decay
/// mu_k ~ k^-p (per parity) and the target's p_k ~ k^-beta (Proofs/learning-curves.md, "Rates";
/// Spigler, Geiger & Wyart 2020; Bordelon, Canatar & Pehlevan 2020, power-law section;
/// Caponnetto & De Vito 2007 for the ridge-dominated regime). With p_min the slowest decay
/// among the parities with infinitely many non-zero eigenvalues (it sets the mode count,
/// kappa ~ n^{-p_min/(d-1)}), and for each parity r that carries target power:
///
///     ridgeless, noiseless:  r = min(beta_r - 1, 2 p_r) p_min / (p_r (d - 1))
///     ridge-dominated (lambda/n > the ridgeless kappa, eventually for every lambda > 0):
///                             bias r = min(beta_r - 1, 2 p_r) / p_r   (kappa -> lambda/n),
///                             noise  r = 1 - (d - 1)/p_min
///     ridgeless with noise:  plateau E -> sigma^2 (alpha - 1), alpha = p_min/(d - 1)
///     every parity super-polynomial, ridgeless: lower envelope r = (beta_r - 2)/(d - 1)
///                             (1 - gamma ~ 1/k* amplifies the unlearned power; E oscillates)
///
/// the smallest of them; beta = infinity for finitely many degrees (saturation at 2 p_r); a
/// super-polynomially decaying parity is p = infinity. In Sobolev terms, with the RKHS
/// H^{p/2} and a target at the edge of H^s (beta = 2s + 1), the noiseless ridgeless rate is
/// 2 min(s, p)/(d - 1). Target power at degrees with mu_k = 0 is never learned: a plateau.
public struct RatePrediction: Sendable, Encodable {
    /// The kernel's decay for one parity.
    public enum KernelDecay: Sendable, Equatable {
        case power(Double, fitted: Bool)
        case superPolynomial
        /// Finitely many non-zero eigenvalues (or none).
        case finite
        case unknown
    }

    /// r of E ~ n^-r (0 for a plateau; nil when there is no power law: exact learning,
    /// super-polynomial decay, or not determined).
    public let exponent: Double?
    /// "power law", "plateau", "exact past the rank", "super-polynomial", "logarithmic",
    /// "oscillating", "does not decay", "noise grows", "undetermined".
    public let regime: String
    public let summary: String
    public let kernelEven: KernelDecay
    public let kernelOdd: KernelDecay

    enum CodingKeys: String, CodingKey {
        case exponent, regime, summary, kernelEven = "kernel_exponent_even", kernelOdd = "kernel_exponent_odd"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(exponent.flatMap { $0.isFinite ? $0 : nil }, forKey: .exponent)
        try c.encode(regime, forKey: .regime)
        try c.encode(summary, forKey: .summary)
        func value(_ k: KernelDecay) -> Double? {
            if case .power(let p, _) = k { return p }
            return nil
        }
        try c.encode(value(kernelEven), forKey: .kernelEven)
        try c.encode(value(kernelOdd), forKey: .kernelOdd)
    }

    /// The kernel's decay of one parity: the structural prediction, or the fitted decay when
    /// the structure says nothing.
    public static func decay(predicted: PredictedDecay, fit: DecayFit?, dimension d: Int) -> KernelDecay {
        switch predicted {
        case .algebraic: return .power(predicted.exponent(dimension: d)!, fitted: false)
        case .superPolynomial: return .superPolynomial
        case .finiteRank, .vanishing: return .finite
        case .unknown:
            switch fit?.outcome {
            case .powerLaw(let p, _): return .power(p, fitted: true)
            case .superPolynomial: return .superPolynomial
            case .vanishing: return .finite
            default: return .unknown
            }
        }
    }

    public init(
        kernelEven: KernelDecay, kernelOdd: KernelDecay, targetEven: TargetSpectrum.Smoothness,
        targetOdd: TargetSpectrum.Smoothness, dimension d: Int, ridgeDominated: Bool, noise: Double,
        unlearnablePower: Double,
        unresolvedZeroPower: (even: Double, odd: Double) = (0, 0)
    ) {
        self.kernelEven = kernelEven
        self.kernelOdd = kernelOdd
        let dd = Double(d - 1)
        // The regime: kappa -> lambda/n (the ridge dominates the implicit regularisation) or ridgeless.
        let ridge = ridgeDominated ? 1.0 : 0.0
        func finish(_ r: Double?, _ regime: String, _ summary: String) -> (Double?, String, String) {
            (r, regime, summary)
        }
        // Target power at degrees whose eigenvalue is not resolved and consistent with 0, in a
        // parity the kernel's structure says has finitely many non-zero eigenvalues, is never
        // learned either (the no-bias ReLU kernels' odd k >= 3).
        let hidden =
            (kernelEven == .finite ? unresolvedZeroPower.even : 0)
            + (kernelOdd == .finite ? unresolvedZeroPower.odd : 0)
        let plateau = unlearnablePower + hidden
        let result: (Double?, String, String) = {
            if plateau > 0 {
                return finish(
                    0, "plateau",
                    String(
                        format: "plateau: target power %.6g sits at degrees with mu_k = 0, never learned; E_g >= that",
                        plateau))
            }
            let kernels = [kernelEven, kernelOdd]
            let targets = [targetEven, targetOdd]
            if kernels.contains(.unknown) {
                return finish(nil, "undetermined", "undetermined: the kernel's eigenvalue decay is not known")
            }
            func p(_ k: KernelDecay) -> Double? {
                switch k {
                case .power(let e, _): return e
                case .superPolynomial: return .infinity
                default: return nil
                }
            }
            let infinite = kernels.compactMap(p)
            if infinite.isEmpty {
                if noise > 0 {
                    return finish(
                        1, "power law",
                        ridge > 0
                            ? "finite rank R: E_g ~ sigma^2 R/n (variance)"
                            : "finite rank R: E_g = sigma^2 R/(n - R) for n > R")
                }
                return ridge > 0
                    ? finish(2, "power law", "finite rank: E_g ~ (lambda/n)^2 (ridge bias of learned modes)")
                    : finish(
                        nil, "exact past the rank",
                        "finite rank R: E_g = 0 for n > R (the target lies in the kernel's span)")
            }
            let pMin = infinite.min()!
            var rate = Double.infinity
            var parts: [String] = []
            var oscillating = false
            for r in 0..<2 {
                let beta: Double
                switch targets[r] {
                case .none: continue
                case .saturating: beta = .infinity
                case .powerLaw(let b, _): beta = b
                case .unknown(let why):
                    return finish(nil, "undetermined", "undetermined: the target's smoothness is not known (\(why))")
                }
                let name = r == 0 ? "even" : "odd"
                let pr = p(kernels[r])
                let term: Double
                if pr == nil {
                    // Finitely many non-zero eigenvalues of this parity, all target power inside
                    // them (else plateau > 0): learned at the rate kappa^2.
                    term = ridge > 0 ? 2 : 2 * pMin / dd
                } else if ridge > 0 {
                    term = pr!.isFinite ? min(beta - 1, 2 * pr!) / pr! : (beta.isFinite ? 0 : 2)
                } else if pMin.isFinite {
                    term = pr!.isFinite ? min(beta - 1, 2 * pr!) * pMin / (pr! * dd) : 0
                } else {
                    // Every parity super-polynomial: the learned/unlearned transition is a
                    // single degree k* ~ n^{1/(d-1)} wide, so 1 - gamma ~ N(d, k*) L*(1 - L*)/n is at
                    // most ~ 1/k* and the unlearned power k*^{1 - beta} is amplified by >= k*.
                    term = (beta - 2) / dd
                    oscillating = true
                }
                parts.append(
                    String(
                        format: "%@: kernel p = %@, target beta = %@ -> %@", name,
                        pr.map { $0.isFinite ? String(format: "%.4g", $0) : "inf" } ?? "finite",
                        beta.isFinite ? String(format: "%.4g", beta) : "inf",
                        term.isFinite ? String(format: "%.4g", term) : "inf"))
                rate = min(rate, term)
            }
            if noise > 0 {
                if ridge == 0 {
                    if pMin.isFinite {
                        let alpha = pMin / dd
                        return finish(
                            0, "plateau",
                            String(
                                format:
                                    "plateau: ridgeless with noise, E_g -> sigma^2 (alpha - 1) = %.6g (alpha = p_min/(d-1) = %.4g)",
                                noise * (alpha - 1), alpha))
                    }
                    return finish(
                        nil, "noise grows",
                        "ridgeless with noise on a super-polynomial spectrum: E_g does not decay (overfitting grows)")
                }
                let variance = pMin.isFinite ? 1 - dd / pMin : 1
                parts.append(String(format: "noise: 1 - (d-1)/p_min = %.4g", variance))
                rate = min(rate, variance)
            }
            let formula =
                (ridge > 0 ? "ridge-dominated, kappa -> lambda/n; " : "ridgeless regime; ")
                + parts.joined(separator: "; ")
            if rate == .infinity {
                return finish(nil, "super-polynomial", "faster than any power of n (" + formula + ")")
            }
            if oscillating {
                let text =
                    "super-polynomial spectrum, ridgeless: E_g oscillates, peaking where n reaches the dimension of the polynomials of a degree (1 - gamma -> 0 there); "
                if rate <= 0 { return finish(nil, "does not decay", text + "no decay for beta <= 2 (" + formula + ")") }
                return finish(
                    rate, "oscillating", text + String(format: "lower envelope ~ n^-%.4f (", rate) + formula + ")")
            }
            if rate == 0 {
                return finish(
                    0, "logarithmic",
                    "slower than any power of n (a super-polynomial parity with a power-law target: " + formula + ")")
            }
            return finish(rate, "power law", String(format: "E_g ~ n^-%.4f (", rate) + formula + ")")
        }()
        exponent = result.0
        regime = result.1
        summary = result.2
    }
}

/// The slope of the predicted curve: least squares of log E_g against log n over the resolved
/// points with n in [n_max/10, n_max] (at least two).
public struct FittedSlope: Sendable, Encodable {
    /// r of E ~ n^-r over the window.
    public let exponent: Double
    public let nFrom: Int
    public let nTo: Int

    enum CodingKeys: String, CodingKey { case exponent, nFrom = "n_from", nTo = "n_to" }

    public init?(_ points: [LearningCurvePoint]) {
        let usable = points.filter { $0.resolved && ($0.testError ?? 0) > 0 }
        guard let top = usable.map(\.n).max() else { return nil }
        var window = usable.filter { 10 * $0.n >= top }
        if window.count < 2 { window = Array(usable.sorted { $0.n < $1.n }.suffix(2)) }
        guard window.count >= 2 else { return nil }
        let x = window.map { log(Double($0.n)) }
        let y = window.map { log($0.testError!) }
        let mx = x.reduce(0, +) / Double(x.count)
        let my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0
        var sxx = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
        }
        guard sxx > 0 else { return nil }
        exponent = -sxy / sxx
        nFrom = window.map(\.n).min()!
        nTo = window.map(\.n).max()!
    }
}
