import Foundation

/// The standard dot-product kernels users compare networks with, by name: the parse registry.
///
///     laplace(c)        exp(-c |x - y|)                                      a = 1/2
///     gaussian(c)       exp(-c |x - y|^2) = exp(-2c(1 - t))                  super-polynomial
///     matern(nu, l)     2^{1-nu}/Gamma(nu) (sqrt(2 nu) r/l)^nu K_nu(sqrt(2 nu) r/l)   a = nu
///     arccos(n)         Cho & Saul: (1/pi) J_n(theta), theta = arccos t      a = n + 1/2
///     polynomial(c, p)  (t + c)^p                                            rank p + 1
///
/// on S^{d-1}, |x - y| = sqrt(2(1 - t)); a is the exponent of the leading singular term
/// c_+ (1 - t)^a at t = 1. Each family is its own ``DotProductKernel`` in Standard/; this
/// registry maps its command-line form to it, and the `--standard` help and error messages are
/// generated from it.
public enum StandardKernel {
    /// One family on the command line: its name, parameters and how to build it from numbers.
    public struct Entry: Sendable {
        public let name: String
        /// Parameter names; a trailing `[name]` is optional.
        public let parameters: [String]
        /// A command-line instance, for the help and the registry-wide tests.
        public let example: String
        /// Builds the kernel, or nil when the numbers do not fit the family's form (then the
        /// error lists every form).
        let make: @Sendable ([Double]) throws -> (any DotProductKernel)?

        /// `name(p1,p2)`.
        public var usage: String { "\(name)(\(parameters.joined(separator: ",")))" }
    }

    public static let entries: [Entry] = [
        Entry(name: "laplace", parameters: ["c"], example: "laplace(1)") { v in
            guard v.count == 1 else { return nil }
            return try LaplaceKernel(c: v[0])
        },
        Entry(name: "gaussian", parameters: ["c"], example: "gaussian(0.5)") { v in
            guard v.count == 1 else { return nil }
            return try GaussianKernel(c: v[0])
        },
        Entry(name: "matern", parameters: ["nu", "[lengthscale]"], example: "matern(1.5,2)") { v in
            switch v.count {
            case 1: return try MaternKernel(nu: v[0])
            case 2: return try MaternKernel(nu: v[0], lengthScale: v[1])
            default: return nil
            }
        },
        Entry(name: "arccos", parameters: ["n"], example: "arccos(1)") { v in
            guard v.count == 1, v[0] == v[0].rounded(), Swift.abs(v[0]) < 1e6 else { return nil }
            return try ArcCosineKernel(order: Int(v[0]))
        },
        Entry(name: "polynomial", parameters: ["c", "p"], example: "polynomial(1,3)") { v in
            guard v.count == 2, v[1] == v[1].rounded(), Swift.abs(v[1]) < 1e6 else { return nil }
            return try PolynomialKernel(c: v[0], degree: Int(v[1]))
        },
    ]

    /// Every accepted form, for the help and error messages.
    public static var usages: [String] { entries.map(\.usage) }

    /// Parses `laplace(1)`, `gaussian(0.5)`, `matern(1.5)` or `matern(1.5,2)`, `arccos(1)`,
    /// `polynomial(1,3)` (c, p).
    public static func parse(_ text: String) throws -> any DotProductKernel {
        let s = text.replacingOccurrences(of: " ", with: "").lowercased()
        let unknown = SpectralError.invalidParameter(
            name: "standard kernel", value: text, allowed: usages.joined(separator: ", "))
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else { throw unknown }
        let head = String(s[..<open])
        let args = s[s.index(after: open)..<s.index(before: s.endIndex)].split(
            separator: ",", omittingEmptySubsequences: false)
        let numbers = args.compactMap { Double($0) }
        guard !numbers.isEmpty, numbers.count == args.count,
            let entry = entries.first(where: { $0.name == head }),
            let kernel = try entry.make(numbers)
        else { throw unknown }
        return kernel
    }

    /// The error of a family's initializer for a parameter out of range.
    static func invalid(_ name: String, _ value: Double, _ allowed: String) -> SpectralError {
        .invalidParameter(name: name, value: "\(value)", allowed: allowed)
    }

    /// Kernels analytic at t = -1: both parities follow the behaviour at t = +1.
    static func analyticAtMinusOne(_ decay: PredictedDecay) -> ParityDecay {
        .same(decay, reason: "analytic at t = -1: both parities follow the behaviour at t = +1")
    }
}

/// A standard kernel family: its values are accurate to a few ulps and it is analytic at
/// t = -1, so both parities follow t = +1, unless the family says otherwise.
public protocol StandardKernelFamily: DotProductKernel {}

extension StandardKernelFamily {
    public var valueAccuracy: Double { 8 * .ulpOfOne }
    public var parityDecay: ParityDecay { StandardKernel.analyticAtMinusOne(predictedDecay) }
}
