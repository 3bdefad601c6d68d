import Foundation
import SphericalSpectra

/// Sums over the degrees k > K past the explicit spectrum, from a model of mu_k there:
///
///     S_j = sum_{k > K} N(d, k) mu_k^j,   j = 1, 2, 3,
///
/// which is all the self-consistent equation needs where every mu_k (k > K) is far below
/// the effective regularisation kappa: with x = mu/kappa < 1,
///
///     sum_{k>K} N mu/(mu + kappa) = S_1/kappa - S_2/kappa^2 + S_3/kappa^3 - ...,
///     sum_{k>K} N mu^2/(mu + kappa)^2 = S_2/kappa^2 - 2 S_3/kappa^3 + ...,
///
/// each truncation error below the next term, itself at most (mu_max/kappa) times the last
/// one kept (``LearningCurvePredictor`` flags a point where mu_max/kappa > 1e-3).
///
/// The model is summed explicitly for K < k <= 4K (at least K + 4096), and beyond as the power
/// law g(k) = N mu^j ~ c k^-q continued from the last two values of each parity (q from their
/// ratio): sum_{i>=1} g(k_r + 2i) = g(k_r) (k_r/(2(q - 1)) - 1/2 + q/(6 k_r)) + O(g/k_r^2),
/// Euler-Maclaurin on one parity's lattice (spacing 2); the change of the local exponent past
/// K2 costs O(1/K2) of the remainder (measured against the Hurwitz zeta function: 1.6e-7 of S_1
/// at K = 10^5, TailMomentsTests), far below what the learning curve resolves. Each parity is kept only where the model is positive throughout
/// and decays (q > 1); otherwise its sum of |mu| + error goes to `unmodelledTrace`, an upper
/// bound for the trace the modelled sums miss (Proofs/learning-curves.md, "Unresolved
/// eigenvalues"). `modelError` is sum N error_k over the modelled values.
public struct TailMoments: Sendable {
    /// The last explicit degree K (the sums start at K + 1).
    public let start: Int
    public let s1: Double
    public let s2: Double
    public let s3: Double
    /// The largest modelled mu_k, k > K.
    public let largestEigenvalue: Double
    /// Whether the even and the odd degrees past K are modelled.
    public let modelledEven: Bool
    public let modelledOdd: Bool
    /// Upper bound of sum N mu_k over the unmodelled parities (infinite when none is available).
    public let unmodelledTrace: Double
    /// sum N error_k over the modelled parities (the model's own error estimates).
    public let modelError: Double

    /// A tail that is exactly zero (finite-rank kernels past their degree).
    public static func zero(after k: Int) -> TailMoments {
        TailMoments(
            start: k, s1: 0, s2: 0, s3: 0, largestEigenvalue: 0, modelledEven: true, modelledOdd: true,
            unmodelledTrace: 0, modelError: 0)
    }

    init(
        start: Int, s1: Double, s2: Double, s3: Double, largestEigenvalue: Double,
        modelledEven: Bool, modelledOdd: Bool, unmodelledTrace: Double, modelError: Double
    ) {
        self.start = start
        self.s1 = s1
        self.s2 = s2
        self.s3 = s3
        self.largestEigenvalue = largestEigenvalue
        self.modelledEven = modelledEven
        self.modelledOdd = modelledOdd
        self.unmodelledTrace = unmodelledTrace
        self.modelError = modelError
    }

    /// The sums from a model given in blocks: `block(k0, k1)` returns mu_k and an error
    /// estimate for k = k0...k1. `modelled` says which parities the caller trusts the model
    /// for (even, odd); the others contribute their sum of |mu| + error to `unmodelledTrace`.
    public init(
        dimension d: Int, after k: Int, modelled: (even: Bool, odd: Bool),
        block: (Int, Int) -> (mu: [Double], error: [Double])
    ) {
        precondition(d >= 2 && k >= 0)
        start = k
        let last = max(4 * k, k + 4096)
        struct Parity {
            var s = [0.0, 0.0, 0.0], errors = 0.0, bound = 0.0
            var positive = true
            var previous: (k: Int, mu: Double, error: Double)? = nil
            var latest: (k: Int, mu: Double, error: Double)? = nil
            var largest = 0.0
        }
        var parity = [Parity(), Parity()]
        var k0 = k + 1
        while k0 <= last {
            let k1 = min(last, k0 + 65_535)
            let (mu, error) = block(k0, k1)
            var n = Multiplicity.value(dimension: d, degree: k0)
            for i in 0...(k1 - k0) {
                let kk = k0 + i
                let r = kk % 2
                let m = mu[i]
                let e = error[i]
                if !(m > 0) || !m.isFinite || !e.isFinite { parity[r].positive = false }
                if m.isFinite && e.isFinite {
                    let x = n * m
                    parity[r].s[0] += x
                    parity[r].s[1] += x * m
                    parity[r].s[2] += x * m * m
                    parity[r].errors += n * e
                    parity[r].bound += n * (Swift.abs(m) + e)
                    parity[r].largest = max(parity[r].largest, m)
                } else {
                    parity[r].bound = .infinity
                }
                parity[r].previous = parity[r].latest
                parity[r].latest = (kk, m, e)
                // N(d, k + 1) / N(d, k) = (2k + d)(k + d - 2) / ((2k + d - 2)(k + 1)), k >= 1.
                if kk == 0 {
                    n = Multiplicity.value(dimension: d, degree: 1)
                } else {
                    let kd = Double(kk)
                    let dd = Double(d)
                    n *= d == 2 ? 1 : (2 * kd + dd) * (kd + dd - 2) / ((2 * kd + dd - 2) * (kd + 1))
                }
            }
            k0 = k1 + 1
        }
        // Power-law remainder past the explicit block, per parity.
        func remainder(_ a: (k: Int, g: Double), _ b: (k: Int, g: Double)) -> Double {
            guard a.g > 0, b.g > 0 else { return 0 }
            let q = log(a.g / b.g) / log(Double(b.k) / Double(a.k))
            guard q.isFinite, q > 1.05 else { return .infinity }
            return b.g * (Double(b.k) / (2 * (q - 1)) - 0.5 + q / (6 * Double(b.k)))
        }
        var s = [0.0, 0.0, 0.0]
        var unmodelled = 0.0
        var modelError = 0.0
        var largest = 0.0
        var kept = [modelled.even, modelled.odd]
        for r in 0..<2 {
            var p = parity[r]
            guard let a = p.previous, let b = p.latest else { continue }
            let na = Multiplicity.value(dimension: d, degree: a.k)
            let nb = Multiplicity.value(dimension: d, degree: b.k)
            if kept[r] && p.positive {
                var ok = true
                for j in 0..<3 {
                    let rest = remainder((a.k, na * pow(a.mu, Double(j + 1))), (b.k, nb * pow(b.mu, Double(j + 1))))
                    if !rest.isFinite { ok = false }
                    p.s[j] += rest
                }
                if ok {
                    for j in 0..<3 { s[j] += p.s[j] }
                    // The remainder's error: the last relative error of the model, doubled.
                    let rest = remainder((a.k, na * a.mu), (b.k, nb * b.mu))
                    modelError += p.errors + 2 * (b.error / b.mu) * rest
                    largest = max(largest, p.largest)
                    continue
                }
            }
            kept[r] = false
            let rest = remainder((a.k, na * (Swift.abs(a.mu) + a.error)), (b.k, nb * (Swift.abs(b.mu) + b.error)))
            unmodelled += p.bound + rest
        }
        s1 = s[0]
        s2 = s[1]
        s3 = s[2]
        largestEigenvalue = largest
        modelledEven = kept[0]
        modelledOdd = kept[1]
        unmodelledTrace = unmodelled.isNaN ? .infinity : unmodelled
        self.modelError = modelError.isNaN ? .infinity : modelError
    }

    /// The tail of the asymptotic expansion ``AsymptoticTail`` of a spectrum, past degree k.
    public init(tail: AsymptoticTail, dimension d: Int, after k: Int, modelled: (even: Bool, odd: Bool)) {
        self.init(dimension: d, after: k, modelled: modelled) { k0, k1 in tail.values(from: k0, through: k1) }
    }

    /// A pure power law mu_k = c k^-p past degree k (both parities; exact values, no error).
    public init(powerLaw c: Double, exponent p: Double, dimension d: Int, after k: Int) {
        self.init(dimension: d, after: k, modelled: (true, true)) { k0, k1 in
            ((k0...k1).map { c * pow(Double($0), -p) }, [Double](repeating: 0, count: k1 - k0 + 1))
        }
    }

    /// sum_{k>K} N mu/(mu + kappa), to third order in mu/kappa.
    func learnedModes(_ kappa: Double) -> Double {
        let x = 1 / kappa
        return x * (s1 - x * (s2 - x * s3))
    }

    /// d/dkappa of `learnedModes`.
    func learnedModesDerivative(_ kappa: Double) -> Double {
        let x = 1 / kappa
        return -x * x * (s1 - x * (2 * s2 - 3 * x * s3))
    }

    /// sum_{k>K} N mu^2/(mu + kappa)^2, to third order.
    func squaredLearnabilities(_ kappa: Double) -> Double {
        let x = 1 / kappa
        return x * x * (s2 - 2 * x * s3)
    }
}
