import Foundation
import NeuralKernels

/// The NNGP and NTK blocks that training dynamics need, on training points X and test points
/// x*: K(X, X), Theta(X, X), K(x*, X), Theta(x*, X), K(x*, x*) (Neural Tangents' input
/// convention <x, x'>/d, any activation, either parametrisation).
///
/// Both kernels come from one fused ``GramMatrix/both(points:network:progress:)`` pass on the
/// stacked points [X; x*], so every block is computed by the same route (the tabulated sphere
/// kernel when all points have one norm, the homogeneous or per-entry route otherwise) and
/// the joint matrix stays positive
/// semidefinite to rounding. The extra test-test block costs m^2 / 2 entries, which the full
/// covariances use.
public struct TrainingKernels: Sendable {
    public let trainCount: Int
    public let testCount: Int
    /// Row-major n x n.
    public let nngpTrain: [Double]
    public let ntkTrain: [Double]
    /// Row-major m x n.
    public let nngpCross: [Double]
    public let ntkCross: [Double]
    /// Row-major m x m.
    public let nngpTest: [Double]

    public init(
        train: [[Double]], test: [[Double]], network: NetworkKernel, needsNTK: Bool = true,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws {
        let n = train.count
        let m = test.count
        let points = train + test
        let total = n + m
        // One pass for both kernels: the NTK recursion carries the NNGP (bit-identical to two passes).
        let (nngp, ntk): (GramMatrix, GramMatrix?) =
            needsNTK
            ? try GramMatrix.both(points: points, network: network, progress: progress)
            : (try GramMatrix(points: points, network: network, kind: .nngp, progress: progress), nil)
        func block(_ g: GramMatrix, rows: Range<Int>, columns: Range<Int>) -> [Double] {
            var out: [Double] = []
            out.reserveCapacity(rows.count * columns.count)
            for i in rows {
                out.append(contentsOf: g.values[(i * total + columns.lowerBound)..<(i * total + columns.upperBound)])
            }
            return out
        }
        trainCount = n
        testCount = m
        nngpTrain = block(nngp, rows: 0..<n, columns: 0..<n)
        nngpCross = block(nngp, rows: n..<total, columns: 0..<n)
        nngpTest = block(nngp, rows: n..<total, columns: n..<total)
        ntkTrain = ntk.map { block($0, rows: 0..<n, columns: 0..<n) } ?? []
        ntkCross = ntk.map { block($0, rows: n..<total, columns: 0..<n) } ?? []
    }

    /// Kernel blocks computed elsewhere (e.g. empirical kernels of a finite network).
    public init(
        trainCount: Int, testCount: Int, nngpTrain: [Double], ntkTrain: [Double],
        nngpCross: [Double], ntkCross: [Double], nngpTest: [Double]
    ) {
        precondition(
            nngpTrain.count == trainCount * trainCount && nngpCross.count == testCount * trainCount
                && nngpTest.count == testCount * testCount)
        self.trainCount = trainCount
        self.testCount = testCount
        self.nngpTrain = nngpTrain
        self.ntkTrain = ntkTrain
        self.nngpCross = nngpCross
        self.ntkCross = ntkCross
        self.nngpTest = nngpTest
    }

    /// The test kernels in the form ``EnsembleDynamics`` takes.
    public var testKernels: EnsembleDynamics.TestKernels {
        EnsembleDynamics.TestKernels(
            ntk: ntkCross, nngp: nngpCross,
            nngpDiagonal: (0..<testCount).map { nngpTest[$0 * testCount + $0] },
            nngpTest: nngpTest)
    }
}
