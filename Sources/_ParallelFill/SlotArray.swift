import Synchronization

/// One result slot per concurrent task, each filled once, read when all are done, with the
/// count of filled slots for progress. Built on `Mutex`, so it is `Sendable` by checking.
public final class SlotArray<Value: Sendable>: Sendable {
    private let state: Mutex<(slots: [Value?], filled: Int)>

    public init(count: Int) { state = Mutex((Array(repeating: nil, count: count), 0)) }

    /// Stores slot `index`; returns how many slots are filled.
    @discardableResult
    public func store(_ value: Value, at index: Int) -> Int {
        state.withLock { s in
            if s.slots[index] == nil { s.filled += 1 }
            s.slots[index] = value
            return s.filled
        }
    }

    /// Slot `index`, nil while it is empty.
    public subscript(index: Int) -> Value? { state.withLock { $0.slots[index] } }

    /// Every slot in order; each must be filled.
    public var values: [Value] { state.withLock { $0.slots.map { $0! } } }

    /// body(k) for k in 0..<count on all cores, results in order (the first error in slot
    /// order is rethrown); progress gets the number done, from any thread.
    public static func map(
        _ count: Int, progress: (@Sendable (Int) -> Void)? = nil,
        _ body: @Sendable (Int) throws -> Value
    ) throws -> [Value] {
        let slots = SlotArray<Result<Value, any Error>>(count: count)
        ParallelFill.forEach(count) { k in
            let done = slots.store(Result { try body(k) }, at: k)
            progress?(done)
        }
        return try slots.values.map { try $0.get() }
    }
}
