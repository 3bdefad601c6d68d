import Foundation
import SphericalSpectra

/// The Mercer eigenvalues of a dot-product kernel on S^{d-1} as the learning-curve sums use
/// them: mu_k with multiplicity N(d, k) for k = 0...kmax, and the tail k > kmax.
///
/// What is used, and how (Proofs/learning-curves.md, "Unresolved eigenvalues"):
/// * resolved values (error estimate <= 1e-6 |mu_k|, or exactly zero by structure) are used as
///   they are;
/// * an unresolved value is never used as if exact: it is known to lie in [lo_k, hi_k] =
///   [max(0, mu_k - error_k), max(0, mu_k + error_k)] (mu_k >= 0 for a positive semi-definite
///   kernel); the sums use lo_k, and what lies above it, delta_k = mu_k - lo_k in [0, hi_k - lo_k],
///   enters only through one number, an upper bound T_U of sum_U N delta_k, which the predictor
///   turns into bounds on the test error;
/// * past kmax, the spectrum's asymptotic expansion (``AsymptoticTail``) for each parity whose
///   last explicit value it reproduces (``TailMoments``); finite-rank kernels are zero there
///   by structure; otherwise the tail belongs to U with lo = 0;
/// * past kmax without a model: for kernels with a non-negative Maclaurin series
///   kappa = sum_n a_n t^n (Gaussian), the tail's trace is at most sum_{n > kmax} a_n (t^n has
///   no harmonics above degree n, and its eigenvalues times multiplicities sum to 1^n = 1);
///   otherwise it is bounded only through the sum rule;
/// * T_U = min(sum_U N (hi_k - lo_k) + the tail's bound, the sum-rule slack
///   |kappa(1) - sum_resolved N mu_k - sum_U N lo_k - S_1| + sum_resolved N error_k + the tail's
///   errors + 8 eps kappa(1)), the second from Mercer's kappa(1) = sum_k N(d, k) mu_k with every
///   mu_k >= 0 (the only bound when the tail past kmax is not modelled).
///
/// A resolved negative eigenvalue is an error (kernel ridge regression needs a positive
/// semi-definite kernel).
public struct KernelModes: Sendable {
    public let dimension: Int
    public let kernelName: String
    /// mu_k used for k = 0...kmax: resolved values, and lo_k = max(0, mu_k - error_k) for
    /// unresolved ones (see `unresolved`).
    public let mu: [Double]
    public let multiplicity: [Double]
    /// Degrees whose eigenvalue is not resolved (what lies above lo_k is bounded by `unresolvedTrace`).
    public let unresolved: [Bool]
    /// The model of k > kmax, nil when the degrees past kmax are all in U (no model).
    public let tail: TailMoments?
    /// Whether the even and the odd degrees past kmax are in U.
    public let unresolvedBeyondEven: Bool
    public let unresolvedBeyondOdd: Bool
    /// Upper bound T_U of sum_U N (mu_k - lo_k) (0 when U is empty).
    public let unresolvedTrace: Double
    /// hi_k for k = 0...kmax (= mu_k where resolved).
    public let upperMu: [Double]
    /// Upper bound of the unmodelled tail's trace past kmax (0 when modelled or zero; infinite
    /// when only the sum rule bounds it).
    public let tailTraceBound: Double
    /// kappa(1) = sum_k N(d, k) mu_k, when known.
    public let trace: Double?
    /// The number of modes with mu_k > 0 among the used values, infinite with a modelled tail.
    public let rank: Double
    /// What the kernel's structure predicts for the decay of each parity, and what the
    /// eigenvalues show (nil for explicit spectra).
    public let parityDecay: ParityDecay?
    public let parityFits: (even: DecayFit, odd: DecayFit)?

    public var kmax: Int { mu.count - 1 }

    /// From a computed spectrum (``GegenbauerSpectrum``); see the type's description. Give
    /// the kernel as well when it has a Maclaurin series (its tail bound needs it).
    public init(_ spectrum: GegenbauerSpectrum, kernel: (any DotProductKernel)? = nil) throws {
        let d = spectrum.dimension
        let kmax = spectrum.kmax
        dimension = d
        kernelName = spectrum.kernelName
        multiplicity = spectrum.multiplicity
        var mu = [Double](repeating: 0, count: kmax + 1)
        var upperMu = [Double](repeating: 0, count: kmax + 1)
        var unresolved = [Bool](repeating: false, count: kmax + 1)
        var resolvedTrace = 0.0
        var compensation = 0.0
        var resolvedErrors = 0.0
        var unresolvedBound = 0.0
        var rank = 0.0
        var lowerTrace = 0.0
        for k in 0...kmax {
            let m = spectrum.mu[k]
            let e = spectrum.error[k]
            if spectrum.resolved[k] {
                if m < 0 { throw LearningCurveError.notPositiveDefinite(degree: k, eigenvalue: m) }
                mu[k] = m
                upperMu[k] = m
                if m > 0 { rank += multiplicity[k] }
                // Compensated sum: the slack is a difference of O(kappa(1)) numbers.
                let x = multiplicity[k] * m - compensation
                let t = resolvedTrace + x
                compensation = (t - resolvedTrace) - x
                resolvedTrace = t
                resolvedErrors += multiplicity[k] * e
            } else {
                unresolved[k] = true
                let lo = max(0, m - e)
                let hi = max(0, m + e)
                mu[k] = lo
                upperMu[k] = hi
                if lo > 0 { rank += multiplicity[k] }
                lowerTrace += multiplicity[k] * lo
                unresolvedBound += multiplicity[k] * (hi - lo)
            }
        }
        // Past kmax: exact zeros of a finite-rank kernel, the asymptotic model for each parity
        // whose last explicit value is resolved and reproduced by the model, or nothing.
        var tail: TailMoments? = nil
        if case .finiteRank(let p) = spectrum.predictedDecay, p <= kmax {
            tail = .zero(after: kmax)
        } else if let model = spectrum.tail, kmax >= 2 {
            func trusted(_ k: Int) -> Bool {
                guard spectrum.resolved[k], spectrum.mu[k] > 0 else { return false }
                let (m, e) = model.values(from: k, through: k)
                return e[0] <= 1e-6 * Swift.abs(m[0])
                    && Swift.abs(m[0] - spectrum.mu[k]) <= 1e-6 * spectrum.mu[k] + e[0] + spectrum.error[k]
            }
            let lastEven = kmax % 2 == 0 ? kmax : kmax - 1
            let lastOdd = kmax % 2 == 1 ? kmax : kmax - 1
            tail = TailMoments(tail: model, dimension: d, after: kmax, modelled: (trusted(lastEven), trusted(lastOdd)))
        }
        let kappa1 = spectrum.sumRule.kernelAtOne
        let tailTrace = tail?.s1 ?? 0
        let slack =
            Swift.abs(kappa1 - resolvedTrace - lowerTrace - tailTrace) + resolvedErrors + 8 * Double.ulpOfOne
            * Swift.abs(kappa1)
            + (tail?.modelError ?? 0)
        var tailBound = tail?.unmodelledTrace ?? .infinity
        if tail == nil, let series = kernel?.maclaurinSeries { tailBound = Self.maclaurinTail(series, after: kmax) }
        let bound = unresolvedBound + tailBound
        self.mu = mu
        self.upperMu = upperMu
        tailTraceBound = tailBound
        self.unresolved = unresolved
        self.tail = tail
        unresolvedBeyondEven = !(tail?.modelledEven ?? false)
        unresolvedBeyondOdd = !(tail?.modelledOdd ?? false)
        let empty = !unresolved.contains(true) && !unresolvedBeyondEven && !unresolvedBeyondOdd
        unresolvedTrace = empty ? 0 : min(bound, slack)
        trace = kappa1
        self.rank = (tail.map { $0.s1 > 0 } ?? false) ? .infinity : rank
        parityDecay = spectrum.parityDecay
        parityFits = spectrum.parityFits
    }

    /// An explicit spectrum: mu_k >= 0 for k = 0...kmax, all exact, with an optional model of
    /// the degrees past kmax (nil: mu_k = 0 there).
    public init(dimension d: Int, mu: [Double], tail: TailMoments? = nil, name: String = "explicit spectrum") throws {
        guard d >= 2, d <= 64 else {
            throw LearningCurveError.invalidParameter(name: "dimension d", value: "\(d)", allowed: "an integer 2...64")
        }
        guard !mu.isEmpty else {
            throw LearningCurveError.invalidParameter(name: "spectrum", value: "[]", allowed: "at least one eigenvalue")
        }
        for (k, m) in mu.enumerated() where !(m >= 0) || !m.isFinite {
            if m < 0 { throw LearningCurveError.notPositiveDefinite(degree: k, eigenvalue: m) }
            throw LearningCurveError.invalidParameter(name: "mu_\(k)", value: "\(m)", allowed: "a finite number >= 0")
        }
        dimension = d
        kernelName = name
        self.mu = mu
        multiplicity = Multiplicity.values(dimension: d, upTo: mu.count - 1)
        unresolved = [Bool](repeating: false, count: mu.count)
        self.tail = tail ?? .zero(after: mu.count - 1)
        unresolvedBeyondEven = false
        unresolvedBeyondOdd = false
        unresolvedTrace = (tail?.unmodelledTrace ?? 0)
        upperMu = mu
        tailTraceBound = tail?.unmodelledTrace ?? 0
        var total = 0.0
        var rank = 0.0
        for k in mu.indices {
            total += multiplicity[k] * mu[k]
            if mu[k] > 0 { rank += multiplicity[k] }
        }
        trace = total + (tail?.s1 ?? 0)
        self.rank = (tail?.s1 ?? 0) > 0 ? .infinity : rank
        parityDecay = nil
        parityFits = nil
    }

    /// sum_{n > K} a_n of a non-negative Maclaurin series (terms summed until they fall below
    /// 1e-20 of the sum and keep decreasing; infinite when that does not happen within 10^6 terms).
    static func maclaurinTail(_ series: MaclaurinSeries, after k: Int) -> Double {
        var total = 0.0
        var previous = Double.infinity
        for n in (k + 1)...(k + 1_000_000) {
            let term = exp(series.logCoefficient(n))
            guard term.isFinite else { return .infinity }
            let decreasing = term <= previous
            total += term
            // Underflowed terms are below the smallest subnormal: the bound keeps that much.
            if decreasing && (term == 0 || term <= 1e-20 * total) { return max(total, .leastNonzeroMagnitude) }
            previous = term
        }
        return .infinity
    }

    /// sum_k N(d, k) mu_k over the used values and the modelled tail.
    public var usedTrace: Double {
        var total = 0.0
        for k in mu.indices { total += multiplicity[k] * mu[k] }
        return total + (tail?.s1 ?? 0)
    }
}
