/// Errors of the training-dynamics module, each a one-line message naming the offending value
/// and what is allowed, or the numerical trouble met.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// An argument outside its allowed range.
    case invalidParameter(name: String, value: String, allowed: String)
    /// Discrete gradient descent whose learning rate exceeds the stability limit.
    case divergent(learningRate: Double, limit: Double)
    /// A matrix that had to be positive definite was not (t = infinity without ridge).
    case singularKernel(String)
    /// Training of a finite network produced non-finite values.
    case nonFinite(String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let allowed):
            return "invalid \(name) '\(value)'; allowed: \(allowed)"
        case .divergent(let eta, let limit):
            return
                "learning rate \(eta) exceeds the stability limit 2n/lambda_max = \(limit) of discrete gradient descent: "
                + "the top kernel mode grows like |1 - eta lambda_max/n|^s; use a learning rate below \(limit)"
        case .singularKernel(let message): return message
        case .nonFinite(let message): return message
        }
    }
}
