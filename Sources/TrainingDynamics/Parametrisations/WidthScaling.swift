import Foundation

/// A scaling's concrete hyperparameters at each width: ``ScalingExponents`` applied relative to
/// a reference width d*, where every scaling is the same network (as in Golikov's experiments,
/// which scale a reference model of width d* = 128):
///
///     readout multiplier  sigma(d)  = sigma_w / sqrt(d*) (d/d*)^q_sigma
///     learning rates      eta^_a(d) = eta^_a* (d/d*)^q~_a,   eta^_w(d) = eta^_w* (d/d*)^q~_w
///     IC correction       gamma(d)  = (d/d*)^(-1/2 - q_sigma) - 1   (0 without it)
///
/// in the normalised weights of ``ScaledNetwork`` (standard normal at init). At the NTK point
/// this is exactly the NTK parametrisation of ``TrainableNetwork`` at every width, with
/// learning rate eta^_a* = eta^_w* = eta (Neural Tangents' convention), whose kernel at infinite
/// width is the NTK of a depth-2 ``NetworkKernel`` without bias.
public struct WidthScaling: Sendable {
    public let exponents: ScalingExponents
    public let initCorrected: Bool
    public let referenceWidth: Int
    /// The input weights' scale: pre-activations sigma_w / sqrt(d_in) w^ . x.
    public let sigmaW: Double
    /// eta^_a* and eta^_w*: the normalised learning rates at the reference width.
    public let readoutRate: Double
    public let inputRate: Double

    public init(
        _ exponents: ScalingExponents, initCorrected: Bool = false, referenceWidth: Int = 128,
        sigmaW: Double = 1, readoutRate: Double, inputRate: Double
    ) throws {
        guard referenceWidth >= 1 else {
            throw TrainingError.invalidParameter(
                name: "reference width", value: "\(referenceWidth)", allowed: "an integer >= 1")
        }
        guard sigmaW.isFinite, sigmaW > 0 else {
            throw TrainingError.invalidParameter(name: "sigma_w", value: "\(sigmaW)", allowed: "a finite number > 0")
        }
        for (name, rate) in [("readout learning rate", readoutRate), ("input learning rate", inputRate)]
        where !(rate.isFinite && rate >= 0) {
            throw TrainingError.invalidParameter(name: name, value: "\(rate)", allowed: "a finite number >= 0")
        }
        if initCorrected { _ = try ScalingClassification(exponents, initCorrected: true) }
        self.exponents = exponents
        self.initCorrected = initCorrected
        self.referenceWidth = referenceWidth
        self.sigmaW = sigmaW
        self.readoutRate = readoutRate
        self.inputRate = inputRate
    }

    /// A named point with one normalised learning rate eta for both layers at d*.
    public init(_ named: NamedScaling, referenceWidth: Int = 128, sigmaW: Double = 1, learningRate eta: Double) throws {
        try self.init(
            named.exponents, initCorrected: named.initCorrected, referenceWidth: referenceWidth, sigmaW: sigmaW,
            readoutRate: eta, inputRate: eta)
    }

    func ratio(_ width: Int) -> Double { Double(width) / Double(referenceWidth) }

    /// sigma(d), the readout multiplier.
    public func readoutMultiplier(width: Int) -> Double {
        sigmaW / Double(referenceWidth).squareRoot() * pow(ratio(width), exponents.qSigma)
    }

    /// (eta^_a(d), eta^_w(d)).
    public func learningRates(width: Int) -> (readout: Double, input: Double) {
        (readoutRate * pow(ratio(width), exponents.qTildeA), inputRate * pow(ratio(width), exponents.qTildeW))
    }

    /// gamma(d): the multiple of the initial logits added by the initialisation correction.
    public func initialCorrection(width: Int) -> Double {
        initCorrected ? pow(ratio(width), -0.5 - exponents.qSigma) - 1 : 0
    }

    /// The classification of this scaling.
    public var classification: ScalingClassification {
        try! ScalingClassification(exponents, initCorrected: initCorrected)
    }
}
