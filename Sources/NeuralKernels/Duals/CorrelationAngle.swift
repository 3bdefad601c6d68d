import Foundation

/// The angle theta = arccos(rho) of a Gaussian pair with Var u = q1, Var v = q2, Cov = c,
/// rho = c / sqrt(q1 q2), and its complement pi - theta, both to full relative accuracy.
///
/// Near rho = +-1 the duals of non-smooth activations are infinitely sensitive to rho
/// (d theta / d rho = -1/sin theta), so 1 -+ rho must not be formed by subtracting rounded
/// numbers: we compute s = sqrt(q1 q2) in double-double (an fma recovers the rounding of q1 q2
/// and of the square root) and then 1 - rho = (s - c)/s, 1 + rho = (s + c)/s, and
/// the smaller of theta = 2 asin(sqrt((1 - rho)/2)) and pi - theta = 2 asin(sqrt((1 + rho)/2)),
/// the other as pi minus it.
public struct CorrelationAngle: Sendable, Equatable {
    public let rho: Double
    public let theta: Double
    public let complement: Double

    public init(q1 unscaledQ1: Double, q2 unscaledQ2: Double, c unscaledC: Double) {
        // q1 q2 leaves double range beyond 1e154 (and below 1e-154): all three moments are scaled
        // by one power of two, which is exact and keeps the correlation.
        let largest = max(Swift.abs(unscaledQ1), Swift.abs(unscaledQ2))
        let shift =
            largest.isFinite && largest > 0 && (largest > 0x1p500 || largest < 0x1p-500)
            ? -largest.exponent : 0
        let q1 = Double(sign: .plus, exponent: shift, significand: 1) * unscaledQ1
        let q2 = Double(sign: .plus, exponent: shift, significand: 1) * unscaledQ2
        let c = Double(sign: .plus, exponent: shift, significand: 1) * unscaledC
        let p = q1 * q2
        let pLow = fma(q1, q2, -p)  // q1 q2 = p + pLow exactly
        let s = p.squareRoot()
        let sLow = (fma(-s, s, p) + pLow) / (2 * s)  // sqrt(q1 q2) = s + sLow to ~1e-32
        let oneMinus = max(0, ((s - c) + sLow) / s)
        let onePlus = max(0, ((s + c) + sLow) / s)
        if !(s > 0) || !oneMinus.isFinite {
            self.init(rho: 0, oneMinus: 1, onePlus: 1)  // theta = pi/2
            return
        }
        self.init(rho: min(1, max(-1, c / s)), oneMinus: oneMinus, onePlus: onePlus)
    }

    /// The angle of two equal-variance arguments given q, the deficit q - c and the surplus
    /// q + c, each known exactly (for example from 1 - t on the sphere).
    public init(q: Double, deficit: Double, surplus: Double) {
        guard q > 0 else {
            self.init(rho: 0, oneMinus: 1, onePlus: 1)
            return
        }
        self.init(
            rho: min(1, max(-1, (surplus - deficit) / (2 * q))),
            oneMinus: max(0, deficit / q), onePlus: max(0, surplus / q))
    }

    /// From rho and exact 1 - rho, 1 + rho. asin is ill-conditioned near 1, so only the
    /// smaller of theta and pi - theta comes from it.
    private init(rho: Double, oneMinus: Double, onePlus: Double) {
        self.rho = rho
        if rho >= 0 {
            theta = 2 * asin(min(1, (0.5 * oneMinus).squareRoot()))
            complement = Double.pi - theta
        } else {
            complement = 2 * asin(min(1, (0.5 * onePlus).squareRoot()))
            theta = Double.pi - complement
        }
    }

    /// The angle of (-u, v): rho -> -rho, theta -> pi - theta, exactly.
    public var negated: CorrelationAngle { CorrelationAngle(rho: -rho, theta: complement, complement: theta) }

    private init(rho: Double, theta: Double, complement: Double) {
        self.rho = rho
        self.theta = theta
        self.complement = complement
    }

    /// sqrt(1 - rho^2) = sin theta, accurate near both ends.
    public var sine: Double { theta <= complement ? sin(theta) : sin(complement) }
}
