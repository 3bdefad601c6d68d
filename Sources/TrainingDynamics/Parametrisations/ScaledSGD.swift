import Foundation

/// SGD of a ``ScaledNetwork``: at every step a batch B from ``BatchSampler`` and
///
///     a^ <- a^ - eta^_a d/da^ (1/|B|) sum_{i in B} l(y_i, F(x_i)),   likewise W^ with eta^_w,
///
/// where F = f + gamma f_0 carries the initialisation correction (gamma = 0 without it; f_0 the
/// logits at initialisation, a constant, so gradients are those of f). A batch of all n points
/// is full-batch gradient descent, the finite-width counterpart of ``TrainingSchedule``'s
/// discrete steps (with the squared loss, 1/(2n) sum (f - y)^2).
public struct ScaledSGD: Sendable {
    public let loss: ClassificationLoss
    public let batchSize: Int
    public let steps: Int
    /// Steps at which the logits on all training and test points are recorded, ascending,
    /// 0 and `steps` included.
    public let recordAt: [Int]
    public let samplingSeed: UInt64

    public init(loss: ClassificationLoss, batchSize: Int, steps: Int, recordAt: [Int]? = nil, samplingSeed: UInt64 = 1)
        throws
    {
        guard steps >= 1 else {
            throw TrainingError.invalidParameter(name: "steps", value: "\(steps)", allowed: "an integer >= 1")
        }
        guard batchSize >= 1 else {
            throw TrainingError.invalidParameter(name: "batch size", value: "\(batchSize)", allowed: "an integer >= 1")
        }
        let requested = recordAt ?? Self.logSpaced(steps: steps, count: 16)
        guard requested.allSatisfy({ (0...steps).contains($0) }) else {
            throw TrainingError.invalidParameter(
                name: "record steps", value: "\(requested)", allowed: "steps in 0...\(steps)")
        }
        self.loss = loss
        self.batchSize = batchSize
        self.steps = steps
        self.recordAt = Array(Set(requested + [0, steps])).sorted()
        self.samplingSeed = samplingSeed
    }

    /// 0 and about `count` log-spaced steps up to `steps`.
    public static func logSpaced(steps: Int, count: Int) -> [Int] {
        var out: Set<Int> = [0, steps]
        for k in 0..<count { out.insert(Int((pow(Double(steps), Double(k) / Double(max(count - 1, 1)))).rounded())) }
        return out.filter { $0 <= steps }.sorted()
    }

    /// Logits and their loss and accuracy at the recorded steps.
    public struct Record: Sendable {
        public let steps: [Int]
        /// Per recorded step, the logits F on the n training and the m test points.
        public let trainLogits: [[Double]]
        public let testLogits: [[Double]]
        /// Per recorded step, the mean loss and the accuracy (fraction with y F > 0).
        public let trainLoss: [Double]
        public let trainAccuracy: [Double]
        public let testLoss: [Double]
        public let testAccuracy: [Double]
        /// The weights after each step of `snapshotAt`.
        public let snapshots: [Snapshot]
    }

    /// A network's weights after a step.
    public struct Snapshot: Sendable {
        public let step: Int
        public let readout: [Double]
        public let input: [Double]
        /// sum over the steps so far of the batch mean of |l'(y_i, F(x_i))|: the weights move
        /// by this sum times the per-step scale d^s along a straight path.
        public let lossDerivativeSum: Double
    }

    /// Trains `network` in place on (x, y) (row-major n x d_in, labels +-1 for the logistic
    /// loss) and records on the m test points, keeping the weights after each step of
    /// `snapshotAt`. Throws ``TrainingError/nonFinite(_:)`` when the
    /// logits stop being finite.
    public func train(
        _ network: inout ScaledNetwork, readoutRate: Double, inputRate: Double, initialCorrection gamma: Double = 0,
        x: [Double], y: [Double], test: [Double], testLabels: [Double], snapshotAt: [Int] = []
    ) throws -> Record {
        let n = y.count
        let m = testLabels.count
        let d = network.inputDimension
        guard x.count == n * d, test.count == m * d, n >= 1 else {
            throw TrainingError.invalidParameter(
                name: "data", value: "\(x.count) train, \(test.count) test values",
                allowed: "n x \(d) and m x \(d) row-major inputs with n, m labels")
        }
        var sampler = try BatchSampler(count: n, batchSize: min(batchSize, n), seed: samplingSeed)
        let b = sampler.batchSize
        let f0 = network.logits(x, count: n)
        let t0 = m > 0 ? network.logits(test, count: m) : []
        let trainShift = f0.map { gamma * $0 }
        let testShift = t0.map { gamma * $0 }
        var record = (
            train: [[Double]](), test: [[Double]](), trainLoss: [Double](), trainAccuracy: [Double](),
            testLoss: [Double](), testAccuracy: [Double]()
        )
        func store(_ step: Int, train f: [Double], test t: [Double]) throws {
            guard f.allSatisfy(\.isFinite), t.allSatisfy(\.isFinite) else {
                throw TrainingError.nonFinite(
                    "the logits stopped being finite by step \(step) (width \(network.width)): SGD diverged")
            }
            record.train.append(f)
            record.test.append(t)
            record.trainLoss.append(zip(y, f).reduce(0) { $0 + loss.value($1.0, $1.1) } / Double(n))
            record.trainAccuracy.append(Double(zip(y, f).filter { $0 * $1 > 0 }.count) / Double(n))
            record.testLoss.append(m > 0 ? zip(testLabels, t).reduce(0) { $0 + loss.value($1.0, $1.1) } / Double(m) : 0)
            record.testAccuracy.append(m > 0 ? Double(zip(testLabels, t).filter { $0 * $1 > 0 }.count) / Double(m) : 0)
        }
        try store(0, train: zip(f0, trainShift).map { $0 + $1 }, test: zip(t0, testShift).map { $0 + $1 })
        let batchWorkspace = network.workspace(count: b)
        var batchX = [Double](repeating: 0, count: b * d)
        var logits = [Double](repeating: 0, count: b)
        var seed = [Double](repeating: 0, count: b)
        var next = 1
        let snapshotSteps = Set(snapshotAt)
        var snapshots: [Snapshot] = []
        var derivativeSum = 0.0
        for step in 1...steps {
            let batch = sampler.next()
            for (row, i) in batch.enumerated() {
                for k in 0..<d { batchX[row * d + k] = x[i * d + k] }
            }
            batchX.withUnsafeBufferPointer { xp in
                logits.withUnsafeMutableBufferPointer {
                    network.logits(xp.baseAddress!, count: b, into: $0.baseAddress!, workspace: batchWorkspace)
                }
            }
            for (row, i) in batch.enumerated() {
                seed[row] = loss.derivative(y[i], logits[row] + trainShift[i]) / Double(b)
            }
            derivativeSum += seed.reduce(0) { $0 + Swift.abs($1) }
            guard seed.allSatisfy(\.isFinite) else {
                throw TrainingError.nonFinite(
                    "the logits stopped being finite at step \(step) (width \(network.width)): SGD diverged")
            }
            batchX.withUnsafeBufferPointer { xp in
                seed.withUnsafeBufferPointer {
                    network.descend(
                        xp.baseAddress!, count: b, seed: $0.baseAddress!,
                        readoutRate: readoutRate, inputRate: inputRate, workspace: batchWorkspace)
                }
            }
            if snapshotSteps.contains(step) {
                snapshots.append(
                    Snapshot(
                        step: step, readout: network.readout, input: network.input,
                        lossDerivativeSum: derivativeSum))
            }
            if next < recordAt.count, recordAt[next] == step {
                let f = network.logits(x, count: n)
                let t = m > 0 ? network.logits(test, count: m) : []
                try store(step, train: zip(f, trainShift).map { $0 + $1 }, test: zip(t, testShift).map { $0 + $1 })
                next += 1
            }
        }
        return Record(
            steps: recordAt, trainLogits: record.train, testLogits: record.test, trainLoss: record.trainLoss,
            trainAccuracy: record.trainAccuracy, testLoss: record.testLoss, testAccuracy: record.testAccuracy,
            snapshots: snapshots)
    }
}
