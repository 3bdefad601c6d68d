import Foundation

/// Full-batch gradient descent on the MSE loss L = 1/(2n) sum_i |f(x_i) - y_i|^2 over the n
/// training points (K-vector outputs and targets for a network of K outputs), in the network's stored parameters: theta <- theta - eta grad L, the
/// finite-width counterpart of the discrete ``TrainingSchedule`` (times are step counts).
///
/// With `ridge` r > 0 the loss gains r/(2n) ||theta - theta_0||^2, a penalty towards the
/// initial parameters: for the network linearised at theta_0 its minimiser is kernel ridge
/// regression with the empirical NTK, f - f_0 = Theta(x, X)(Theta + r I)^{-1}(y - f_0(X))
/// (Proofs/lazy-training.md), and every mode converges at least at the rate eta r / n.
public struct GradientDescentTrainer: Sendable {
    public let learningRate: Double
    public let ridge: Double

    public init(learningRate: Double, ridge: Double = 0) throws {
        guard learningRate.isFinite, learningRate > 0 else {
            throw TrainingError.invalidParameter(
                name: "learning rate", value: "\(learningRate)", allowed: "a finite number > 0")
        }
        guard ridge.isFinite, ridge >= 0 else {
            throw TrainingError.invalidParameter(name: "ridge", value: "\(ridge)", allowed: "a finite number >= 0")
        }
        self.learningRate = learningRate
        self.ridge = ridge
    }

    /// The outputs recorded along training.
    public struct Record: Sendable {
        /// The step counts at which outputs were recorded, ascending.
        public let steps: [Int]
        /// Per recorded step, the n training outputs (n x K row-major).
        public let train: [[Double]]
        /// Per recorded step, the m test outputs (m x K row-major).
        public let test: [[Double]]
    }

    /// Trains `network` in place on (x, y) (x row-major n x d, y row-major n x K) and records the outputs on the
    /// training and the m test points (row-major m x d) at each of `steps`. Throws
    /// ``TrainingError/nonFinite(_:)`` if the outputs stop being finite (divergence).
    public func train(
        _ network: inout TrainableNetwork, x: [Double], y: [Double],
        test: [Double], testCount m: Int, recordAt steps: [Int]
    ) throws -> Record {
        let n = y.count / network.outputCount
        precondition(y.count == n * network.outputCount, "K targets per training point")
        let recorded = Array(Set(steps)).sorted()
        guard let last = recorded.last, recorded.first! >= 0 else {
            throw TrainingError.invalidParameter(name: "steps", value: "\(steps)", allowed: "step counts >= 0")
        }
        var trainOut: [[Double]] = []
        var testOut: [[Double]] = []
        var next = 0
        let workspace = TrainableNetwork.Workspace(for: network, count: n)
        let initial = ridge > 0 ? (weights: network.weights, biases: network.biases) : nil
        var seed = [Double](repeating: 0, count: y.count)
        for step in 0...last {
            network.forward(x, into: workspace)
            let f = workspace.outputs
            if recorded[next] == step {
                guard f.allSatisfy(\.isFinite) else {
                    throw TrainingError.nonFinite(
                        "the finite network's outputs stopped being finite by step \(step) "
                            + "(width \(network.widths[1]), learning rate \(learningRate)): gradient descent diverged")
                }
                trainOut.append(f)
                testOut.append(m > 0 ? network.outputs(test, count: m) : [])
                next += 1
                if step == last { break }
            }
            for i in 0..<y.count { seed[i] = (f[i] - y[i]) / Double(n) }
            network.backward(seed: seed, in: workspace)
            network.accumulateGradients(in: workspace)
            if let initial { workspace.addDecay(ridge / Double(n), from: network, towards: initial) }
            network.descend(learningRate: learningRate, in: workspace)
        }
        return Record(steps: recorded, train: trainOut, test: testOut)
    }
}
