import Foundation
import _NumericalBackends

/// SGD in function space with a fixed, learning-rate weighted tangent kernel K: with the
/// batches of ``BatchSampler`` and g_i = l'(y_i, F(x_i)) / |B|,
///
///     F(x) <- F(x) - sum_{i in B} K(x, x_i) g_i      on every training and test point x.
///
/// Exactly the dynamics of a network linearised at its initialisation (K its empirical kernel
/// there, any loss: the linearised logits are affine in the weights), and with the analytic
/// NTK the NTK limit model of ``LimitModel/ntk`` under SGD with the logistic loss. With the
/// squared loss and full batches it is ``FunctionSpaceDynamics``'s discrete steps,
/// f_{s+1} = f_s - (eta/n) Theta (f_s - y) for K = eta Theta (Proofs/infinite-width-limits-of-classifiers.md).
public struct KernelSGD: Sendable {
    public let loss: ClassificationLoss
    public let batchSize: Int
    public let samplingSeed: UInt64

    public init(loss: ClassificationLoss, batchSize: Int, samplingSeed: UInt64 = 1) {
        self.loss = loss
        self.batchSize = batchSize
        self.samplingSeed = samplingSeed
    }

    /// The logits at each of `recordAt` (ascending step counts) on the training points and on
    /// the test points, from `trainInitial` and `testInitial`, with the row-major kernels
    /// K(X, X) (n x n) and K(x*, X) (m x n).
    public func trajectory(
        trainKernel: [Double], crossKernel: [Double], labels y: [Double],
        trainInitial: [Double], testInitial: [Double], recordAt: [Int]
    ) throws -> (train: [[Double]], test: [[Double]]) {
        let n = y.count
        let m = testInitial.count
        guard trainKernel.count == n * n, crossKernel.count == m * n, trainInitial.count == n else {
            throw TrainingError.invalidParameter(
                name: "kernels", value: "\(trainKernel.count) train, \(crossKernel.count) cross entries",
                allowed: "n x n and m x n for n = \(n), m = \(m)")
        }
        let steps = recordAt.max() ?? 0
        var sampler = try BatchSampler(count: n, batchSize: min(batchSize, n), seed: samplingSeed)
        var f = trainInitial
        var t = testInitial
        var train: [[Double]] = []
        var test: [[Double]] = []
        let wanted = Set(recordAt)
        if wanted.contains(0) {
            train.append(f)
            test.append(t)
        }
        guard steps >= 1 else { return (train, test) }
        for step in 1...steps {
            let batch = sampler.next()
            let g = batch.map { loss.derivative(y[$0], f[$0]) / Double(batch.count) }
            // Columns of the batch; the full batch is one matrix-vector product.
            if batch.count == n {
                var df = [Double](repeating: 0, count: n)
                BLAS.gemm(.none, .none, m: n, n: 1, k: n, trainKernel, g, &df)
                for i in 0..<n { f[i] -= df[i] }
                if m > 0 {
                    var dt = [Double](repeating: 0, count: m)
                    BLAS.gemm(.none, .none, m: m, n: 1, k: n, crossKernel, g, &dt)
                    for i in 0..<m { t[i] -= dt[i] }
                }
            } else {
                for (j, i) in batch.enumerated() {
                    let gj = g[j]
                    for r in 0..<n { f[r] -= trainKernel[r * n + i] * gj }
                    for r in 0..<m { t[r] -= crossKernel[r * n + i] * gj }
                }
            }
            guard f.allSatisfy(\.isFinite) else {
                throw TrainingError.nonFinite("kernel SGD diverged by step \(step): lower the learning rate")
            }
            if wanted.contains(step) {
                train.append(f)
                test.append(t)
            }
        }
        return (train, test)
    }
}
