import CFFTW
import Foundation

/// A planned FFTW real-even transform (DCT) of a fixed size: plan once, apply many.
///
/// Kind `.redft00` (DCT-I) of n >= 2 samples f_j, j = 0..n-1:
///
///     Y_k = f_0 + (-1)^k f_{n-1} + 2 sum_{j=1}^{n-2} f_j cos(pi j k / (n - 1))
///
/// `.redft10` (DCT-II): Y_k = 2 sum_{j=0}^{n-1} f_j cos(pi (j + 1/2) k / n). Both are FFTW's
/// unnormalised definitions. The plan is owned by this object and destroyed in `deinit`;
/// planning (and destroying) goes through one process-wide lock because only `fftw_execute*`
/// is thread-safe. `callAsFunction` uses the new-array execute, so one plan serves many
/// threads at once.
public final class FFTWCosineTransform: @unchecked Sendable {
    public enum Kind: Sendable { case redft00, redft10 }

    public let count: Int
    public let kind: Kind
    private let plan: fftw_plan
    private static var planner: NSLock { FFTWPlanner.lock }

    public init(count n: Int, kind: Kind = .redft00) {
        precondition(kind == .redft10 ? n >= 1 : n >= 2)
        self.count = n
        self.kind = kind
        let input = fftw_alloc_real(n)!
        let output = fftw_alloc_real(n)!
        defer {
            fftw_free(input)
            fftw_free(output)
        }
        FFTWCosineTransform.planner.lock()
        defer { FFTWCosineTransform.planner.unlock() }
        let r2r: fftw_r2r_kind = kind == .redft00 ? FFTW_REDFT00 : FFTW_REDFT10
        // FFTW_ESTIMATE does not touch the arrays; FFTW_UNALIGNED lets the plan run on Swift arrays.
        self.plan = fftw_plan_r2r_1d(Int32(n), input, output, r2r, UInt32(FFTW_ESTIMATE | FFTW_UNALIGNED))!
    }

    deinit {
        FFTWCosineTransform.planner.lock()
        fftw_destroy_plan(plan)
        FFTWCosineTransform.planner.unlock()
    }

    /// The transform of `values` (count must equal the planned size).
    public func callAsFunction(_ values: [Double]) -> [Double] {
        precondition(values.count == count)
        var input = values
        var output = [Double](repeating: 0, count: count)
        input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                fftw_execute_r2r(plan, i.baseAddress, o.baseAddress)
            }
        }
        return output
    }
}
