/// Errors of the learning-curve module, each naming the offending value and what is allowed.
public enum LearningCurveError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(name: String, value: String, allowed: String)
    case invalidTarget(String, reason: String)
    /// The kernel has a resolved negative eigenvalue: kernel ridge regression needs a positive
    /// semi-definite kernel.
    case notPositiveDefinite(degree: Int, eigenvalue: Double)
    /// Cholesky of the regularised Gram matrix failed in a simulation.
    case singularGram(n: Int, ridge: Double, reason: String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let allowed):
            return "invalid \(name) '\(value)'; allowed: \(allowed)"
        case .invalidTarget(let text, let reason):
            return "invalid --target '\(text)': \(reason)"
        case .notPositiveDefinite(let k, let mu):
            return
                "the kernel is not positive semi-definite: mu_\(k) = \(mu) < 0 is resolved (kernel ridge regression needs mu_k >= 0)"
        case .singularGram(let n, let ridge, let reason):
            return
                "the Gram matrix plus ridge \(ridge) is numerically singular at n = \(n) (\(reason)); use a larger ridge"
        }
    }
}
