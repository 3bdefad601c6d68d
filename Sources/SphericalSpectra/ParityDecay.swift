/// What a kernel's structure predicts separately for its even and its odd Mercer eigenvalues.
///
/// mu_k for even k are those of the even part (kappa(t) + kappa(-t))/2 and for odd k those
/// of the odd part, so each parity follows the singular terms of its own part: a term
/// c_+ (1 - t)^a at t = +1 and c_- (1 + t)^a at t = -1 give mu_k ~ (c_+ + (-1)^k c_-) G_k(d, a),
/// and one parity is faster when c_- = -+c_+ (Proofs/parity-without-bias.md).
public struct ParityDecay: Sendable, Equatable {
    public let even: PredictedDecay
    public let odd: PredictedDecay
    /// Why, in a sentence (printed by `rkhs classify`).
    public let reason: String

    public init(even: PredictedDecay, odd: PredictedDecay, reason: String) {
        self.even = even
        self.odd = odd
        self.reason = reason
    }

    /// Both parities as `decay` (kernels analytic at t = -1).
    public static func same(_ decay: PredictedDecay, reason: String) -> ParityDecay {
        ParityDecay(even: decay, odd: decay, reason: reason)
    }
}
