import ArgumentParser
import Foundation
import NeuralKernels
import SphericalSpectra

/// `rkhs spectrum`: Mercer eigenvalues mu_k of a dot-product kernel on S^{d-1}.
struct SpectrumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectrum",
        abstract: "Mercer (Funk-Hecke) eigenvalues mu_k on S^{d-1}, with error estimates and resolved flags.",
        discussion: """
            kappa(t) = sum_k mu_k N(d,k) P_k(t), P_k(1) = 1 (the normalisation of the "Beyond ReLU" code). \
            CSV columns k,mu,multiplicity,error,resolved; a value is resolved when its error estimate is at \
            most 1e-6 of it. The kernel is the network's NNGP or NTK, or --standard \
            \(SpectralKernelOptions.standardForms), or --tabulated file.csv (t,kappa), or --expression in t.
            """)

    @OptionGroup var source: SpectralKernelOptions

    @OptionGroup(title: "Sphere") var sphere: SphereOptions<Limits>
    var dim: Int { sphere.dim }
    var kmax: Int { sphere.kmax }

    enum Limits: SphereLimits {
        static let kmax = 100
        static let degrees = 0...10_000_000
        static let kmaxHelp = "Largest degree k"
    }

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: "Also write a log-log SVG plot of |mu_k| against k + 1 with the fitted power laws.")
    var plot: String?

    func run() throws {
        try checkPlotPath(plot)
        let spectrum = try source.spectrum(dimension: dim, kmax: kmax).spectrum
        if let k = (0...spectrum.kmax).first(where: { !spectrum.mu[$0].isFinite || !spectrum.error[$0].isFinite }) {
            throw UsageError(
                "mu_\(k) of \(spectrum.kernelName) is not a finite number (\(spectrum.mu[k])); allowed: a kernel whose spectrum is representable"
            )
        }
        let negative = Self.negativeBeyondError(spectrum)
        if !negative.isEmpty {
            FileHandle.standardError.write(
                Data(
                    ("spectrum: warning: \(spectrum.kernelName) on S^\(spectrum.dimension - 1): mu_k < 0 beyond its error bound at k = \(Self.list(negative)); "
                        + "a user kernel there is not positive definite, a network kernel (positive definite by construction) has an error estimate that undershoots\n")
                        .utf8))
        }
        if let plot {
            let svg = SpectrumPlot.svg(
                title: "\(spectrum.kernelName) on S^\(spectrum.dimension - 1)",
                spectra: [(spectrum.kernelName, spectrum)])
            try UsageError.wrap { try AtomicFile.write(svg, to: plot) }
        }
        print(try render(spectrum), terminator: "")
    }

    /// The k whose mu_k is negative by more than its error bound: a valid (positive-definite)
    /// dot-product kernel on the sphere has every mu_k >= 0 (Schoenberg).
    static func negativeBeyondError(_ s: GegenbauerSpectrum) -> [Int] {
        (0...s.kmax).filter { s.mu[$0] < -s.error[$0] }
    }

    /// "4, 8, 12, ... (25 in all)" for long lists.
    static func list(_ ks: [Int]) -> String {
        ks.count <= 8
            ? ks.map(String.init).joined(separator: ", ")
            : ks.prefix(6).map(String.init).joined(separator: ", ") + ", ... (\(ks.count) in all)"
    }

    /// log N(d, k), the log of the dimension of the degree-k spherical harmonics on S^{d-1}:
    /// N = (2k + d - 2)/k C(k + d - 3, k - 1), by lgamma so it never overflows (N itself does
    /// beyond about d = 4096, k = 100).

    /// The multiplicity, or e^(log N) when N is beyond double precision.
    static func multiplicityText(_ s: GegenbauerSpectrum, _ k: Int) -> String {
        s.multiplicity[k].isFinite
            ? String(format: "%.0f", s.multiplicity[k])
            : "e^" + String(format: "%.2f", Multiplicity.logValue(dimension: s.dimension, degree: k))
    }

    func render(_ s: GegenbauerSpectrum) throws -> String {
        let predicted = s.predictedDecay.exponent(dimension: s.dimension)
        switch format {
        case .csv:
            var out = "k,mu,multiplicity,error,resolved\n"
            for k in 0...s.kmax {
                out +=
                    "\(k),\(full(s.mu[k])),\(s.multiplicity[k].isFinite ? full(s.multiplicity[k]) : "inf"),\(full(s.error[k])),\(s.resolved[k])\n"
            }
            return out
        case .json:
            return try json(s)
        case .table:
            var out = "\(s.kernelName) on S^\(s.dimension - 1): mu_k, k = 0...\(s.kmax)\n"
            if let p = predicted {
                out +=
                    "predicted decay: mu_k ~ k^-\(p) (Sobolev order \(s.predictedDecay.sobolevOrder(dimension: s.dimension)!))\n"
            } else {
                out += "predicted decay: \(s.predictedDecay)\n"
            }
            let fits = s.parityFits
            let parity = s.parityDecay
            out += "even k: predicted \(parity.even.summary(dimension: s.dimension)); measured \(fits.even.summary)\n"
            out += "odd k:  predicted \(parity.odd.summary(dimension: s.dimension)); measured \(fits.odd.summary)\n"
            if s.sumRule.isCheckable {
                out +=
                    "sum rule: kappa(1) - sum N mu = \(full(s.sumRule.residual)) (tail estimate \(full(s.sumRule.tailEstimate)))\n"
            } else {
                out +=
                    "sum rule: not checkable here: the error bounds times the multiplicities sum to \(full(s.sumRule.errorSum)) (tail estimate \(full(s.sumRule.tailEstimate))), against kappa(1) = \(full(s.sumRule.kernelAtOne))\n"
            }
            out += pad("k", 8) + pad("mu", 26) + pad("multiplicity", 16) + pad("error", 26) + "resolved\n"
            for k in 0...s.kmax {
                out +=
                    pad("\(k)", 8) + pad(full(s.mu[k]), 26) + pad(Self.multiplicityText(s, k), 16)
                    + pad(full(s.error[k]), 26) + (s.resolved[k] ? "yes" : "NO (not resolved)") + "\n"
            }
            let negative = Self.negativeBeyondError(s)
            if !negative.isEmpty {
                out +=
                    "mu_k < 0 beyond its error bound at k = \(Self.list(negative)) (not positive definite, or an undershooting error estimate)\n"
            }
            return out
        }
    }

    func json(_ s: GegenbauerSpectrum) throws -> String {
        let d = s.dimension
        let fits = s.parityFits
        let parity = s.parityDecay
        let rule = s.sumRule
        let sumRule = JSONDocument { o in
            try o.encodeNumber(rule.kernelAtOne, forKey: "kappa_1")
            try o.encodeNumber(rule.residual, forKey: "residual")
            try o.encodeNumber(rule.tailEstimate, forKey: "tail_estimate")
            try o.encodeNumber(rule.errorSum, forKey: "error_sum")
            try o.encode(rule.isCheckable, forKey: "checkable")
        }
        let rows = (0...s.kmax).map { k in
            JSONDocument { o in
                try o.encode(k, forKey: "k")
                try o.encodeNumber(s.mu[k], forKey: "mu")
                try o.encodeNumber(s.multiplicity[k], forKey: "multiplicity")
                try o.encodeNumber(Multiplicity.logValue(dimension: d, degree: k), forKey: "log_multiplicity")
                try o.encodeNumber(s.error[k], forKey: "error")
                try o.encode(s.resolved[k], forKey: "resolved")
            }
        }
        let negative = Self.negativeBeyondError(s)
        return try JSONOutput.text(
            JSONDocument { o in
                try o.encode(s.kernelName, forKey: "kernel")
                try o.encode(d, forKey: "dimension")
                try o.encode(s.kmax, forKey: "kmax")
                try o.encode(s.predictedDecay.summary(dimension: d), forKey: "predicted")
                try o.encodeNumber(s.predictedDecay.exponent(dimension: d), forKey: "predicted_exponent")
                try o.encodeNumber(parity.even.exponent(dimension: d), forKey: "predicted_exponent_even")
                try o.encodeNumber(parity.odd.exponent(dimension: d), forKey: "predicted_exponent_odd")
                try o.encode(parity.even.summary(dimension: d), forKey: "predicted_even")
                try o.encode(parity.odd.summary(dimension: d), forKey: "predicted_odd")
                try o.encode(parity.reason, forKey: "parity_reason")
                try o.encodeNumber(fits.even.exponent, forKey: "fitted_exponent_even")
                try o.encodeNumber(fits.even.uncertainty, forKey: "fitted_uncertainty_even")
                try o.encode(fits.even.summary, forKey: "fit_even")
                try o.encodeNumber(fits.odd.exponent, forKey: "fitted_exponent_odd")
                try o.encodeNumber(fits.odd.uncertainty, forKey: "fitted_uncertainty_odd")
                try o.encode(fits.odd.summary, forKey: "fit_odd")
                try o.encodeNumber(s.predictedDecay.sobolevOrder(dimension: d), forKey: "sobolev_order")
                try o.encodeNumber(s.tail?.expansion.leadingUpperConstant, forKey: "leading_constant")
                try o.encode(sumRule, forKey: "sum_rule")
                try o.encode(negative.isEmpty, forKey: "positive_definite")
                try o.encode(negative, forKey: "negative_k")
                try o.encode(rows, forKey: "values")
            }) + "\n"
    }
}
