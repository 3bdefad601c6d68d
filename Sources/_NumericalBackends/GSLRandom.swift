import CGSL

/// A seeded GSL generator (Mersenne Twister MT19937, `gsl_rng_mt19937`) with Gaussian
/// variates by the ziggurat method (`gsl_ran_gaussian_ziggurat`): the same seed gives the
/// same numbers bit for bit. The generator is owned by this object and freed in `deinit`;
/// one instance must not be used from two threads at once.
public final class GSLRandom: @unchecked Sendable {
    private let rng: OpaquePointer

    public init(seed: UInt) {
        _ = GSL.handlerOffForRandom
        rng = OpaquePointer(gsl_rng_alloc(cgsl_rng_mt19937()))
        gsl_rng_set(UnsafePointer(rng), seed)
    }

    deinit { gsl_rng_free(UnsafeMutablePointer(rng)) }

    /// A standard normal variate.
    public func normal() -> Double { gsl_ran_gaussian_ziggurat(UnsafePointer(rng), 1) }

    /// Uniform on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(UnsafePointer(rng)) }
}

extension GSL {
    static let handlerOffForRandom: Void = { _ = gsl_set_error_handler_off() }()
}
