import Foundation

/// Results of parallel workers, each stored once under a lock, with a count of those done.
final class GridSlots<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private var done = 0
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    /// Stores `value` at `index`; returns how many slots are filled.
    func store(_ value: Value, at index: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[index] = value
        done += 1
        return done
    }
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
