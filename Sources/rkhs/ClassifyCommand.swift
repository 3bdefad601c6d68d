import ArgumentParser
import Foundation
import NeuralKernels
import SphericalSpectra

/// `rkhs classify`: which Sobolev space the RKHS is, from theory and from the eigenvalues.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract:
            "The RKHS class of a kernel on S^{d-1}: Sobolev order, parity split, finite rank or smooth, with the evidence.",
        discussion: """
            The prediction comes from the activation's non-smoothness degree m at 0 and its even and \
            odd parts (NNGP a = m + 1/2, NTK a = m - 1/2, mu_k ~ k^{-(d-1)-2a}, Sobolev order \
            s = (d-1)/2 + a); the evidence is the decay fitted to the computed eigenvalues, even and \
            odd k separately. Disagreements are printed, never hidden.
            """)

    @OptionGroup var source: SpectralKernelOptions

    @OptionGroup(title: "Sphere") var sphere: SphereOptions<Limits>
    var dim: Int { sphere.dim }
    var kmax: Int { sphere.kmax }

    enum Limits: SphereLimits {
        static let kmax = 400
        static let degrees = 0...10_000_000
        static let kmaxHelp = "Largest degree k computed (the fits use the quadrature range)"
    }

    @Option(help: "Output format: table, json or markdown.")
    var format: ReportFormat = .table

    func run() throws {
        let (spectrum, network) = try source.spectrum(dimension: dim, kmax: kmax)
        let c = RKHSClassification(spectrum)
        let report = ClassificationReport(c, network: network)
        switch format {
        case .json: print(try JSONOutput.text(report))
        case .markdown: print(report.markdown, terminator: "")
        case .table: print(report.table, terminator: "")
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}
