import Foundation
import NeuralKernels
import Testing
import _NumericalBackends
import TrainingDynamics

/// A network started from f_0 = 0 (`--init zero`) follows the ensemble's mean: E f_0 = 0 and
/// the dynamics are linear in f_0, so mu_t = T(x, X) V G_t V^T y for both ensembles, with T
/// the kernel that is trained (Theta for the NTK ensemble, K for the readout-only NNGP one).
/// The NNGP case once trained the centred network with the NTK while predicting with K.
@Suite("Centred initialisation")
struct CentredInitialisationTests {
    static func data() -> TrainingExperiment.Data {
        var random = GaussianRandomSource(seed: 11)
        let train = (0..<12).map { _ in (0..<3).map { _ in random.normal() } }
        let test = (0..<6).map { _ in (0..<3).map { _ in random.normal() } }
        func f(_ x: [Double]) -> Double { cos(x[0]) + 0.4 * x[1] * x[2] }
        return TrainingExperiment.Data(train: train, trainTargets: train.map(f), test: test, testTargets: test.map(f))
    }

    @Test("zero-initialised mean equals the sampled ensemble's mean", arguments: TrainedEnsemble.allCases)
    func centredMeanIsEnsembleMean(ensemble: TrainedEnsemble) throws {
        let network = try NetworkKernel(activation: .relu, depth: 3, sigmaW: 1.3, sigmaB: 0.4)
        let times = [0.5, 20, 300, .infinity]
        func run(_ initialisation: TrainingExperiment.Initialisation) throws -> [[Double]] {
            let config = TrainingExperiment.Configuration(
                network: network, ensemble: ensemble, ridge: 1e-3,
                initialisation: initialisation, times: times)
            return try TrainingExperiment.run(config, data: Self.data()).testMean
        }
        let centred = try run(.zero)
        let sampled = try run(.sampled)
        for (a, b) in zip(centred, sampled) {
            for (u, v) in zip(a, b) {
                #expect(Swift.abs(u - v) <= 1e-10 * max(1, Swift.abs(v)), "\(ensemble): \(u) vs \(v)")
            }
        }
        // The readout-only limit is the NNGP posterior mean with the same ridge, by a Cholesky solve.
        if ensemble == .nngp {
            let d = Self.data()
            let k = try TrainingKernels(train: d.train, test: d.test, network: network, needsNTK: false)
            let n = d.trainTargets.count
            var a = k.nngpTrain
            var trace = 0.0
            for i in 0..<n { trace += a[i * n + i] }
            for i in 0..<n { a[i * n + i] += 1e-3 * trace / Double(n) }
            try LAPACK.cholesky(&a, n: n)
            var alpha = d.trainTargets
            try LAPACK.choleskySolve(factor: a, n: n, &alpha, nrhs: 1)
            for (i, u) in centred.last!.enumerated() {
                var v = 0.0
                for j in 0..<n { v += k.nngpCross[i * n + j] * alpha[j] }
                #expect(Swift.abs(u - v) <= 1e-9 * max(1, Swift.abs(v)), "posterior mean \(u) vs \(v)")
            }
        }
    }
}
