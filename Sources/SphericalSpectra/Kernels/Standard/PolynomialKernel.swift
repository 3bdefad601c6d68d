import Foundation

/// The polynomial kernel on S^{d-1}:
///
///     kappa(t) = (t + c)^p,    0 <= p <= 1000,
///
/// finitely many non-zero Gegenbauer coefficients (k <= p): an RKHS of finite dimension. With
/// c = 0 only harmonics of the parity of p appear.
public struct PolynomialKernel: StandardKernelFamily {
    public let c: Double
    public let degree: Int

    public init(c: Double, degree: Int) throws {
        guard c.isFinite else { throw StandardKernel.invalid("c", c, "a finite number") }
        guard (0...1000).contains(degree) else {
            throw StandardKernel.invalid("degree", Double(degree), "an integer 0...1000")
        }
        self.c = c
        self.degree = degree
    }

    public var name: String { "polynomial(\(c),\(degree))" }
    public var predictedDecay: PredictedDecay { .finiteRank(degree: degree) }

    /// t^p has only the Gegenbauer components of the parity of p; otherwise both parities
    /// follow t = +1 (the kernel is analytic at t = -1).
    public var parityDecay: ParityDecay {
        let p = degree
        guard c == 0 else { return StandardKernel.analyticAtMinusOne(predictedDecay) }
        let reason = "t^\(p) has only \(p % 2 == 0 ? "even" : "odd") Gegenbauer components"
        return p % 2 == 0
            ? ParityDecay(even: .finiteRank(degree: p), odd: .vanishing, reason: reason)
            : ParityDecay(even: .vanishing, odd: .finiteRank(degree: p), reason: reason)
    }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        pow(t + c, Double(degree))
    }
}
