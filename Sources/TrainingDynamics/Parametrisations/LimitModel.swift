/// The distinct infinite-width limit models of dynamically stable scalings of a
/// one-hidden-layer binary classifier trained by SGD (Golikov, arXiv 2006.06574): thirteen
/// regions of the plane (q_sigma, q~), named as in the author's experiment code (points MF,
/// NTK, sym-default; segments and rays between and beyond them; three open regions), and the
/// initialisation-corrected mean-field model. Derivations and the table of their properties:
/// Proofs/infinite-width-limits-of-classifiers.md.
///
/// Each is fixed by four signs (``ScalingClassification``): the initial logits' exponent u,
/// the initial kernels' exponent v, whether s = 0 (weights move by order one) and whether
/// s = -1/2 (the initial logits survive in the limit).
public enum LimitModel: String, Sendable, CaseIterable {
    case meanField = "MF"
    case ntk = "NTK"
    case symDefault = "sym-default"
    case meanFieldToNTK = "MF-NTK"
    case ntkToSymDefault = "NTK-sym-default"
    case symDefaultToMeanField = "sym-default-MF"
    case postMeanField = "post-MF"
    case preSymDefault = "pre-sym-default"
    case postNTK = "post-NTK"
    case preNTK = "pre-NTK"
    case barycentre = "barycentre"
    case postMeanFieldNTK = "post-MF-NTK"
    case preNTKSymDefault = "pre-NTK-sym-default"
    case initCorrectedMeanField = "IC-MF"

    /// The dimension of the model's region in the plane (q_sigma, q~): points, segments or
    /// rays, open regions; the IC-MF model is a modified MF point.
    public var dimension: Int {
        switch self {
        case .meanField, .ntk, .symDefault, .initCorrectedMeanField: return 0
        case .meanFieldToNTK, .ntkToSymDefault, .symDefaultToMeanField, .postMeanField, .preSymDefault, .postNTK,
            .preNTK:
            return 1
        case .barycentre, .postMeanFieldNTK, .preNTKSymDefault: return 2
        }
    }

    /// The limit dynamics in one sentence.
    public var summary: String {
        switch self {
        case .meanField:
            return
                "mean-field particle dynamics: every neuron moves by order one under the logistic loss at finite logits, from zero logits"
        case .ntk:
            return
                "kernel gradient descent with the constant NTK from Gaussian-process initial logits, logistic loss at finite logits"
        case .symDefault:
            return
                "neurons move by order one; the first step at finite Gaussian-process logits, then diverging logits saturate the loss to a step of the margin's sign"
        case .meanFieldToNTK:
            return
                "kernel gradient descent with a constant kernel from zero initial logits, logistic loss at finite logits"
        case .ntkToSymDefault:
            return
                "constant kernel; the first step at finite Gaussian-process logits, then saturated loss (diverging logits)"
        case .symDefaultToMeanField:
            return "neurons move by order one; the first step from zero logits, then saturated loss (diverging logits)"
        case .postMeanField:
            return
                "neurons move by order one under the loss linearised at zero logits (logits vanish; the limit is of the rescaled logits)"
        case .preSymDefault:
            return
                "neurons move by order one under the saturated loss from the first step (logits diverge at initialisation)"
        case .postNTK:
            return
                "constant kernel, Gaussian-process initial logits, loss linearised at zero logits (logits and steps vanish alike)"
        case .preNTK:
            return
                "constant kernel, Gaussian-process initial logits, saturated loss (logits and steps diverge alike): a kernel perceptron from a random start"
        case .barycentre:
            return "constant kernel; the first step from zero logits, then saturated loss (diverging logits)"
        case .postMeanFieldNTK:
            return
                "constant kernel, zero initial logits, loss linearised at zero logits at every step: the rescaled logits are label-weighted sums of kernel evaluations"
        case .preNTKSymDefault:
            return
                "constant kernel; the first step's loss gradient is a step of the random initial margin, then saturated loss; the initial logits themselves drop out"
        case .initCorrectedMeanField:
            return
                "mean-field particle dynamics with the logits shifted by the Gaussian-process initial logits of the NTK-scaled network"
        }
    }
}
