import ArgumentParser
import Foundation
import NeuralKernels

/// `rkhs gram`: the NNGP or NTK Gram matrix of the rows of a data file.
struct GramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gram",
        abstract:
            "Gram matrix of the NNGP or NTK on the rows of a CSV file (Neural Tangents' input convention <x,x'>/d).",
        discussion: "Writes K.npy (NumPy float64, load with numpy.load) or K.csv (17 significant digits) atomically.")

    @Option(help: "CSV (or whitespace-separated) file of data points, one per row; a header row is allowed.")
    var data: String

    @OptionGroup(title: "Network") var options: NetworkOptions

    @Option(
        help:
            "Which kernel: nngp or ntk (default ntk, as in spectrum and train; sample, regularity and regress, which use the kernel as a covariance, default to nngp)."
    )
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
        // Progress at any n: on a terminal from the start, in logs once the run has taken 2 s.
        let progressLine: ProgressLine? = ProgressLine(label: "gram")
        progressLine?.report(percent: 0)
        let progress: (@Sendable (Double) -> Void)? = progressLine.map { line in
            { @Sendable fraction in line.report(percent: Int((fraction * 100).rounded(.down))) }
        }
        let start = Date()
        let kind = kernel.value
        // A non-finite entry fails the command (inside the write, so nothing is left behind).
        func checkFinite(_ values: UnsafeBufferPointer<Double>) throws {
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw UsageError(
                    "the kernel between rows \(bad / n + 1) and \(bad % n + 1) is not a finite number (\(values[bad])): the inputs or variances overflow double precision; allowed: rows and scales whose kernel is representable"
                )
            }
        }
        // Atomically and durably (fsync before the rename, as every command does: a power
        // loss right after the rename must not leave an empty file where the result, or the
        // old file, was). The .npy matrix is computed straight into the mapped output file, so
        // it exists once in memory (peak memory is the matrix plus O(n)) and is never copied.
        if lower.hasSuffix(".npy") {
            try UsageError.wrap {
                try NPYFile.write(rows: n, columns: n, to: out) { storage in
                    try GramMatrix.compute(
                        points: table.rows, network: network, kind: kind, into: storage, progress: progress)
                    progressLine?.finish()
                    try checkFinite(UnsafeBufferPointer(start: storage, count: n * n))
                }
            }
        } else {
            let gram = try UsageError.wrap {
                try GramMatrix(points: table.rows, network: network, kind: kind, progress: progress)
            }
            progressLine?.finish()
            try gram.values.withUnsafeBufferPointer { try checkFinite($0) }
            try UsageError.wrap { try GramCommand.writeCSV(gram.values, n: n, to: out) }
        }
        FileHandle.standardError.write(
            Data(
                String(
                    format: "gram: %d x %d %@ matrix of %@ (depth %d) written to %@ in %.2f s\n",
                    n, n, kernel.rawValue, network.activation.name, network.depth, out,
                    Date().timeIntervalSince(start)
                ).utf8))
    }

    /// One row per line, 17 significant digits (`%.17g`, so the doubles read back exactly),
    /// formatted into one reused line buffer and written line by line.
    static func writeCSV(_ values: [Double], n: Int, to path: String) throws {
        try AtomicFile.write(to: path) { file in
            var line = [UInt8](repeating: 0, count: n * 32 + 1)
            try values.withUnsafeBufferPointer { v in
                try line.withUnsafeMutableBufferPointer { buffer in
                    let out = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    for i in 0..<n {
                        var length = 0
                        for j in 0..<n {
                            // %.17g of a double is at most 24 characters; 32 leaves room for the comma.
                            let written = withVaList([v[i * n + j]]) { vsnprintf(out + length, 32, "%.17g", $0) }
                            length += Int(written)
                            out[length] = j == n - 1 ? 0x0A : 0x2C
                            length += 1
                        }
                        try file.write(UnsafeRawBufferPointer(start: buffer.baseAddress, count: length))
                    }
                }
            }
        }
    }
}
