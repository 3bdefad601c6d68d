import Foundation

/// Which of several kernels on S^{d-1} have the same RKHS (as sets, with equivalent norms),
/// by theory and by their eigenvalues, and the classes they fall into
/// (Proofs/rkhs-equivalence-and-sobolev-classes.md).
///
/// Criterion: two dot-product kernels on the same sphere have the same RKHS with equivalent
/// norms if and only if mu_k^A = 0 exactly when mu_k^B = 0, and c <= mu_k^A / mu_k^B <= C for
/// all other k, with 0 < c <= C < infinity.
///
/// * Theory: both classified with algebraic (or finite, or vanishing) decay of each parity:
///   equal exactly when each parity's predicted decay is the same (same exponent a, or the
///   same finite degree). Smooth kernels are never equal to algebraic ones; between smooth
///   kernels the rates alone do not decide (nil).
/// * Numbers: the zero patterns over the measured range coincide, and the fitted exponents of
///   each parity differ by at most 3 combined uncertainties + 1% (the ratio has no power-law
///   trend); the observed bounds min/max mu^A/mu^B over all resolved non-zero k are reported
///   with the ratio's trend (difference of fitted exponents).
/// Where the two disagree the pair says so; grouping follows the theory when it decides.
public struct RKHSComparison: Sendable {
    public struct Entry: Sendable {
        public let label: String
        public let spectrum: GegenbauerSpectrum
        public let classification: RKHSClassification
        public init(label: String, spectrum: GegenbauerSpectrum) {
            self.label = label
            self.spectrum = spectrum
            self.classification = RKHSClassification(spectrum)
        }
    }

    public struct Pair: Sendable {
        public let first: Int, second: Int
        /// Same RKHS according to theory (nil: theory does not decide).
        public let sameByTheory: Bool?
        /// Same RKHS according to the eigenvalues (nil: they cannot decide).
        public let sameByNumbers: Bool?
        /// min and max of mu^A_k / mu^B_k over the k where both are resolved and non-zero.
        public let ratioBounds: ClosedRange<Double>?
        /// Fitted exponent of B minus that of A per parity (the ratio grows like k^trend), with uncertainty.
        public let trendEven: (value: Double, uncertainty: Double)?
        public let trendOdd: (value: Double, uncertainty: Double)?
        /// k where exactly one of the two is zero (within the measured range).
        public let zeroPatternDifferences: [Int]
        public let reason: String
        public var disagree: Bool {
            if let t = sameByTheory, let n = sameByNumbers { return t != n }
            return false
        }
    }

    public let entries: [Entry]
    public let pairs: [Pair]
    /// Equivalence classes (indices into `entries`).
    public let groups: [[Int]]

    public init(_ entries: [Entry]) {
        self.entries = entries
        var pairs: [Pair] = []
        var parent = Array(entries.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { i = parent[i] }
            return i
        }
        for i in entries.indices {
            for j in entries.indices where j > i {
                let p = RKHSComparison.compare(entries[i], entries[j], i, j)
                pairs.append(p)
                if p.sameByTheory ?? p.sameByNumbers ?? false { parent[find(j)] = find(i) }
            }
        }
        self.pairs = pairs
        var groups: [Int: [Int]] = [:]
        for i in entries.indices { groups[find(i), default: []].append(i) }
        self.groups = groups.values.sorted { $0[0] < $1[0] }
    }

    static func compare(_ a: Entry, _ b: Entry, _ i: Int, _ j: Int) -> Pair {
        let ca = a.classification
        let cb = b.classification
        let d = a.spectrum.dimension
        // Theory.
        let theory: Bool?
        let reason: String
        func comparable(_ c: RKHSClassification) -> Bool {
            c.kind == .sobolev || c.kind == .paritySplit || c.kind == .finiteRank
        }
        let ea = [ca.predicted.even, ca.predicted.odd]
        let eb = [cb.predicted.even, cb.predicted.odd]
        if a.spectrum.dimension != b.spectrum.dimension {
            theory = false
            reason = "different spheres"
        } else if ca.kind == .undetermined || cb.kind == .undetermined || ea.contains(.unknown) || eb.contains(.unknown)
        {
            theory = nil
            reason = "no prediction for at least one kernel"
        } else if ca.kind == .smooth && cb.kind == .smooth {
            theory = nil
            reason = "both smooth: super-polynomial rates alone do not decide equality"
        } else if ca.kind == .smooth || cb.kind == .smooth {
            theory = false
            reason = "one is smooth (super-polynomial decay), the other is not"
        } else if comparable(ca) && comparable(cb) {
            let same = ea == eb
            theory = same
            if same {
                reason =
                    ca.kind == .finiteRank
                    ? "same finite degrees"
                    : "same decay for each parity: even \(ca.predicted.even.summary(dimension: d)), odd \(ca.predicted.odd.summary(dimension: d))"
            } else {
                reason =
                    "different decay: even \(ca.predicted.even.summary(dimension: d)) vs \(cb.predicted.even.summary(dimension: d)), odd \(ca.predicted.odd.summary(dimension: d)) vs \(cb.predicted.odd.summary(dimension: d))"
            }
        } else {
            theory = nil
            reason = "not comparable"
        }
        // Numbers.
        let sa = a.spectrum
        let sb = b.spectrum
        let kTop = min(min(sa.kmax, sa.quadratureDegree), min(sb.kmax, sb.quadratureDegree))
        func zero(_ e: Entry, _ k: Int) -> Bool { e.classification.isZero(e.spectrum, k: k) }
        var differences: [Int] = []
        if kTop >= 0 {
            for k in 0...kTop where zero(a, k) != zero(b, k) { differences.append(k) }
        }
        var lo = Double.infinity
        var hi = -Double.infinity
        for k in 0...min(sa.kmax, sb.kmax)
        where sa.resolved[k] && sb.resolved[k] && sa.mu[k] != 0 && sb.mu[k] != 0
            && !zero(a, k) && !zero(b, k)
        {
            let r = sa.mu[k] / sb.mu[k]
            lo = min(lo, r)
            hi = max(hi, r)
        }
        func trend(_ fa: DecayFit, _ fb: DecayFit) -> (Double, Double)? {
            guard let pa = fa.exponent, let pb = fb.exponent else { return nil }
            return (pb - pa, (fa.uncertainty ?? 0) + (fb.uncertainty ?? 0))
        }
        let te = trend(ca.fits.even, cb.fits.even)
        let to = trend(ca.fits.odd, cb.fits.odd)
        func flat(_ t: (Double, Double)?, _ fa: DecayFit, _ fb: DecayFit) -> Bool? {
            if let (v, u) = t { return Swift.abs(v) <= 3 * u + 0.01 * max(fa.exponent!, fb.exponent!) }
            switch (fa.outcome, fb.outcome) {
            case (.vanishing(let x), .vanishing(let y)): return x == y
            case (.vanishing, .powerLaw), (.powerLaw, .vanishing): return false
            case (.superPolynomial, .powerLaw), (.powerLaw, .superPolynomial): return false
            default: return nil
            }
        }
        let fe = flat(te, ca.fits.even, cb.fits.even)
        let fo = flat(to, ca.fits.odd, cb.fits.odd)
        let numbers: Bool?
        if !differences.isEmpty || fe == false || fo == false {
            numbers = false
        } else if fe == nil || fo == nil {
            numbers = nil
        } else {
            numbers = true
        }
        return Pair(
            first: i, second: j, sameByTheory: theory, sameByNumbers: numbers,
            ratioBounds: lo <= hi ? lo...hi : nil, trendEven: te, trendOdd: to,
            zeroPatternDifferences: differences, reason: reason)
    }
}
