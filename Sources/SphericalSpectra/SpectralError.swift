/// Errors of the spectral module, each naming the offending value and what is allowed.
public enum SpectralError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(name: String, value: String, allowed: String)
    case invalidData(String)
    case backend(String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let allowed):
            return "invalid \(name) '\(value)'; allowed: \(allowed)"
        case .invalidData(let message): return message
        case .backend(let message): return message
        }
    }
}
