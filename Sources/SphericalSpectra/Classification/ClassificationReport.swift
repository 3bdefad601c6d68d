import Foundation
import NeuralKernels

/// An ``RKHSClassification`` as people and programs read it: a headline ("H^2.5(S^2)",
/// "even k H^3.5, odd k H^2.5", "finite rank 4", "smooth"), a table, Markdown, and JSON
/// (`Encodable`; the field names are the JSON schema of `rkhs classify --format json`, of
/// `compare`'s kernels and of the reproduced classes.json). With the network behind the kernel
/// it also states the activation's regularity at 0 and its parity parts.
public struct ClassificationReport: Sendable {
    public let classification: RKHSClassification
    public let network: NetworkKernel?

    public init(_ classification: RKHSClassification, network: NetworkKernel?) {
        self.classification = classification
        self.network = network
    }

    /// The activation's non-smoothness degree m at 0 (nil for smooth or polynomial ones).
    public var nonsmoothnessDegree: Int? { network?.activation.regularity.nonSmoothnessDegree }

    /// The activation's regularity at 0 in words (nil without a network).
    public var activationRegularity: String? {
        guard let a = network?.activation else { return nil }
        switch a.regularity {
        case .analytic: return "smooth (analytic)"
        case .polynomial(let p): return "polynomial of degree \(p)"
        case .kink(let m, let j):
            return "non-smooth of degree m = \(m) at 0 (derivative \(m) jumps by \(String(format: "%.6g", j)))"
        }
    }

    /// A Sobolev order with four significant digits, "-" when there is none.
    public func order(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "-" }

    /// "H^2.5(S^2)", "even k H^3.5, odd k H^2.5", "finite rank 4", "smooth (super-polynomial decay)".
    public var headline: String {
        let c = classification
        switch c.kind {
        case .sobolev:
            return "H^\(order(c.sobolevOrder))(S^\(c.dimension - 1))"
                + (c.equalsSobolev ? "" : " (proper subspace: some mu_k = 0)")
        case .paritySplit:
            return "even k \(part(c.evenOrder, c.predicted.even)), odd k \(part(c.oddOrder, c.predicted.odd))"
        case .finiteRank: return "finite rank \(c.rank ?? 0)"
        case .smooth: return "smooth (super-polynomial decay)"
        case .undetermined: return "undetermined"
        }
    }

    /// One parity's space: H^s when it has a Sobolev order, else its predicted decay in words.
    public func part(_ s: Double?, _ p: PredictedDecay) -> String {
        if let s { return "H^\(order(s))" }
        return p.summary(dimension: classification.dimension)
    }

    public var table: String {
        let c = classification
        let d = c.dimension
        var out = "\(c.kernelName) on S^\(d - 1)\n"
        if let r = activationRegularity { out += "activation:  \(r)\n" }
        if let n = network { out += "parts:       \(n.activation.parityDecomposition)\n" }
        out += "class:       \(c.kind.rawValue): \(headline)\n"
        out += "even k:      predicted \(c.predicted.even.summary(dimension: d)); measured \(c.fits.even.summary)\n"
        out += "odd k:       predicted \(c.predicted.odd.summary(dimension: d)); measured \(c.fits.odd.summary)\n"
        out += "agreement:   \(c.agrees ? "theory and eigenvalues agree" : "THEORY AND EIGENVALUES DISAGREE")\n"
        for note in c.notes { out += "note:        \(note)\n" }
        return out
    }

    public var markdown: String {
        let c = classification
        let d = c.dimension
        var out = "### \(c.kernelName) on S^\(d - 1)\n\n| | |\n|---|---|\n"
        if let r = activationRegularity { out += "| activation | \(r) |\n" }
        out += "| class | `\(c.kind.rawValue)`: \(headline) |\n"
        out += "| even k | predicted \(c.predicted.even.summary(dimension: d)); measured \(c.fits.even.summary) |\n"
        out += "| odd k | predicted \(c.predicted.odd.summary(dimension: d)); measured \(c.fits.odd.summary) |\n"
        out += "| agreement | \(c.agrees ? "yes" : "**NO**") |\n\n"
        for note in c.notes { out += "- \(note)\n" }
        return out + "\n"
    }
}

extension ClassificationReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case kernel, dimension, kind = "class", sobolevOrder = "sobolev_order", equalsSobolev = "equals_sobolev"
        case evenOrder = "even_order", oddOrder = "odd_order", rank
        case nonsmoothnessDegree = "nonsmoothness_degree", activationRegularity = "activation_regularity"
        case parityParts = "parity_parts", predictedExponent = "predicted_exponent"
        case predictedExponentEven = "predicted_exponent_even", predictedExponentOdd = "predicted_exponent_odd"
        case predictedEven = "predicted_even", predictedOdd = "predicted_odd"
        case fittedExponentEven = "fitted_exponent_even", fittedUncertaintyEven = "fitted_uncertainty_even"
        case fittedExponentOdd = "fitted_exponent_odd", fittedUncertaintyOdd = "fitted_uncertainty_odd"
        case fitEven = "fit_even", fitOdd = "fit_odd", kRangeEven = "k_range_even", kRangeOdd = "k_range_odd"
        case zeroDegrees = "zero_degrees", agrees, notes
    }

    /// Every field is present; an absent or non-finite number is null (JSON has no NaN).
    public func encode(to encoder: any Encoder) throws {
        let c = classification
        let d = c.dimension
        var o = encoder.container(keyedBy: CodingKeys.self)
        try o.encode(c.kernelName, forKey: .kernel)
        try o.encode(d, forKey: .dimension)
        try o.encode(c.kind.rawValue, forKey: .kind)
        try o.encodeNumber(c.sobolevOrder, forKey: .sobolevOrder)
        try o.encode(c.kind == .sobolev ? c.equalsSobolev : nil, forKey: .equalsSobolev)
        try o.encodeNumber(c.evenOrder, forKey: .evenOrder)
        try o.encodeNumber(c.oddOrder, forKey: .oddOrder)
        try o.encode(c.rank, forKey: .rank)
        try o.encode(nonsmoothnessDegree, forKey: .nonsmoothnessDegree)
        try o.encode(activationRegularity, forKey: .activationRegularity)
        try o.encode(network.map { $0.activation.parityDecomposition.description }, forKey: .parityParts)
        let even = c.predicted.even
        let odd = c.predicted.odd
        try o.encodeNumber(even == odd ? even.exponent(dimension: d) : nil, forKey: .predictedExponent)
        try o.encodeNumber(even.exponent(dimension: d), forKey: .predictedExponentEven)
        try o.encodeNumber(odd.exponent(dimension: d), forKey: .predictedExponentOdd)
        try o.encode(even.summary(dimension: d), forKey: .predictedEven)
        try o.encode(odd.summary(dimension: d), forKey: .predictedOdd)
        try o.encodeNumber(c.fits.even.exponent, forKey: .fittedExponentEven)
        try o.encodeNumber(c.fits.even.uncertainty, forKey: .fittedUncertaintyEven)
        try o.encodeNumber(c.fits.odd.exponent, forKey: .fittedExponentOdd)
        try o.encodeNumber(c.fits.odd.uncertainty, forKey: .fittedUncertaintyOdd)
        try o.encode(c.fits.even.summary, forKey: .fitEven)
        try o.encode(c.fits.odd.summary, forKey: .fitOdd)
        // Ranges as data ([first k, last k] or null), like regularity's `scales`.
        try o.encode(c.fits.even.window.map { [$0.lowerBound, $0.upperBound] }, forKey: .kRangeEven)
        try o.encode(c.fits.odd.window.map { [$0.lowerBound, $0.upperBound] }, forKey: .kRangeOdd)
        try o.encode(Array(c.zeroDegrees.prefix(1000)), forKey: .zeroDegrees)
        try o.encode(c.agrees, forKey: .agrees)
        try o.encode(c.notes, forKey: .notes)
    }
}
