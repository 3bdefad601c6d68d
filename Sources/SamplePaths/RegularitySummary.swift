import Foundation

/// Per-path regularity estimates with their mean and its standard error
/// (sample standard deviation / sqrt(number of paths); NaN for one path).
public struct RegularitySummary: Sendable {
    public let perPath: [Double]

    public init(_ perPath: [Double]) { self.perPath = perPath }

    public var mean: Double { perPath.reduce(0, +) / Double(perPath.count) }

    public var standardError: Double {
        let m = Double(perPath.count)
        guard m > 1 else { return .nan }
        let mu = mean
        return (perPath.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (m - 1) / m).squareRoot()
    }
}
