import Foundation

/// The decay of the Mercer eigenvalues of one parity (even or odd k), measured from the
/// computed spectrum alone -- no model of the kernel is used, so it can be compared with the
/// prediction (``ParityDecay``) as independent evidence.
///
/// Data: the k of that parity, 2 <= k <= the quadrature range, whose values were computed by
/// quadrature (not by the fitted expansion; zeros of finite-rank kernels are measured too), with |mu_k| above 100 times their error
/// estimate (so log|mu_k| is good to 1%) and above 1e-14 max |mu| (double precision's noise
/// floor). The window is [K/4, K], K the largest such
/// k reached without a gap; values after the last sign change only.
///
/// Fit: least squares of log|mu_k| = A - p log z + B z^-2, z = k + (d-2)/2. For a leading
/// singular term (1 - t)^a, G_k(d, a) = Gamma(k - a)/Gamma(k + a + d - 1) x const, and
/// log Gamma(z + alpha) - log Gamma(z + beta) = (alpha - beta) log z
/// + (alpha - beta)(alpha + beta - 1)/(2z) + O(z^-2), whose 1/z term vanishes for this z;
/// the next singular term changes mu_k by O(k^-2) relatively, so p is unbiased to O(K^-2).
/// Uncertainty: the spread of p between this fit, the fit without B, and plain power-law fits
/// on the window's lower and upper halves (half their difference), whichever is largest.
/// Super-polynomial decay (analytic kernels) shows as local exponents that grow across the
/// window (upper-half exponent above 1.25 x the lower-half one plus 1), or as log|mu_k|
/// fitting a line in k with a quarter of the squared residual of a line in log k, on the
/// window or its upper half, where the data's errors reject the power law.
/// A parity is `vanishing` when, past some k0, every value of that parity is zero within its
/// error and the noise floor, over at least 10 values, and the drop is abrupt: mu_{k0-1} or
/// mu_{k0-2} is at least 1e4 times above the floor and its error (otherwise the parity has
/// merely decayed into the noise floor).
public struct DecayFit: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// mu_k ~ C k^-exponent over the window.
        case powerLaw(exponent: Double, uncertainty: Double)
        /// Faster than any power: local exponents grow with k.
        case superPolynomial
        /// Every value of this parity past `beyond` is zero to within errors (`beyond` = -1: all).
        case vanishing(beyond: Int)
        /// Not enough resolved data above the noise floor, or no sign-stable tail.
        case undetermined(reason: String)
    }

    public let even: Bool
    public let outcome: Outcome
    /// The k range used (nil when none).
    public let window: ClosedRange<Int>?

    public var exponent: Double? {
        if case .powerLaw(let p, _) = outcome { return p }
        return nil
    }
    public var uncertainty: Double? {
        if case .powerLaw(_, let u) = outcome { return u }
        return nil
    }

    /// A value is significant above this many times its error estimate (log|mu_k| good to 1%).
    static let significantErrors = 100.0
    /// A vanishing parity has at least this many negligible values.
    static let fewestZeros = 10
    /// ... after a value at least this far above the floor and its errors (an abrupt drop).
    static let abruptDrop = 1e4
    /// The run of significant values must reach this k.
    static let shortestRun = 8
    /// From this K on the window is [K/4, K] and a power law may be fitted; below it only the
    /// super-polynomial verdict is given.
    static let shortestPowerLawRange = 16
    /// Fewest values in the window (and in its upper half, for the geometric test).
    static let fewestValues = 4
    /// Geometric decay: the power law's squared residual above 10 times the data's own (squared
    /// relative errors) and the line in k's below a quarter of it.
    static let rejectedPowerLawNoise = 10.0
    static let geometricResidualRatio = 0.25
    /// Local exponents that grow across the window: upper half above 1.25 x lower half + 1.
    static let growthRatio = 1.25
    static let growthOffset = 1.0
    /// The smallest exponent uncertainty reported.
    static let smallestUncertainty = 1e-3

    /// Fits the even (`even` = true) or odd k of `spectrum`.
    public init(_ spectrum: GegenbauerSpectrum, even: Bool) {
        self.even = even
        let d = spectrum.dimension
        let floor = { (k: Int) in spectrum.noiseFloor(at: k) }
        let last = min(spectrum.kmax, spectrum.quadratureDegree)
        let ks = Array(stride(from: even ? 2 : 3, through: last, by: 2))
        let mu = spectrum.measuredMu
        let error = spectrum.measuredError
        func significant(_ k: Int) -> Bool {
            let m = Swift.abs(mu[k])
            return m > Self.significantErrors * error[k] && m > floor(k)
        }
        func negligible(_ k: Int) -> Bool {
            Swift.abs(mu[k]) <= GegenbauerSpectrum.negligibleErrors * error[k] + floor(k)
        }
        // Vanishing: from some point on nothing but zeros (at least 10), while the other
        // parity is still clearly non-zero past that point (else it is just the noise floor).
        if let firstZero = ks.firstIndex(where: negligible), ks[firstZero...].allSatisfy(negligible),
            ks.count - firstZero >= Self.fewestZeros
        {
            // Abrupt: just before the first zero the spectrum (either parity) was far above the
            // floor and its errors; a parity that merely decays into the floor is not zero.
            let k0 = ks[firstZero]
            let clear = [k0 - 1, k0 - 2].contains { k in
                k >= 0
                    && Swift.abs(mu[k]) > Self.abruptDrop * (GegenbauerSpectrum.negligibleErrors * error[k] + floor(k))
            }
            if clear {
                let lastNonZero =
                    firstZero > 0 ? ks[firstZero - 1] : (even ? (negligible(0) ? -1 : 0) : (negligible(1) ? -1 : 1))
                outcome = .vanishing(beyond: lastNonZero)
                window = ks[firstZero]...ks.last!
                return
            }
        }
        // The contiguous run of significant values from the start.
        var run: [Int] = []
        for k in ks {
            if significant(k) {
                run.append(k)
            } else if !run.isEmpty && run.last! >= Self.shortestRun {
                break
            } else {
                run = []
            }
        }
        guard let kHi = run.last, kHi >= Self.shortestRun else {
            outcome = .undetermined(reason: "too few values of this parity above the noise floor and their errors")
            window = nil
            return
        }
        var data = run.filter { $0 >= (kHi >= Self.shortestPowerLawRange ? kHi / 4 : 2) }
        // After the last sign change.
        if let change = data.indices.dropFirst().last(where: { (mu[data[$0]] > 0) != (mu[data[$0 - 1]] > 0) }) {
            data = Array(data[change...])
        }
        guard data.count >= Self.fewestValues else {
            outcome = .undetermined(reason: "the tail of this parity changes sign")
            window = nil
            return
        }
        window = data.first!...data.last!
        let shift = 0.5 * Double(d - 2)
        let x = data.map { log(Double($0) + shift) }
        let y = data.map { log(Swift.abs(mu[$0])) }
        let inverseSquares = data.map { 1 / ((Double($0) + shift) * (Double($0) + shift)) }
        let ones = [Double](repeating: 1, count: data.count)
        func slope(_ idx: Range<Int>, corrected: Bool) -> Double? {
            var columns = [idx.map { ones[$0] }, idx.map { -x[$0] }]
            if corrected { columns.append(idx.map { inverseSquares[$0] }) }
            guard let c = LeastSquares.solve(columns: columns, rhs: idx.map { y[$0] }, weights: idx.map { ones[$0] })
            else { return nil }
            return c[1]
        }
        let all = 0..<data.count
        let half = data.count / 2
        guard let p3 = slope(all, corrected: true), let p2 = slope(all, corrected: false),
            let lower = slope(0..<half, corrected: false), let upper = slope(half..<data.count, corrected: false)
        else {
            outcome = .undetermined(reason: "the least-squares fit failed")
            return
        }
        // Geometric against power law: squared residuals of log|mu| linear in k and in log k,
        // on the whole window and on its upper half (an analytic kernel's decay can change
        // rate inside the window), counted only where the data reject the power law (its
        // residual 10 times the data's own relative errors squared).
        func residual(_ column: [Double], _ idx: Range<Int>) -> Double {
            let c0 = idx.map { ones[$0] }
            let c1 = idx.map { column[$0] }
            let rhs = idx.map { y[$0] }
            guard let c = LeastSquares.solve(columns: [c0, c1], rhs: rhs, weights: c0) else { return .infinity }
            return zip(c1, rhs).map {
                let r = c[0] + c[1] * $0 - $1
                return r * r
            }.reduce(0, +)
        }
        let linear = data.map { Double($0) }
        let relativeErrors = data.map { error[$0] / Swift.abs(mu[$0]) }
        func geometric(_ idx: Range<Int>) -> Bool {
            guard idx.count >= Self.fewestValues else { return false }
            let power = residual(x, idx)
            let noise = idx.map { relativeErrors[$0] * relativeErrors[$0] }.reduce(0, +)
            return power > Self.rejectedPowerLawNoise * noise
                && residual(linear, idx) < Self.geometricResidualRatio * power
        }
        let geometricBetter = geometric(all) || geometric(half..<data.count)
        if upper > Self.growthRatio * lower + Self.growthOffset || geometricBetter {
            outcome = .superPolynomial
            return
        }
        if kHi < Self.shortestPowerLawRange {
            outcome = .undetermined(reason: "below the noise floor past k = \(kHi): too short a range for a power law")
            return
        }
        let uncertainty = max(Swift.abs(p3 - p2), 0.5 * Swift.abs(upper - lower), Self.smallestUncertainty)
        outcome = .powerLaw(exponent: p3, uncertainty: uncertainty)
    }
}

extension GegenbauerSpectrum {
    /// Measured decay of the even and of the odd eigenvalues (``DecayFit``).
    public var parityFits: (even: DecayFit, odd: DecayFit) { (DecayFit(self, even: true), DecayFit(self, even: false)) }
}

extension DecayFit {
    /// One phrase: "k^-4.0012 +- 0.0010 (k = 25...100)", "super-polynomial", ...
    public var summary: String {
        let range = window.map { " (k = \($0.lowerBound)...\($0.upperBound))" } ?? ""
        switch outcome {
        case .powerLaw(let p, let u): return String(format: "k^-%.4f +- %.4f", p, u) + range
        case .superPolynomial: return "super-polynomial" + range
        case .vanishing(let k): return (k < 0 ? "identically zero" : "zero beyond k = \(k)") + range
        case .undetermined(let reason): return "undetermined: \(reason)"
        }
    }
}
