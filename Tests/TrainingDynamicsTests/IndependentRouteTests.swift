import Foundation
import NeuralKernels
import Testing
import _NumericalBackends
@testable import TrainingDynamics

/// The closed forms of the training dynamics against routes that share none of their
/// algebra: a Runge-Kutta integration of the function-space ODE, explicit iteration of the
/// discrete update, the pushforward of the prior covariance through the integrated linear
/// map, and kernel regression / the GP posterior by Cholesky solves.
@Suite("Training dynamics against independent routes")
struct IndependentRouteTests {
    /// A small problem on non-unit-norm data: 10 training and 5 test points in R^3.
    struct Problem {
        let train: [[Double]], test: [[Double]], y: [Double]
        let kernels: TrainingKernels
        init(activation: String = "relu", depth: Int = 3, seed: UInt64 = 7) throws {
            var random = GaussianRandomSource(seed: seed)
            train = (0..<10).map { _ in (0..<3).map { _ in random.normal() } }
            test = (0..<5).map { _ in (0..<3).map { _ in random.normal() } }
            y = train.map { sin($0[0] - 0.5 * $0[1]) + 0.3 * $0[2] }
            let network = try NetworkKernel(
                activation: ActivationCatalogue.activation(named: activation), depth: depth,
                sigmaW: 1.4, sigmaB: 0.3)
            kernels = try TrainingKernels(train: train, test: test, network: network)
        }
        var n: Int { y.count }
        var m: Int { test.count }
    }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { Swift.abs($0 - $1) }.max()!
    }

    /// The linear map (f_0(X), f_0(x*)) -> (f_t(X), f_t(x*)) of kernel gradient flow with zero
    /// targets, integrated by classical RK4 with `steps` steps: columns are the images of the
    /// unit vectors. Row-major (n + m) x (n + m).
    static func integratedMap(_ p: Problem, rate: Double, time: Double, steps: Int) -> [Double] {
        let n = p.n
        let m = p.m
        let size = n + m
        let theta = p.kernels.ntkTrain
        let cross = p.kernels.ntkCross
        // d/dt (f_X, f_x) = -rate (Theta f_X, Theta(x, X) f_X): only the train block drives.
        func derivative(_ state: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: size)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += theta[i * n + j] * state[j] }
                out[i] = -rate * s
            }
            for i in 0..<m {
                var s = 0.0
                for j in 0..<n { s += cross[i * n + j] * state[j] }
                out[n + i] = -rate * s
            }
            return out
        }
        var map = [Double](repeating: 0, count: size * size)
        let h = time / Double(steps)
        for column in 0..<size {
            var state = [Double](repeating: 0, count: size)
            state[column] = 1
            for _ in 0..<steps {
                let k1 = derivative(state)
                let k2 = derivative(zip(state, k1).map { $0 + 0.5 * h * $1 })
                let k3 = derivative(zip(state, k2).map { $0 + 0.5 * h * $1 })
                let k4 = derivative(zip(state, k3).map { $0 + h * $1 })
                for k in 0..<size { state[k] += h / 6 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]) }
            }
            for row in 0..<size { map[row * size + column] = state[row] }
        }
        return map
    }

    @Test("gradient flow from given outputs equals a Runge-Kutta integration of the ODE")
    func flowMatchesODE() throws {
        let p = try Problem()
        let eta = 0.8
        let time = 6.0
        let schedule = try TrainingSchedule(kind: .flow, learningRate: eta, trainingPoints: p.n)
        let dynamics = try FunctionSpaceDynamics(kernel: p.kernels.ntkTrain, targets: p.y, schedule: schedule)
        let f0 = (0..<p.n).map { 0.2 * cos(Double($0)) }
        let g0 = (0..<p.m).map { -0.1 * Double($0) }
        let closed = try dynamics.trajectory(
            times: [time], trainInitial: f0, testInitial: g0, cross: p.kernels.ntkCross)
        // f_t - y_ext follows the linear ODE with zero targets, y_ext = (y, mu) where the test
        // part has no target: integrate the residual r = f_X - y and the test outputs.
        let map = Self.integratedMap(p, rate: eta / Double(p.n), time: time, steps: 4000)
        let size = p.n + p.m
        let start = (0..<p.n).map { f0[$0] - p.y[$0] } + g0
        var end = [Double](repeating: 0, count: size)
        for i in 0..<size { for j in 0..<size { end[i] += map[i * size + j] * start[j] } }
        let trainODE = (0..<p.n).map { end[$0] + p.y[$0] }
        let testODE = Array(end[p.n...])
        #expect(Self.maxDifference(closed.train[0], trainODE) < 1e-11)
        #expect(Self.maxDifference(closed.test[0], testODE) < 1e-11)
    }

    @Test(
        "NTK-ensemble covariance equals the prior pushed through the integrated linear map",
        arguments: [TrainedEnsemble.ntk, .nngp])
    func covarianceIsPushforward(ensemble: TrainedEnsemble) throws {
        let p = try Problem(activation: "erf", depth: 2)
        let eta = 1.3
        let time = 4.0
        let n = p.n
        let m = p.m
        let size = n + m
        let schedule = try TrainingSchedule(kind: .flow, learningRate: eta, trainingPoints: n)
        let dynamics = try EnsembleDynamics(
            ensemble: ensemble, ntk: p.kernels.ntkTrain, nngp: p.kernels.nngpTrain,
            targets: p.y, schedule: schedule)
        let prediction = try dynamics.predictions(times: [time], test: p.kernels.testKernels, fullCovariance: true)[0]
        // The map of the ensemble's training kernel (Theta or K) from the ODE.
        let trainingKernels = ensemble == .ntk ? p.kernels : nil
        let map: [Double]
        if let k = trainingKernels {
            map = Self.integratedMap(Problem.with(k, p), rate: eta / Double(n), time: time, steps: 4000)
        } else {
            let k = p.kernels
            let nngpAsTraining = TrainingKernels(
                trainCount: k.trainCount, testCount: k.testCount, nngpTrain: k.nngpTrain,
                ntkTrain: k.nngpTrain, nngpCross: k.nngpCross, ntkCross: k.nngpCross, nngpTest: k.nngpTest)
            map = Self.integratedMap(Problem.with(nngpAsTraining, p), rate: eta / Double(n), time: time, steps: 4000)
        }
        // Prior covariance of (f_0(X), f_0(x*)): the joint NNGP.
        var prior = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0..<size {
                prior[i * size + j] =
                    i < n
                    ? (j < n ? p.kernels.nngpTrain[i * n + j] : p.kernels.nngpCross[(j - n) * n + i])
                    : (j < n ? p.kernels.nngpCross[(i - n) * n + j] : p.kernels.nngpTest[(i - n) * m + (j - n)])
            }
        }
        var lp = [Double](repeating: 0, count: size * size)
        var cov = lp
        BLAS.gemm(.none, .none, m: size, n: size, k: size, map, prior, &lp)
        BLAS.gemm(.none, .transpose, m: size, n: size, k: size, lp, map, &cov)
        let testBlock = (0..<m).flatMap { i in (0..<m).map { j in cov[(n + i) * size + (n + j)] } }
        #expect(Self.maxDifference(prediction.testCovariance!, testBlock) < 1e-11)
        #expect(Self.maxDifference(prediction.testVariance, (0..<m).map { testBlock[$0 * m + $0] }) < 1e-11)
        let trainTrace = (0..<n).reduce(0.0) { $0 + cov[$1 * size + $1] } / Double(n)
        #expect(Swift.abs(prediction.trainVarianceMean - trainTrace) < 1e-11)
        // The mean: the same map applied to the residual (f_0 = 0): mu = y + L(-y) on the train
        // part, L(-y) on the test part.
        let start = p.y.map { -$0 } + [Double](repeating: 0, count: m)
        var end = [Double](repeating: 0, count: size)
        for i in 0..<size { for j in 0..<size { end[i] += map[i * size + j] * start[j] } }
        #expect(Self.maxDifference(prediction.testMean, Array(end[n...])) < 1e-11)
        #expect(Self.maxDifference(prediction.trainMean, (0..<n).map { end[$0] + p.y[$0] }) < 1e-11)
    }

    @Test("t = infinity: NTK regression and the NNGP posterior by Cholesky solves")
    func infiniteTimeIsKernelRegression() throws {
        let p = try Problem(activation: "gelu", depth: 3)
        let n = p.n
        let m = p.m
        let schedule = try TrainingSchedule(kind: .flow, learningRate: 1, trainingPoints: n)
        func solve(_ a: [Double], _ b: [Double], columns: Int) throws -> [Double] {
            var l = a
            try LAPACK.cholesky(&l, n: n)
            var x = b
            try LAPACK.choleskySolve(factor: l, n: n, &x, nrhs: columns)
            return x
        }
        // Right-hand sides: y, then the m columns of K(X, x*) and Theta(X, x*).
        func columns(_ crossRows: [Double]) -> [Double] {
            (0..<n).flatMap { j in (0..<m).map { i in crossRows[i * n + j] } }
        }
        let kt = p.kernels.testKernels
        // NTK: mean Theta_* Theta^-1 y; variance K** + a^T K a - 2 a^T K_*, a = Theta^-1 Theta_*.
        let ntk = try EnsembleDynamics(
            ensemble: .ntk, ntk: p.kernels.ntkTrain, nngp: p.kernels.nngpTrain,
            targets: p.y, schedule: schedule
        ).predictions(times: [.infinity], test: kt)[0]
        let alpha = try solve(p.kernels.ntkTrain, p.y, columns: 1)
        let a = try solve(p.kernels.ntkTrain, columns(p.kernels.ntkCross), columns: m)
        for i in 0..<m {
            var mean = 0.0
            var quadratic = 0.0
            var cross = 0.0
            for j in 0..<n {
                mean += p.kernels.ntkCross[i * n + j] * alpha[j]
                cross += a[j * m + i] * p.kernels.nngpCross[i * n + j]
                for k in 0..<n { quadratic += a[j * m + i] * p.kernels.nngpTrain[j * n + k] * a[k * m + i] }
            }
            #expect(Swift.abs(ntk.testMean[i] - mean) < 1e-11)
            #expect(Swift.abs(ntk.testVariance[i] - (kt.nngpDiagonal[i] + quadratic - 2 * cross)) < 1e-11)
        }
        // NNGP: the GP posterior mean K_* K^-1 y and variance K** - K_* K^-1 K_*^T.
        let nngp = try EnsembleDynamics(
            ensemble: .nngp, ntk: nil, nngp: p.kernels.nngpTrain,
            targets: p.y, schedule: schedule
        ).predictions(times: [.infinity], test: kt)[0]
        let beta = try solve(p.kernels.nngpTrain, p.y, columns: 1)
        let b = try solve(p.kernels.nngpTrain, columns(p.kernels.nngpCross), columns: m)
        for i in 0..<m {
            var mean = 0.0
            var reduction = 0.0
            for j in 0..<n {
                mean += p.kernels.nngpCross[i * n + j] * beta[j]
                reduction += p.kernels.nngpCross[i * n + j] * b[j * m + i]
            }
            #expect(Swift.abs(nngp.testMean[i] - mean) < 1e-10)
            #expect(Swift.abs(nngp.testVariance[i] - (kt.nngpDiagonal[i] - reduction)) < 1e-10)
        }
        // And the train outputs reach the targets.
        #expect(Self.maxDifference(ntk.trainMean, p.y) < 1e-10)
    }

    @Test("discrete steps equal explicit iteration of the update, with and without overshoot")
    func stepsMatchIteration() throws {
        let p = try Problem()
        let n = p.n
        let m = p.m
        let basis = try KernelEigenbasis(kernel: p.kernels.ntkTrain, count: n)
        let limit = TrainingSchedule.stabilityLimit(largestEigenvalue: basis.largest, trainingPoints: n)
        // 0.4 of the limit: every mode decays monotonically; 0.9: the top modes overshoot (1 < eta lambda / n < 2).
        for fraction in [0.4, 0.9] {
            let eta = fraction * limit
            let schedule = try TrainingSchedule(kind: .steps, learningRate: eta, trainingPoints: n)
            let dynamics = try FunctionSpaceDynamics(kernel: p.kernels.ntkTrain, targets: p.y, schedule: schedule)
            let steps: [Double] = [0, 1, 2, 7, 40, 201]
            let f0 = (0..<n).map { 0.3 * sin(Double($0)) }
            let g0 = (0..<m).map { 0.1 * Double($0) }
            let closed = try dynamics.trajectory(
                times: steps, trainInitial: f0, testInitial: g0, cross: p.kernels.ntkCross)
            var f = f0
            var g = g0
            var s = 0
            for (k, target) in steps.enumerated() {
                while s < Int(target) {
                    let r = (0..<n).map { f[$0] - p.y[$0] }
                    var df = [Double](repeating: 0, count: n)
                    var dg = [Double](repeating: 0, count: m)
                    for i in 0..<n { for j in 0..<n { df[i] += p.kernels.ntkTrain[i * n + j] * r[j] } }
                    for i in 0..<m { for j in 0..<n { dg[i] += p.kernels.ntkCross[i * n + j] * r[j] } }
                    for i in 0..<n { f[i] -= eta / Double(n) * df[i] }
                    for i in 0..<m { g[i] -= eta / Double(n) * dg[i] }
                    s += 1
                }
                #expect(Self.maxDifference(closed.train[k], f) < 1e-11, "fraction \(fraction), step \(s)")
                #expect(Self.maxDifference(closed.test[k], g) < 1e-11, "fraction \(fraction), step \(s)")
            }
        }
    }

    @Test("a learning rate beyond 2n / lambda_max is refused, not iterated into overflow")
    func divergenceIsReported() throws {
        let p = try Problem()
        let basis = try KernelEigenbasis(kernel: p.kernels.ntkTrain, count: p.n)
        let limit = TrainingSchedule.stabilityLimit(largestEigenvalue: basis.largest, trainingPoints: p.n)
        let over = try TrainingSchedule(kind: .steps, learningRate: 1.01 * limit, trainingPoints: p.n)
        #expect(throws: TrainingError.divergent(learningRate: 1.01 * limit, limit: limit)) {
            try FunctionSpaceDynamics(kernel: p.kernels.ntkTrain, targets: p.y, schedule: over)
        }
        #expect(throws: TrainingError.self) {
            try EnsembleDynamics(
                ensemble: .ntk, ntk: p.kernels.ntkTrain, nngp: p.kernels.nngpTrain, targets: p.y, schedule: over)
        }
        // Gradient flow has no such limit.
        let flow = try TrainingSchedule(kind: .flow, learningRate: 100 * limit, trainingPoints: p.n)
        let path = try FunctionSpaceDynamics(kernel: p.kernels.ntkTrain, targets: p.y, schedule: flow)
            .trajectory(times: [1, 10], trainInitial: [Double](repeating: 0, count: p.n))
        #expect(path.train.allSatisfy { $0.allSatisfy(\.isFinite) })
    }
}

extension IndependentRouteTests.Problem {
    /// The same points and targets with other kernels.
    static func with(_ kernels: TrainingKernels, _ p: IndependentRouteTests.Problem) -> IndependentRouteTests.Problem {
        IndependentRouteTests.Problem(train: p.train, test: p.test, y: p.y, kernels: kernels)
    }
    init(train: [[Double]], test: [[Double]], y: [Double], kernels: TrainingKernels) {
        self.train = train
        self.test = test
        self.y = y
        self.kernels = kernels
    }
}
