import Foundation
import NeuralKernels
import TrainingDynamics
import _NumericalBackends

/// Finite networks trained to convergence by full-batch gradient descent, as learners whose
/// learning curves run through ``LearningCurveSimulation`` beside kernel ridge regression.
///
/// The network is centred (trained on y + f_0(X), predicting f - f_0) and its loss carries the
/// penalty r/(2n) ||theta - theta_0||^2 (``GradientDescentTrainer``'s ridge): in the lazy limit
/// the fixed point is kernel ridge regression with the NTK and ridge r, so the curve is the
/// finite-width counterpart of ``KernelRidgeLearner`` with the same ridge
/// (Proofs/learning-curves.md). The learning rate is half the stability limit 2n / (lambda_max + r)
/// of the empirical NTK at initialisation, and training runs until the slowest mode, which
/// decays at least like (1 - eta r / n)^s, is below e^-12 of its start (at most `maxSteps`).
public struct TrainedNetworkLearner: SupervisedLearner {
    public let network: NetworkKernel
    public let width: Int
    public let ridge: Double
    public let seed: UInt64
    public let maxSteps: Int

    public init(network: NetworkKernel, width: Int, ridge: Double, seed: UInt64 = 1, maxSteps: Int = 200_000) throws {
        guard ridge.isFinite, ridge > 0 else {
            throw LearningCurveError.invalidParameter(
                name: "ridge", value: "\(ridge)",
                allowed: "a finite number > 0 (ridgeless training does not converge in a bounded number of steps)")
        }
        guard width >= 1 else {
            throw LearningCurveError.invalidParameter(name: "width", value: "\(width)", allowed: "an integer >= 1")
        }
        self.network = network
        self.width = width
        self.ridge = ridge
        self.seed = seed
        self.maxSteps = maxSteps
    }

    public var name: String {
        "\(network.depth)-layer \(network.activation.name) network of width \(width) trained with ridge \(ridge)"
    }

    public func predict(training: [[Double]], labels: [[Double]], test: [[Double]]) throws -> [[Double]] {
        let d = training[0].count
        let n = training.count
        let m = test.count
        // Points scaled to |x|^2 = d: Neural Tangents' input kernel <x, x'>/d is then t.
        let scale = Double(d).squareRoot()
        let x = training.flatMap { $0.map { $0 * scale } }
        let xs = test.flatMap { $0.map { $0 * scale } }
        var sphereNetwork = network
        sphereNetwork.inputDimension = d
        let start = TrainableNetwork(sphereNetwork, inputDimension: d, width: width, seed: seed)
        let lambdaMax = try LAPACK.symmetricEigen(start.empiricalNTK(x, count: n), n: n).values.last ?? 0
        let eta = 0.5 * 2 * Double(n) / (lambdaMax + ridge)
        let steps = min(maxSteps, Int((12 / -log1p(-eta * ridge / Double(n))).rounded(.up)))
        let f0 = start.outputs(x, count: n)
        let g0 = start.outputs(xs, count: m)
        let trainer = try GradientDescentTrainer(learningRate: eta, ridge: ridge)
        // Small products: OpenBLAS's threads would spend their time yielding.
        return try BLAS.singleThreaded {
            try labels.map { y in
                var net = start
                let record = try trainer.train(
                    &net, x: x, y: zip(y, f0).map { $0 + $1 }, test: xs, testCount: m, recordAt: [steps])
                return zip(record.test[0], g0).map { $0 - $1 }
            }
        }
    }
}
