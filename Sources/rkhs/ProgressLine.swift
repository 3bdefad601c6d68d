import Foundation
import Synchronization

/// Percent progress on stderr: rewritten in place with a carriage return on a terminal, one line
/// per report otherwise (logs and pipes get no \r), there only once the work has run for
/// `quietSeconds` (a fast run does not fill a log with 100 lines). Reports may arrive from
/// several threads and out of order; only a percentage above the last one printed is written,
/// so they never run backwards.
final class ProgressLine: Sendable {
    private let label: String
    /// The last percentage printed, -1 before the first; held while printing, so lines stay in order.
    private let shown = Mutex(-1)
    private let terminal = isatty(STDERR_FILENO) != 0
    private let start = Date()
    /// Off a terminal, lines start after this long.
    static let quietSeconds = 2.0

    init(label: String) { self.label = label }

    func report(percent: Int) {
        shown.withLock { shown in
            guard percent > shown else { return }
            guard terminal || Date().timeIntervalSince(start) >= ProgressLine.quietSeconds else { return }
            shown = percent
            FileHandle.standardError.write(
                Data((terminal ? "\r\(label): \(percent)%" : "\(label): \(percent)%\n").utf8))
        }
    }

    /// Ends the in-place line on a terminal.
    func finish() {
        shown.withLock { shown in
            if terminal && shown >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
}
