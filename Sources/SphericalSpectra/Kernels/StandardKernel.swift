import Foundation
import NeuralKernels
import _NumericalBackends

/// Dot-product kernels users compare networks with, restricted to S^{d-1}; |x - y| = sqrt(2(1 - t)).
///
///     laplace(c)        exp(-c |x - y|)                                      a = 1/2
///     gaussian(c)       exp(-c |x - y|^2) = exp(-2c(1 - t))                  super-polynomial
///     matern(nu, l)     2^{1-nu}/Gamma(nu) (sqrt(2 nu) r/l)^nu K_nu(sqrt(2 nu) r/l)   a = nu
///     arccos(n)         Cho & Saul: (1/pi) J_n(theta), theta = arccos t      a = n + 1/2
///     polynomial(c, p)  (t + c)^p                                            rank p + 1
///
/// The exponent a is that of the leading singular term c_+ (1 - t)^a at t = 1. Matern with
/// integer nu has logarithmic terms instead (predicted decay `.unknown`).
public struct StandardKernel: DotProductKernel {
    public enum Family: Sendable, Equatable {
        case laplace(c: Double)
        case gaussian(c: Double)
        case matern(nu: Double, lengthScale: Double)
        case arcCosine(order: Int)
        case polynomial(c: Double, degree: Int)
    }

    public let family: Family
    public let valueAccuracy: Double

    public init(_ family: Family) throws {
        func bad(_ name: String, _ v: Double, _ allowed: String) -> SpectralError {
            .invalidParameter(name: name, value: "\(v)", allowed: allowed)
        }
        switch family {
        case .laplace(let c), .gaussian(let c):
            guard c.isFinite, c > 0 else { throw bad("scale c", c, "a finite number > 0") }
        case .matern(let nu, let l):
            guard nu.isFinite, nu > 0, nu <= 50 else { throw bad("nu", nu, "a number in (0, 50]") }
            guard l.isFinite, l > 0 else { throw bad("length scale", l, "a finite number > 0") }
        case .arcCosine(let n):
            guard (0...8).contains(n) else { throw bad("arc-cosine order", Double(n), "an integer 0...8") }
        case .polynomial(let c, let p):
            guard c.isFinite else { throw bad("c", c, "a finite number") }
            guard (0...1000).contains(p) else { throw bad("degree", Double(p), "an integer 0...1000") }
        }
        self.family = family
        if case .matern = family { valueAccuracy = 1e-13 } else { valueAccuracy = 8 * .ulpOfOne }
    }

    public var name: String {
        switch family {
        case .laplace(let c): return "laplace(\(c))"
        case .gaussian(let c): return "gaussian(\(c))"
        case .matern(let nu, let l): return "matern(\(nu),\(l))"
        case .arcCosine(let n): return "arccos(\(n))"
        case .polynomial(let c, let p): return "polynomial(\(c),\(p))"
        }
    }

    public var predictedDecay: PredictedDecay {
        switch family {
        case .laplace: return .algebraic(a: 0.5)
        case .gaussian: return .superPolynomial
        case .matern(let nu, _): return nu == nu.rounded() ? .unknown : .algebraic(a: nu)
        case .arcCosine(let n): return .algebraic(a: Double(n) + 0.5)
        case .polynomial(_, let p): return .finiteRank(degree: p)
        }
    }

    /// Laplace, Gaussian and Matern are analytic at t = -1, so both parities follow t = +1.
    /// arccos(n) is the one-hidden-layer NNGP of ReLU^n without bias: the parity of n has
    /// the singular part, the other is x^n/2's polynomial kernel, of degree n.
    /// (t + c)^p has only the parity of p when c = 0.
    public var parityDecay: ParityDecay {
        switch family {
        case .arcCosine(let n):
            let singular = PredictedDecay.algebraic(a: Double(n) + 0.5), finite = PredictedDecay.finiteRank(degree: n)
            let reason = "arccos(\(n)) is the NNGP of relu_pow(\(n)) without bias: its \(n % 2 == 1 ? "even" : "odd") part |x|^\(n)/2-like is non-smooth of degree \(n), the other part x^\(n)/2 is a polynomial"
            return n % 2 == 1 ? ParityDecay(even: singular, odd: finite, reason: reason) : ParityDecay(even: finite, odd: singular, reason: reason)
        case .polynomial(let c, let p) where c == 0:
            let reason = "t^\(p) has only \(p % 2 == 0 ? "even" : "odd") Gegenbauer components"
            return p % 2 == 0 ? ParityDecay(even: .finiteRank(degree: p), odd: .vanishing, reason: reason)
                : ParityDecay(even: .vanishing, odd: .finiteRank(degree: p), reason: reason)
        default:
            return .same(predictedDecay, reason: "analytic at t = -1: both parities follow the behaviour at t = +1")
        }
    }

    /// The Gaussian is e^{-2c} e^{2ct}: a_n = e^{-2c} (2c)^n / n!, all positive.
    public var maclaurinSeries: MaclaurinSeries? {
        guard case .gaussian(let c) = family else { return nil }
        return MaclaurinSeries { n in -2 * c + Double(n) * log(2 * c) - lgamma(Double(n) + 1) }
    }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        switch family {
        case .laplace(let c): return exp(-c * (2 * oneMinusT).squareRoot())
        case .gaussian(let c): return exp(-2 * c * oneMinusT)
        case .matern(let nu, let l):
            let r = (2 * oneMinusT).squareRoot()
            if r == 0 { return 1 }
            let z = (2 * nu).squareRoot() * r / l
            // K_nu(z) = e^{-z} K_nu_scaled(z); Gamma(nu) via log-gamma.
            guard let k = try? GSL.besselKScaled(nu: nu, z), let g = try? GSL.logGamma(nu) else { return .nan }
            return exp((1 - nu) * log(2.0) - g.log.value + nu * log(z) - z) * k.value
        case .arcCosine(let n):
            let angle = CorrelationAngle(q: 1, deficit: oneMinusT, surplus: onePlusT)
            return 2 * ArcCosine.unitVariance(order: n, angle: angle)
        case .polynomial(let c, let p):
            return pow(t + c, Double(p))
        }
    }

    /// Parses `laplace(1)`, `gaussian(0.5)`, `matern(1.5)` or `matern(1.5,2)`, `arccos(1)`,
    /// `polynomial(1,3)` (c, p).
    public static func parse(_ text: String) throws -> StandardKernel {
        let s = text.replacingOccurrences(of: " ", with: "").lowercased()
        let allowed = "laplace(c), gaussian(c), matern(nu) or matern(nu,lengthscale), arccos(n), polynomial(c,p)"
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else {
            throw SpectralError.invalidParameter(name: "standard kernel", value: text, allowed: allowed)
        }
        let head = String(s[..<open])
        let args = s[s.index(after: open)..<s.index(before: s.endIndex)].split(separator: ",", omittingEmptySubsequences: false)
        let numbers = args.map { Double($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else {
            throw SpectralError.invalidParameter(name: "standard kernel", value: text, allowed: allowed)
        }
        let v = numbers.map { $0! }
        switch (head, v.count) {
        case ("laplace", 1): return try StandardKernel(.laplace(c: v[0]))
        case ("gaussian", 1): return try StandardKernel(.gaussian(c: v[0]))
        case ("matern", 1): return try StandardKernel(.matern(nu: v[0], lengthScale: 1))
        case ("matern", 2): return try StandardKernel(.matern(nu: v[0], lengthScale: v[1]))
        case ("arccos", 1) where v[0] == v[0].rounded(): return try StandardKernel(.arcCosine(order: Int(v[0])))
        case ("polynomial", 2) where v[1] == v[1].rounded() && Swift.abs(v[1]) < 1e6:
            return try StandardKernel(.polynomial(c: v[0], degree: Int(v[1])))
        default:
            throw SpectralError.invalidParameter(name: "standard kernel", value: text, allowed: allowed)
        }
    }
}
