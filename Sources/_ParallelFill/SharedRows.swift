/// A view of an array's storage that concurrent workers read, or write at disjoint entries
/// (each entry by exactly one worker). The package's one `@unchecked Sendable` helper: the
/// compiler cannot see that the writes are disjoint, the loops in ``ParallelFill`` arrange it.
///
/// Only ``ParallelFill/withShared(_:_:)`` and ``ParallelFill/withShared(reading:_:)`` make
/// one, for the duration of their body, so a view never outlives its array.
public struct SharedRows<Element>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Element>
    /// Elements per row (the matrix's columns, or a point's coordinates).
    public let rowLength: Int

    @usableFromInline init(_ base: UnsafeMutablePointer<Element>, rowLength: Int) {
        self.base = base
        self.rowLength = rowLength
    }

    /// The start of row i.
    @inlinable public func row(_ i: Int) -> UnsafeMutablePointer<Element> { base + i * rowLength }

    @inlinable public subscript(i: Int, j: Int) -> Element {
        get { base[i * rowLength + j] }
        nonmutating set { base[i * rowLength + j] = newValue }
    }
}
