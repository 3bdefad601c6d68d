/// What a scaling of a one-hidden-layer binary classifier (``ScalingExponents``) does as its
/// width d grows, by the scaling of one SGD step (Golikov, arXiv 2006.06574; derivation and
/// table in Proofs/infinite-width-limits-of-classifiers.md):
///
/// * dynamically stable iff -1/2 <= s <= 0. Above (s > 0) each step moves the normalised
///   weights by a diverging amount ("diverging"); below (s < -1/2) the logits' increments
///   vanish against the initial logits, which then never move ("stagnating").
/// * the limit model is fixed by sign(u) (initial logits vanish / order one / diverge),
///   sign(v) (initial kernels, hence every later step's logit increment, likewise), whether
///   s = 0 (weights move by order one: feature learning, kernels evolve) and whether s = -1/2
///   (increments on the scale of the initial logits, which then stay in the limit).
/// * off the paper's plane (q~_a != q~_w) the layer with the smaller step exponent is frozen
///   in the limit: its kernel is negligible and its weights do not move.
///
/// The initialisation correction (IC) adds (d/d*)^(-1/2 - q_sigma) - 1 times the initial
/// logits to the logits, making them order one at init; it is defined where the kernels are
/// order one at init (v = 0), where the limit is IC-MF (s = 0) or NTK (s < 0).
public struct ScalingClassification: Sendable {
    /// Why a scaling has no dynamically stable limit.
    public enum Instability: String, Sendable {
        /// s > 0: each step moves the normalised weights by a diverging amount.
        case diverging
        /// s < -1/2: the logits never move from their initial values in the limit.
        case stagnating
    }

    /// The derivative of the logistic loss in the limit, at the logits' scale.
    public enum LossRegime: String, Sendable {
        /// Logits vanish: l'(y, f) -> l'(y, 0) = -y/2, the loss linearised at zero.
        case linearised
        /// Logits of order one: the logistic loss itself.
        case logistic
        /// Logits diverge: l'(y, f) -> -y [y f < 0], a step of the margin's sign.
        case saturated

        init(_ order: WidthOrder) {
            switch order {
            case .vanishing: self = .linearised
            case .orderOne: self = .logistic
            case .diverging: self = .saturated
            }
        }
    }

    /// Which layers move in the limit.
    public enum TrainedLayers: String, Sendable {
        case both, readoutOnly = "readout-only", inputOnly = "input-only"
    }

    public let exponents: ScalingExponents
    public let initCorrected: Bool
    /// Dynamically stable: -1/2 <= s <= 0.
    public let stable: Bool
    public let instability: Instability?
    /// nil when not stable.
    public let limitModel: LimitModel?
    /// The initial logits' order (d^u; order one with the initialisation correction).
    public let initialLogits: WidthOrder
    /// The initial tangent kernels' order (d^v).
    public let initialKernel: WidthOrder
    /// The loss derivative of the first step and of every later step, in the limit.
    public let firstStepLoss: LossRegime
    public let laterLoss: LossRegime
    /// Whether the random initial logits enter the limit model (s = -1/2, or IC).
    public let initialLogitsInLimit: Bool?
    public let trainedLayers: TrainedLayers

    /// Logits bounded at initialisation (u <= 0).
    public var logitsBoundedAtInit: Bool { initialLogits.isBounded }
    /// Tangent kernels bounded at initialisation (v <= 0).
    public var kernelBoundedAtInit: Bool { initialKernel.isBounded }
    /// The tangent kernel stays at its initial value in the limit (s_w < 0); nil if unstable.
    public var kernelStationary: Bool? { stable ? !inputMovesAtOrderOne : nil }
    /// Feature learning: the hidden features, and so the kernels, change by order one
    /// (s_w = 0); nil if unstable.
    public var featureLearning: Bool? { stable ? inputMovesAtOrderOne : nil }

    private var inputMovesAtOrderOne: Bool { WidthOrder(exponent: exponents.inputStep) == .orderOne }

    /// The predicted width exponents of what ``ScalingStudy`` measures.
    public struct PredictedExponents: Sendable {
        /// RMS initial logit.
        public let initialLogitScale: Double
        /// Mean diagonal of the learning-rate weighted tangent kernel at init.
        public let initialKernelScale: Double
        /// RMS logit after training, d^max(u, v) (0 with the correction).
        public let finalLogitScale: Double
        /// ||a^_T - a^_0|| / ||a^_0||, ||W^_T - W^_0|| / ||W^_0||: the step exponents (0 when
        /// a layer moves by order one). Valid while the loss derivative stays of order one;
        /// with a saturated loss training stops once the training set is separated.
        public let readoutMovement: Double
        public let inputMovement: Double
        /// An upper bound on the exponent of ||K_T - K_0||_F / ||K_0||_F: s_w (0 with feature
        /// learning). Measured rates are faster than this bound where first-order changes
        /// average out (lazy-training.md: -0.74 for ReLU, -0.96 for erf at the NTK point).
        public let kernelChangeBound: Double
    }

    public var predicted: PredictedExponents {
        let u = initCorrected ? 0 : exponents.initialLogits
        let v = exponents.initialKernel
        return PredictedExponents(
            initialLogitScale: u, initialKernelScale: v, finalLogitScale: max(u, v),
            readoutMovement: min(exponents.readoutStep, 0), inputMovement: min(exponents.inputStep, 0),
            kernelChangeBound: min(exponents.inputStep, 0))
    }

    public init(_ exponents: ScalingExponents, initCorrected: Bool = false) throws {
        let e = exponents
        let tol = ScalingExponents.tolerance
        let v = WidthOrder(exponent: e.initialKernel)
        if initCorrected, v != .orderOne {
            throw TrainingError.invalidParameter(
                name: "initialisation correction", value: "\(e) with kernels ~ d^\(e.initialKernel) at init",
                allowed:
                    "scalings whose tangent kernels are of order one at init (q~ + 2 q_sigma + 1 = 0: the MF-NTK line)")
        }
        self.exponents = e
        self.initCorrected = initCorrected
        let u = initCorrected ? WidthOrder.orderOne : WidthOrder(exponent: e.initialLogits)
        initialLogits = u
        initialKernel = v
        firstStepLoss = LossRegime(u)
        laterLoss = LossRegime(v)
        trainedLayers =
            Swift.abs(e.readoutStep - e.inputStep) <= tol
            ? .both
            : (e.readoutStep > e.inputStep ? .readoutOnly : .inputOnly)
        let s = e.step
        if s > tol {
            stable = false
            instability = .diverging
            limitModel = nil
            initialLogitsInLimit = nil
            return
        }
        if s < -0.5 - tol {
            stable = false
            instability = .stagnating
            limitModel = nil
            initialLogitsInLimit = nil
            return
        }
        stable = true
        instability = nil
        let featureLevel = s >= -tol  // s = 0
        let initialLevel = Swift.abs(s + 0.5) <= tol  // s = -1/2
        initialLogitsInLimit = initCorrected || initialLevel
        if initCorrected {
            limitModel = featureLevel ? .initCorrectedMeanField : .ntk
            return
        }
        switch (featureLevel, initialLevel, u, v) {
        case (true, _, _, .vanishing): limitModel = .postMeanField
        case (true, _, _, .orderOne): limitModel = .meanField
        case (true, _, .vanishing, .diverging): limitModel = .symDefaultToMeanField
        case (true, _, .orderOne, _): limitModel = .symDefault
        case (true, _, .diverging, _): limitModel = .preSymDefault
        case (false, true, .vanishing, _): limitModel = .postNTK
        case (false, true, .orderOne, _): limitModel = .ntk
        case (false, true, .diverging, _): limitModel = .preNTK
        case (false, false, .vanishing, .vanishing): limitModel = .postMeanFieldNTK
        case (false, false, .vanishing, .orderOne): limitModel = .meanFieldToNTK
        case (false, false, .vanishing, .diverging): limitModel = .barycentre
        case (false, false, .orderOne, _): limitModel = .ntkToSymDefault
        case (false, false, .diverging, _): limitModel = .preNTKSymDefault
        }
    }

    /// The classification of a named point.
    public init(_ named: NamedScaling) {
        try! self.init(named.exponents, initCorrected: named.initCorrected)
    }
}
