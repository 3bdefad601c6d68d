import NeuralKernels

/// Which examples each SGD step uses: consecutive batches of a stream of seeded random
/// permutations of the n training points (a batch may straddle two epochs). A batch of all n
/// points is full-batch gradient descent, in index order, with no randomness.
public struct BatchSampler: Sendable {
    public let count: Int
    public let batchSize: Int
    private var random: GaussianRandomSource
    private var order: [Int]
    private var position: Int

    public init(count: Int, batchSize: Int, seed: UInt64) throws {
        guard count >= 1, (1...count).contains(batchSize) else {
            throw TrainingError.invalidParameter(
                name: "batch size", value: "\(batchSize)", allowed: "1...\(count) (the training points)")
        }
        self.count = count
        self.batchSize = batchSize
        random = GaussianRandomSource(seed: seed)
        order = Array(0..<count)
        position = count
    }

    /// The indices of the next batch.
    public mutating func next() -> [Int] {
        if batchSize == count { return order }
        var batch: [Int] = []
        batch.reserveCapacity(batchSize)
        while batch.count < batchSize {
            if position == count {
                shuffle()
                position = 0
            }
            batch.append(order[position])
            position += 1
        }
        return batch
    }

    /// Fisher-Yates with the seeded generator (index: the top 53 bits modulo i + 1, whose bias,
    /// below n 2^-53, is immaterial here).
    private mutating func shuffle() {
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int((random.nextBits() >> 11) % UInt64(i + 1))
            order.swapAt(i, j)
        }
    }
}
