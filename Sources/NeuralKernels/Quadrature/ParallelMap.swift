import Foundation

/// `range.map(body)` with the evaluations spread over all cores (for the expensive samples
/// of quadrature tables); the order of the results is the order of the range.
func parallelMap<R: RandomAccessCollection>(_ range: R, _ body: @Sendable (R.Element) -> Double) -> [Double]
    where R.Index == Int, R.Element: Sendable, R: Sendable
{
    let count = range.count
    var out = [Double](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { buffer in
        let base = UnsafeSendablePointer(buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            base.pointer[i] = body(range[range.startIndex + i])
        }
    }
    return out
}
