/// Column-wise standardisation z = (x - mean) / sd with the training part's mean and
/// (population) standard deviation; the same map is applied to test points.
public struct Standardiser: Sendable {
    public let mean: [Double]
    public let scale: [Double]

    /// Fits to the rows of `x`; a column whose values are all equal has no scale: with
    /// `constantColumns == .reject` that is an error naming the column, with `.keepAtZero`
    /// the column maps to 0 (the convention of the UCI benchmark code, for naval's constant
    /// inputs).
    public enum ConstantColumns: Sendable { case reject, keepAtZero }

    public init(fitting x: [[Double]], names: [String]? = nil, constantColumns: ConstantColumns = .reject) throws {
        guard let d = x.first?.count, x.count >= 2 else {
            throw RegressionError.invalidData("need at least 2 rows to standardise")
        }
        var mean = [Double](repeating: 0, count: d)
        var scale = mean
        for j in 0..<d {
            let m = x.reduce(0) { $0 + $1[j] } / Double(x.count)
            let v = x.reduce(0) { $0 + ($1[j] - m) * ($1[j] - m) } / Double(x.count)
            mean[j] = m
            if v <= 1e-24 * max(1, m * m) {
                if constantColumns == .reject {
                    let name = names.map { "'\($0[j])' " } ?? ""
                    throw RegressionError.invalidData(
                        "column \(name)(\(j + 1)) is constant (\(m)) in the training data; remove it")
                }
                scale[j] = 0
            } else {
                scale[j] = v.squareRoot()
            }
        }
        self.mean = mean
        self.scale = scale
    }

    public func apply(_ x: [[Double]]) -> [[Double]] {
        x.map { row in (0..<row.count).map { scale[$0] > 0 ? (row[$0] - mean[$0]) / scale[$0] : 0 } }
    }
}
