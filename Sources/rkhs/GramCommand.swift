import ArgumentParser
import Foundation
import NeuralKernels

/// `rkhs gram`: the NNGP or NTK Gram matrix of the rows of a data file.
struct GramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gram",
        abstract: "Gram matrix of the NNGP or NTK on the rows of a CSV file (Neural Tangents' input convention <x,x'>/d).",
        discussion: "Writes K.npy (NumPy float64, load with numpy.load) or K.csv (17 significant digits) atomically.")

    @Option(help: "CSV (or whitespace-separated) file of data points, one per row; a header row is allowed.")
    var data: String

    @OptionGroup(title: "Network") var options: NetworkOptions

    @Option(help: "Which kernel: nngp or ntk.")
    var kernel: KernelOption = .ntk

    @Option(help: "Output file, .npy or .csv.")
    var out: String

    func run() throws {
        let lower = out.lowercased()
        guard lower.hasSuffix(".npy") || lower.hasSuffix(".csv") else {
            throw UsageError("invalid --out '\(out)'; allowed: a path ending in .npy or .csv")
        }
        try UsageError.wrap { try AtomicFile.checkWritable(out) }
        let table = try UsageError.wrap { try NumericTable(contentsOf: data) }
        let network = try options.network(inputDimension: table.columnCount)
        let n = table.rows.count
        let showProgress = n >= 2000
        let start = Date()
        let progress: (@Sendable (Double) -> Void)? = showProgress ? GramCommand.reportProgress : nil
        let kind = kernel.value
        let gram: GramMatrix = try UsageError.wrap {
            try GramMatrix(points: table.rows, network: network, kind: kind, progress: progress)
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if let bad = gram.values.firstIndex(where: { !$0.isFinite }) {
            throw UsageError("the kernel between rows \(bad / n + 1) and \(bad % n + 1) is not a finite number (\(gram.values[bad])): the inputs or variances overflow double precision; allowed: rows and scales whose kernel is representable")
        }
        let bytes: Data
        if lower.hasSuffix(".npy") {
            bytes = NPYFile.encode(gram.values, rows: n, columns: n)
        } else {
            var text = ""
            text.reserveCapacity(n * n * 24)
            for i in 0..<n {
                text += (0..<n).map { full(gram.values[i * n + $0]) }.joined(separator: ",") + "\n"
            }
            bytes = Data(text.utf8)
        }
        try UsageError.wrap { try AtomicFile.write(bytes, to: out) }
        FileHandle.standardError.write(Data(String(format: "gram: %d x %d %@ matrix of %@ (depth %d) written to %@ in %.2f s\n",
                                                   n, n, kernel.rawValue, network.activation.name, network.depth, out,
                                                   Date().timeIntervalSince(start)).utf8))
    }

    @Sendable static func reportProgress(_ fraction: Double) {
        let percent = Int((fraction * 100).rounded())
        FileHandle.standardError.write(Data("\rgram: \(percent)%".utf8))
    }
}
