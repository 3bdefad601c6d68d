import Foundation
import NeuralKernels

/// The arc-cosine kernel of order n of Cho & Saul (2009) on S^{d-1}:
///
///     kappa(t) = (1/pi) J_n(theta),    theta = arccos t,    0 <= n <= 8,
///
/// normalised as 2 E[relu(u)^n relu(v)^n] for unit variances (``ArcCosine``, computed from the
/// exact 1 - t and 1 + t, to a few ulps). Its singular term at t = 1 has a = n + 1/2.
public struct ArcCosineKernel: StandardKernelFamily {
    public let order: Int

    public init(order: Int) throws {
        guard (0...8).contains(order) else {
            throw StandardKernel.invalid("arc-cosine order", Double(order), "an integer 0...8")
        }
        self.order = order
    }

    public var name: String { "arccos(\(order))" }
    public var predictedDecay: PredictedDecay { .algebraic(a: Double(order) + 0.5) }

    /// arccos(n) is the one-hidden-layer NNGP of ReLU^n without bias: the parity of n has the
    /// singular part, the other is x^n/2's polynomial kernel, of degree n.
    public var parityDecay: ParityDecay {
        let n = order
        let singular = PredictedDecay.algebraic(a: Double(n) + 0.5)
        let finite = PredictedDecay.finiteRank(degree: n)
        let reason =
            "arccos(\(n)) is the NNGP of relu_pow(\(n)) without bias: its \(n % 2 == 1 ? "even" : "odd") part |x|^\(n)/2-like is non-smooth of degree \(n), the other part x^\(n)/2 is a polynomial"
        return n % 2 == 1
            ? ParityDecay(even: singular, odd: finite, reason: reason)
            : ParityDecay(even: finite, odd: singular, reason: reason)
    }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        let angle = CorrelationAngle(q: 1, deficit: oneMinusT, surplus: onePlusT)
        return 2 * ArcCosine.unitVariance(order: order, angle: angle)
    }
}
