import ArgumentParser
import Foundation
import NeuralKernels
import SphericalSpectra

/// `rkhs classify`: which Sobolev space the RKHS is, from theory and from the eigenvalues.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "The RKHS class of a kernel on S^{d-1}: Sobolev order, parity split, finite rank or smooth, with the evidence.",
        discussion: """
            The prediction comes from the activation's non-smoothness degree m at 0 and its even and \
            odd parts (NNGP a = m + 1/2, NTK a = m - 1/2, mu_k ~ k^{-(d-1)-2a}, Sobolev order \
            s = (d-1)/2 + a); the evidence is the decay fitted to the computed eigenvalues, even and \
            odd k separately. Disagreements are printed, never hidden.
            """)

    @OptionGroup var source: SpectralKernelOptions

    @Option(help: "Sphere dimension: S^{d-1} in R^d, d >= 2.")
    var dim: Int = 3

    @Option(help: "Largest degree k computed (the fits use the quadrature range).")
    var kmax: Int = 400

    @Option(help: "Output format: table, json or markdown.")
    var format: ReportFormat = .table

    func run() throws {
        let (spectrum, network) = try source.spectrum(dimension: dim, kmax: kmax)
        let c = RKHSClassification(spectrum)
        let report = ClassificationReport(c, network: network)
        switch format {
        case .json: print(report.json)
        case .markdown: print(report.markdown, terminator: "")
        case .table: print(report.table, terminator: "")
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}

/// A classification as text, JSON or Markdown (also used by `compare` and `reproduce`).
struct ClassificationReport {
    let c: RKHSClassification
    let network: NetworkKernel?

    init(_ c: RKHSClassification, network: NetworkKernel?) { self.c = c; self.network = network }

    var nonsmoothnessDegree: Int? { network?.activation.regularity.nonSmoothnessDegree }

    var activationRegularity: String? {
        guard let a = network?.activation else { return nil }
        switch a.regularity {
        case .analytic: return "smooth (analytic)"
        case .polynomial(let p): return "polynomial of degree \(p)"
        case .kink(let m, let j): return "non-smooth of degree m = \(m) at 0 (derivative \(m) jumps by \(String(format: "%.6g", j)))"
        }
    }

    func order(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "-" }

    /// "H^2.5", "parity split: even H^3.5, odd H^2.5", "finite rank 4", "smooth".
    var headline: String {
        switch c.kind {
        case .sobolev: return "H^\(order(c.sobolevOrder))(S^\(c.dimension - 1))" + (c.equalsSobolev ? "" : " (proper subspace: some mu_k = 0)")
        case .paritySplit: return "even k \(part(c.evenOrder, c.predicted.even)), odd k \(part(c.oddOrder, c.predicted.odd))"
        case .finiteRank: return "finite rank \(c.rank ?? 0)"
        case .smooth: return "smooth (super-polynomial decay)"
        case .undetermined: return "undetermined"
        }
    }

    func part(_ s: Double?, _ p: PredictedDecay) -> String {
        if let s { return "H^\(order(s))" }
        return p.summary(dimension: c.dimension)
    }

    var json: String {
        let d = c.dimension
        var o = JSONObject()
        o.add("kernel", string: c.kernelName)
        o.add("dimension", d)
        o.add("class", string: c.kind.rawValue)
        o.add("sobolev_order", c.sobolevOrder)
        o.add("equals_sobolev", c.kind == .sobolev ? c.equalsSobolev : nil)
        o.add("even_order", c.evenOrder)
        o.add("odd_order", c.oddOrder)
        o.add("rank", c.rank)
        o.add("nonsmoothness_degree", nonsmoothnessDegree)
        o.add("activation_regularity", string: activationRegularity)
        o.add("parity_parts", string: network.map { $0.activation.parityDecomposition.description })
        o.add("predicted_exponent", c.predicted.even == c.predicted.odd ? c.predicted.even.exponent(dimension: d) : nil)
        o.add("predicted_exponent_even", c.predicted.even.exponent(dimension: d))
        o.add("predicted_exponent_odd", c.predicted.odd.exponent(dimension: d))
        o.add("predicted_even", string: c.predicted.even.summary(dimension: d))
        o.add("predicted_odd", string: c.predicted.odd.summary(dimension: d))
        o.add("fitted_exponent_even", c.fits.even.exponent)
        o.add("fitted_uncertainty_even", c.fits.even.uncertainty)
        o.add("fitted_exponent_odd", c.fits.odd.exponent)
        o.add("fitted_uncertainty_odd", c.fits.odd.uncertainty)
        o.add("fit_even", string: c.fits.even.summary)
        o.add("fit_odd", string: c.fits.odd.summary)
        // Ranges as data ([first k, last k] or null), like regularity's `scales`.
        o.add("k_range_even", raw: c.fits.even.window.map { "[\($0.lowerBound),\($0.upperBound)]" } ?? "null")
        o.add("k_range_odd", raw: c.fits.odd.window.map { "[\($0.lowerBound),\($0.upperBound)]" } ?? "null")
        o.add("zero_degrees", raw: "[" + c.zeroDegrees.prefix(1000).map(String.init).joined(separator: ",") + "]")
        o.add("agrees", c.agrees)
        o.add("notes", raw: "[" + c.notes.map { "\"\(jsonEscape($0))\"" }.joined(separator: ",") + "]")
        return o.text
    }

    var table: String {
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

    var markdown: String {
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
