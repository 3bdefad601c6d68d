import CFFTW
import Foundation

/// A planned FFTW complex discrete Fourier transform of a fixed size n (plan once, apply many):
///
///     Y_m = sum_{j<n} X_j exp(sign * 2 pi i j m / n),   sign = -1 (forward) or +1 (backward),
///
/// unnormalised, on interleaved (re, im) arrays of 2n doubles. The plan is destroyed in
/// `deinit`; planning goes through the FFTW lock shared with ``FFTWCosineTransform`` (only
/// `fftw_execute*` is thread-safe), and application uses the new-array execute.
public final class FFTWComplexTransform: @unchecked Sendable {
    public let count: Int
    public let forward: Bool
    private let plan: fftw_plan

    public init(count n: Int, forward: Bool = true) {
        precondition(n >= 1)
        count = n
        self.forward = forward
        let input = fftw_alloc_complex(n)!
        let output = fftw_alloc_complex(n)!
        defer {
            fftw_free(input)
            fftw_free(output)
        }
        FFTWPlanner.lock.lock()
        defer { FFTWPlanner.lock.unlock() }
        plan = fftw_plan_dft_1d(
            Int32(n), input, output, forward ? FFTW_FORWARD : FFTW_BACKWARD,
            UInt32(FFTW_ESTIMATE | FFTW_UNALIGNED))!
    }

    deinit {
        FFTWPlanner.lock.lock()
        fftw_destroy_plan(plan)
        FFTWPlanner.lock.unlock()
    }

    /// The transform of interleaved complex `values` (2n doubles).
    public func callAsFunction(_ values: [Double]) -> [Double] {
        precondition(values.count == 2 * count)
        var input = values
        var output = [Double](repeating: 0, count: 2 * count)
        input.withUnsafeMutableBytes { i in
            output.withUnsafeMutableBytes { o in
                fftw_execute_dft(
                    plan, i.baseAddress!.assumingMemoryBound(to: fftw_complex.self),
                    o.baseAddress!.assumingMemoryBound(to: fftw_complex.self))
            }
        }
        return output
    }
}

/// The one lock for FFTW planning in this process.
public enum FFTWPlanner {
    public static let lock = NSLock()
}
