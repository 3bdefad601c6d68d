import Foundation
import NeuralKernels
import SphericalSpectra
import _NumericalBackends

/// A target named on the command line, with its power spectrum on S^{d-1} and a way to draw
/// it for simulations (Proofs/learning-curves.md, "Target spectra"):
///
///     legendre:K1:C1,K2:C2,...   f(x) = sum_i C_i P_{K_i}(<x, e>)            p_K = C^2 / N(d, K)
///     power:beta                 p_k = k^-beta / zeta(beta) for k >= 1, p_0 = 0   (beta > 1; ||f||^2 = 1)
///     sobolev:s                  power:(2s + 1): in H^{s'}(S^{d-1}) for every s' < s, not in H^s
///     EXPR (or expression:EXPR)  f(x) = g(<x, e>), g an expression in t     p_k = N(d, k) g_k^2
///
/// P_k is normalised to P_k(1) = 1 and p_k is the power in degree k under the uniform
/// probability measure. `power` fixes the power per degree; spread over the N(d, k) harmonics
/// of degree k it is p_k / N(d, k) ~ k^{-beta-(d-2)} per harmonic. g_k are g's Funk-Hecke
/// coefficients, computed like a kernel's eigenvalues (``GegenbauerSpectrum``, with error
/// estimates); the power of the unresolved ones is bounded by Parseval,
/// ||f||^2 = int g(t)^2 dt-measure (``FunkHeckeQuadrature`` of g^2 at two rule sizes).
public struct TargetSpecification: Sendable {
    public enum Kind: Sendable {
        case legendre([(degree: Int, coefficient: Double)])
        case power(beta: Double)
        case sobolev(s: Double)
        case expression(text: String, expression: NeuralKernels.Expression)
    }

    public let text: String
    public let kind: Kind

    static let allowed =
        "legendre:K:C[,K:C...], power:beta (beta > 1), sobolev:s (s > 0), or an expression in t such as 'exp(t)' or 'abs(t)'"

    public init(_ text: String) throws {
        self.text = text
        let s = text.trimmingCharacters(in: .whitespaces)
        func bad(_ reason: String) -> LearningCurveError { .invalidTarget(text, reason: reason) }
        func number(_ piece: Substring, _ what: String) throws -> Double {
            guard let v = Double(piece.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw bad("\(what) '\(piece)' is not a finite number; allowed: \(Self.allowed)")
            }
            return v
        }
        if s.lowercased().hasPrefix("legendre:") {
            var terms: [Int: Double] = [:]
            let body = s.dropFirst("legendre:".count)
            for piece in body.split(separator: ",", omittingEmptySubsequences: false) {
                let parts = piece.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, let k = Int(parts[0].trimmingCharacters(in: .whitespaces)), k >= 0, k <= 100_000
                else {
                    throw bad("term '\(piece)' must be DEGREE:COEFFICIENT with an integer degree 0...100000")
                }
                terms[k, default: 0] += try number(parts[1], "coefficient")
            }
            kind = .legendre(terms.keys.sorted().map { (degree: $0, coefficient: terms[$0]!) })
        } else if s.lowercased().hasPrefix("power:") {
            let beta = try number(s.dropFirst("power:".count), "beta")
            guard beta > 1, beta <= 200 else {
                throw bad("beta \(beta) must be in (1, 200] (the power sum_k k^-beta must converge)")
            }
            kind = .power(beta: beta)
        } else if s.lowercased().hasPrefix("sobolev:") {
            let order = try number(s.dropFirst("sobolev:".count), "s")
            guard order > 0, order <= 99 else { throw bad("s \(order) must be in (0, 99]") }
            kind = .sobolev(s: order)
        } else {
            let body = s.lowercased().hasPrefix("expression:") ? String(s.dropFirst("expression:".count)) : s
            do {
                let kernel = try ExpressionKernel(body)
                kind = .expression(text: body, expression: kernel.expression)
            } catch let error as KernelError {
                throw bad("\(error.description); allowed: \(Self.allowed)")
            }
        }
    }

    /// beta of p_k ~ k^-beta for the power-law targets.
    var beta: Double? {
        switch kind {
        case .power(let b): return b
        case .sobolev(let s): return 2 * s + 1
        default: return nil
        }
    }

    /// The power spectrum on S^{d-1} through degree kmax (and past it).
    public func spectrum(dimension d: Int, kmax: Int) throws -> TargetSpectrum {
        guard d >= 2, d <= 64 else {
            throw LearningCurveError.invalidParameter(name: "dimension d", value: "\(d)", allowed: "an integer 2...64")
        }
        switch kind {
        case .legendre(let terms):
            var power = [Double](repeating: 0, count: kmax + 1)
            for (k, c) in terms {
                guard k <= kmax else {
                    throw LearningCurveError.invalidTarget(text, reason: "degree \(k) is past kmax = \(kmax)")
                }
                power[k] += c * c / Multiplicity.value(dimension: d, degree: k)
            }
            let even = terms.contains { $0.degree % 2 == 0 && $0.coefficient != 0 }
            let odd = terms.contains { $0.degree % 2 == 1 && $0.coefficient != 0 }
            return TargetSpectrum(
                dimension: d, name: text, power: power,
                evenSmoothness: even ? .saturating : .none, oddSmoothness: odd ? .saturating : .none)
        case .power, .sobolev:
            return try powerLaw(beta: beta!, dimension: d, kmax: kmax)
        case .expression(let body, let expression):
            return try projected(body, expression, dimension: d, kmax: kmax)
        }
    }

    /// p_k = k^-beta / zeta(beta), k >= 1; past kmax per parity by the Hurwitz zeta function:
    /// sum_{even k > K} k^-beta = 2^-beta zeta(beta, j0), j0 the first j with 2j > K, and
    /// sum_{odd k > K} = 2^-beta zeta(beta, j1 + 1/2), j1 the first j with 2j + 1 > K.
    func powerLaw(beta: Double, dimension d: Int, kmax: Int) throws -> TargetSpectrum {
        do {
            let zeta = try GSL.hurwitzZeta(beta, 1).value
            var power = [Double](repeating: 0, count: kmax + 1)
            for k in stride(from: 1, through: kmax, by: 1) { power[k] = pow(Double(k), -beta) / zeta }
            let j0 = kmax / 2 + 1
            let j1 = (kmax + 1) / 2
            let scale = pow(2, -beta) / zeta
            let even = scale * (try GSL.hurwitzZeta(beta, Double(j0)).value)
            let odd = scale * (try GSL.hurwitzZeta(beta, Double(j1) + 0.5).value)
            let next = kmax + 1
            let harmonic = pow(Double(next), -beta) / zeta / Multiplicity.value(dimension: d, degree: next)
            let smooth = TargetSpectrum.Smoothness.powerLaw(beta: beta, fitted: false)
            return TargetSpectrum(
                dimension: d, name: text, power: power, powerBeyondEven: even, powerBeyondOdd: odd,
                harmonicPowerBeyond: harmonic, evenSmoothness: smooth, oddSmoothness: smooth)
        } catch let error as GSL.Failure {
            throw LearningCurveError.invalidTarget(text, reason: error.description)
        }
    }

    /// Funk-Hecke projection of g(<x, e>): g_k by ``GegenbauerSpectrum`` of g as a dot-product
    /// function, p_k = N g_k^2 for the resolved g_k; the power of the rest (unresolved g_k and
    /// k > kmax) is bounded by the Parseval slack
    /// |int g^2 - sum_resolved p_k| + sum_resolved N (2|g_k| error_k + error_k^2) + the error of int g^2.
    func projected(_ body: String, _ expression: NeuralKernels.Expression, dimension d: Int, kmax: Int) throws
        -> TargetSpectrum
    {
        let kernel: ExpressionKernel
        let spectrum: GegenbauerSpectrum
        let square: (FunkHeckeQuadrature, FunkHeckeQuadrature)
        do {
            kernel = try ExpressionKernel(body)
            spectrum = try GegenbauerSpectrum(kernel: kernel, dimension: d, kmax: kmax)
            let compiled = CompiledExpression(kernel.expression)
            let g2 = ClosureKernel(name: "g^2") { t in
                let v = compiled.evaluate(t)
                return v * v
            }
            square = (
                try FunkHeckeQuadrature(kernel: g2, dimension: d, kmax: 0, nodesPerHalf: 3000),
                try FunkHeckeQuadrature(kernel: g2, dimension: d, kmax: 0, nodesPerHalf: 2000)
            )
        } catch let error as SpectralError {
            throw LearningCurveError.invalidTarget(text, reason: error.description)
        } catch let error as KernelError {
            throw LearningCurveError.invalidTarget(text, reason: error.description)
        }
        let norm = square.0.mu[0]
        guard norm.isFinite, (0...kmax).allSatisfy({ spectrum.mu[$0].isFinite }) else {
            throw LearningCurveError.invalidTarget(text, reason: "g(t) is not finite everywhere on [-1, 1]")
        }
        let normError = Swift.abs(square.0.mu[0] - square.1.mu[0]) + 64 * Double.ulpOfOne * square.0.magnitude[0]
        var power = [Double](repeating: 0, count: kmax + 1)
        var resolvedPower = 0.0
        var resolvedError = 0.0
        for k in 0...kmax {
            let n = spectrum.multiplicity[k]
            let g = spectrum.mu[k]
            let e = spectrum.error[k]
            if spectrum.resolved[k] {
                power[k] = n * g * g
                resolvedPower += power[k]
                resolvedError += n * (2 * Swift.abs(g) * e + e * e)
            }
        }
        let slack = Swift.abs(norm - resolvedPower) + resolvedError + normError
        // Past kmax the coefficients are not computed, so only Parseval bounds the rest.
        let unresolved = slack
        guard norm > 0 else { throw LearningCurveError.invalidTarget(text, reason: "g(t) is zero on [-1, 1]") }
        let fits = (Self.fittedSmoothness(spectrum, even: true), Self.fittedSmoothness(spectrum, even: false))
        return TargetSpectrum(
            dimension: d, name: text, power: power, unresolvedPower: unresolved,
            evenSmoothness: fits.0, oddSmoothness: fits.1)
    }

    /// beta of p_k = N g_k^2 ~ k^-beta for one parity, fitted (least squares of log p_k against
    /// log k) on the significant resolved coefficients (|g_k| > 100 error_k and above 1e-14
    /// max |g|) in [K/4, K], K the last of them; growing local slopes mean super-polynomial decay.
    static func fittedSmoothness(_ s: GegenbauerSpectrum, even: Bool) -> TargetSpectrum.Smoothness {
        let floor = 1e-14 * (s.mu.map { Swift.abs($0) }.max() ?? 0)
        let ks = stride(from: even ? 0 : 1, through: s.kmax, by: 2).filter {
            s.resolved[$0] && Swift.abs(s.mu[$0]) > 100 * s.error[$0] && Swift.abs(s.mu[$0]) > floor
        }
        guard let top = ks.last else { return .none }
        if top < 24 { return .saturating }
        let window = ks.filter { $0 >= max(2, top / 4) }
        guard window.count >= 8 else {
            return .unknown("too few significant coefficients of this parity to fit their decay")
        }
        func slope(_ w: ArraySlice<Int>) -> Double {
            let x = w.map { log(Double($0)) }
            let y = w.map { log(s.multiplicity[$0] * s.mu[$0] * s.mu[$0]) }
            let mx = x.reduce(0, +) / Double(x.count)
            let my = y.reduce(0, +) / Double(y.count)
            var sxy = 0.0
            var sxx = 0.0
            for i in x.indices {
                sxy += (x[i] - mx) * (y[i] - my)
                sxx += (x[i] - mx) * (x[i] - mx)
            }
            return -sxy / sxx
        }
        let half = window.count / 2
        let lower = slope(window[..<half])
        let upper = slope(window[half...])
        if upper > 1.25 * lower + 1 { return .saturating }
        return .powerLaw(beta: slope(window[...]), fitted: true)
    }

    /// What a simulation draws for this target on S^{d-1}, and the spectrum its prediction
    /// must use: zonal targets exactly as defined (g(<x, e>) with e uniform, independent of the
    /// computed coefficients), power-law targets as random functions with power p_k in each
    /// degree k <= `truncation` (and the prediction for that truncated spectrum).
    public func simulationTarget(dimension d: Int, spectrum: TargetSpectrum, truncation: Int = 400, centres: Int = 8)
        -> (target: SimulationTarget, spectrum: TargetSpectrum)
    {
        switch kind {
        case .legendre(let terms):
            let top = terms.map(\.degree).max() ?? 0
            let profile: @Sendable (Double) -> Double = { t in
                let p = NormalisedGegenbauer.values(dimension: d, through: top, at: t)
                return terms.reduce(0) { $0 + $1.coefficient * p[$1.degree] }
            }
            return (.zonal(name: text, profile: profile), spectrum)
        case .expression(_, let expression):
            let compiled = CompiledExpression(expression)
            return (.zonal(name: text, profile: { compiled.evaluate($0) }), spectrum)
        case .power, .sobolev:
            let cut = spectrum.truncated(at: truncation)
            return (.harmonics(name: "\(text) (degrees <= \(truncation))", power: cut.power, centres: centres), cut)
        }
    }
}
