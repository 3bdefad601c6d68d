import Foundation

/// A predicted learning curve: E_g(n) at the given sample sizes (``LearningCurvePredictor``),
/// the asymptotic rate from theory (``RatePrediction``) and the slope the curve itself shows
/// over its last decade (``FittedSlope``).
public struct LearningCurve: Sendable, Encodable {
    public let kernelName: String
    public let targetName: String
    public let dimension: Int
    public let kmax: Int
    public let ridge: Double
    public let noise: Double
    public let points: [LearningCurvePoint]
    /// The rate of the regime the curve is in at its largest n (ridge-dominated when
    /// lambda/n >= kappa_0/2 there, else ridgeless).
    public let rate: RatePrediction
    /// With a ridge that does not dominate yet at the largest n: the rate once it does.
    public let eventualRate: RatePrediction?
    public let fittedSlope: FittedSlope?

    /// Predicts at each n of `sampleSizes` (integers >= 1), ridge lambda >= 0 (in
    /// (K + lambda I)^{-1}), noise variance sigma^2 >= 0. `kernelDecay` overrides the
    /// per-parity decay used for the rate (needed for explicit spectra, which carry none).
    public init(
        modes: KernelModes, target: TargetSpectrum, sampleSizes: [Int], ridge: Double = 0, noise: Double = 0,
        listedDegrees: Int = 10, tolerance: Double = 1e-3,
        kernelDecay: (even: RatePrediction.KernelDecay, odd: RatePrediction.KernelDecay)? = nil
    ) throws {
        guard !sampleSizes.isEmpty, sampleSizes.allSatisfy({ $0 >= 1 && $0 <= 1_000_000_000 }) else {
            throw LearningCurveError.invalidParameter(
                name: "sample sizes", value: sampleSizes.map(String.init).joined(separator: ","),
                allowed: "integers 1...1000000000")
        }
        guard ridge.isFinite, ridge >= 0 else {
            throw LearningCurveError.invalidParameter(name: "ridge", value: "\(ridge)", allowed: "a finite number >= 0")
        }
        guard noise.isFinite, noise >= 0 else {
            throw LearningCurveError.invalidParameter(
                name: "noise variance", value: "\(noise)", allowed: "a finite number >= 0")
        }
        let predictor = try LearningCurvePredictor(modes: modes, target: target, tolerance: tolerance)
        kernelName = modes.kernelName
        targetName = target.name
        dimension = modes.dimension
        kmax = modes.kmax
        self.ridge = ridge
        self.noise = noise
        points = sampleSizes.map { predictor.point(n: $0, ridge: ridge, noise: noise, listedDegrees: listedDegrees) }
        let d = modes.dimension
        let decay =
            kernelDecay
            ?? {
                guard let parity = modes.parityDecay else { return (.unknown, .unknown) }
                let fits = modes.parityFits
                return (
                    RatePrediction.decay(predicted: parity.even, fit: fits?.even, dimension: d),
                    RatePrediction.decay(predicted: parity.odd, fit: fits?.odd, dimension: d)
                )
            }()
        let last = points.max { $0.n < $1.n }!
        let dominated = ridge > 0 && ridge / Double(last.n) >= 0.5 * last.kappa
        func prediction(_ ridgeDominated: Bool) -> RatePrediction {
            RatePrediction(
                kernelEven: decay.even, kernelOdd: decay.odd, targetEven: predictor.target.evenSmoothness,
                targetOdd: predictor.target.oddSmoothness, dimension: d, ridgeDominated: ridgeDominated, noise: noise,
                unlearnablePower: predictor.unlearnablePower, unresolvedZeroPower: predictor.unresolvedZeroPower)
        }
        rate = prediction(dominated)
        eventualRate = ridge > 0 && !dominated ? prediction(true) : nil
        fittedSlope = FittedSlope(points)
    }

    enum CodingKeys: String, CodingKey {
        case kernel, dimension, target, kmax, ridge, noise, n, testError = "test_error", uncertainty, resolved, kappa
        case predictedRateExponent = "predicted_rate_exponent", rateRegime = "rate_regime", rateSummary = "rate_summary"
        case rate, eventualRate = "eventual_rate", fittedSlope = "fitted_slope", fittedWindow = "fitted_window", points
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kernelName, forKey: .kernel)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(targetName, forKey: .target)
        try c.encode(kmax, forKey: .kmax)
        try c.encode(ridge, forKey: .ridge)
        try c.encode(noise, forKey: .noise)
        try c.encode(points.map(\.n), forKey: .n)
        try c.encode(points.map { $0.testError.flatMap { $0.isFinite ? $0 : nil } }, forKey: .testError)
        try c.encode(points.map { $0.uncertainty.flatMap { $0.isFinite ? $0 : nil } }, forKey: .uncertainty)
        try c.encode(points.map(\.resolved), forKey: .resolved)
        try c.encode(points.map { $0.kappa.isFinite ? $0.kappa : nil }, forKey: .kappa)
        try c.encode(rate.exponent.flatMap { $0.isFinite ? $0 : nil }, forKey: .predictedRateExponent)
        try c.encode(rate.regime, forKey: .rateRegime)
        try c.encode(rate.summary, forKey: .rateSummary)
        try c.encode(rate, forKey: .rate)
        try c.encodeIfPresent(eventualRate, forKey: .eventualRate)
        try c.encode(fittedSlope?.exponent, forKey: .fittedSlope)
        try c.encode(fittedSlope.map { [$0.nFrom, $0.nTo] }, forKey: .fittedWindow)
        try c.encode(points, forKey: .points)
    }
}
