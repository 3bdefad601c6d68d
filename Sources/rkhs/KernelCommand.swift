import ArgumentParser
import Foundation
import NeuralKernels

/// `rkhs kernel`: NNGP and NTK values on the unit sphere as functions of t = <x, x'>.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "NNGP and NTK of a deep network on the unit sphere, at given t = <x, x'>.",
        discussion: "Sigma_1(t) = sigma_w^2 t + sigma_b^2 sigma_i^2; CSV columns t,nngp,ntk with 17 significant digits."
    )

    /// Up to this many values of t the duals are evaluated directly; beyond, tabulated per
    /// layer. Measured at depth 50: tanh 9 t 0.9 s direct against 33 s tabulated, 1000 t 79 s
    /// against about 33 s (near t = 1 its series often hands over to the quadrature); ELU,
    /// softplus, hardtanh direct at 1000 t in 2-6 s.
    static let directUpTo = 256

    @OptionGroup(title: "Network") var options: NetworkOptions

    @Option(
        parsing: .unconditional,
        help: "Comma-separated inner products t in [-1, 1] (a leading minus is fine: --t -1,0,1).")
    var t: String = "-1,-0.5,0,0.5,1"

    @Option(help: "Input dimension d (needed only by the standard parametrization).")
    var dim: Int?

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        var ts: [Double] = []
        for piece in t.split(separator: ",", omittingEmptySubsequences: false) {
            let s = piece.trimmingCharacters(in: .whitespaces)
            guard let v = Double(s), v.isFinite, v >= -1, v <= 1 else {
                throw UsageError("invalid --t value '\(s)'; allowed: numbers in [-1, 1] separated by commas")
            }
            ts.append(v)
        }
        if let dim, dim < 1 { throw UsageError("invalid --dim '\(dim)'; allowed: an integer >= 1") }
        if options.parametrization == .standard && dim == nil {
            throw UsageError("--parametrization standard needs --dim d (the input dimension) on the sphere")
        }
        // Options that change nothing in the NTK parametrization are refused, not ignored.
        if options.parametrization == .ntk {
            if let width = options.width {
                throw UsageError(
                    "--width \(width) has no effect with --parametrization ntk; allowed: --width only with --parametrization standard"
                )
            }
            if let dim {
                throw UsageError(
                    "--dim \(dim) has no effect with --parametrization ntk; allowed: --dim only with --parametrization standard"
                )
            }
        }
        let network = try options.network(inputDimension: dim)
        // A few values of t are cheaper evaluated directly than through per-layer tables.
        let tabulate = ts.count > Self.directUpTo
        let sphere = try UsageError.wrap { try SphereKernel(network, tabulated: tabulate) }
        let rows = ts.map { t -> (Double, Double, Double) in
            let v = sphere(t)
            return (t, v.nngp, v.ntk)
        }
        // Every dual is finite wherever its value is (issue 16): a non-finite entry is the kernel
        // itself overflowing, reported rather than printed.
        if let bad = rows.first(where: { !$0.1.isFinite || !$0.2.isFinite }) {
            let quantity = bad.1.isFinite ? "NTK" : "NNGP"
            throw UsageError(KernelError.overflow(quantity: quantity, at: "t = \(full(bad.0))").description)
        }
        print(try KernelCommand.render(rows, format: format, network: network), terminator: "")
    }

    static func render(_ rows: [(Double, Double, Double)], format: OutputFormat, network: NetworkKernel) throws
        -> String
    {
        switch format {
        case .csv:
            return "t,nngp,ntk\n" + rows.map { "\(full($0.0)),\(full($0.1)),\(full($0.2))\n" }.joined()
        case .json:
            // The values are finite (run refuses overflow), so the encoder never meets NaN.
            let values = rows.map { row in
                JSONDocument { o in
                    try o.encode(row.0, forKey: "t")
                    try o.encode(row.1, forKey: "nngp")
                    try o.encode(row.2, forKey: "ntk")
                }
            }
            return try JSONOutput.text(
                JSONDocument { o in
                    try o.encode(network.activation.name, forKey: "activation")
                    try o.encode(network.depth, forKey: "depth")
                    try o.encode(network.sigmaW, forKey: "sigma_w")
                    try o.encode(network.sigmaB, forKey: "sigma_b")
                    try o.encode(network.sigmaI, forKey: "sigma_i")
                    try o.encode(network.parametrization.rawValue, forKey: "parametrization")
                    try o.encode(values, forKey: "values")
                }) + "\n"
        case .table:
            var out =
                "\(network.activation.name), depth \(network.depth), sigma_w \(network.sigmaW), sigma_b \(network.sigmaB), sigma_i \(network.sigmaI), \(network.parametrization.rawValue) parametrization\n"
            out += pad("t", 24) + pad("nngp", 26) + "ntk\n"
            for r in rows { out += pad(full(r.0), 24) + pad(full(r.1), 26) + full(r.2) + "\n" }
            return out
        }
    }
}

/// 17 significant digits: every double round-trips.
func full(_ x: Double) -> String { String(format: "%.17g", x) }

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}
