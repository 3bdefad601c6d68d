/// A binary classification task: inputs (row-major) and labels +-1 for training and test.
public struct BinaryTask: Sendable {
    public let inputDimension: Int
    /// Row-major n x d_in.
    public let trainInputs: [Double]
    public let trainLabels: [Double]
    /// Row-major m x d_in.
    public let testInputs: [Double]
    public let testLabels: [Double]
    /// The threshold that made the labels, when they came from a real-valued target.
    public let threshold: Double?

    public var trainCount: Int { trainLabels.count }
    public var testCount: Int { testLabels.count }

    public init(
        train: [[Double]], trainLabels: [Double], test: [[Double]], testLabels: [Double], threshold: Double? = nil
    ) throws {
        guard let d = train.first?.count, d >= 1, train.count == trainLabels.count, test.count == testLabels.count,
            (train + test).allSatisfy({ $0.count == d })
        else {
            throw TrainingError.invalidParameter(
                name: "task", value: "\(train.count) train rows, \(test.count) test rows",
                allowed: "rows of one length >= 1, one label per row")
        }
        guard (trainLabels + testLabels).allSatisfy({ $0 == 1 || $0 == -1 }) else {
            throw TrainingError.invalidParameter(name: "labels", value: "not all +-1", allowed: "labels +1 and -1")
        }
        guard (train + test).allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw TrainingError.invalidParameter(name: "inputs", value: "non-finite values", allowed: "finite numbers")
        }
        inputDimension = d
        trainInputs = train.flatMap { $0 }
        self.trainLabels = trainLabels
        testInputs = test.flatMap { $0 }
        self.testLabels = testLabels
        self.threshold = threshold
    }

    /// A real-valued target thresholded at the median of its training values: +1 above,
    /// -1 at or below (so ties at the median, as in integer-valued targets, go to -1).
    public init(train: [[Double]], trainTargets: [Double], test: [[Double]], testTargets: [Double]) throws {
        guard !trainTargets.isEmpty else {
            throw TrainingError.invalidParameter(
                name: "targets", value: "none", allowed: "at least one training target")
        }
        let sorted = trainTargets.sorted()
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
        try self.init(
            train: train, trainLabels: trainTargets.map { $0 > median ? 1 : -1 },
            test: test, testLabels: testTargets.map { $0 > median ? 1 : -1 }, threshold: median)
    }
}
