/// Errors of the regression module: bad data or files, each a one-line message naming the
/// offending value and what is allowed.
public enum RegressionError: Error, Equatable, CustomStringConvertible {
    case invalidData(String)
    case fitFailed(String)

    public var description: String {
        switch self {
        case .invalidData(let m): return m
        case .fitFailed(let m): return m
        }
    }
}
