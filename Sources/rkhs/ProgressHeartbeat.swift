import Foundation
import Synchronization

/// Progress of work whose length is not known in advance (an optimiser's likelihood
/// evaluations): after `quietSeconds`, at most one line every `interval` seconds on stderr,
/// "label: stage, current step N%, T s", from reports that may arrive from any thread. A fast
/// run prints nothing; a slow one is never silent for long.
final class ProgressHeartbeat: Sendable {
    private let label: String
    private let start = Date()
    private let state = Mutex((stage: "", last: Date.distantPast))
    static let quietSeconds = 2.0
    static let interval = 5.0

    init(label: String) { self.label = label }

    /// Names what the following reports are about (e.g. "split 2/5").
    func begin(_ stage: String) { state.withLock { $0.stage = stage } }

    /// The fraction done of the current step.
    func report(fraction: Double) {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed >= ProgressHeartbeat.quietSeconds else { return }
        state.withLock { s in
            guard now.timeIntervalSince(s.last) >= ProgressHeartbeat.interval else { return }
            s.last = now
            let line = String(
                format: "%@: %@, evaluating the covariance: %d%%, %.0f s\n", label as NSString, s.stage as NSString,
                Int((100 * fraction).rounded(.down)), elapsed)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
