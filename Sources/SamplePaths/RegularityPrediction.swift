import Foundation
import NeuralKernels

/// The regularity theory predicts for Gaussian-process paths of a network kernel
/// (Proofs/path-regularity-theorem.md).
///
/// An activation of non-smoothness degree m at 0 (phi in C^{m-1}, phi^(m) jumps) gives, for
/// depth >= 2, kappa(t) = A(t) + c (1 - t)^{m + 1/2} + ... near t = 1 for the NNGP and
/// (1 - t)^{m - 1/2} for the NTK; on a great circle C(h) = kappa(cos h) has the term
/// |h|^{2a} with a = m + 1/2 (NNGP; ReLU 1.5, ELU(1) 2.5) or m - 1/2 (NTK; ReLU 0.5), and
/// paths have Hoelder and Besov regularity a. Analytic and polynomial activations (and
/// depth 1, a linear kernel) give smooth paths: no finite exponent, and p-th order
/// estimators saturate at p.
public enum RegularityPrediction: Sendable, Equatable, CustomStringConvertible {
    case exponent(Double)
    case smooth
    /// No prediction (e.g. the step function's NTK, which is infinite).
    case none

    public init(network: NetworkKernel, kind: KernelKind) {
        guard network.depth >= 2 else {
            self = .smooth
            return
        }
        guard let m = network.activation.regularity.nonSmoothnessDegree else {
            self = .smooth
            return
        }
        switch kind {
        // m = 0 (a jump): a = 1/2 at depth 2, and each further layer halves it, a = 2^{1-L}
        // (a < 1 is not kept through the next dual; Proofs/regularity-at-zero.md).
        case .nngp: self = .exponent(m == 0 ? pow(2, Double(1 - network.depth)) : Double(m) + 0.5)
        case .ntk: self = m >= 1 ? .exponent(Double(m) - 0.5) : .none
        }
    }

    public var value: Double? {
        if case .exponent(let a) = self { return a }
        return nil
    }

    /// The difference order to use: above the predicted regularity with room for the smooth
    /// part (p >= a + 1.5, at least 4); 4 where nothing is predicted.
    public var differenceOrder: Int {
        guard let a = value else { return 4 }
        return max(4, Int((a + 1.5).rounded(.up)))
    }

    public var description: String {
        switch self {
        case .exponent(let a): return "\(a)"
        case .smooth: return "smooth (estimators saturate at the difference order p)"
        case .none: return "none"
        }
    }
}
