import Foundation

/// `(0..<count).map(body)` spread over all cores in blocks; results in index order. Used
/// where evaluations (kernel values, network paths) are independent and many.
func concurrentMap<T>(_ count: Int, block: Int = 1024, _ body: @Sendable (Int) -> T) -> [T] {
    var out = [T?](repeating: nil, count: count)
    let blocks = (count + block - 1) / block
    out.withUnsafeMutableBufferPointer { buffer in
        let base = SendablePointer(buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            for i in (b * block)..<min(count, (b + 1) * block) { base.pointer[i] = body(i) }
        }
    }
    return out.map { $0! }
}

private struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
