import Foundation

/// Mercer eigenvalues mu_k, k = 0...kmax, of a dot-product kernel on S^{d-1}, each with an
/// error estimate and a resolved flag, plus multiplicities and the sum check.
///
/// Normalisation (design.md §2): kappa(t) = sum_k mu_k N(d, k) P_k(t), P_k(1) = 1.
///
/// Route (Proofs/spectral-quadrature.md), in four steps:
/// 1. plan: the quadrature range, k <= min(kmax, quadratureLimit), or through p + 24 for
///    polynomial kernels of degree p (so the zeros past p are measured, not only declared);
/// 2. measure: Funk-Hecke quadrature in u (t = 1 - 2u^2, -1 + 2u^2) at two rule sizes;
///    error = |fine - coarse| + rounding bound. If the values are already all unresolved
///    (past the rounding floor) at k = 225...256, quadrature stops there;
/// 3. select: the large-k expansion in closed-form Gegenbauer coefficients of the singular terms
///    (``AsymptoticTail``), with coefficients fitted to the kernel next to t = +-1 for
///    half-integer leading exponents (``ContinuedEndpointTail``, ``EndpointTail``,
///    Proofs/endpoint-expansion.md) and fitted on the accurate quadrature range (``FittedTail``);
///    at each k the value with the smallest error estimate is kept, a model replacing a
///    quadrature value only where its estimate is 4x smaller (past the rounding floor, and for
///    k > quadratureLimit), so kmax = 10^5 costs O(quadratureLimit^2 + kmax). Polynomial
///    kernels of degree p: mu_k = 0 exactly for k > p. Entire kernels: their Maclaurin series
///    where it is more accurate;
/// 4. assemble: resolved flags, multiplicities, the noise floor and the sum check.
///
/// A value is `resolved` when its error estimate is at most `resolvedTolerance` |mu_k|;
/// unresolved values keep their best estimate and error but must not be read as digits.
public struct GegenbauerSpectrum: Sendable {
    public enum Method: String, Sendable { case quadrature, asymptotic, exactZero, bound, maclaurinSeries }

    /// A value with an estimate of its absolute error (GSL's gsl_sf_result).
    public struct Estimate: Sendable, Equatable {
        public var value: Double
        public var error: Double
        public init(value: Double, error: Double) {
            self.value = value
            self.error = error
        }
    }

    public struct Options: Sendable {
        /// Largest k computed by quadrature (the rest by the asymptotic expansion).
        public var quadratureLimit: Int = 3000
        /// Relative error at which a value counts as resolved.
        public var resolvedTolerance: Double = 1e-6
        public init(quadratureLimit: Int = 3000, resolvedTolerance: Double = 1e-6) {
            self.quadratureLimit = quadratureLimit
            self.resolvedTolerance = resolvedTolerance
        }
    }

    /// Largest dimension d accepted.
    public static let maximumDimension = 4096
    /// Largest kmax accepted.
    public static let maximumDegree = 10_000_000

    public let kernelName: String
    public let dimension: Int
    /// mu_k with its error estimate, k = 0...kmax.
    public let estimates: [Estimate]
    public let resolved: [Bool]
    public let method: [Method]
    public let multiplicity: [Double]
    public let predictedDecay: PredictedDecay
    /// The prediction for even and odd k separately.
    public let parityDecay: ParityDecay
    public let tail: AsymptoticTail?
    public let sumRule: SumRule
    /// Gauss-Legendre nodes per half in u of the finer rule, and the largest quadrature k.
    public let nodesPerHalf: Int
    public let quadratureDegree: Int
    /// The values and error estimates computed by quadrature, k = 0...quadratureDegree, before
    /// the asymptotic expansion took over anywhere: the measurement ``DecayFit`` uses, which
    /// no model has touched (zeros past a finite rank are set as in `mu`).
    public let measured: [Estimate]

    /// mu_k, k = 0...kmax.
    public var mu: LazyMapCollection<[Estimate], Double> { estimates.lazy.map { $0.value } }
    /// The error estimate of mu_k.
    public var error: LazyMapCollection<[Estimate], Double> { estimates.lazy.map { $0.error } }
    /// The values of ``measured``.
    public var measuredMu: LazyMapCollection<[Estimate], Double> { measured.lazy.map { $0.value } }
    /// The error estimates of ``measured``.
    public var measuredError: LazyMapCollection<[Estimate], Double> { measured.lazy.map { $0.error } }

    public var kmax: Int { estimates.count - 1 }

    /// Relative rounding of double precision's sums for these eigenvalues: the noise floors
    /// are this fraction of the largest values.
    static let relativeNoiseFloor = 1e-14
    /// A value within this many error estimates of zero (plus the noise floor) is negligible.
    static let negligibleErrors = 4.0

    /// 1e-14 max |mu_k|: double precision's noise floor for these eigenvalues at d = 2.
    public let noiseFloor: Double

    /// log of 1e-14 max_j |mu_j| sqrt(N(d, j)) over the resolved j (see ``noiseFloor(at:)``).
    let logFloorScale: Double

    /// Double precision's noise floor for mu_k: 1e-14 max_j |mu_j| sqrt(N(d, j)) / sqrt(N(d, k)),
    /// max over resolved j. Rounding in the Funk-Hecke sum is eps sum |w kappa P_k|, and
    /// E|P_k| <= (E P_k^2)^{1/2} = N(d, k)^{-1/2}, so the floor falls with the multiplicity:
    /// at d = 2 it is ``noiseFloor`` (N = 2 for k >= 1), at d = 4096 it is 1e-21 at k = 4, where
    /// a single floor of 1e-14 mu_0 declared mu_4 = 1.6e-15 (resolved to 1e-5) "zero".
    public func noiseFloor(at k: Int) -> Double {
        exp(logFloorScale - 0.5 * GegenbauerSpectrum.logMultiplicity(multiplicity, dimension, k))
    }

    /// log N(d, k): from the stored N where it is finite, else ``Multiplicity/logValue(dimension:degree:)``.
    static func logMultiplicity(_ multiplicity: [Double], _ d: Int, _ k: Int) -> Double {
        multiplicity[k].isFinite ? log(multiplicity[k]) : Multiplicity.logValue(dimension: d, degree: k)
    }

    /// Whether mu_k is zero to within its error estimate and the noise floor (a value, not
    /// a verdict on structure: ``DecayFit`` tells an abrupt zero from a decay into the floor).
    public func isNegligible(_ k: Int) -> Bool {
        Swift.abs(estimates[k].value) <= Self.negligibleErrors * estimates[k].error + noiseFloor(at: k)
    }

    public init(kernel: some DotProductKernel, dimension d: Int, kmax: Int, options: Options = Options()) throws {
        guard d >= 2, d <= Self.maximumDimension else {
            throw SpectralError.invalidParameter(
                name: "dimension d", value: "\(d)",
                allowed: "an integer 2...\(Self.maximumDimension)")
        }
        guard kmax >= 0, kmax <= Self.maximumDegree else {
            throw SpectralError.invalidParameter(
                name: "kmax", value: "\(kmax)",
                allowed: "an integer 0...\(Self.maximumDegree)")
        }
        kernelName = kernel.name
        dimension = d
        predictedDecay = kernel.predictedDecay
        parityDecay = kernel.parityDecay
        let plan = Plan(kernel: kernel, dimension: d, kmax: kmax, options: options)
        let measurement = try Measurement(kernel: kernel, plan: plan)
        nodesPerHalf = measurement.nodesPerHalf
        quadratureDegree = measurement.degree
        var selection = Selection(measurement: measurement, kmax: kmax)
        if let p = plan.rank {
            selection.zeroPastRank(p)
        } else {
            selection.selectTail(kernel: kernel, predictedDecay: predictedDecay, dimension: d)
        }
        if let series = kernel.maclaurinSeries { selection.adopt(series, dimension: d) }
        tail = selection.tail
        estimates = selection.estimates
        method = selection.method
        measured = selection.measurement()
        let assembly = Assembly(
            estimates: estimates, method: method, dimension: d,
            tolerance: options.resolvedTolerance)
        resolved = assembly.resolved
        multiplicity = assembly.multiplicity
        noiseFloor = assembly.noiseFloor
        logFloorScale = assembly.logFloorScale
        sumRule = assembly.sumRule(kernelAtOne: kernel(1), rank: plan.rank, tail: tail)
    }
}
