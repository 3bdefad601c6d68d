import Foundation
import _NumericalBackends

/// The Matern kernel on S^{d-1}: with r = |x - y| = sqrt(2(1 - t)) and z = sqrt(2 nu) r / l,
///
///     kappa(t) = 2^{1-nu} / Gamma(nu) z^nu K_nu(z),    0 < nu <= 50, l > 0,
///
/// whose leading singular term at t = 1 is c_+ (1 - t)^nu (a = nu) for non-integer nu; integer
/// nu has logarithmic terms instead (predicted decay `.unknown`). K_nu from GSL's scaled
/// Bessel function and Gamma through its logarithm: relative accuracy about 1e-13.
public struct MaternKernel: StandardKernelFamily {
    public let nu: Double
    public let lengthScale: Double

    public init(nu: Double, lengthScale: Double = 1) throws {
        guard nu.isFinite, nu > 0, nu <= 50 else { throw StandardKernel.invalid("nu", nu, "a number in (0, 50]") }
        guard lengthScale.isFinite, lengthScale > 0 else {
            throw StandardKernel.invalid("length scale", lengthScale, "a finite number > 0")
        }
        self.nu = nu
        self.lengthScale = lengthScale
    }

    public var name: String { "matern(\(nu),\(lengthScale))" }
    public var valueAccuracy: Double { 1e-13 }
    public var predictedDecay: PredictedDecay { nu == nu.rounded() ? .unknown : .algebraic(a: nu) }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        let r = (2 * oneMinusT).squareRoot()
        if r == 0 { return 1 }
        let z = (2 * nu).squareRoot() * r / lengthScale
        // K_nu(z) = e^{-z} K_nu_scaled(z); Gamma(nu) via log-gamma.
        guard let k = try? GSL.besselKScaled(nu: nu, z), let g = try? GSL.logGamma(nu) else { return .nan }
        return exp((1 - nu) * log(2.0) - g.log.value + nu * log(z) - z) * k.value
    }
}
