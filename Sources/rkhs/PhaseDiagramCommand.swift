import ArgumentParser
import Foundation
import KernelDynamics
import NeuralKernels

/// `rkhs phase-diagram`: fixed points over a grid of weight and bias scales, CSV + SVG.
struct PhaseDiagramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase-diagram",
        abstract: "Variance and correlation fixed points over a (sigma_w, sigma_b) grid: CSV and an SVG heat map.",
        discussion: """
            Each cell: q* (or divergence), chi1 = f'(1), and the attracting non-trivial rho* < 1 if any \
            (columns sigma_w,sigma_b,sigma_w2,sigma_b2,variance,q_star,q_star_stable,chi1,rho_star,rho_star_slope,fixed_points). \
            Writes PREFIX.csv and PREFIX.svg atomically; the SVG colours an attracting rho* < 1 on a labelled \
            colour bar and gives rho* = 1, nothing attracting and no q* their own legend colours (a dot: \
            chi1 > 1). The grid sets sigma_w and sigma_b (start the sigma_b \
            range at 0 for the no-bias column), so there is no --sigma-w, --sigma-b or --no-bias; no --sigma-i \
            either: the maps are those of sigma_i = 1, the only case KernelFixedPoints computes.
            """)

    @Option(help: "Activation (as in rkhs kernel).") var activation: String = "elu(1)"
    @Option(name: .customLong("sigma-w-range"), help: "sigma_w grid LO:HI:N (N >= 2 points, 0 <= LO < HI).")
    var sigmaWRange: String = "0.5:2.5:41"
    @Option(name: .customLong("sigma-b-range"), help: "sigma_b grid LO:HI:N (N >= 2 points, 0 <= LO < HI).")
    var sigmaBRange: String = "0:1:21"
    @Option(help: "Output prefix: writes PREFIX.csv and PREFIX.svg (a trailing .csv or .svg is dropped).") var out:
        String = "phase-diagram"

    /// The prefix of `--out`: a trailing .csv or .svg names the pair, not a third extension.
    static func prefix(_ out: String) -> String {
        for ext in [".csv", ".svg"] where out.lowercased().hasSuffix(ext) { return String(out.dropLast(ext.count)) }
        return out
    }

    static func grid(_ text: String, name: String) throws -> [Double] {
        let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let lo = parts[0], let hi = parts[1], let nd = parts[2],
            lo.isFinite, hi.isFinite, lo >= 0, hi > lo, nd == nd.rounded(), nd >= 2, nd <= 401
        else {
            throw UsageError("invalid \(name) '\(text)'; allowed: LO:HI:N with 0 <= LO < HI and 2 <= N <= 401 points")
        }
        let n = Int(nd)
        return (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
    }

    func run() throws {
        let ws = try PhaseDiagramCommand.grid(sigmaWRange, name: "--sigma-w-range")
        let bs = try PhaseDiagramCommand.grid(sigmaBRange, name: "--sigma-b-range")
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: activation) }
        let prefix = Self.prefix(out)
        try UsageError.wrap {
            try AtomicFile.checkWritable(prefix + ".csv")
            try AtomicFile.checkWritable(prefix + ".svg")
        }
        let start = Date()
        let total = ws.count * bs.count
        let progress = ProgressLine(label: "phase-diagram")
        let diagram = PhaseDiagram(activation: act, sigmaWs: ws, sigmaBs: bs) { fraction in
            let done = Int((fraction * Double(total)).rounded())
            if done % max(1, total / 50) == 0 || done == total {
                progress.report(percent: Int((fraction * 100).rounded()))
            }
        }
        progress.finish()
        try UsageError.wrap {
            try AtomicFile.write(diagram.csv, to: prefix + ".csv")
            try AtomicFile.write(diagram.svg, to: prefix + ".svg")
        }
        let nonTrivial = diagram.cells.filter { $0.nonTrivial != nil }.count
        let noQ = diagram.cells.filter { $0.analysis.qStar == nil }.count
        print(
            "\(act.name): \(ws.count) x \(bs.count) cells, \(nonTrivial) with an attracting rho* < 1, \(noQ) without q*; "
                + "wrote \(prefix).csv and \(prefix).svg in \(String(format: "%.1f", Date().timeIntervalSince(start))) s"
        )
    }
}
