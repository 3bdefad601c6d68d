import Foundation

/// The Laplace (exponential) kernel on S^{d-1}: with |x - y| = sqrt(2(1 - t)),
///
///     kappa(t) = exp(-c |x - y|),    c > 0,
///
/// whose leading singular term at t = 1 is -c sqrt(2) (1 - t)^{1/2}: a = 1/2, so
/// mu_k ~ k^{-(d-1) - 1} and the RKHS is H^{d/2}(S^{d-1}). Accurate to a few ulps.
public struct LaplaceKernel: StandardKernelFamily {
    public let c: Double

    public init(c: Double) throws {
        guard c.isFinite, c > 0 else { throw StandardKernel.invalid("scale c", c, "a finite number > 0") }
        self.c = c
    }

    public var name: String { "laplace(\(c))" }
    public var predictedDecay: PredictedDecay { .algebraic(a: 0.5) }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        exp(-c * (2 * oneMinusT).squareRoot())
    }
}
