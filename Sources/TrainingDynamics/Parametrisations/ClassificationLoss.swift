import Foundation

/// The per-example loss l(y, f) of SGD on a scalar output, with its derivative in f.
public enum ClassificationLoss: String, Sendable, CaseIterable {
    /// l = log(1 + exp(-y f)) for labels y = +-1 (binary cross-entropy on the logit, Golikov's
    /// setting); l' = -y / (1 + exp(y f)).
    case logistic
    /// l = (f - y)^2 / 2; l' = f - y (the MSE of the kernel dynamics, Neural Tangents' convention
    /// up to the batch average).
    case squared

    @inline(__always)
    public func value(_ y: Double, _ f: Double) -> Double {
        switch self {
        case .logistic:
            let z = -y * f
            return max(z, 0) + log1p(exp(-Swift.abs(z)))
        case .squared:
            return 0.5 * (f - y) * (f - y)
        }
    }

    @inline(__always)
    public func derivative(_ y: Double, _ f: Double) -> Double {
        switch self {
        case .logistic:
            let z = y * f
            // -y sigmoid(-z), evaluated without overflow for either sign of z.
            return z >= 0 ? -y * exp(-z) / (1 + exp(-z)) : -y / (1 + exp(z))
        case .squared:
            return f - y
        }
    }
}
