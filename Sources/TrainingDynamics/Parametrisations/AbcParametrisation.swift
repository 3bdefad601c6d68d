/// Yang & Hu's abc-parametrisation of a network with one hidden layer of width n ("Feature
/// learning in infinite-width neural networks", arXiv 2011.14522, Definition 2.1): each weight
/// matrix is W^l = n^-a_l w^l with trainable w^l initialised N(0, n^-2 b_l), and SGD runs on
/// the w^l with learning rate eta n^-c. Layer 1 is the input layer, layer 2 the readout.
///
/// Their Theorem 3.3, specialised to L = 1 hidden layer, classifies it with
///
///     r = min(a_2 + b_2, 2 a_2 + c) + c - 1 + (2 a_1 + 1)
///
/// stable iff a_1 + b_1 = 0, a_2 + b_2 >= 1/2, r >= 0, 2 a_2 + c >= 1 and a_2 + b_2 + r >= 1;
/// nontrivial iff a_2 + b_2 + r = 1 or 2 a_2 + c = 1; a stable nontrivial parametrisation
/// learns features iff r = 0 and is in the kernel regime iff r > 0. This is an independent
/// statement of the same scaling arguments, used to check ``ScalingClassification`` (the two
/// frameworks differ: Yang & Hu require bounded outputs, Golikov's classifiers may have
/// diverging or vanishing logits; Proofs/infinite-width-limits-of-classifiers.md).
public struct AbcParametrisation: Sendable, Hashable {
    public let a1: Double, b1: Double, a2: Double, b2: Double, c: Double

    public init(a1: Double, b1: Double, a2: Double, b2: Double, c: Double) {
        self.a1 = a1
        self.b1 = b1
        self.a2 = a2
        self.b2 = b2
        self.c = c
    }

    /// muP for SGD (Yang & Hu, Table 3): a = (-1/2, 1/2), b = (1/2, 1/2), c = 0.
    public static let maximalUpdate = AbcParametrisation(a1: -0.5, b1: 0.5, a2: 0.5, b2: 0.5, c: 0)
    /// The NTK parametrisation: a = (0, 1/2), b = (0, 0), c = 0.
    public static let neuralTangent = AbcParametrisation(a1: 0, b1: 0, a2: 0.5, b2: 0, c: 0)
    /// The standard parametrisation with a width-independent learning rate: a = 0, b = (0, 1/2), c = 0.
    public static let standard = AbcParametrisation(a1: 0, b1: 0, a2: 0, b2: 0.5, c: 0)

    /// Yang & Hu's r.
    public var r: Double { min(a2 + b2, 2 * a2 + c) + c - 1 + (2 * a1 + 1) }

    private func atLeast(_ x: Double, _ y: Double) -> Bool { x >= y - ScalingExponents.tolerance }
    private func equal(_ x: Double, _ y: Double) -> Bool { Swift.abs(x - y) <= ScalingExponents.tolerance }

    /// Yang & Hu's stability (Theorem 3.3, L = 1).
    public var isStable: Bool {
        equal(a1 + b1, 0) && atLeast(a2 + b2, 0.5) && atLeast(r, 0) && atLeast(2 * a2 + c, 1) && atLeast(a2 + b2 + r, 1)
    }
    /// Yang & Hu's nontriviality: the function moves by order one in the limit.
    public var isNontrivial: Bool { equal(a2 + b2 + r, 1) || equal(2 * a2 + c, 1) }
    /// Stable, nontrivial and r = 0.
    public var learnsFeatures: Bool { isStable && isNontrivial && equal(r, 0) }
    /// Stable, nontrivial and r > 0.
    public var isKernelRegime: Bool { isStable && isNontrivial && r > ScalingExponents.tolerance }
}

extension ScalingExponents {
    /// The same network in Golikov's exponents (the input weights' effective scale
    /// n^-(a_1 + b_1) must be width independent, a_1 + b_1 = 0): the effective readout
    /// standard deviation is n^-(a_2 + b_2) and the effective learning rates of W^l are
    /// eta n^(-2 a_l - c), so q_sigma = -(a_2 + b_2), q~_w = -2 a_1 - c, q~_a = 2 b_2 - c.
    public init(abc p: AbcParametrisation) throws {
        guard Swift.abs(p.a1 + p.b1) <= ScalingExponents.tolerance else {
            throw TrainingError.invalidParameter(
                name: "abc-parametrisation", value: "a_1 + b_1 = \(p.a1 + p.b1)",
                allowed: "a_1 + b_1 = 0 (width-independent input weights)")
        }
        try self.init(qSigma: -(p.a2 + p.b2), readoutLearningRate: -2 * p.a2 - p.c, inputLearningRate: -2 * p.a1 - p.c)
    }
}
