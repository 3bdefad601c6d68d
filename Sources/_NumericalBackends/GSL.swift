@preconcurrency import CGSL
import Foundation

/// Thin Swift forwards to the GNU Scientific Library: log-gamma, Gegenbauer values and the
/// fixed Gauss rules of `gsl_integration_fixed` (Golub-Welsch on the Jacobi matrix).
///
/// GSL's default error handler aborts the process; it is switched off once, before the first
/// call, and only the `_e` variants (which return a status and an error estimate) are used.
/// C types never leave this file.
public enum GSL {
    /// Errors reported by GSL, with the status code and the function that raised it.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let function: String
        public let status: Int32
        public var description: String {
            "\(function) failed: \(String(cString: gsl_strerror(status))) (GSL status \(status))"
        }
    }

    /// A value with GSL's own absolute error estimate.
    public struct Result: Sendable, Equatable {
        public let value: Double
        public let error: Double
    }

    static let handlerOff: Void = { _ = gsl_set_error_handler_off() }()

    /// log|Gamma(x)| and the sign of Gamma(x) (`gsl_sf_lngamma_sgn_e`); x must not be a
    /// non-positive integer.
    public static func logGamma(_ x: Double) throws -> (log: Result, sign: Double) {
        _ = handlerOff
        var r = gsl_sf_result(val: 0, err: 0)
        var sign = 0.0
        let status = gsl_sf_lngamma_sgn_e(x, &r, &sign)
        guard status == GSL_SUCCESS else { throw Failure(function: "gsl_sf_lngamma_sgn_e(\(x))", status: status) }
        return (Result(value: r.val, error: r.err), sign)
    }

    /// The Gegenbauer polynomial C_n^lambda(x) (`gsl_sf_gegenpoly_n_e`), lambda > -1/2, n >= 0.
    public static func gegenbauer(_ n: Int, lambda: Double, _ x: Double) throws -> Result {
        _ = handlerOff
        var r = gsl_sf_result(val: 0, err: 0)
        let status = gsl_sf_gegenpoly_n_e(Int32(n), lambda, x, &r)
        guard status == GSL_SUCCESS else {
            throw Failure(function: "gsl_sf_gegenpoly_n_e(\(n), \(lambda), \(x))", status: status)
        }
        return Result(value: r.val, error: r.err)
    }

    /// Nodes and weights of a fixed n-point Gauss rule.
    public struct GaussRule: Sendable {
        public let nodes: [Double]
        public let weights: [Double]
        public init(nodes: [Double], weights: [Double]) {
            self.nodes = nodes
            self.weights = weights
        }
    }

    /// Weight functions of the fixed Gauss rules.
    public enum RuleKind: Sendable, Hashable {
        /// w(x) = 1 on [a, b].
        case legendre
        /// w(x) = ((b - x)(x - a))^alpha on [a, b], alpha > -1.
        case gegenbauer(alpha: Double)
        /// w(x) = (b - x)^alpha (x - a)^beta on [a, b], alpha, beta > -1.
        case jacobi(alpha: Double, beta: Double)
    }

    private struct RuleKey: Hashable {
        let kind: RuleKind
        let n: Int
        let a: Double
        let b: Double
    }
    private static let ruleCache = NSLock()
    nonisolated(unsafe) private static var rules: [RuleKey: GaussRule] = [:]

    /// The n-point Gauss rule of `kind` on [a, b] (`gsl_integration_fixed_alloc`), cached.
    /// Exact for polynomials of degree 2n - 1 times the weight.
    public static func gaussRule(_ kind: RuleKind, count n: Int, on a: Double, _ b: Double) throws -> GaussRule {
        _ = handlerOff
        precondition(n >= 1 && a < b)
        let key = RuleKey(kind: kind, n: n, a: a, b: b)
        ruleCache.lock()
        defer { ruleCache.unlock() }
        if let rule = rules[key] { return rule }
        let type: UnsafePointer<gsl_integration_fixed_type>
        var alpha = 0.0
        var beta = 0.0
        switch kind {
        case .legendre: type = gsl_integration_fixed_legendre
        case .gegenbauer(let al):
            type = gsl_integration_fixed_gegenbauer
            alpha = al
        case .jacobi(let al, let be):
            type = gsl_integration_fixed_jacobi
            alpha = al
            beta = be
        }
        guard let w = gsl_integration_fixed_alloc(type, n, a, b, alpha, beta) else {
            throw Failure(function: "gsl_integration_fixed_alloc(n: \(n), \(kind))", status: Int32(GSL_EINVAL))
        }
        defer { gsl_integration_fixed_free(w) }
        let nodes = Array(UnsafeBufferPointer(start: gsl_integration_fixed_nodes(w), count: n))
        let weights = Array(UnsafeBufferPointer(start: gsl_integration_fixed_weights(w), count: n))
        let rule = GaussRule(nodes: nodes, weights: weights)
        if rules.count > 64 { rules.removeAll() }
        rules[key] = rule
        return rule
    }
}

extension GSL {
    /// e^z K_nu(z), the scaled modified Bessel function of the second kind
    /// (`gsl_sf_bessel_Knu_scaled_e`), nu > 0, z > 0.
    public static func besselKScaled(nu: Double, _ z: Double) throws -> Result {
        _ = handlerOff
        var r = gsl_sf_result(val: 0, err: 0)
        let status = gsl_sf_bessel_Knu_scaled_e(nu, z, &r)
        guard status == GSL_SUCCESS else {
            throw Failure(function: "gsl_sf_bessel_Knu_scaled_e(\(nu), \(z))", status: status)
        }
        return Result(value: r.val, error: r.err)
    }
}
