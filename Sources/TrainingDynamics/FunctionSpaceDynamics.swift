import Foundation
import _NumericalBackends

/// Kernel gradient descent on MSE from given initial outputs: Neural Tangents'
/// `predict.gradient_descent_mse`. With the training kernel Theta (plus ridge r I), targets
/// y and initial outputs f_0 on the training and test points,
///
///     f_t(X)  = y + V D_t V^T (f_0(X) - y)
///     f_t(x*) = f_0(x*) - Theta(x*, X) V G_t V^T (f_0(X) - y)
///
/// where Theta + r I = V diag(lambda) V^T, D_t = diag(decay(lambda, t)) and
/// G_t = diag((1 - decay(lambda, t)) / lambda) (``TrainingSchedule``). This is the exact
/// trajectory of a network linearised at its initialisation (Theta its empirical NTK there),
/// and of the infinitely wide network (Theta the analytic NTK) for any fixed initial function
/// (Proofs/kernel-gradient-descent.md).
public struct FunctionSpaceDynamics: Sendable {
    public let basis: KernelEigenbasis
    public let targets: [Double]
    public let schedule: TrainingSchedule

    public init(
        kernel: [Double], targets: [Double], schedule: TrainingSchedule,
        ridge: Double = 0, absoluteRidge: Bool = false
    ) throws {
        let n = targets.count
        guard kernel.count == n * n, n >= 1 else {
            throw TrainingError.invalidParameter(
                name: "kernel", value: "\(kernel.count) entries",
                allowed: "an n x n matrix for n = \(n) targets")
        }
        try self.init(
            basis: KernelEigenbasis(kernel: kernel, count: n, ridge: ridge, absoluteRidge: absoluteRidge),
            targets: targets, schedule: schedule)
    }

    /// The same from an eigendecomposition of the training kernel (plus ridge) that the
    /// caller already has.
    public init(basis: KernelEigenbasis, targets: [Double], schedule: TrainingSchedule) throws {
        guard basis.count == targets.count, basis.count >= 1 else {
            throw TrainingError.invalidParameter(
                name: "kernel basis", value: "\(basis.count) points",
                allowed: "one per target (\(targets.count))")
        }
        try schedule.checkStability(largestEigenvalue: basis.largest)
        self.basis = basis
        self.targets = targets
        self.schedule = schedule
    }

    /// Outputs on the training points and on the test points at each time.
    public struct Trajectory: Sendable {
        public let times: [Double]
        /// times.count rows of n training outputs.
        public let train: [[Double]]
        /// times.count rows of m test outputs (empty rows without test points).
        public let test: [[Double]]
    }

    /// The outputs at `times` from the initial outputs `trainInitial` (n values) and
    /// `testInitial` (m values), with the row-major m x n test-train kernel `cross`.
    public func trajectory(
        times: [Double], trainInitial: [Double], testInitial: [Double] = [],
        cross: [Double] = []
    ) throws -> Trajectory {
        let n = targets.count
        let m = testInitial.count
        guard trainInitial.count == n, cross.count == m * n else {
            throw TrainingError.invalidParameter(
                name: "initial outputs", value: "\(trainInitial.count) train, \(cross.count) cross entries",
                allowed: "\(n) train outputs and an m x \(n) test-train kernel")
        }
        for t in times { try schedule.check(time: t) }
        if times.contains(.infinity) { try requireInvertible() }
        let residual = basis.project(zip(trainInitial, targets).map { $0 - $1 })
        let a = m > 0 ? basis.rowsInBasis(cross, rows: m) : []
        var train: [[Double]] = []
        var test: [[Double]] = []
        for t in times {
            let decayed = (0..<n).map { schedule.decay(basis.eigenvalues[$0], at: t) * residual[$0] }
            let back = basis.expand(decayed)
            train.append((0..<n).map { targets[$0] + back[$0] })
            guard m > 0 else {
                test.append([])
                continue
            }
            let filtered = (0..<n).map { schedule.filter(basis.eigenvalues[$0], at: t) * residual[$0] }
            var change = [Double](repeating: 0, count: m)
            BLAS.gemm(.none, .none, m: m, n: 1, k: n, a, filtered, &change)
            test.append((0..<m).map { testInitial[$0] - change[$0] })
        }
        return Trajectory(times: times, train: train, test: test)
    }

    /// t = infinity needs Theta + r I invertible to working accuracy.
    func requireInvertible() throws {
        try KernelEigenbasis.requireInvertible(basis)
    }
}

extension KernelEigenbasis {
    /// Throws unless the smallest eigenvalue is above n eps lambda_max, the level below which
    /// (Theta + r I)^-1 amplifies rounding into the predictions at t = infinity.
    static func requireInvertible(_ basis: KernelEigenbasis) throws {
        let smallest = basis.eigenvalues.first ?? 0
        let floor = Double(basis.count) * Double.ulpOfOne * basis.largest
        guard smallest > floor else {
            throw TrainingError.singularKernel(
                "t = infinity needs a positive definite training kernel; its smallest eigenvalue is \(smallest) "
                    + "against lambda_max = \(basis.largest) (duplicate or nearly collinear training points?): add a ridge (diag_reg)"
            )
        }
    }
}
