import Foundation

/// Which function space a dot-product kernel's RKHS on S^{d-1} is, from theory (the
/// kernel's ``ParityDecay``) and from numbers (``DecayFit`` of the computed eigenvalues),
/// side by side (Proofs/rkhs-equivalence-and-sobolev-classes.md).
///
/// * `sobolev`: mu_k ~ k^{-2s} for both parities, s = (d - 1)/2 + a. The RKHS equals
///   H^s(S^{d-1}) with equivalent norms when, besides, no mu_k is zero (checked over the
///   computed range); a zero mu_k removes those harmonics and the RKHS is a proper subspace.
/// * `parity_split`: even and odd k decay differently (no-bias networks): the RKHS is
///   H^{s_e}_even (+) H^{s_o}_odd, or with a finite-dimensional or smooth part.
/// * `finite_rank`: finitely many non-zero mu_k (polynomial activations); `rank` = the sum of
///   their multiplicities N(d, k).
/// * `smooth`: super-polynomial decay: contained in every H^s, equal to none.
/// * `undetermined`: neither theory nor the numbers decide.
///
/// `agrees` is false when the measured decay contradicts the prediction (a power law more
/// than 3 uncertainties + 1% away, zeros where none are predicted, and so on); the notes then
/// say so, and the class follows the theory.
public struct RKHSClassification: Sendable {
    public enum Kind: String, Sendable {
        case sobolev, paritySplit = "parity_split", finiteRank = "finite_rank", smooth, undetermined
    }

    public let kernelName: String
    public let dimension: Int
    public let kind: Kind
    /// s for `sobolev` (both parities alike).
    public let sobolevOrder: Double?
    /// Sobolev order of the even / odd part when it decays algebraically.
    public let evenOrder: Double?
    public let oddOrder: Double?
    /// Sum of N(d, k) over the non-zero mu_k, for finite-rank kernels.
    public let rank: Int?
    /// For `sobolev`: whether the RKHS is H^s itself (no zero eigenvalue in the computed range).
    public let equalsSobolev: Bool
    public let predicted: ParityDecay
    public let fits: (even: DecayFit, odd: DecayFit)
    /// Theory and numbers agree for both parities.
    public let agrees: Bool
    /// Why, in sentences: the theory's reason and any disagreement or caveat.
    public let notes: [String]
    /// k of (numerically) zero eigenvalues in the computed range, when the kernel is not of finite rank.
    public let zeroDegrees: [Int]

    public init(_ spectrum: GegenbauerSpectrum) {
        let d = spectrum.dimension
        kernelName = spectrum.kernelName
        dimension = d
        predicted = spectrum.parityDecay
        let even = DecayFit(spectrum, even: true)
        let odd = DecayFit(spectrum, even: false)
        fits = (even, odd)
        var notes = [predicted.reason]
        // A finite degree p is checked on the values themselves: every measured k > p of that
        // parity must be zero within its error (the fit may stop earlier, where the values
        // fall below their rounding errors).
        func zerosPast(_ p: Int, even: Bool) -> Bool {
            let last = min(spectrum.kmax, spectrum.quadratureDegree)
            guard p + 1 <= last else { return true }
            return (p + 1...last).filter { ($0 % 2 == 0) == even }.allSatisfy { k in
                spectrum.method[k] == .exactZero || spectrum.isNegligible(k)
            }
        }
        func check(_ p: PredictedDecay, _ f: DecayFit, even: Bool) -> Bool {
            if case .finiteRank(let degree) = p { return zerosPast(degree, even: even) }
            if p == .vanishing { return zerosPast(-1, even: even) }
            return RKHSClassification.agrees(p, f, dimension: d)
        }
        let evenAgrees = check(predicted.even, even, even: true)
        let oddAgrees = check(predicted.odd, odd, even: false)
        agrees = evenAgrees && oddAgrees
        for (name, ok, p, f) in [("even", evenAgrees, predicted.even, even), ("odd", oddAgrees, predicted.odd, odd)]
        where !ok {
            notes.append(
                "DISAGREEMENT (\(name) k): theory predicts \(p.summary(dimension: d)), the eigenvalues show \(f.summary)"
            )
        }
        // The decay each parity follows: theory when it has one, else the measurement.
        func effective(_ p: PredictedDecay, _ f: DecayFit) -> PredictedDecay {
            if p != .unknown { return p }
            switch f.outcome {
            case .powerLaw(let e, _): return .algebraic(a: (e - Double(d - 1)) / 2)
            case .superPolynomial: return .superPolynomial
            case .vanishing(let k): return k < 0 ? .vanishing : .finiteRank(degree: k)
            case .undetermined: return .unknown
            }
        }
        let e = effective(predicted.even, even)
        let o = effective(predicted.odd, odd)
        func order(_ p: PredictedDecay) -> Double? { p.sobolevOrder(dimension: d) }
        evenOrder = order(e)
        oddOrder = order(o)
        let finite: (PredictedDecay) -> Bool = {
            if case .finiteRank = $0 { return true }
            return $0 == .vanishing
        }
        let zero: (Int) -> Bool = { RKHSClassification.isZero(spectrum, k: $0, fits: (even, odd)) }
        var rank: Int? = nil
        var zeroDegrees: [Int] = []
        let kind: Kind
        var sobolev: Double? = nil
        switch (e, o) {
        case _ where finite(e) && finite(o):
            kind = .finiteRank
            rank = (0...spectrum.kmax).filter { !zero($0) }.reduce(0) { $0 + Int(spectrum.multiplicity[$1].rounded()) }
        case (.superPolynomial, _) where o == .superPolynomial || finite(o),
            (_, .superPolynomial) where finite(e):
            kind = .smooth
        case (.algebraic(let a), .algebraic(let b)) where a == b:
            kind = .sobolev
            sobolev = order(e)
        case (.unknown, _), (_, .unknown):
            kind = .undetermined
        default:
            kind = .paritySplit
        }
        if kind == .sobolev || kind == .paritySplit {
            // Zero eigenvalues below the resolved tail (e.g. odd k >= 3 of a no-bias ReLU).
            zeroDegrees = (0...min(spectrum.kmax, spectrum.quadratureDegree)).filter(zero)
        }
        self.kind = kind
        self.rank = rank
        self.sobolevOrder = sobolev
        self.zeroDegrees = zeroDegrees
        equalsSobolev = kind == .sobolev && zeroDegrees.isEmpty
        if kind == .sobolev, !zeroDegrees.isEmpty {
            let shown = zeroDegrees.prefix(8).map(String.init).joined(separator: ", ")
            notes.append(
                "mu_k = 0 at k = \(shown)\(zeroDegrees.count > 8 ? ", ..." : ""): the RKHS is a proper subspace of H^\(String(format: "%.4g", sobolev!)) (those harmonics are missing)"
            )
        }
        for (name, f) in [("even", even), ("odd", odd)] {
            if case .undetermined(let why) = f.outcome {
                notes.append("\(name) k could not be measured (\(why)): the theory stands unchecked there")
            }
        }
        if kind == .smooth {
            notes.append("super-polynomial decay: the RKHS lies in every Sobolev space H^s(S^\(d - 1)) and equals none")
        }
        self.notes = notes
    }

    /// Whether mu_k is zero as measured: an exact zero of a finite-rank kernel, a k past where
    /// its parity vanishes (``DecayFit``: an abrupt drop, not the noise floor), or a negligible
    /// mu_0 or mu_1.
    public static func isZero(_ s: GegenbauerSpectrum, k: Int, fits: (even: DecayFit, odd: DecayFit)) -> Bool {
        if s.method[k] == .exactZero { return true }
        if k < 2 { return s.isNegligible(k) }
        if case .vanishing(let beyond) = (k % 2 == 0 ? fits.even : fits.odd).outcome { return k > beyond }
        return false
    }

    /// Whether mu_k is zero as measured (see the static form).
    public func isZero(_ s: GegenbauerSpectrum, k: Int) -> Bool { RKHSClassification.isZero(s, k: k, fits: fits) }

    /// Whether a measured decay agrees with a predicted one (`.unknown` agrees with anything;
    /// a measurement that could not be made -- values below the noise floor -- agrees with a
    /// super-polynomial or finite prediction, since it cannot contradict it).
    public static func agrees(_ predicted: PredictedDecay, _ fit: DecayFit, dimension d: Int) -> Bool {
        switch (predicted, fit.outcome) {
        case (.unknown, _): return true
        case (.algebraic, .powerLaw(let p, let u)):
            let q = predicted.exponent(dimension: d)!
            return Swift.abs(p - q) <= 3 * u + 0.01 * q
        case (.algebraic, .undetermined): return true
        case (.superPolynomial, .superPolynomial), (.superPolynomial, .undetermined): return true
        case (.finiteRank(let degree), .vanishing(let beyond)): return beyond <= degree
        case (.finiteRank, .undetermined): return true
        case (.vanishing, .vanishing(let beyond)): return beyond < 2
        default: return false
        }
    }
}
