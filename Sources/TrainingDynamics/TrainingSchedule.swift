import Foundation

/// How training time is measured and what a kernel mode does over it, in Neural Tangents'
/// convention for MSE (``gradient_descent_mse``, ``gradient_descent_mse_ensemble``):
///
///     loss L(f) = 1/(2n) sum_i (f(x_i) - y_i)^2,     n = number of training targets
///
/// Gradient descent with learning rate eta on the parameters of an infinitely wide network
/// (NTK parametrisation) is kernel gradient descent with the fixed kernel Theta:
///
///     gradient flow:      df/dt = -(eta/n) Theta (f - y)
///                         => f_t(X) - y = exp(-eta t Theta / n) (f_0(X) - y)
///     discrete steps s:   f_{s+1} = f_s - (eta/n) Theta (f_s - y)
///                         => f_s(X) - y = (I - eta Theta / n)^s (f_0(X) - y)
///
/// so a time t is Neural Tangents' t: absolute time eta * t (flow), or the step count s.
/// For an eigenvalue lambda of the training kernel the mode keeps the fraction
/// ``decay(_:at:)`` of its initial residual (Proofs/kernel-gradient-descent.md).
public struct TrainingSchedule: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Continuous gradient flow (Neural Tangents' convention).
        case flow
        /// Discrete full-batch gradient descent; times are step counts.
        case steps
    }

    public let kind: Kind
    public let learningRate: Double
    /// The number of training targets n of the loss normalisation 1/(2n).
    public let normalisation: Double

    public init(kind: Kind, learningRate: Double, trainingPoints: Int) throws {
        guard learningRate.isFinite, learningRate > 0 else {
            throw TrainingError.invalidParameter(
                name: "learning rate", value: "\(learningRate)", allowed: "a finite number > 0")
        }
        guard trainingPoints >= 1 else {
            throw TrainingError.invalidParameter(
                name: "training points", value: "\(trainingPoints)", allowed: "at least 1")
        }
        self.kind = kind
        self.learningRate = learningRate
        self.normalisation = Double(trainingPoints)
    }

    /// The stability limit of discrete gradient descent, 2n / lambda_max: for a learning rate
    /// above it the top mode's factor |1 - eta lambda_max / n| exceeds 1 and the iteration
    /// diverges (Neural Tangents' `max_learning_rate`).
    public static func stabilityLimit(largestEigenvalue: Double, trainingPoints: Int) -> Double {
        largestEigenvalue > 0 ? 2 * Double(trainingPoints) / largestEigenvalue : .infinity
    }

    /// Throws ``TrainingError/divergent(learningRate:limit:)`` for discrete steps whose
    /// learning rate exceeds the stability limit of a kernel with this largest eigenvalue.
    public func checkStability(largestEigenvalue: Double) throws {
        guard kind == .steps else { return }
        let limit = TrainingSchedule.stabilityLimit(
            largestEigenvalue: largestEigenvalue, trainingPoints: Int(normalisation))
        if learningRate > limit { throw TrainingError.divergent(learningRate: learningRate, limit: limit) }
    }

    /// Validates a time: finite and >= 0 (or +infinity) for flow; a whole number of steps.
    public func check(time t: Double) throws {
        guard t >= 0, !t.isNaN else {
            throw TrainingError.invalidParameter(name: "time", value: "\(t)", allowed: "a number >= 0 (or inf)")
        }
        if kind == .steps, t.isFinite, t != t.rounded() {
            throw TrainingError.invalidParameter(
                name: "time", value: "\(t)", allowed: "a whole number of steps with discrete gradient descent")
        }
    }

    /// log of the fraction of a mode's residual left at time t, for eigenvalue lambda >= 0:
    /// -eta t lambda / n (flow), or s log|1 - eta lambda / n| (steps; the sign is ``decaySign``).
    @inline(__always)
    func logDecay(_ lambda: Double, at t: Double) -> Double {
        let x = learningRate * max(lambda, 0) / normalisation
        switch kind {
        case .flow: return -x * t
        case .steps: return x == 1 ? -.infinity : t * log(Swift.abs(1 - x))
        }
    }

    /// The fraction of a mode's residual left at time t: exp(-eta t lambda / n) or
    /// (1 - eta lambda / n)^s. Negative eigenvalues (rounding of a positive semidefinite
    /// kernel) count as 0, as Neural Tangents does.
    public func decay(_ lambda: Double, at t: Double) -> Double {
        if t == 0 { return 1 }
        if t == .infinity { return 0 }
        let x = learningRate * max(lambda, 0) / normalisation
        let magnitude = exp(logDecay(lambda, at: t))
        if kind == .steps, x > 1, t.truncatingRemainder(dividingBy: 2) == 1 { return -magnitude }
        return magnitude
    }

    /// (1 - decay(lambda, t)) / lambda, the filter that maps a residual to the change of the
    /// prediction, without cancellation for small eta lambda t / n, and with its limit
    /// eta t / n (flow) or eta s / n (steps) at lambda = 0. At t = infinity it is 1 / lambda.
    public func filter(_ lambda: Double, at t: Double) -> Double {
        let l = max(lambda, 0)
        if t == .infinity { return l > 0 ? 1 / l : .infinity }
        let rate = learningRate / normalisation
        if l == 0 { return rate * t }
        switch kind {
        case .flow:
            return -expm1(-rate * l * t) / l
        case .steps:
            let x = rate * l
            if x < 1 { return -expm1(t * log1p(-x)) / l }
            return (1 - decay(lambda, at: t)) / l
        }
    }

    /// (1 - decay(lambda, t)^2) / lambda: the same for twice the time (flow) or twice the
    /// steps, used by the covariance of the readout-trained (NNGP) ensemble.
    public func squaredFilter(_ lambda: Double, at t: Double) -> Double {
        let l = max(lambda, 0)
        if t == .infinity { return l > 0 ? 1 / l : .infinity }
        let rate = learningRate / normalisation
        if l == 0 { return 2 * rate * t }
        switch kind {
        case .flow:
            return -expm1(-2 * rate * l * t) / l
        case .steps:
            let x = rate * l
            if x < 1 { return -expm1(2 * t * log1p(-x)) / l }
            let d = decay(lambda, at: t)
            return (1 - d * d) / l
        }
    }
}
