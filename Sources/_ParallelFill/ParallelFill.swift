import Foundation
import Synchronization

/// The package's parallel loops: one row-parallel loop with progress and one symmetric fill,
/// over `DispatchQueue.concurrentPerform`.
public enum ParallelFill {
    /// `body(k)` for every k in 0..<count, spread over all cores.
    @inlinable
    public static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// `row(i)` for every row i in 0..<n on all cores. Each worker takes rows i, i + chunks, ...
    /// (chunks = 8 per core), which balances the work of an upper triangle. `progress` gets the
    /// fraction of rows done about every 1 %, from any thread.
    public static func rows(_ n: Int, progress: (@Sendable (Double) -> Void)? = nil, _ row: @Sendable (Int) -> Void) {
        let chunks = max(1, min(n, ProcessInfo.processInfo.activeProcessorCount * 8))
        let done = Mutex(0)
        let step = max(1, n / 100)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var i = chunk
            while i < n {
                row(i)
                if let progress {
                    let rowsDone = done.withLock { count -> Int in
                        count += 1
                        return count
                    }
                    if rowsDone % step == 0 { progress(Double(rowsDone) / Double(n)) }
                }
                i += chunks
            }
        }
    }

    /// Fills symmetric n x n row-major matrices (each of n * n entries, possibly uninitialised)
    /// from their upper triangles: `upperRow(i, matrices)` writes entries j >= i of row i of
    /// each, rows spread as in ``rows(_:progress:_:)``; the lower triangles are then copied from
    /// the upper ones in cache-sized blocks (writing K[j][i] inside the row loop would miss the
    /// cache once per entry).
    public static func symmetric(
        _ matrices: inout [[Double]], n: Int, progress: (@Sendable (Double) -> Void)? = nil,
        upperRow: @Sendable (Int, [SharedRows<Double>]) -> Void
    ) {
        withShared(&matrices, rowLength: n) { shared in symmetric(shared, n: n, progress: progress, upperRow: upperRow)
        }
    }

    /// The same fill on storage the caller owns (n * n entries each, possibly uninitialised:
    /// a mapped output file, so the matrix is computed where it will be written).
    public static func symmetric(
        storage: [UnsafeMutablePointer<Double>], n: Int,
        progress: (@Sendable (Double) -> Void)? = nil,
        upperRow: @Sendable (Int, [SharedRows<Double>]) -> Void
    ) {
        symmetric(storage.map { SharedRows($0, rowLength: n) }, n: n, progress: progress, upperRow: upperRow)
    }

    static func symmetric(
        _ shared: [SharedRows<Double>], n: Int, progress: (@Sendable (Double) -> Void)?,
        upperRow: @Sendable (Int, [SharedRows<Double>]) -> Void
    ) {
        rows(n, progress: progress) { i in upperRow(i, shared) }
        for m in shared { mirror(m, n: n) }
    }

    /// Copies the upper triangle onto the lower one in 64 x 64 blocks.
    static func mirror(_ m: SharedRows<Double>, n: Int) {
        let block = 64
        let blocks = (n + block - 1) / block
        DispatchQueue.concurrentPerform(iterations: blocks) { bi in
            for bj in 0...bi {
                for i in (bi * block)..<min(n, (bi + 1) * block) {
                    for j in (bj * block)..<min(i, (bj + 1) * block) { m.base[i * n + j] = m.base[j * n + i] }
                }
            }
        }
    }

    /// Shared views of the arrays' storage (rows of `rowLength`) for the duration of `body`.
    /// Each array is moved out while it is lent, so no copy is made.
    public static func withShared<T, R>(
        _ arrays: inout [[T]], rowLength: Int,
        _ body: ([SharedRows<T>]) throws -> R
    ) rethrows -> R {
        try lend(&arrays, from: 0, rowLength: rowLength, [], body)
    }

    /// Read-only shared views of the arrays (rows of `rowLength`) for the duration of `body`.
    public static func withShared<T, R>(
        reading arrays: [[T]], rowLength: Int,
        _ body: ([SharedRows<T>]) throws -> R
    ) rethrows -> R {
        try lendReading(arrays[...], rowLength: rowLength, [], body)
    }

    private static func lendReading<T, R>(
        _ arrays: ArraySlice<[T]>, rowLength: Int, _ lent: [SharedRows<T>],
        _ body: ([SharedRows<T>]) throws -> R
    ) rethrows -> R {
        guard let first = arrays.first else { return try body(lent) }
        return try first.withUnsafeBufferPointer { buffer in
            // Never written through: the caller only reads (an empty array's view is never read).
            let base = UnsafeMutablePointer(mutating: buffer.baseAddress) ?? UnsafeMutablePointer<T>(bitPattern: 8)!
            return try lendReading(
                arrays.dropFirst(), rowLength: rowLength,
                lent + [SharedRows(base, rowLength: rowLength)], body)
        }
    }

    private static func lend<T, R>(
        _ arrays: inout [[T]], from k: Int, rowLength: Int, _ lent: [SharedRows<T>],
        _ body: ([SharedRows<T>]) throws -> R
    ) rethrows -> R {
        if k == arrays.count { return try body(lent) }
        var array = arrays[k]
        arrays[k] = []
        defer { arrays[k] = array }
        return try array.withUnsafeMutableBufferPointer { buffer in
            // An empty array has no storage; its view is never read.
            let base = buffer.baseAddress ?? UnsafeMutablePointer<T>(bitPattern: 8)!
            return try lend(
                &arrays, from: k + 1, rowLength: rowLength,
                lent + [SharedRows(base, rowLength: rowLength)], body)
        }
    }
}
