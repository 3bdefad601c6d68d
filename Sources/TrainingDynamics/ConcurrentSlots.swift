import Foundation

/// Results written by concurrent workers, one slot each, read once they have all finished.
final class ConcurrentSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, Error>?]
    private var finished = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Stores slot k's result; returns how many slots are filled.
    @discardableResult
    func set(_ k: Int, _ value: Result<Value, Error>) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[k] = value
        finished += 1
        return finished
    }

    /// The values in slot order, or the first error.
    func values() throws -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return try slots.map { try $0!.get() }
    }

    /// Runs body(k) for every k on all cores and collects the results in order.
    static func map(_ count: Int, progress: (@Sendable (Int) -> Void)? = nil,
                    _ body: @Sendable (Int) throws -> Value) throws -> [Value] {
        let slots = ConcurrentSlots(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { k in
            let done = slots.set(k, Result { try body(k) })
            progress?(done)
        }
        return try slots.values()
    }
}
