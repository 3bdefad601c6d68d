/// The named points of the family of ``ScalingExponents`` (Proofs/infinite-width-limits-of-classifiers.md,
/// "Named points"): those of Golikov's experiments (arXiv 2006.06574; the scaling modes of the
/// author's code, `utils/scale_hyperparams.py`) and Yang & Hu's muP (arXiv 2011.14522).
public enum NamedScaling: String, Sendable, CaseIterable {
    /// Standard parametrisation with width-independent learning rates (PyTorch's default,
    /// the paper's "default"): sigma_a ~ d^-1/2, eta_a and eta_w constant:
    /// (q_sigma, q~_a, q~_w) = (-1/2, 1, 0). Not dynamically stable (the readout's steps grow
    /// like d^1/2 relative to its weights).
    case standard
    /// The paper's "sym-default": the default's learning rates rescaled symmetrically,
    /// eta_a ~ d^-1/2, eta_w ~ d^1/2: (-1/2, 1/2, 1/2).
    case symDefault = "sym-default"
    /// Neural tangent kernel scaling (Jacot et al. 2018): sigma_a ~ d^-1/2, eta_a ~ 1/d,
    /// eta_w constant: (-1/2, 0, 0).
    case ntk
    /// Mean-field scaling (Mei et al. 2018; Chizat & Bach 2018; Rotskoff & Vanden-Eijnden 2018;
    /// Sirignano & Spiliopoulos 2018): sigma_a ~ 1/d, eta_a ~ 1/d, eta_w ~ d: (-1, 1, 1).
    case meanField = "mf"
    /// The paper's initialisation-corrected mean-field model: mean-field scaling, with the
    /// logits shifted by the initial logits of the network scaled as at the NTK point,
    /// f(x) - f_0(x) + (d/d*)^1/2 f_0(x).
    case initCorrectedMeanField = "ic-mf"
    /// Yang & Hu's maximal-update parametrisation for SGD (their Table 3 with one hidden
    /// layer: a = (-1/2, 1/2), b = (1/2, 1/2), c = 0), which for one hidden layer is the
    /// mean-field point (-1, 1, 1) (``ScalingExponents(abc:)``).
    case muP = "mup"

    public var exponents: ScalingExponents {
        switch self {
        case .standard: return try! ScalingExponents(qSigma: -0.5, qTildeA: 1, qTildeW: 0)
        case .symDefault: return try! ScalingExponents(qSigma: -0.5, qTilde: 0.5)
        case .ntk: return try! ScalingExponents(qSigma: -0.5, qTilde: 0)
        case .meanField, .initCorrectedMeanField: return try! ScalingExponents(qSigma: -1, qTilde: 1)
        case .muP: return try! ScalingExponents(abc: AbcParametrisation.maximalUpdate)
        }
    }

    /// Whether the logits carry the initialisation correction.
    public var initCorrected: Bool { self == .initCorrectedMeanField }

    /// Where the point is defined.
    public var source: String {
        switch self {
        case .standard: return "Golikov 2020 ('default'; PyTorch's initialisation and constant learning rates)"
        case .symDefault: return "Golikov 2020 ('sym-default')"
        case .ntk: return "Jacot et al. 2018; Golikov 2020 ('NTK')"
        case .meanField: return "Mei et al. 2018, Chizat & Bach 2018; Golikov 2020 ('MF')"
        case .initCorrectedMeanField: return "Golikov 2020 ('IC-MF')"
        case .muP: return "Yang & Hu 2020, Table 3 (muP, SGD), one hidden layer"
        }
    }
}
