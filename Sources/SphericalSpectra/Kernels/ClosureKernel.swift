/// Any function t -> kappa(t) as a ``DotProductKernel`` (for example
/// `ClosureKernel { sphereKernel.ntk($0) }`).
public struct ClosureKernel: DotProductKernel {
    public let name: String
    public let valueAccuracy: Double
    public let predictedDecay: PredictedDecay
    private let f: @Sendable (Double, Double, Double) -> Double

    /// kappa(t) from t alone.
    public init(
        name: String = "kernel", valueAccuracy: Double = 4 * .ulpOfOne,
        predictedDecay: PredictedDecay = .unknown, _ kappa: @escaping @Sendable (Double) -> Double
    ) {
        self.name = name
        self.valueAccuracy = valueAccuracy
        self.predictedDecay = predictedDecay
        self.f = { t, _, _ in kappa(t) }
    }

    /// kappa from (t, 1 - t, 1 + t), the last two exact.
    public init(
        name: String = "kernel", valueAccuracy: Double = 4 * .ulpOfOne,
        predictedDecay: PredictedDecay = .unknown,
        exact kappa: @escaping @Sendable (_ t: Double, _ oneMinusT: Double, _ onePlusT: Double) -> Double
    ) {
        self.name = name
        self.valueAccuracy = valueAccuracy
        self.predictedDecay = predictedDecay
        self.f = kappa
    }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double { f(t, oneMinusT, onePlusT) }
}
