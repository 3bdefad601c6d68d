import Foundation

/// The Gaussian (squared-exponential) kernel on S^{d-1}: with |x - y|^2 = 2(1 - t),
///
///     kappa(t) = exp(-c |x - y|^2) = e^{-2c} e^{2ct},    c > 0,
///
/// entire in t with Maclaurin coefficients a_n = e^{-2c} (2c)^n / n! > 0: super-polynomial
/// eigenvalue decay, an RKHS inside every Sobolev space. Accurate to a few ulps.
public struct GaussianKernel: StandardKernelFamily {
    public let c: Double

    public init(c: Double) throws {
        guard c.isFinite, c > 0 else { throw StandardKernel.invalid("scale c", c, "a finite number > 0") }
        self.c = c
    }

    public var name: String { "gaussian(\(c))" }
    public var predictedDecay: PredictedDecay { .superPolynomial }

    /// log a_n = -2c + n log(2c) - log n!.
    public var maclaurinSeries: MaclaurinSeries? {
        let c = c
        return MaclaurinSeries { n in -2 * c + Double(n) * log(2 * c) - lgamma(Double(n) + 1) }
    }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        exp(-2 * c * oneMinusT)
    }
}
