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
/// evaluated exactly with its input gradient from ``KernelInputDerivatives`` (a two-layer ReLU
/// decoder: ``TwoLayerReLUTangentKernel``'s closed form, four history entries per SIMD vector,
/// blocks of points on all cores): step s costs O(s n^2 (k + depth)), a run of S steps
/// O(S^2 n^2 k). The test points' features and outputs are only computed at recorded steps
/// (their features from the accumulated training-side updates, one matrix product). As eta -> 0
/// at fixed eta s the iterates approach the gradient flow to first order in eta.
/// Proofs/bottleneck-dynamics.md, "Cost".
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
    var reluDecoder: TwoLayerReLUTangentKernel?

    /// Features drawn from the encoder's NNGP on [train; test] (Cholesky, seeded).
    public init(
        encoder: NetworkKernel, decoder: NetworkKernel, width: Int, trainInputs: [[Double]],
        targets: [Double], testInputs: [[Double]] = [], learningRate: Double, seed: UInt64
    ) throws {
        let points = trainInputs + testInputs
        let features = try BottleneckDynamics.sampleFeatures(encoder: encoder, points: points, width: width, seed: seed)
        try self.init(
            encoder: encoder, decoder: decoder, width: width, trainInputs: trainInputs, targets: targets,
            testInputs: testInputs, learningRate: learningRate, initialFeatures: features)
    }

    /// Given initial features ((n + m) x k row-major, train then test).
    public init(
        encoder: NetworkKernel, decoder: NetworkKernel, width: Int, trainInputs: [[Double]],
        targets: [Double], testInputs: [[Double]] = [], learningRate: Double, initialFeatures: [Double]
    ) throws {
        let n = trainInputs.count
        let m = testInputs.count
        guard width >= 1 else {
            throw TrainingError.invalidParameter(
                name: "bottleneck width", value: "\(width)", allowed: "an integer >= 1")
        }
        guard n >= 1, targets.count == n else {
            throw TrainingError.invalidParameter(
                name: "targets", value: "\(targets.count)", allowed: "one per training point (\(n)), at least one")
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw TrainingError.invalidParameter(
                name: "learning rate", value: "\(learningRate)", allowed: "a finite number > 0")
        }
        guard encoder.parametrization == .ntk, decoder.parametrization == .ntk else {
            throw TrainingError.invalidParameter(
                name: "parametrization", value: "standard",
                allowed: "ntk for bottleneck dynamics (the lazy limit of both halves)")
        }
        guard initialFeatures.count == (n + m) * width else {
            throw TrainingError.invalidParameter(
                name: "initial features", value: "\(initialFeatures.count) entries",
                allowed: "(n + m) x k = \((n + m) * width)")
        }
        self.encoder = encoder
        self.decoder = decoder
        self.width = width
        self.learningRate = learningRate
        self.targets = targets
        trainCount = n
        testCount = m
        self.initialFeatures = initialFeatures
        let ntk = try GramMatrix(points: trainInputs + testInputs, network: encoder, kind: .ntk).values
        encoderNTK = (0..<(n + m)).flatMap { p in ntk[(p * (n + m))..<(p * (n + m) + n)] }
        derivatives = KernelInputDerivatives(decoder)
        reluDecoder = TwoLayerReLUTangentKernel(decoder)
    }

    /// k independent draws of g_0 on the points from the NNGP Sigma_g (Cholesky with a
    /// diagonal jitter up to 1e-10 of the largest variance for duplicate points).
    public static func sampleFeatures(encoder: NetworkKernel, points: [[Double]], width: Int, seed: UInt64) throws
        -> [Double]
    {
        let count = points.count
        let original = try GramMatrix(points: points, network: encoder, kind: .nngp).values
        let scale = (0..<count).reduce(0) { max($0, original[$1 * count + $1]) }
        var factor = original
        var epsilon = 0.0
        while true {
            do {
                try LAPACK.cholesky(&factor, n: count)
                break
            } catch {
                guard epsilon < 1e-10 else {
                    throw TrainingError.singularKernel(
                        "the encoder NNGP on the \(count) points is not positive definite even with jitter 1e-10")
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
        /// Decoder kernel evaluations (point, history entry) over the run: sum over steps of the
        /// points evaluated (n, or n + m at recorded steps) times the history's entries.
        public var kernelEvaluations: Int = 0
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
            throw TrainingError.invalidParameter(
                name: "steps", value: "\(steps) every \(every)", allowed: "steps >= 0, every >= 1")
        }
        if let mergeTolerance, !(mergeTolerance.isFinite && mergeTolerance >= 0) {
            throw TrainingError.invalidParameter(
                name: "merge tolerance", value: "\(mergeTolerance)", allowed: "a finite number >= 0")
        }
        // Per training point: its open history entry and that entry's first snapshot.
        var openEntry = [Int](repeating: -1, count: trainCount)
        var anchors = [Double](repeating: 0, count: trainCount * width)
        let n = trainCount
        let m = testCount
        let total = trainCount + testCount
        let k = width
        var z = initialFeatures
        let start = Array(initialFeatures[0..<(n * k)])
        let startNorm = start.reduce(0) { $0 + $1 * $1 }.squareRoot()
        // The decoder's history: training features and the coefficients (eta/n) r_j of past steps.
        var history = BottleneckDecoderHistory(width: k, capacity: mergeTolerance == nil ? steps * n : 0)
        var recorded: [Int] = []
        var losses: [Double] = []
        var movement: [Double] = []
        var trainOut: [[Double]] = []
        var testOut: [[Double]] = []
        var evaluations = 0
        var values = [Double](repeating: 0, count: total)
        var gradients = [Double](repeating: 0, count: n * k)
        // The test features only feed the test outputs, so they are brought up to date only at
        // recorded steps: z_test(s) = z_test(0) - Theta_g(test, X) sum_{m<s} W_m, with
        // W_m[j] = (eta/n) r_j^m grad f_m(z_j^m) the rows that move the training features.
        var step = [Double](repeating: 0, count: n * k)
        var travelled = [Double](repeating: 0, count: n * k)
        let testStart = Array(initialFeatures[(n * k)...])
        for s in 0...steps {
            let record = s % every == 0 || s == steps
            if record, m > 0 { updateTestFeatures(&z, start: testStart, travelled: travelled) }
            // f_s and grad f_s at the current features (the test points only when recorded), in
            // blocks of points on all cores.
            let points = record ? total : n
            evaluations += points * history.count
            do {
                let snapshot = history
                let current = z
                let blockSize = 16
                let evaluated = try SlotArray<([Double], [Double])>.map((points + blockSize - 1) / blockSize) { b in
                    decoderBlock(
                        current, from: b * blockSize, to: Swift.min(points, (b + 1) * blockSize), trainCount: n,
                        history: snapshot)
                }
                for (b, block) in evaluated.enumerated() {
                    for (i, v) in block.0.enumerated() { values[b * blockSize + i] = v }
                    for (i, g) in block.1.enumerated() { gradients[b * blockSize * k + i] = g }
                }
            }
            let residual = (0..<n).map { values[$0] - targets[$0] }
            let loss = residual.reduce(0) { $0 + $1 * $1 } / (2 * Double(n))
            guard loss.isFinite else {
                throw TrainingError.nonFinite(
                    "bottleneck training diverged at step \(s) (loss \(loss)): lower the learning rate \(learningRate)")
            }
            if record {
                recorded.append(s)
                losses.append(loss)
                var moved = 0.0
                for a in 0..<(n * k) { moved += (z[a] - start[a]) * (z[a] - start[a]) }
                movement.append(startNorm > 0 ? moved.squareRoot() / startNorm : 0)
                trainOut.append(Array(values[0..<n]))
                testOut.append(Array(values[n..<total]))
            }
            if s == steps { break }
            // Simultaneous update: the decoder gains this step's term, the features move with
            // grad f_s (computed above, before the decoder's update).
            let rate = learningRate / Double(n)
            for j in 0..<n {
                let coefficient = rate * residual[j]
                if let tolerance = mergeTolerance, openEntry[j] >= 0, coefficient != 0 {
                    let e = openEntry[j]
                    let old = history.coefficients[e]
                    var distance = 0.0
                    var size = 0.0
                    for a in 0..<k {
                        distance += (z[j * k + a] - anchors[j * k + a]) * (z[j * k + a] - anchors[j * k + a])
                        size += z[j * k + a] * z[j * k + a]
                    }
                    if (old > 0) == (coefficient > 0), distance <= tolerance * tolerance * size {
                        let total = old + coefficient
                        for a in 0..<k {
                            history.setFeature(
                                e, a, (old * history.features[e * k + a] + coefficient * z[j * k + a]) / total)
                        }
                        history.update(e, coefficient: total)
                        continue
                    }
                }
                openEntry[j] = history.count
                for a in 0..<k { anchors[j * k + a] = z[j * k + a] }
                history.append(z, at: j * k, coefficient: coefficient)
            }
            // Z_train -= Theta_g(X, X) W, W[j] = (eta/n) r_j grad f_s(z_j).
            for j in 0..<n { for a in 0..<k { step[j * k + a] = rate * residual[j] * gradients[j * k + a] } }
            encoderNTK.withUnsafeBufferPointer { ntk in
                step.withUnsafeBufferPointer { w in
                    z.withUnsafeMutableBufferPointer { zp in
                        BLAS.gemm(
                            .none, .none, m: n, n: k, k: n, alpha: -1, ntk.baseAddress!, lda: n, w.baseAddress!, ldb: k,
                            beta: 1, zp.baseAddress!, ldc: k)
                    }
                }
            }
            for a in 0..<(n * k) { travelled[a] += step[a] }
        }
        var trajectory = Trajectory(
            steps: recorded, trainLoss: losses, featureMovement: movement,
            trainOutputs: trainOut, testOutputs: testOut, finalFeatures: z)
        trajectory.historyEntries = history.count
        trajectory.kernelEvaluations = evaluations
        return trajectory
    }

    /// z_test = z_test(0) - Theta_g(test, X) travelled, with travelled = the sum of the past steps' W.
    private func updateTestFeatures(_ z: inout [Double], start: [Double], travelled: [Double]) {
        let n = trainCount
        let m = testCount
        let k = width
        z.withUnsafeMutableBufferPointer { zp in
            let test = zp.baseAddress! + n * k
            for i in 0..<(m * k) { test[i] = start[i] }
            encoderNTK.withUnsafeBufferPointer { ntk in
                travelled.withUnsafeBufferPointer { w in
                    BLAS.gemm(
                        .none, .none, m: m, n: k, k: n, alpha: -1, ntk.baseAddress! + n * n, lda: n, w.baseAddress!,
                        ldb: k, beta: 1, test, ldc: k)
                }
            }
        }
    }

    /// f_s at the points lo ..< hi of `point` ((n + m) x k) and grad f_s at those below
    /// `trainCount`: (values, gradients row-major).
    private func decoderBlock(
        _ point: [Double], from lo: Int, to hi: Int, trainCount n: Int,
        history: BottleneckDecoderHistory
    ) -> ([Double], [Double]) {
        let k = width
        var values = [Double](repeating: 0, count: hi - lo)
        var gradients = [Double](repeating: 0, count: Swift.max(0, Swift.min(hi, n) - lo) * k)
        guard let relu = reluDecoder else {
            for p in lo..<hi {
                let (value, gradient) = decoderAt(p < n, point, p * k, history)
                values[p - lo] = value
                if p < n { for a in 0..<k { gradients[(p - lo) * k + a] = gradient[a] } }
            }
            return (values, gradients)
        }
        let kk = Double(k)
        let along = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: k)
        defer { along.deallocate() }
        point.withUnsafeBufferPointer { zp in
            for p in lo..<hi {
                let base = zp.baseAddress! + p * k
                var normP = 0.0
                for a in 0..<k { normP += base[a] * base[a] }
                normP /= kk
                let sums = relu.accumulate(point: base, q1: normP, history: history, gradient: p < n, into: along)
                values[p - lo] = -sums.value
                guard p < n else { continue }
                for a in 0..<k { gradients[(p - lo) * k + a] = -(2 * sums.radial * base[a] + along[a].sum()) / kk }
            }
        }
        return (values, gradients)
    }

    /// f_s(z) and (when `gradient`) grad f_s(z) for the feature z = point[base ..< base + k],
    /// from the history, by the decoder's generic recursion (``KernelInputDerivatives``).
    func decoderAt(_ gradient: Bool, _ point: [Double], _ base: Int, _ history: BottleneckDecoderHistory) -> (
        Double, [Double]
    ) {
        let k = width
        let kk = Double(width)
        let features = history.features
        let norms = history.norms
        let coefficients = history.coefficients
        var normP = 0.0
        for a in 0..<k { normP += point[base + a] * point[base + a] }
        normP /= kk
        var value = 0.0
        var radial = 0.0
        var along = [Double](repeating: 0, count: gradient ? k : 0)
        for e in 0..<history.count {
            let coefficient = coefficients[e]
            guard coefficient != 0 else { continue }
            let hb = e * k
            var dot = 0.0
            for a in 0..<k { dot += point[base + a] * features[hb + a] }
            dot /= kk
            if gradient {
                let ntk = derivatives.partials(q1: normP, q2: norms[e], c: dot, inputWidth: kk).ntk
                value -= coefficient * ntk.value
                radial -= coefficient * ntk.q1
                let w = coefficient * ntk.c
                for a in 0..<k { along[a] -= w * features[hb + a] }
            } else {
                value -=
                    coefficient
                    * decoder.propagate(KernelState(q1: normP, q2: norms[e], nngp: dot, ntk: 0), inputWidth: kk).ntk
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
    public static func limitNTK(encoder: NetworkKernel, decoder: NetworkKernel, _ x: [Double], _ y: [Double]) -> Double
    {
        let s = encoder.propagate(.input(x, y), inputWidth: Double(x.count))
        return decoder.propagate(KernelState(q1: s.q1, q2: s.q2, nngp: s.nngp, ntk: 0), inputWidth: 1).ntk
    }
}
