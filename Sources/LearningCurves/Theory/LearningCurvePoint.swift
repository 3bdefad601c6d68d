/// The predicted expected test error of kernel ridge regression at one sample size n, with
/// its decomposition by degree (``LearningCurvePredictor``).
public struct LearningCurvePoint: Sendable, Encodable {
    /// One degree's share: learnability L_k = mu_k/(mu_k + kappa) and error
    /// e_k = (1 - L_k)^2 p_k / (1 - gamma).
    public struct Degree: Sendable, Encodable {
        public let k: Int
        public let multiplicity: Double
        /// mu_k (nil when unresolved: the central value then uses its lower end lo_k).
        public let eigenvalue: Double?
        public let learnability: Double
        public let targetPower: Double
        public let error: Double

        enum CodingKeys: String, CodingKey {
            case k, multiplicity, eigenvalue, learnability, targetPower = "target_power", error
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(k, forKey: .k)
            try c.encode(multiplicity, forKey: .multiplicity)
            try c.encode(eigenvalue, forKey: .eigenvalue)
            try c.encode(learnability, forKey: .learnability)
            try c.encode(targetPower, forKey: .targetPower)
            try c.encode(error.isFinite ? error : nil, forKey: .error)
        }
    }

    public let n: Int
    /// E_g(n) = E ||f_hat - f||^2 (against the noiseless target; add sigma^2 for noisy test labels).
    /// Nil when the prediction diverges (the interpolation peak of a finite-rank kernel at n = rank).
    public let testError: Double?
    /// Bound on |E_g - testError| from the unresolved eigenvalues and target coefficients
    /// (nil when unbounded).
    public let uncertainty: Double?
    /// The bounds themselves: the true value of the formula lies in [lower, upper].
    public let lower: Double?
    public let upper: Double?
    public let resolved: Bool
    /// Why the point is not resolved (nil when it is).
    public let note: String?
    /// The effective regularisation kappa (eigenvalue units), and its upper bound with the
    /// unresolved trace added to the ridge.
    public let kappa: Double
    public let kappaUpper: Double
    /// gamma = (1/n) sum_k N L_k^2; 1/(1 - gamma) is the overfitting (variance) factor.
    public let gamma: Double
    /// sigma^2 gamma/(1 - gamma): the noise's share of the test error.
    public let noiseError: Double
    /// The error of the degrees past those listed in `degrees` (and of unresolved power).
    public let errorBeyondListed: Double
    public let degrees: [Degree]
    public let solverIterations: Int
    public let solverResidual: Double
    public let solverConverged: Bool

    enum CodingKeys: String, CodingKey {
        case n, testError = "test_error", uncertainty, lower, upper, resolved, note, kappa, kappaUpper = "kappa_upper",
            gamma
        case noiseError = "noise_error", errorBeyondListed = "error_beyond_listed_degrees", degrees
        case solverIterations = "solver_iterations", solverResidual = "solver_residual", solverConverged =
            "solver_converged"
    }

    public func encode(to encoder: any Encoder) throws {
        // Non-finite values never reach JSON: they are written as null.
        func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(n, forKey: .n)
        try c.encode(finite(testError), forKey: .testError)
        try c.encode(finite(uncertainty), forKey: .uncertainty)
        try c.encode(finite(lower), forKey: .lower)
        try c.encode(finite(upper), forKey: .upper)
        try c.encode(resolved, forKey: .resolved)
        try c.encode(note, forKey: .note)
        try c.encode(finite(kappa), forKey: .kappa)
        try c.encode(finite(kappaUpper), forKey: .kappaUpper)
        try c.encode(finite(gamma), forKey: .gamma)
        try c.encode(finite(noiseError), forKey: .noiseError)
        try c.encode(finite(errorBeyondListed), forKey: .errorBeyondListed)
        try c.encode(degrees, forKey: .degrees)
        try c.encode(solverIterations, forKey: .solverIterations)
        try c.encode(finite(solverResidual), forKey: .solverResidual)
        try c.encode(solverConverged, forKey: .solverConverged)
    }
}
