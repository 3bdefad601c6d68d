import Foundation

/// A pointwise activation function with everything the infinite-width mathematics needs.
///
/// An activation is one value of this type: its function and derivative, the analytic
/// branches on each side of 0 (so that quadratures never straddle a kink), its regularity at
/// 0, its parity and, when one is known, its closed-form dual maps. Adding an activation is
/// one edit: a static constructor in one of the files of this folder, plus one line in
/// ``ActivationCatalogue``.
///
/// The convention for non-smooth activations follows design.md: the activation may be
/// non-smooth only at 0, and each branch extends analytically across 0 -- or, for
/// activations with kinks or jumps elsewhere, it lists every such point in ``breakpoints``
/// and ``regularity`` gives the lowest non-smoothness degree among them.
public struct Activation: Sendable, CustomStringConvertible {
    /// Canonical name, exactly as accepted on the command line (`leaky_relu(0.2)`).
    public let name: String
    /// The branch used for x < 0 (extended analytically to a neighbourhood of 0).
    public let negative: Branch
    /// The branch used for x >= 0 (extended analytically to a neighbourhood of 0).
    public let positive: Branch
    /// Smoothness at 0: analytic, polynomial, or the degree and jump of a kink.
    public let regularity: Regularity
    /// Parity of phi, when it has one.
    public let parity: Parity
    /// Closed-form dual maps, when known (otherwise the wedge quadrature is used).
    public let closedForm: ClosedFormDuals?
    /// Positive homogeneity degree p (phi(lambda x) = lambda^p phi(x) for lambda > 0), if any.
    /// Gradients use it: then S = E[u phi'(u) phi(v)] = p F and T = (p - 1) D exactly (Stein's
    /// lemma), instead of differences along the variances (``KernelInputDerivatives``).
    public let homogeneity: Int?
    /// The points where phi or phi' is not analytic, sorted, when some lie away from 0
    /// (hardtanh, ReLU6, shifted ReLUs, user `piecewise` with breakpoints); empty when phi is
    /// non-smooth at most at 0. Then both branches are phi itself on the whole line, and the
    /// duals without a closed form come from ``BreakpointQuadrature`` split at these points
    /// (piecewise-affine activations have one: ``PiecewiseLinearDuals``).
    public let breakpoints: [Double]

    public init(
        name: String, negative: Branch, positive: Branch, regularity: Regularity,
        parity: Parity, closedForm: ClosedFormDuals? = nil, homogeneity: Int? = nil,
        breakpoints: [Double] = []
    ) {
        self.breakpoints = breakpoints
        self.name = name
        self.negative = negative
        self.positive = positive
        self.regularity = regularity
        self.parity = parity
        self.closedForm = closedForm
        self.homogeneity = homogeneity
    }

    /// An activation that is analytic on the whole line (both branches equal).
    public init(
        name: String, smooth branch: Branch, regularity: Regularity = .analytic,
        parity: Parity, closedForm: ClosedFormDuals? = nil, homogeneity: Int? = nil
    ) {
        self.init(
            name: name, negative: branch, positive: branch, regularity: regularity,
            parity: parity, closedForm: closedForm, homogeneity: homogeneity)
    }

    /// phi(x).
    @inlinable public func callAsFunction(_ x: Double) -> Double {
        x < 0 ? negative.value(x) : positive.value(x)
    }

    /// phi(x), same as calling the activation.
    @inlinable public func value(_ x: Double) -> Double { self(x) }

    /// phi'(x); at the kink x = 0 the right derivative.
    @inlinable public func derivative(_ x: Double) -> Double {
        x < 0 ? negative.derivative(x) : positive.derivative(x)
    }

    public var description: String { name }

    /// E[phi''(u) phi''(v)] where it is known exactly: as the closed form declares it
    /// (``ClosedFormDuals/secondDerivative``), or 0 for a polynomial of degree <= 1 (phi'
    /// constant, user `piecewise` ones included). Nil: gradients difference the derivative dual.
    public var secondDerivativeDual: (@Sendable (GaussianPair) -> Double)? {
        if let declared = closedForm?.secondDerivative { return declared }
        if case .polynomial(let degree) = regularity, degree <= 1 { return ClosedFormDuals.affineSecondDerivative }
        return nil
    }
}

/// One analytic piece of an activation: its value and derivative.
public struct Branch: Sendable {
    public let value: @Sendable (Double) -> Double
    public let derivative: @Sendable (Double) -> Double
    public init(
        value: @escaping @Sendable (Double) -> Double,
        derivative: @escaping @Sendable (Double) -> Double
    ) {
        self.value = value
        self.derivative = derivative
    }
    /// The branch x -> a * x^p (p >= 0).
    public static func monomial(_ a: Double, _ p: Int) -> Branch {
        switch p {
        case 0: return Branch(value: { _ in a }, derivative: { _ in 0 })
        case 1: return Branch(value: { a * $0 }, derivative: { _ in a })
        default:
            return Branch(
                value: { a * pow($0, Double(p)) },
                derivative: { a * Double(p) * pow($0, Double(p - 1)) })
        }
    }
}

/// Regularity of an activation at 0 (the only point where it may fail to be smooth).
public enum Regularity: Sendable, Equatable, CustomStringConvertible {
    /// phi is analytic (C-infinity) on the whole line and not a polynomial.
    case analytic
    /// phi is a polynomial of the given degree.
    case polynomial(degree: Int)
    /// phi is in C^{m-1} and its m-th derivative jumps at 0 by `jump` = phi^(m)(0+) - phi^(m)(0-).
    /// m = 0 is a jump of phi itself (step), m = 1 a kink (ReLU), m = 2 ELU(1), m = p ReLU^p.
    case kink(degree: Int, jump: Double)

    /// The non-smoothness degree m, or nil for analytic and polynomial activations.
    public var nonSmoothnessDegree: Int? {
        if case .kink(let m, _) = self { return m }
        return nil
    }

    public var description: String {
        switch self {
        case .analytic: return "analytic"
        case .polynomial(let p): return "polynomial of degree \(p)"
        case .kink(let m, let j): return "C^\(m - 1) with a jump \(j) in derivative \(m) at 0"
        }
    }
}

/// Parity of an activation: even (phi(-x) = phi(x)), odd (phi(-x) = -phi(x)) or neither.
public enum Parity: String, Sendable, Equatable {
    case even, odd, neither
}

/// Closed-form dual maps of an activation for a centred Gaussian pair (u, v) with
/// Var u = q1, Var v = q2, Cov(u, v) = c (a ``GaussianPair``, which also carries the
/// correlation angle to full accuracy).
///
/// `nngp` is E[phi(u) phi(v)], `derivative` is E[phi'(u) phi'(v)]. Each closure must be
/// accurate to a few ulps over the whole admissible range |c| <= sqrt(q1 q2), including the
/// endpoints c = +-sqrt(q1 q2). Closed forms that are singular at rho = +-1 must use
/// `pair.angle` rather than recompute the correlation from c.
public struct ClosedFormDuals: Sendable {
    public let nngp: @Sendable (GaussianPair) -> Double
    public let derivative: @Sendable (GaussianPair) -> Double
    /// Where the closed form comes from (a paper or a Proofs page).
    public let reference: String
    /// Whether one evaluation costs about as much as a few elementary functions. Costly closed
    /// forms (ELU's, which integrate the bivariate normal function) are tabulated, like
    /// quadrature duals, where a kernel is evaluated very many times.
    public let isCheap: Bool
    /// Whether the duals are analytic in the correlation angle up to theta = 0, so that the
    /// sphere kernel's Chebyshev tables in theta converge geometrically. False for kinks away
    /// from 0 (hardtanh, ReLU6): terms like exp(-t^2 / (2 q sin^2(theta/2))) are smooth but not
    /// analytic there; a costly closed form is then evaluated directly, not tabulated.
    public let tabulatesAccurately: Bool
    /// For activations non-smooth at 0 whose duals are analytic functions of the signed
    /// correlation angle theta (arc-cosine, ELU family): the odd part
    /// O(theta) = (K(theta) - K(-theta))/2 of that continuation, for equal variances and rho > 0,
    /// evaluated at the pair's angle theta >= 0 (NaN outside that domain). The continued dual
    /// is K(-theta) = K(theta) - 2 O(theta); near theta = 0 the odd part is exactly the
    /// dual's singular part sum_j b_j (1 - rho)^{a + j} (Proofs/endpoint-expansion.md).
    public let nngpOddPart: (@Sendable (GaussianPair) -> Double)?
    public let derivativeOddPart: (@Sendable (GaussianPair) -> Double)?
    /// Both duals with the first derivatives hyperparameter gradients need (``DualJet``), in
    /// closed form, where that is much cheaper than differencing the duals (ELU family); nil
    /// from the closure where the closed form does not apply (a degenerate pair).
    public let jet: (@Sendable (GaussianPair) -> DualJet?)?
    /// E[phi''(u) phi''(v)] in closed form, for |rho| < 1, where it is known exactly: the slope
    /// dD/dc of the derivative dual that hyperparameter and input gradients need
    /// (``KernelInputDerivatives``, GPRegression's `DualPartials`). For a piecewise-linear phi
    /// with one kink of jump J at 0, phi'' = J delta_0 and
    ///
    ///     E[phi''(u) phi''(v)] = J^2 p(0, 0) = J^2 / (2 pi sqrt(q1 q2 - c^2));
    ///
    /// for phi' constant it is 0. Without it, gradients difference the derivative dual in c.
    public let secondDerivative: (@Sendable (GaussianPair) -> Double)?

    public init(
        reference: String, isCheap: Bool = true, tabulatesAccurately: Bool = true,
        nngp: @escaping @Sendable (GaussianPair) -> Double,
        derivative: @escaping @Sendable (GaussianPair) -> Double,
        nngpOddPart: (@Sendable (GaussianPair) -> Double)? = nil,
        derivativeOddPart: (@Sendable (GaussianPair) -> Double)? = nil,
        jet: (@Sendable (GaussianPair) -> DualJet?)? = nil,
        secondDerivative: (@Sendable (GaussianPair) -> Double)? = nil
    ) {
        self.reference = reference
        self.isCheap = isCheap
        self.tabulatesAccurately = tabulatesAccurately
        self.nngp = nngp
        self.derivative = derivative
        self.nngpOddPart = nngpOddPart
        self.derivativeOddPart = derivativeOddPart
        self.jet = jet
        self.secondDerivative = secondDerivative
    }

    /// Closed forms that are smooth in (q1, q2, c) up to rho = +-1 (erf, GELU, sin, ...),
    /// written in terms of the second moments only.
    public init(
        reference: String,
        smoothNNGP nngp: @escaping @Sendable (_ q1: Double, _ q2: Double, _ c: Double) -> Double,
        derivative: @escaping @Sendable (_ q1: Double, _ q2: Double, _ c: Double) -> Double,
        secondDerivative: (@Sendable (GaussianPair) -> Double)? = nil
    ) {
        self.init(
            reference: reference, nngp: { nngp($0.q1, $0.q2, $0.c) },
            derivative: { derivative($0.q1, $0.q2, $0.c) }, secondDerivative: secondDerivative)
    }

    /// E[phi''(u) phi''(v)] = 0 for phi' constant (phi affine).
    public static func affineSecondDerivative(_ pair: GaussianPair) -> Double { 0 }

    /// E[phi''(u) phi''(v)] = J^2 / (2 pi sqrt(q1 q2 - c^2)) for phi'' = J delta_0 (|rho| < 1).
    public static func kinkSecondDerivative(jump: Double) -> @Sendable (GaussianPair) -> Double {
        { pair in jump * jump / (2 * Double.pi * (pair.q1 * pair.q2 - pair.c * pair.c).squareRoot()) }
    }
}
