import _ParallelFill
import ArgumentParser
import Foundation
import NeuralKernels
import SphericalSpectra

/// `rkhs reproduce rkhs-table`: the RKHS class of every catalogue activation at depths 2...5,
/// NNGP and NTK, with and without bias, on S^2 -- "does depth change the function space?".
struct ReproduceRKHSTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkhs-table",
        abstract:
            "The RKHS classification table of the whole activation catalogue (depths 2-5, d = 3, with and without bias)."
    )

    @Option(help: "Output directory.")
    var out: String = "notebooks-data/rkhs"

    @OptionGroup(title: "Sphere") var sphere: SphereOptions<Limits>
    var dim: Int { sphere.dim }
    var kmax: Int { sphere.kmax }

    enum Limits: SphereLimits {
        static let kmax = 300
        static let degrees = 40...5000
        static let dimensions = 2...64
        static let kmaxHelp = "Largest k computed per kernel"
    }

    /// Every catalogue example and user-activation example, except activations with kinks away
    /// from 0 (hardtanh, relu6), which the table has never had: their duals are split
    /// quadratures of about 5 ms per evaluation (README), and each row needs 16 spectra.
    static var activations: [String] {
        ActivationCatalogue.examples.filter { name in
            (try? ActivationCatalogue.activation(named: name))?.breakpoints.isEmpty ?? true
        }
    }

    struct Cell {
        let classification: RKHSClassification
        let report: ClassificationReport
    }

    func run() throws {
        let dir = try OutputDirectory(out)
        struct Job {
            let activation: Activation
            let depth: Int
            let kind: KernelKind
            let bias: Bool
        }
        var jobs: [Job] = []
        for name in Self.activations {
            let a = try UsageError.wrap { try ActivationCatalogue.activation(named: name) }
            for bias in [true, false] {
                for kind in [KernelKind.nngp, .ntk] {
                    for depth in 2...5 { jobs.append(Job(activation: a, depth: depth, kind: kind, bias: bias)) }
                }
            }
        }
        let d = dim
        let K = kmax
        let list = jobs
        let results = SlotArray<Result<Cell, Error>>(count: list.count)
        ParallelFill.forEach(list.count) { n in
            let job = list[n]
            let count = results.store(
                Result {
                    let network = try NetworkKernel(
                        activation: job.activation, depth: job.depth, sigmaW: 1, sigmaB: job.bias ? 1 : 0)
                    let s = try GegenbauerSpectrum(
                        kernel: try NetworkSphereKernel(network, kind: job.kind), dimension: d, kmax: K)
                    let c = RKHSClassification(s)
                    return Cell(classification: c, report: ClassificationReport(c, network: network))
                }, at: n)
            if count % 16 == 0 || count == list.count {
                FileHandle.standardError.write(Data("classified \(count)/\(list.count)\n".utf8))
            }
        }
        let cells = try results.values.map { result in try UsageError.wrap { try result.get() } }
        try dir.write(try JSONOutput.text(cells.map(\.report)) + "\n", to: "classes.json")
        try dir.write(
            readme(jobs: list.map { ($0.activation, $0.depth, $0.kind, $0.bias) }, cells: cells), to: "README.md")
    }

    func short(_ c: RKHSClassification, _ r: ClassificationReport) -> String {
        let mark = c.agrees ? "" : " (**theory and numbers disagree**)"
        switch c.kind {
        case .sobolev: return "H^\(r.order(c.sobolevOrder))" + (c.equalsSobolev ? "" : " minus some k") + mark
        case .paritySplit:
            return "even \(r.part(c.evenOrder, c.predicted.even)), odd \(r.part(c.oddOrder, c.predicted.odd))" + mark
        case .finiteRank: return "rank \(c.rank ?? 0)" + mark
        case .smooth: return "smooth" + mark
        case .undetermined: return "undetermined" + mark
        }
    }

    func readme(jobs: [(Activation, Int, KernelKind, Bool)], cells: [Cell]) -> String {
        var rows = ""
        var i = 0
        var disagreements = 0
        while i < jobs.count {
            let (a, _, kind, bias) = jobs[i]
            let group = (0..<4).map { cells[i + $0] }
            let labels = group.map { short($0.classification, $0.report) }
            disagreements += group.filter { !$0.classification.agrees }.count
            let same = Set(labels).count == 1
            let m =
                a.regularity.nonSmoothnessDegree.map { "m = \($0)" }
                ?? (a.regularity == .analytic ? "smooth" : "\(a.regularity)")
            rows +=
                "| `\(a.name)` | \(m) | \(kind.rawValue) | \(bias ? "yes" : "no") | " + labels.joined(separator: " | ")
                + " | \(same ? "no" : "**yes**") |\n"
            i += 4
        }
        return """
            # Which function space? The RKHS of every catalogue activation on S^\(dim - 1)

            Regenerated by `rkhs reproduce rkhs-table` (do not edit by hand): for each activation,
            depth L = 2...5 (L - 1 hidden layers), NNGP and NTK, with bias (sigma_b = 1) and without,
            sigma_w = 1, d = \(dim), eigenvalues computed to k = \(kmax). Each cell is `rkhs classify`:
            the class from theory (the activation's non-smoothness degree m and its even and odd parts,
            Proofs/parity-without-bias.md), checked against the decay fitted to the computed
            eigenvalues (`classes.json` has every predicted and fitted exponent with its
            uncertainty and k range).

            Legend: H^s = the Sobolev space H^s(S^\(dim - 1)) with equivalent norms
            (s = (d-1)/2 + a, a = m + 1/2 for the NNGP and m - 1/2 for the NTK); "even ..., odd ..." =
            parity split (even and odd harmonics in different spaces; "zero beyond k = p" = that
            parity has finitely many harmonics, "identically zero" = none); rank r = finite-dimensional
            RKHS of dimension r; smooth = super-polynomial decay (in every H^s, equal to none).
            Theory and eigenvalues disagree in \(disagreements) of the \(cells.count) cells.

            | activation | regularity at 0 | kernel | bias | L = 2 | L = 3 | L = 4 | L = 5 | depth changes the RKHS? |
            |---|---|---|---|---|---|---|---|---|
            \(rows)
            Reading it: with bias, depth never changes the Sobolev class of a non-smooth activation
            (Beyond ReLU); without bias, one hidden layer splits the parities by the activation's even
            and odd parts and deeper networks mix them back to the overall rate; polynomial
            activations give finite-dimensional spaces that grow with depth; smooth activations give
            spaces contained in every Sobolev space.

            """
    }
}
