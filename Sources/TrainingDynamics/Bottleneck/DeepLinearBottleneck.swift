import Foundation

/// The closed-form gradient flow of an infinitely wide deep linear network with a bottleneck
/// of width k on scalar inputs (d = 1), no biases, sigma_w = 1 (Proofs/bottleneck-dynamics.md,
/// "Deep linear networks"; Saxe et al. 2014 for the hyperbolic solution, Littwin et al. 2021
/// for the bottleneck's acceleration).
///
/// The encoder of depth L_g has Sigma_g = x x' and Theta_g = L_g x x', so z_i = A x_i with one
/// vector A in R^k; the decoder of depth L_f has Theta_f = L_f <z, z'>/k, so f_t(z) = <w, z>
/// with w_0 = 0 (the mirrored start). With c = sum_j x_j^2, a = L_f / k, b = L_g, target
/// y = beta x and flow time tau = eta s / n (s steps of size eta, loss 1/(2n) sum r^2), A and w
/// stay on the line of A_0, A = s_A e, w = alpha e, and
///
///     s_A^2 / b - alpha^2 / a = C = |A_0|^2 / b                 (conserved)
///     s_A = sqrt(b C) cosh(psi/2),  alpha = sqrt(a C) sinh(psi/2),
///     u = alpha s_A = sqrt(a b) C sinh(psi) / 2,   psi' = P - Q sinh psi,  psi(0) = 0,
///
/// with P = 2 c sqrt(a b) beta, Q = c a b C. For v = e^psi this is a Riccati equation with
/// roots v_+- = (P +- sqrt(P^2 + Q^2)) / Q, solved by
///
///     (v - v_+)/(v - v_-) = R_0 exp(-sqrt(P^2 + Q^2) tau),  R_0 = (1 - v_+)/(1 - v_-).
///
/// At k = infinity (a |A_0|^2 -> L_f, b alpha^2 -> 0) the rate of u stays c L_f: kernel
/// gradient descent u = beta (1 - exp(-c L_f tau)). At finite k the rate c (a s_A^2 + b alpha^2)
/// grows as alpha grows: the bottleneck accelerates training.
public struct DeepLinearBottleneck: Sendable {
    public let encoderDepth: Int
    public let decoderDepth: Int
    public let width: Int
    /// c = sum_j x_j^2 over the n training inputs.
    public let inputSquareSum: Double
    public let slope: Double
    /// |A_0|^2 = |z_i(0)|^2 / x_i^2.
    public let initialSquareNorm: Double

    public init(
        encoderDepth: Int, decoderDepth: Int, width: Int, inputSquareSum: Double, slope: Double,
        initialSquareNorm: Double
    ) throws {
        guard encoderDepth >= 1, decoderDepth >= 1, width >= 1, inputSquareSum > 0, initialSquareNorm > 0 else {
            throw TrainingError.invalidParameter(
                name: "deep linear bottleneck",
                value:
                    "L_g \(encoderDepth), L_f \(decoderDepth), k \(width), c \(inputSquareSum), |A_0|^2 \(initialSquareNorm)",
                allowed: "depths and width >= 1, c > 0, |A_0|^2 > 0")
        }
        self.encoderDepth = encoderDepth
        self.decoderDepth = decoderDepth
        self.width = width
        self.inputSquareSum = inputSquareSum
        self.slope = slope
        self.initialSquareNorm = initialSquareNorm
    }

    var a: Double { Double(decoderDepth) / Double(width) }
    var b: Double { Double(encoderDepth) }
    var conserved: Double { initialSquareNorm / b }

    /// The end-to-end slope u(tau) = F(x)/x.
    public func endToEnd(at tau: Double) -> Double {
        let c = inputSquareSum
        let root = (a * b).squareRoot()
        let p = 2 * c * root * slope
        let q = c * a * b * conserved
        let disc = (p * p + q * q).squareRoot()
        let plus = (p + disc) / q
        let minus = (p - disc) / q
        let r = (1 - plus) / (1 - minus) * exp(-disc * tau)
        let v = (plus - r * minus) / (1 - r)
        return root * conserved * (v - 1 / v) / 4
    }

    /// The training loss 1/(2n) sum_j (u x_j - beta x_j)^2 = c (u - beta)^2 / (2n).
    public func loss(at tau: Double, trainingPoints n: Int) -> Double {
        let e = endToEnd(at: tau) - slope
        return inputSquareSum * e * e / (2 * Double(n))
    }

    /// The k = infinity (NTK) loss from the same start: u = beta (1 - exp(-c L_f tau)).
    public func limitLoss(at tau: Double, trainingPoints n: Int) -> Double {
        let e = -slope * exp(-inputSquareSum * Double(decoderDepth) * tau)
        return inputSquareSum * e * e / (2 * Double(n))
    }
}
