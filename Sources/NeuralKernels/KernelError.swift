/// Errors of the kernel module, each naming the offending value and what is allowed.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    case unknownActivation(String, valid: [String])
    case invalidActivationParameters(name: String, given: String, expected: String)
    case invalidParameter(name: String, value: String, allowed: String)
    case invalidExpression(String, reason: String)
    case invalidData(String)
    /// A kernel value beyond double range (above 1.8e308), not a numerical failure: the network's
    /// variances themselves overflow (e.g. sigma_w large at depth).
    case overflow(quantity: String, at: String)

    public var description: String {
        switch self {
        case .unknownActivation(let name, let valid):
            let shownName = name.count > 80 ? "\(name.prefix(60))... (\(name.count) characters)" : name
            return "unknown activation '\(shownName)'; valid: \(valid.joined(separator: ", "))"
        case .invalidActivationParameters(let name, let given, let expected):
            return "activation '\(name)' got parameters '\(given)'; expected \(expected)"
        case .invalidParameter(let name, let value, let allowed):
            return "invalid \(name) '\(value)'; allowed: \(allowed)"
        case .invalidExpression(let text, let reason):
            // A long expression is shown by its start only, so the error stays one short line.
            let shown = text.count > 80 ? "\(text.prefix(60))... (\(text.count) characters)" : text
            return "invalid expression '\(shown)': \(reason)"
        case .invalidData(let message):
            return message
        case .overflow(let quantity, let at):
            return "the \(quantity) at \(at) exceeds the double range (1.8e308); reduce sigma-w, sigma-b or the depth"
        }
    }
}
