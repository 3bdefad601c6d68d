import Foundation

/// Percent progress on stderr: rewritten in place with a carriage return on a terminal, one line
/// per report otherwise (logs and pipes get no \r). Reports may arrive from several threads and
/// out of order; only a percentage above the last one printed is written, so they never run backwards.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var shown = -1
    private let terminal = isatty(STDERR_FILENO) != 0

    init(label: String) { self.label = label }

    func report(percent: Int) {
        lock.lock(); defer { lock.unlock() }
        guard percent > shown else { return }
        shown = percent
        FileHandle.standardError.write(Data((terminal ? "\r\(label): \(percent)%" : "\(label): \(percent)%\n").utf8))
    }

    /// Ends the in-place line on a terminal.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        if terminal && shown >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
