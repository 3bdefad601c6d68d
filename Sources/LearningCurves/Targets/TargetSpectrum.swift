import Foundation
import SphericalSpectra

/// A target function on S^{d-1} given by its power in each degree:
///
///     f = sum_k f_k,  f_k in the span of the degree-k spherical harmonics,
///     p_k = ||f_k||^2 = int f_k^2 dsigma   (uniform probability measure sigma),
///
/// so ||f||^2 = sum_k p_k. For a zonal f(x) = sum_k c_k P_k(<x, e>), p_k = c_k^2 / N(d, k);
/// for f(x) = g(<x, e>) with Funk-Hecke coefficients g_k (g = sum_k g_k N(d, k) P_k),
/// p_k = N(d, k) g_k^2 (Proofs/learning-curves.md, "Target spectra").
///
/// The learning curve depends on the target only through the p_k (the learnabilities are the
/// same for all harmonics of one degree). Past the explicit degrees the power is known per
/// parity (`powerBeyondEven`, `powerBeyondOdd`, with `harmonicPowerBeyond` the largest power per
/// harmonic p_k / N(d, k) there); `unresolvedPower` is power at degrees that are not known (an
/// expression's unresolved coefficients), which the predictor turns into an upper bound.
public struct TargetSpectrum: Sendable {
    /// How the target's power decays with the degree, for one parity.
    public enum Smoothness: Sendable, Equatable {
        /// No power in this parity.
        case none
        /// Finitely many degrees, or faster than any power of k.
        case saturating
        /// p_k ~ k^-beta (from the definition, or fitted to an expression's coefficients).
        case powerLaw(beta: Double, fitted: Bool)
        case unknown(String)
    }

    public let dimension: Int
    public let name: String
    /// p_k for k = 0...power.count - 1.
    public let power: [Double]
    public let powerBeyondEven: Double
    public let powerBeyondOdd: Double
    public let harmonicPowerBeyond: Double
    public let unresolvedPower: Double
    public let evenSmoothness: Smoothness
    public let oddSmoothness: Smoothness

    public init(
        dimension: Int, name: String, power: [Double], powerBeyondEven: Double = 0, powerBeyondOdd: Double = 0,
        harmonicPowerBeyond: Double = 0, unresolvedPower: Double = 0,
        evenSmoothness: Smoothness, oddSmoothness: Smoothness
    ) {
        self.dimension = dimension
        self.name = name
        self.power = power
        self.powerBeyondEven = powerBeyondEven
        self.powerBeyondOdd = powerBeyondOdd
        self.harmonicPowerBeyond = harmonicPowerBeyond
        self.unresolvedPower = unresolvedPower
        self.evenSmoothness = evenSmoothness
        self.oddSmoothness = oddSmoothness
    }

    /// ||f||^2 (the known part: explicit degrees and the power past them).
    public var totalPower: Double { power.reduce(0, +) + powerBeyondEven + powerBeyondOdd }

    /// The target cut at degree K: p_k for k <= K only (what a simulation with harmonics up to
    /// K draws; the prediction for it is exact in the same sense as for the full target).
    public func truncated(at k: Int) -> TargetSpectrum {
        let p = Array(power.prefix(k + 1)) + [Double](repeating: 0, count: max(0, k + 1 - power.count))
        func cut(_ s: Smoothness) -> Smoothness { s == .none ? .none : .saturating }
        let evenPower = stride(from: 0, through: k, by: 2).contains { $0 < p.count && p[$0] > 0 }
        let oddPower = stride(from: 1, through: k, by: 2).contains { $0 < p.count && p[$0] > 0 }
        return TargetSpectrum(
            dimension: dimension, name: "\(name) (degrees <= \(k))", power: p,
            evenSmoothness: evenPower ? cut(evenSmoothness) : .none,
            oddSmoothness: oddPower ? cut(oddSmoothness) : .none)
    }

    /// The same target with its explicit range padded with zeros (or power moved past) so
    /// that it covers exactly k = 0...kmax.
    func covering(kmax: Int) -> TargetSpectrum {
        if power.count == kmax + 1 { return self }
        if power.count < kmax + 1 {
            guard powerBeyondEven == 0 && powerBeyondOdd == 0 else {
                preconditionFailure("a target with power past its explicit degrees must be built to the kernel's kmax")
            }
            return TargetSpectrum(
                dimension: dimension, name: name, power: power + [Double](repeating: 0, count: kmax + 1 - power.count),
                unresolvedPower: unresolvedPower, evenSmoothness: evenSmoothness, oddSmoothness: oddSmoothness)
        }
        var even = powerBeyondEven
        var odd = powerBeyondOdd
        var harmonic = harmonicPowerBeyond
        for k in (kmax + 1)..<power.count where power[k] > 0 {
            if k % 2 == 0 { even += power[k] } else { odd += power[k] }
            harmonic = max(harmonic, power[k] / Multiplicity.value(dimension: dimension, degree: k))
        }
        return TargetSpectrum(
            dimension: dimension, name: name, power: Array(power.prefix(kmax + 1)), powerBeyondEven: even,
            powerBeyondOdd: odd, harmonicPowerBeyond: harmonic, unresolvedPower: unresolvedPower,
            evenSmoothness: evenSmoothness, oddSmoothness: oddSmoothness)
    }
}
