import _ParallelFill

/// `range.map(body)` with the evaluations spread over all cores (for the expensive samples
/// of quadrature tables); the order of the results is the order of the range.
func parallelMap<R: RandomAccessCollection>(_ range: R, _ body: @Sendable (R.Element) -> Double) -> [Double]
where R.Index == Int, R.Element: Sendable, R: Sendable {
    var out = [[Double](repeating: 0, count: range.count)]
    ParallelFill.withShared(&out, rowLength: 1) { shared in
        let values = shared[0]
        ParallelFill.forEach(range.count) { i in values.base[i] = body(range[range.startIndex + i]) }
    }
    return out[0]
}
