import Foundation
import _ParallelFill
import NeuralKernels
import _NumericalBackends

/// Full-batch gradient descent of an infinitely wide network with one finite bottleneck,
/// F = f o g with g: R^d -> R^k and f: R^k -> R both infinitely wide and k finite (Littwin et
/// al. 2021, arXiv 2107.00364), on the squared loss L = 1/(2n) sum_j r_j^2, r_j = F(x_j) - y_j
/// (the package's convention, ``TrainingSchedule``). Proofs/bottleneck-dynamics.md.
///
/// Both halves are lazy (their tangent kernels are the analytic NTKs Theta_g on R^d, with
/// Theta_g (x) I_k for the k output coordinates, and Theta_f on R^k in the input convention
/// <z, z'>/k), so one step of size eta is, exactly,
///
///     z_i^{s+1} = z_i^s - (eta/n) sum_j Theta_g(x_i, x_j) grad f_s(z_j^s) r_j^s
///     f_{s+1}(z) = f_s(z) - (eta/n) sum_j Theta_f(z, z_j^s) r_j^s
///
/// from features z(0) = g_0(X) drawn exactly from g's NNGP (k independent coordinates) and the
/// mirrored decoder f_0 = 0 (which makes the run deterministic given z(0), and keeps Theta_f).
/// The decoder is kept as its history f_s(z) = -(eta/n) sum_{m<s} sum_j Theta_f(z, z_j^m) r_j^m,
/// evaluated exactly with its input gradient from ``KernelInputDerivatives``: step s costs
/// O(s n^2 (k + depth)), a run of S steps O(S^2 n^2 k). As eta -> 0 at fixed eta s the iterates
/// approach the gradient flow to first order in eta.
public struct BottleneckDynamics: Sendable {
    public let encoder: NetworkKernel
    public let decoder: NetworkKernel
    /// The bottleneck width k.
    public let width: Int
    public let learningRate: Double
    public let targets: [Double]
    public let trainCount: Int
    public let testCount: Int
    /// Initial features g_0 on the training then the test points, row-major (n + m) x k.
    public let initialFeatures: [Double]
    /// Theta_g(p, x_j) for all points p (train then test) against the training points, (n + m) x n.
    let encoderNTK: [Double]
    let derivatives: KernelInputDerivatives
    /// The closed form of a two-layer ReLU decoder (about 50 times cheaper than the recursion).
    let reluDecoder: TwoLayerReLUTangentKernel?

    /// Features drawn from the encoder's NNGP on [train; test] (Cholesky, seeded).
    public init(encoder: NetworkKernel, decoder: NetworkKernel, width: Int, trainInputs: [[Double]],
                targets: [Double], testInputs: [[Double]] = [], learningRate: Double, seed: UInt64) throws {
        let points = trainInputs + testInputs
        let features = try BottleneckDynamics.sampleFeatures(encoder: encoder, points: points, width: width, seed: seed)
        try self.init(encoder: encoder, decoder: decoder, width: width, trainInputs: trainInputs, targets: targets,
                      testInputs: testInputs, learningRate: learningRate, initialFeatures: features)
    }

    /// Given initial features ((n + m) x k row-major, train then test).
    public init(encoder: NetworkKernel, decoder: NetworkKernel, width: Int, trainInputs: [[Double]],
                targets: [Double], testInputs: [[Double]] = [], learningRate: Double, initialFeatures: [Double]) throws {
        let n = trainInputs.count, m = testInputs.count
        guard width >= 1 else {
            throw TrainingError.invalidParameter(name: "bottleneck width", value: "\(width)", allowed: "an integer >= 1")
        }
        guard n >= 1, targets.count == n else {
            throw TrainingError.invalidParameter(name: "targets", value: "\(targets.count)", allowed: "one per training point (\(n)), at least one")
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw TrainingError.invalidParameter(name: "learning rate", value: "\(learningRate)", allowed: "a finite number > 0")
        }
        guard encoder.parametrization == .ntk, decoder.parametrization == .ntk else {
            throw TrainingError.invalidParameter(name: "parametrization", value: "standard",
                                                 allowed: "ntk for bottleneck dynamics (the lazy limit of both halves)")
        }
        guard initialFeatures.count == (n + m) * width else {
            throw TrainingError.invalidParameter(name: "initial features", value: "\(initialFeatures.count) entries",
                                                 allowed: "(n + m) x k = \((n + m) * width)")
        }
        self.encoder = encoder; self.decoder = decoder; self.width = width
        self.learningRate = learningRate; self.targets = targets
        trainCount = n; testCount = m
        self.initialFeatures = initialFeatures
        let ntk = try GramMatrix(points: trainInputs + testInputs, network: encoder, kind: .ntk).values
        encoderNTK = (0..<(n + m)).flatMap { p in ntk[(p * (n + m))..<(p * (n + m) + n)] }
        derivatives = KernelInputDerivatives(decoder)
        reluDecoder = TwoLayerReLUTangentKernel(decoder)
    }

    /// k independent draws of g_0 on the points from the NNGP Sigma_g (Cholesky with a
    /// diagonal jitter up to 1e-10 of the largest variance for duplicate points).
    public static func sampleFeatures(encoder: NetworkKernel, points: [[Double]], width: Int, seed: UInt64) throws -> [Double] {
        let count = points.count
        let original = try GramMatrix(points: points, network: encoder, kind: .nngp).values
        let scale = (0..<count).reduce(0) { max($0, original[$1 * count + $1]) }
        var factor = original, epsilon = 0.0
        while true {
            do { try LAPACK.cholesky(&factor, n: count); break } catch {
                guard epsilon < 1e-10 else {
                    throw TrainingError.singularKernel("the encoder NNGP on the \(count) points is not positive definite even with jitter 1e-10")
                }
                epsilon = epsilon == 0 ? 1e-14 : epsilon * 10
                factor = original
                for a in 0..<count { factor[a * count + a] += epsilon * scale }
            }
        }
        var random = GaussianRandomSource(seed: seed)
        var features = [Double](repeating: 0, count: count * width)
        for coordinate in 0..<width {
            var z = (0..<count).map { _ in random.normal() }
            LAPACK.lowerTriangularMultiply(factor, n: count, &z)
            for p in 0..<count { features[p * width + coordinate] = z[p] }
        }
        return features
    }

    /// The run recorded at the steps 0, every, 2 every, ..., steps.
    public struct Trajectory: Sendable {
        public let steps: [Int]
        /// 1/(2n) sum_j r_j^2 at each recorded step.
        public let trainLoss: [Double]
        /// ||Z_s - Z_0||_F / ||Z_0||_F over the training features.
        public let featureMovement: [Double]
        /// Outputs F on the training and test points at each recorded step.
        public let trainOutputs: [[Double]]
        public let testOutputs: [[Double]]
        /// Features at the last step, (n + m) x k.
        public let finalFeatures: [Double]
        /// Entries of the decoder's history at the end (steps * n without merging).
        public var historyEntries: Int = 0
    }

    /// `mergeTolerance` (nil: the exact history) compresses the decoder's history: step s's term
    /// c_j^s Theta_f(., z_j^s) of training point j joins j's open entry, whose features become the
    /// coefficient-weighted centroid of its snapshots, while z_j^s stays within mergeTolerance |z_j|
    /// of the entry's first snapshot and c_j^s has the sign of the entry's coefficient (so the
    /// centroid stays in the snapshots' hull); otherwise a new entry opens. For a smooth decoder
    /// the replaced sum differs by O(|C| (tol |z|)^2 |D^2 Theta_f|) per entry (the first-order
    /// terms cancel at the centroid); a ReLU decoder's cone point makes it O(|C| tol |z|) near z = z'.
    /// Measured against the exact history by `BottleneckHistoryMergeTests`.
    public func run(steps: Int, every: Int = 1, mergeTolerance: Double? = nil) throws -> Trajectory {
        guard steps >= 0, every >= 1 else {
            throw TrainingError.invalidParameter(name: "steps", value: "\(steps) every \(every)", allowed: "steps >= 0, every >= 1")
        }
        if let mergeTolerance, !(mergeTolerance.isFinite && mergeTolerance >= 0) {
            throw TrainingError.invalidParameter(name: "merge tolerance", value: "\(mergeTolerance)", allowed: "a finite number >= 0")
        }
        // Per training point: its open history entry and that entry's first snapshot.
        var openEntry = [Int](repeating: -1, count: trainCount)
        var anchors = [Double](repeating: 0, count: trainCount * width)
        let n = trainCount, total = trainCount + testCount, k = width
        var z = initialFeatures
        let start = Array(initialFeatures[0..<(n * k)])
        let startNorm = start.reduce(0) { $0 + $1 * $1 }.squareRoot()
        // History of the decoder: training features, their squared norms / k, and the
        // coefficients (eta/n) r_j of each past step.
        var historyFeatures: [Double] = [], historyNorms: [Double] = [], historyCoefficients: [Double] = []
        historyFeatures.reserveCapacity(steps * n * k)
        var recorded: [Int] = [], losses: [Double] = [], movement: [Double] = []
        var trainOut: [[Double]] = [], testOut: [[Double]] = []
        var values = [Double](repeating: 0, count: total)
        var gradients = [Double](repeating: 0, count: n * k)
        for s in 0...steps {
            // f_s and grad f_s at the current features, one point per task (all cores).
            let past = historyNorms.count
            let current = z, features = historyFeatures, norms = historyNorms, coefficients = historyCoefficients
            let evaluated = try SlotArray<(Double, [Double])>.map(total) { p in
                decoderAt(p < n, current, p * k, features, norms, coefficients, past)
            }
            for p in 0..<total {
                values[p] = evaluated[p].0
                if p < n { for a in 0..<k { gradients[p * k + a] = evaluated[p].1[a] } }
            }
            let residual = (0..<n).map { values[$0] - targets[$0] }
            let loss = residual.reduce(0) { $0 + $1 * $1 } / (2 * Double(n))
            guard loss.isFinite else {
                throw TrainingError.nonFinite("bottleneck training diverged at step \(s) (loss \(loss)): lower the learning rate \(learningRate)")
            }
            if s % every == 0 || s == steps {
                recorded.append(s); losses.append(loss)
                var moved = 0.0
                for a in 0..<(n * k) { moved += (z[a] - start[a]) * (z[a] - start[a]) }
                movement.append(startNorm > 0 ? moved.squareRoot() / startNorm : 0)
                trainOut.append(Array(values[0..<n])); testOut.append(Array(values[n..<total]))
            }
            if s == steps { break }
            // Simultaneous update: the decoder gains this step's term, the features move with
            // grad f_s (computed above, before the decoder's update).
            let rate = learningRate / Double(n)
            for j in 0..<n {
                let coefficient = rate * residual[j]
                if let tolerance = mergeTolerance, openEntry[j] >= 0, coefficient != 0 {
                    let e = openEntry[j]
                    let old = historyCoefficients[e]
                    var distance = 0.0, size = 0.0
                    for a in 0..<k {
                        distance += (z[j * k + a] - anchors[j * k + a]) * (z[j * k + a] - anchors[j * k + a])
                        size += z[j * k + a] * z[j * k + a]
                    }
                    if (old > 0) == (coefficient > 0), distance <= tolerance * tolerance * size {
                        let total = old + coefficient
                        var norm = 0.0
                        for a in 0..<k {
                            let merged = (old * historyFeatures[e * k + a] + coefficient * z[j * k + a]) / total
                            historyFeatures[e * k + a] = merged
                            norm += merged * merged
                        }
                        historyNorms[e] = norm / Double(k)
                        historyCoefficients[e] = total
                        continue
                    }
                }
                openEntry[j] = historyNorms.count
                for a in 0..<k { anchors[j * k + a] = z[j * k + a] }
                historyFeatures.append(contentsOf: z[(j * k)..<(j * k + k)])
                var norm = 0.0
                for a in 0..<k { norm += z[j * k + a] * z[j * k + a] }
                historyNorms.append(norm / Double(k))
                historyCoefficients.append(coefficient)
            }
            for p in 0..<total {
                for j in 0..<n {
                    let w = rate * encoderNTK[p * n + j] * residual[j]
                    guard w != 0 else { continue }
                    for a in 0..<k { z[p * k + a] -= w * gradients[j * k + a] }
                }
            }
        }
        var trajectory = Trajectory(steps: recorded, trainLoss: losses, featureMovement: movement,
                                    trainOutputs: trainOut, testOutputs: testOut, finalFeatures: z)
        trajectory.historyEntries = historyNorms.count
        return trajectory
    }

    /// f_s(z) and (when `gradient`) grad f_s(z) for the feature z = point[base ..< base + k],
    /// from the history of `past` (feature, |feature|^2/k, coefficient) entries.
    @inline(__always)
    func decoderAt(_ gradient: Bool, _ point: [Double], _ base: Int, _ features: [Double], _ norms: [Double],
                   _ coefficients: [Double], _ past: Int) -> (Double, [Double]) {
        let k = width, kk = Double(width)
        var normP = 0.0
        for a in 0..<k { normP += point[base + a] * point[base + a] }
        normP /= kk
        var value = 0.0, radial = 0.0
        var along = [Double](repeating: 0, count: gradient ? k : 0)
        for e in 0..<past {
            let coefficient = coefficients[e]
            guard coefficient != 0 else { continue }
            let hb = e * k
            var dot = 0.0
            for a in 0..<k { dot += point[base + a] * features[hb + a] }
            dot /= kk
            if let relu = reluDecoder {
                let ntk = relu.evaluate(q1: normP, q2: norms[e], c: dot, partials: gradient)
                value -= coefficient * ntk.value
                guard gradient else { continue }
                radial -= coefficient * ntk.q1
                let w = coefficient * ntk.c
                for a in 0..<k { along[a] -= w * features[hb + a] }
            } else if gradient {
                let ntk = derivatives.partials(q1: normP, q2: norms[e], c: dot, inputWidth: kk).ntk
                value -= coefficient * ntk.value
                radial -= coefficient * ntk.q1
                let w = coefficient * ntk.c
                for a in 0..<k { along[a] -= w * features[hb + a] }
            } else {
                value -= coefficient * decoder.propagate(KernelState(q1: normP, q2: norms[e], nngp: dot, ntk: 0), inputWidth: kk).ntk
            }
        }
        guard gradient else { return (value, []) }
        return (value, (0..<k).map { (2 * radial * point[base + $0] + along[$0]) / kk })
    }

    /// The kernel of the k = infinity limit: the decoder's NTK at the encoder's NNGP input
    /// state, Theta_f(Sigma_g(x, x), Sigma_g(x', x'), Sigma_g(x, x')). As k grows the features'
    /// Gram z.z'/k tends to Sigma_g while grad f_t = O(k^-1/2) and the features stop moving,
    /// so the encoder's share ||grad f||^2 Theta_g vanishes (with f_0 = 0 there is no O(1)
    /// random input gradient to carry it): the run becomes kernel gradient descent with this
    /// kernel from F_0 = 0 (Proofs/bottleneck-dynamics.md, "The limit k -> infinity").
    public static func limitNTK(encoder: NetworkKernel, decoder: NetworkKernel, _ x: [Double], _ y: [Double]) -> Double {
        let s = encoder.propagate(.input(x, y), inputWidth: Double(x.count))
        return decoder.propagate(KernelState(q1: s.q1, q2: s.q2, nngp: s.nngp, ntk: 0), inputWidth: 1).ntk
    }
}
