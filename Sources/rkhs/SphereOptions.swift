import ArgumentParser

/// The sphere S^{d-1} and the largest degree computed on it, `--dim` and `--kmax`: one option
/// group with one validation for every command that takes them. Each command states its
/// defaults and allowed ranges as a ``SphereLimits`` (a spectrum alone reaches kmax = 1e7; a
/// comparison or a table of many spectra less), and `--help` shows them.
struct SphereOptions<Limits: SphereLimits>: ParsableArguments {
    @Option(help: ArgumentHelp("Sphere dimension: S^{d-1} in R^d, an integer \(Self.text(Limits.dimensions))."))
    var dim: Int = Limits.dimension

    @Option(help: ArgumentHelp("\(Limits.kmaxHelp) (an integer \(Self.text(Limits.degrees)))."))
    var kmax: Int = Limits.kmax

    func validate() throws {
        guard Limits.dimensions.contains(dim) else {
            throw ValidationError("invalid --dim '\(dim)'; allowed: an integer \(Self.text(Limits.dimensions))")
        }
        guard Limits.degrees.contains(kmax) else {
            throw ValidationError("invalid --kmax '\(kmax)'; allowed: an integer \(Self.text(Limits.degrees))")
        }
    }

    static func text(_ range: ClosedRange<Int>) -> String { "\(range.lowerBound)...\(range.upperBound)" }
}

/// A command's defaults and allowed ranges for ``SphereOptions``.
protocol SphereLimits {
    static var dimension: Int { get }
    static var dimensions: ClosedRange<Int> { get }
    static var kmax: Int { get }
    static var degrees: ClosedRange<Int> { get }
    /// What kmax means for the command (the help's first sentence).
    static var kmaxHelp: String { get }
}

extension SphereLimits {
    static var dimension: Int { 3 }
    /// Up to d = 4096: beyond it N(d, k) and the Gegenbauer weights leave double precision.
    static var dimensions: ClosedRange<Int> { 2...4096 }
}
