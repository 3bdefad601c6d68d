import Foundation
import NeuralKernels

/// Writes `text` to `path` atomically, as a usage error if that fails.
func writeAtomically(_ text: String, to path: String) throws {
    try UsageError.wrap { try AtomicFile.write(Data(text.utf8), to: path) }
}

/// Refuses a plot path before any computation: it must end in .svg (the only format written)
/// and its directory must exist and be writable.
func checkPlotPath(_ path: String?, option: String = "--plot") throws {
    guard let path else { return }
    guard path.lowercased().hasSuffix(".svg") else {
        throw UsageError("invalid \(option) '\(path)'; allowed: a path ending in .svg")
    }
    try UsageError.wrap { try AtomicFile.checkWritable(path) }
}
