import Foundation

/// How the hyperparameters of a one-hidden-layer network scale with its width d: Golikov's
/// exponents ("Dynamically stable infinite-width limits of neural classifiers", arXiv
/// 2006.06574; the definitions as the author's code applies them, Proofs/infinite-width-limits-of-classifiers.md).
///
/// The network is f(x) = sum_{r=1}^d a_r phi(w_r . x) with zero-mean Gaussian initialisation
/// a_r ~ N(0, sigma_a^2), w_r ~ N(0, sigma_w^2 I) and SGD with per-layer learning rates
/// eta_a, eta_w. The input layer's initialisation is width independent; relative to a
/// reference width d*,
///
///     sigma_a = sigma_a* (d/d*)^q_sigma
///     eta_a   = eta_a*   (d/d*)^(q~_a + 2 q_sigma)       (so eta_a / sigma_a^2 ~ d^q~_a)
///     eta_w   = eta_w*   (d/d*)^q~_w                     (so eta_w / sigma_w^2 ~ d^q~_w)
///
/// q~ are the exponents of the learning rates in units of the initial variances: in the
/// normalised weights a^ = a / sigma_a, w^ = w / sigma_w (standard normal at init) SGD has
/// learning rates eta_a / sigma_a^2 and eta_w / sigma_w^2. The paper's plane is q~_a = q~_w = q~.
///
/// Derived exponents, in the normalised weights (Proofs, "Scaling of one step"):
///
///     u   = q_sigma + 1/2                 logits at initialisation ~ d^u
///     s_a = q~_a + q_sigma, s_w = q~_w + q_sigma   one SGD step moves a^_r, w^_r by ~ d^s_l
///     s   = max(s_a, s_w)
///     v   = s + q_sigma + 1               tangent kernels at init, and the logits' increments, ~ d^v
public struct ScalingExponents: Sendable, Hashable, CustomStringConvertible {
    /// q_sigma: the readout's initial standard deviation ~ d^q_sigma.
    public let qSigma: Double
    /// q~_a: eta_a / sigma_a^2 ~ d^q~_a.
    public let qTildeA: Double
    /// q~_w: eta_w / sigma_w^2 ~ d^q~_w.
    public let qTildeW: Double

    /// Exponents compared with a boundary (0, -1/2) within this tolerance count as on it, so
    /// that decimal inputs such as -0.75 + 0.25 land where they are meant to.
    public static let tolerance = 1e-9

    public init(qSigma: Double, qTildeA: Double, qTildeW: Double) throws {
        for (name, value) in [("q_sigma", qSigma), ("q~_a", qTildeA), ("q~_w", qTildeW)] where !value.isFinite {
            throw TrainingError.invalidParameter(name: name, value: "\(value)", allowed: "a finite number")
        }
        self.qSigma = qSigma
        self.qTildeA = qTildeA
        self.qTildeW = qTildeW
    }

    /// A point of the paper's plane, q~_a = q~_w = q~.
    public init(qSigma: Double, qTilde: Double) throws {
        try self.init(qSigma: qSigma, qTildeA: qTilde, qTildeW: qTilde)
    }

    /// From the exponents of the raw hyperparameters: sigma_a ~ d^q_sigma, eta_a ~ d^p_a,
    /// eta_w ~ d^p_w (q~_a = p_a - 2 q_sigma, q~_w = p_w).
    public init(qSigma: Double, readoutLearningRate pa: Double, inputLearningRate pw: Double) throws {
        try self.init(qSigma: qSigma, qTildeA: pa - 2 * qSigma, qTildeW: pw)
    }

    /// The exponent of the raw readout learning rate eta_a.
    public var readoutLearningRate: Double { qTildeA + 2 * qSigma }
    /// The exponent of the raw input learning rate eta_w.
    public var inputLearningRate: Double { qTildeW }

    /// u: the logits at initialisation are of order d^u.
    public var initialLogits: Double { qSigma + 0.5 }
    /// s_a: one step moves each normalised readout weight by order d^s_a.
    public var readoutStep: Double { qTildeA + qSigma }
    /// s_w: one step moves each normalised input weight by order d^s_w.
    public var inputStep: Double { qTildeW + qSigma }
    /// s = max(s_a, s_w).
    public var step: Double { max(readoutStep, inputStep) }
    /// v: the (learning-rate weighted) tangent kernel at initialisation, and so the first
    /// step's logit increment, is of order d^v (the larger layer's kernel).
    public var initialKernel: Double { step + qSigma + 1 }
    /// Whether the point lies on the paper's plane q~_a = q~_w.
    public var isOnPlane: Bool { Swift.abs(qTildeA - qTildeW) <= Self.tolerance }

    public var description: String {
        func g(_ x: Double) -> String { String(format: "%g", x) }
        return isOnPlane
            ? "(q_sigma, q~) = (\(g(qSigma)), \(g(qTildeA)))"
            : "(q_sigma, q~_a, q~_w) = (\(g(qSigma)), \(g(qTildeA)), \(g(qTildeW)))"
    }
}

/// The sign of a width exponent, within ``ScalingExponents/tolerance``: what a quantity of
/// order d^p does as d grows.
public enum WidthOrder: String, Sendable, CaseIterable {
    case vanishing, orderOne = "order-one", diverging

    public init(exponent p: Double) {
        self = p < -ScalingExponents.tolerance ? .vanishing : (p > ScalingExponents.tolerance ? .diverging : .orderOne)
    }

    /// Bounded as d grows (vanishing or of order one).
    public var isBounded: Bool { self != .diverging }
}
