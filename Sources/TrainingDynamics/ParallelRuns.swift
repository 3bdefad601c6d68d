import _NumericalBackends
import _ParallelFill

/// Independent runs (finite networks of different seeds) side by side on all cores, OpenBLAS
/// single-threaded meanwhile (its own threads would only yield to each other).
public enum ParallelRuns {
    /// body(k) for k in 0..<count, results in order; the first error is rethrown.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        try BLAS.singleThreaded { try SlotArray<T>.map(count, body) }
    }
}
