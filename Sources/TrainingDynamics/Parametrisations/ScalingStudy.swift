import _ParallelFill
import Foundation
import NeuralKernels
import _NumericalBackends

/// Networks of one scaling trained by ``ScaledSGD`` at several widths and seeds on one binary
/// task, with the quantities Golikov's classification speaks about measured per run:
///
/// * the logit scale at init: sqrt(mean over the probe points of (1 + gamma)^2 sigma^2
///   sum_r phi(h_r)^2), the RMS logit conditional on the input weights (the readout's draw
///   averaged out exactly, so a few seeds fix its exponent), and the realised RMS of F over
///   the test points at init and after training;
/// * the tangent-kernel scale: the mean diagonal of K_a + K_w (learning-rate weighted,
///   ``ScaledNetwork/tangentKernels(_:count:readoutRate:inputRate:)``) on the first `probes`
///   test points at init, and its relative change ||K_T - K_0||_F / ||K_0||_F;
/// * the weights' movement ||a^_T - a^_0|| / ||a^_0|| and ||W^_T - W^_0||_F / ||W^_0||_F;
/// * the kernel change after the first `earlySteps` steps, and the weights' movement then
///   per unit loss derivative (divided by the sum over the steps of the batch mean of |l'|):
///   the per-step exponent s_w of the classification, free of the loss derivative's own
///   approach to its limit (with a saturated loss training stops once the training set is
///   separated; with a linearised one |l'| still grows towards 1/2 at moderate widths);
/// * loss and accuracy curves (``ScaledSGD/Record``).
///
/// Their power laws in the width (``PowerLawFit`` of the seed means) are compared with
/// ``ScalingClassification/predicted`` in ``fits(_:)``.
public struct ScalingStudy: Sendable {
    public let scaling: WidthScaling
    public let activation: Activation
    public let sgd: ScaledSGD
    /// Test points on which the tangent kernels are computed.
    public let probes: Int
    /// The window of the early measurements.
    public let earlySteps: Int

    public init(scaling: WidthScaling, activation: Activation, sgd: ScaledSGD, probes: Int = 32, earlySteps: Int = 10)
        throws
    {
        guard probes >= 1 else {
            throw TrainingError.invalidParameter(name: "probes", value: "\(probes)", allowed: "an integer >= 1")
        }
        guard (1...sgd.steps).contains(earlySteps) else {
            throw TrainingError.invalidParameter(
                name: "early steps", value: "\(earlySteps)", allowed: "1...\(sgd.steps) (the SGD steps)")
        }
        self.earlySteps = earlySteps
        self.scaling = scaling
        self.activation = activation
        self.sgd = sgd
        self.probes = probes
    }

    /// One trained network.
    public struct Run: Sendable {
        public let width: Int
        public let seed: UInt64
        /// Conditional on the input weights (see the type's documentation).
        public let initialLogitScale: Double
        /// The realised RMS of F over the test points, at init and after training.
        public let initialLogitRMS: Double
        public let finalLogitScale: Double
        /// RMS(F_K - F_0) over the probe points after the early window of K steps, per unit loss
        /// derivative (as the early movements), over the initial logit scale: how far the first steps move the logits against their initial
        /// scale, d^(v - u) (negative: stagnating). Early, because at a fixed width a
        /// stagnating scaling still trains given enough steps (its effective time is K d^(v - u)).
        public let logitChange: Double
        public let initialKernelScale: Double
        public let kernelChange: Double
        public let readoutMovement: Double
        public let inputMovement: Double
        /// The kernel change after `earlySteps` steps, and the movements then per unit loss derivative.
        public let earlyKernelChange: Double
        public let earlyReadoutMovement: Double
        public let earlyInputMovement: Double
        public let record: ScaledSGD.Record
        public var finalTestAccuracy: Double { record.testAccuracy.last! }
        public var finalTestLoss: Double { record.testLoss.last! }
    }

    /// All seeds of one width.
    public struct WidthRuns: Sendable {
        public let width: Int
        public let runs: [Run]

        /// Mean and standard error over seeds.
        public func summary(_ value: (Run) -> Double) -> (mean: Double, standardError: Double) {
            let values = runs.map(value)
            let s = Double(values.count)
            let mu = values.reduce(0, +) / s
            let v = s > 1 ? values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (s - 1) : 0
            return (mu, (v / s).squareRoot())
        }
    }

    /// Trains one network of `width` with `seed` (initialisation; the batches use the
    /// sampler's own seed) on the task.
    public func run(width: Int, seed: UInt64, task: BinaryTask) throws -> Run {
        var net = ScaledNetwork(
            scaling, activation: activation, inputDimension: task.inputDimension, width: width, seed: seed)
        let (etaA, etaW) = scaling.learningRates(width: width)
        let p = min(probes, task.testCount)
        let probeX = Array(task.testInputs[0..<(p * task.inputDimension)])
        let k0 = net.tangentKernels(probeX, count: p, readoutRate: etaA, inputRate: etaW)
        let a0 = net.readout
        let w0 = net.input
        let record = try sgd.train(
            &net, readoutRate: etaA, inputRate: etaW, initialCorrection: scaling.initialCorrection(width: width),
            x: task.trainInputs, y: task.trainLabels, test: task.testInputs, testLabels: task.testLabels,
            snapshotAt: [earlySteps])
        func kernelChange(_ kT: (readout: [Double], input: [Double])) -> Double {
            var change = 0.0
            var size = 0.0
            for k in 0..<(p * p) {
                let before = k0.readout[k] + k0.input[k]
                let after = kT.readout[k] + kT.input[k]
                change += (after - before) * (after - before)
                size += before * before
            }
            return size > 0 ? (change / size).squareRoot() : 0
        }
        let kT = net.tangentKernels(probeX, count: p, readoutRate: etaA, inputRate: etaW)
        let early = record.snapshots[0]
        var earlyNet = net
        earlyNet.readout = early.readout
        earlyNet.input = early.input
        let kEarly = earlyNet.tangentKernels(probeX, count: p, readoutRate: etaA, inputRate: etaW)
        var trace = 0.0
        var readoutTrace = 0.0
        for i in 0..<p {
            trace += k0.readout[i * p + i] + k0.input[i * p + i]
            readoutTrace += k0.readout[i * p + i]
        }
        // K_a(x, x) / eta^_a = sigma^2 sum_r phi(h_r)^2 = E[f_0(x)^2 | W^].
        let gamma = scaling.initialCorrection(width: width)
        let conditional =
            etaA > 0
            ? (1 + gamma) * (readoutTrace / Double(p) / etaA).squareRoot()
            : (1 + gamma) * (record.testLogits.first!.prefix(p).reduce(0) { $0 + $1 * $1 } / Double(p)).squareRoot()
        let perUnit = early.lossDerivativeSum > 0 ? 1 / early.lossDerivativeSum : 0
        // F_K - F_0 = f_K - f_0, and F_0 = (1 + gamma) f_0 on the recorded test points.
        let earlyChange = zip(earlyNet.logits(probeX, count: p), record.testLogits.first!.prefix(p)).map {
            $0 - $1 / (1 + gamma)
        }
        func rms(_ values: [Double]) -> Double {
            (values.reduce(0) { $0 + $1 * $1 } / Double(max(values.count, 1))).squareRoot()
        }
        func relative(_ now: [Double], _ start: [Double]) -> Double {
            var dn = 0.0
            var sn = 0.0
            for k in 0..<now.count {
                dn += (now[k] - start[k]) * (now[k] - start[k])
                sn += start[k] * start[k]
            }
            return (dn / sn).squareRoot()
        }
        return Run(
            width: width, seed: seed, initialLogitScale: conditional, initialLogitRMS: rms(record.testLogits.first!),
            finalLogitScale: rms(record.testLogits.last!),
            logitChange: rms(earlyChange) * perUnit / conditional,
            initialKernelScale: trace / Double(p), kernelChange: kernelChange(kT),
            readoutMovement: relative(net.readout, a0), inputMovement: relative(net.input, w0),
            earlyKernelChange: kernelChange(kEarly), earlyReadoutMovement: relative(early.readout, a0) * perUnit,
            earlyInputMovement: relative(early.input, w0) * perUnit, record: record)
    }

    /// Every width with every seed, the seeds of a width side by side on all cores (BLAS
    /// single-threaded meanwhile); `progress` receives (runs done, runs in all).
    public func run(
        widths: [Int], seeds: [UInt64], task: BinaryTask,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> [WidthRuns] {
        let total = widths.count * seeds.count
        return try BLAS.singleThreaded {
            try widths.enumerated().map { w, width in
                let runs = try SlotArray<Run>.map(seeds.count, progress: { progress?(w * seeds.count + $0, total) }) {
                    k in
                    try run(width: width, seed: seeds[k], task: task)
                }
                return WidthRuns(width: width, runs: runs)
            }
        }
    }

    /// A measured quantity's power law in the width against the classification's prediction.
    public struct Fit: Sendable {
        public let quantity: Quantity
        public let exponent: Double
        public let standardError: Double
        public let predicted: Double
        /// Whether the fit agrees with the classification by the criterion of ``Quantity``;
        /// nil where the quantity is not judged: the finite widths are then not yet in the
        /// limit's regime of the loss derivative (``Quantity`` says where).
        public let agrees: Bool?
    }

    /// What is fitted, and the criterion for agreement (Proofs/infinite-width-limits-of-classifiers.md,
    /// "Measured properties").
    public enum Quantity: String, Sendable, CaseIterable {
        /// Within 0.1 of u.
        case initialLogitScale = "initial_logit_scale"
        /// Within 0.1 of v.
        case initialKernelScale = "initial_kernel_scale"
        /// After the early window, judged where the kernel is stationary in the limit:
        /// decaying, exponent <= -0.1 and at most 0.1 above the bound s_w (the measured rates
        /// are faster than the bound: -0.74 ReLU, -0.96 erf at the NTK point in lazy-training.md).
        /// With feature learning the early change is not judged: its first-order part averages
        /// out over the symmetric readout and leaves a d^-1/2 fluctuation, which dominates
        /// until the weights have moved far (the whole-run change is judged instead).
        case earlyKernelChange = "early_kernel_change"
        /// After the early window, per unit loss derivative: within 0.1 of min(s_w, 0) (0:
        /// order-one movement per step); judged where the initial logits are bounded (with
        /// diverging ones every step on a misclassified point overshoots by a diverging
        /// margin, the path is far from straight and the sum of |l'| no longer measures it).
        case earlyInputMovement = "early_input_movement"
        /// After the whole run: order one (within 0.1 of 0) with feature learning, otherwise
        /// as the early change; judged where the limit's later loss is logistic (a linearised
        /// or saturated one is reached only slowly in the width: |l'| -> 1/2 as f -> 0, -> 0 or
        /// 1 as |f| -> infinity).
        case kernelChange = "kernel_change"
        /// After the whole run: within 0.1 of min(s_w, 0), judged where the later loss is logistic.
        case inputMovement = "input_movement"
        /// Early logit change over the initial logit scale: within 0.1 of v - u (0 on the lower
        /// edge of the stable band, negative below it: stagnating), judged where the initial
        /// logits and kernels are bounded and the scaling is stable or stagnating (with
        /// diverging kernels each step on a misclassified point overshoots by a diverging
        /// margin, and the per-unit normalisation no longer measures the step).
        case logitChange = "logit_change"

        func value(_ run: Run) -> Double {
            switch self {
            case .initialLogitScale: return run.initialLogitScale
            case .initialKernelScale: return run.initialKernelScale
            case .earlyKernelChange: return run.earlyKernelChange
            case .earlyInputMovement: return run.earlyInputMovement
            case .kernelChange: return run.kernelChange
            case .inputMovement: return run.inputMovement
            case .logitChange: return run.logitChange
            }
        }
    }

    /// The fits of every ``Quantity`` over `results`, judged against the classification.
    public func fits(_ results: [WidthRuns]) -> [Fit] {
        let c = scaling.classification
        let p = c.predicted
        let learns = c.featureLearning ?? false
        let judgedWholeRun = c.stable && c.laterLoss == .logistic
        let judgedEarly = c.stable && c.logitsBoundedAtInit
        func kernelAgrees(_ e: Double) -> Bool {
            learns ? Swift.abs(e) <= 0.1 : (e <= -0.1 && e <= p.kernelChangeBound + 0.1)
        }
        return Quantity.allCases.compactMap { (q: Quantity) -> Fit? in
            let points = results.map { w -> (x: Double, y: Double, relativeError: Double) in
                let s = w.summary(q.value)
                return (Double(w.width), s.mean, s.mean > 0 ? s.standardError / s.mean : 0)
            }
            guard let fit = PowerLawFit(points) else { return nil }
            let e = fit.exponent
            let predicted: Double
            let agrees: Bool?
            switch q {
            case .initialLogitScale:
                predicted = p.initialLogitScale
                agrees = Swift.abs(e - predicted) <= 0.1
            case .initialKernelScale:
                predicted = p.initialKernelScale
                agrees = Swift.abs(e - predicted) <= 0.1
            case .earlyKernelChange:
                predicted = p.kernelChangeBound
                agrees = c.stable && !learns ? kernelAgrees(e) : nil
            case .earlyInputMovement:
                predicted = p.inputMovement
                agrees = judgedEarly ? Swift.abs(e - predicted) <= 0.1 : nil
            case .kernelChange:
                predicted = p.kernelChangeBound
                agrees = judgedWholeRun ? kernelAgrees(e) : nil
            case .inputMovement:
                predicted = p.inputMovement
                agrees = judgedWholeRun ? Swift.abs(e - predicted) <= 0.1 : nil
            case .logitChange:
                predicted = p.initialKernelScale - p.initialLogitScale
                agrees =
                    c.logitsBoundedAtInit && c.kernelBoundedAtInit && c.instability != .diverging
                    ? Swift.abs(e - predicted) <= 0.1 : nil
            }
            return Fit(quantity: q, exponent: e, standardError: fit.standardError, predicted: predicted, agrees: agrees)
        }
    }
}
