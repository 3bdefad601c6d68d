import Foundation
import NeuralKernels

/// Fixed-point dynamics of the NNGP through depth (Poole et al. 2016; Schoenholz et al. 2017;
/// Tsuchida et al. 2021, "Avoiding kernel fixed points"), Proofs/fixed-points-of-the-correlation-map.md.
///
/// Variance map: q_{l+1} = sigma_w^2 E[phi(u)^2] + sigma_b^2, u ~ N(0, q_l); q* its fixed point.
/// Normalised correlation map at q*: f(rho) = (sigma_w^2 E[phi(u) phi(v)] + sigma_b^2) / q*,
/// (u, v) with variances q* and correlation rho. By Price's theorem its slope is exactly
/// f'(rho) = sigma_w^2 E[phi'(u) phi'(v)], and chi_1 = f'(1) separates the ordered
/// (chi_1 < 1: rho = 1 attracts) from the chaotic phase (chi_1 > 1).
public struct KernelFixedPoints: Sendable {
    public struct FixedPoint: Sendable, Equatable {
        public let rho: Double
        public let slope: Double
        public var stable: Bool { Swift.abs(slope) < 1 }
        /// -1 / log|f'(rho*)|: the number of layers over which deviations shrink (or grow) by e.
        public var depthScale: Double { -1 / log(Swift.abs(slope)) }
    }

    public enum VarianceOutcome: Sendable, Equatable {
        case fixedPoint(Double)
        case diverges
        case vanishes
    }

    public let activation: Activation
    public let sigmaW: Double
    public let sigmaB: Double
    public let variance: VarianceOutcome
    /// Fixed points of f in [-1, 1], ascending (rho = 1 is always one when q* exists).
    public let fixedPoints: [FixedPoint]
    /// chi_1 = f'(1).
    public let chi1: Double?

    private let dual: DualActivation
    /// Whether q* repels (found as a root of V(q) - q, not by iterating V).
    public private(set) var varianceIsUnstable = false

    /// The dense layer of the map (sigma_i = 1: the whole bias in the NNGP).
    static func layer(sigmaW: Double, sigmaB: Double) -> DenseLayer { DenseLayer(sigmaW: sigmaW, sigmaB: sigmaB) }

    /// One layer of the variance map, q -> sigma_w^2 E[phi(u)^2] + sigma_b^2, u ~ N(0, q).
    static func variance(_ q: Double, _ dual: DualActivation, _ layer: DenseLayer) -> Double {
        LayerVariance(dual.secondMoment(q: q)).dense(layer).value
    }

    /// One layer of the covariance map at variances q: sigma_w^2 E[phi(u) phi(v)] + sigma_b^2 with
    /// Cov(u, v) = c.
    static func covariance(_ c: Double, q: Double, _ dual: DualActivation, _ layer: DenseLayer) -> Double {
        layer.nngp(dual.nngp(q1: q, q2: q, c: c))
    }

    static func varianceRoot(_ dual: DualActivation, layer: DenseLayer) -> Double? {
        let g: (Double) -> Double = { q in variance(q, dual, layer) - q }
        var previousQ = 1e-4
        var previous = g(previousQ)
        for i in 1...160 {
            let q = 1e-4 * pow(10, Double(i) / 20)  // 1e-4 ... 1e4
            let value = g(q)
            // A closed form that overflows at large q (ELU's carries e^{2q}) ends the search:
            // no root is claimed from a non-finite value.
            if !value.isFinite { return nil }
            if (previous < 0) != (value < 0) {
                var lo = previousQ
                var hi = q
                var flo = previous
                for _ in 0..<100 {
                    let mid = 0.5 * (lo + hi)
                    let fm = g(mid)
                    if (fm < 0) == (flo < 0) {
                        lo = mid
                        flo = fm
                    } else {
                        hi = mid
                    }
                    if hi - lo <= 1e-15 * hi { break }
                }
                return 0.5 * (lo + hi)
            }
            previousQ = q
            previous = value
        }
        return nil
    }

    public init(activation: Activation, sigmaW: Double, sigmaB: Double, startVariance: Double = 1) {
        self.activation = activation
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        let dual = DualActivation(activation)
        self.dual = dual
        let w2 = sigmaW * sigmaW
        let layer = KernelFixedPoints.layer(sigmaW: sigmaW, sigmaB: sigmaB)
        // Iterate the variance map; a fixed point of a monotone map is reached from any start.
        var q = startVariance
        var outcome: VarianceOutcome? = nil
        var lastChange = Double.infinity
        for _ in 0..<10_000 {
            let next = KernelFixedPoints.variance(q, dual, layer)
            if !next.isFinite || next > 1e12 {
                outcome = .diverges
                break
            }
            if next < 1e-300 {
                outcome = .vanishes
                break
            }
            if Swift.abs(next - q) <= 1e-15 * next {
                q = next
                outcome = .fixedPoint(next)
                break
            }
            if q < 1e-300 { break }
            lastChange = Swift.abs(next - q) / next
            q = next
        }
        // Closed forms built from O(1) terms carry relative noise ~1e-16/q at small q, so a
        // fixed point may settle at 1e-13 rather than 1e-15.
        if outcome == nil, lastChange <= 1e-11 { outcome = .fixedPoint(q) }
        // Not settled after 10^4 layers: a map with slope 1 at 0 creeps to 0 (ELU with
        // sigma_w = 1, no bias); otherwise it is still growing.
        var settled = outcome ?? (q < 1e-3 * startVariance ? .vanishes : .diverges)
        // Iteration only finds attracting fixed points. A repelling one (GELU with
        // 2 < sigma_w^2 < 4 and no bias: contracting near 0, expanding at large q) is a root of
        // V(q) - q, found on a logarithmic grid and refined by bisection.
        if case .fixedPoint = settled {
        } else if let root = KernelFixedPoints.varianceRoot(dual, layer: layer) {
            settled = .fixedPoint(root)
            varianceIsUnstable = true
        }
        self.variance = settled
        guard case .fixedPoint(let qStar) = settled else {
            fixedPoints = []
            chi1 = nil
            return
        }
        let f: (Double) -> Double = { rho in KernelFixedPoints.covariance(rho * qStar, q: qStar, dual, layer) / qStar }
        let slope: (Double) -> Double = { rho in w2 * dual.derivative(q1: qStar, q2: qStar, c: rho * qStar) }
        // Sign changes of f(rho) - rho on a grid, refined by bisection; rho = 1 separately.
        // The grid is uniform (step 0.005) and then graded towards 1 (1 - rho from 5e-3 down
        // to 5e-10, ten points a decade; closer, f(rho) - rho is within
        // rounding of 0 unless chi_1 is far from 1), ending at 1^-, where f(rho) - rho has the sign of
        // (1 - rho)(1 - chi_1): an attracting fixed point just below a repelling rho = 1 (ELU
        // at sigma_w 1.35, sigma_b 0.85: rho* = 0.9965) is a sign change in the last cell.
        var points: [FixedPoint] = []
        let chiOne = slope(1)
        let uniform: [Double] = (1..<400).map { i in -1 + 2 * Double(i) / 400 }
        let graded: [Double] = (1...70).map { j in 1 - 0.005 * pow(10, -Double(j) / 10) }
        let grid = uniform + graded
        let n = grid.count + 1
        var previousRho = -1.0
        var previous = f(-1) + 1
        if Swift.abs(previous) <= 1e-14 { points.append(FixedPoint(rho: -1, slope: slope(-1))) }
        for i in 1...n {
            let rho = i < n ? grid[i - 1] : 1
            let value = i == n ? 1 - chiOne : f(rho) - rho
            if i < n, value == 0 {
                points.append(FixedPoint(rho: rho, slope: slope(rho)))
            } else if previous != 0, value != 0, (previous < 0) != (value < 0) {
                var lo = previousRho
                var hi = rho
                var flo = previous
                for _ in 0..<80 {
                    let mid = 0.5 * (lo + hi)
                    let fm = f(mid) - mid
                    if (fm < 0) == (flo < 0) {
                        lo = mid
                        flo = fm
                    } else {
                        hi = mid
                    }
                    if hi - lo < 1e-15 { break }
                }
                let root = 0.5 * (lo + hi)
                points.append(FixedPoint(rho: root, slope: slope(root)))
            }
            previousRho = rho
            previous = value
        }
        points.append(FixedPoint(rho: 1, slope: chiOne))
        fixedPoints = points
        chi1 = chiOne
    }

    public var qStar: Double? {
        if case .fixedPoint(let q) = variance { return q }
        return nil
    }

    /// (q_l, rho_l), l = 0 ... depth, of two inputs with variance q_0 and correlation rho_0 under the
    /// joint maps q_{l+1} = sigma_w^2 E[phi(u)^2] + sigma_b^2 (u ~ N(0, q_l)) and
    /// rho_{l+1} = (sigma_w^2 E[phi(u) phi(v)] + sigma_b^2) / q_{l+1} ((u, v) with variances q_l,
    /// correlation rho_l): the dynamics where the variance does not settle (Tsuchida et al. 2021,
    /// figure 2: GELU at sigma_w = 1.2, where q_l -> 0 and rho_l still moves). Ends early where
    /// q_l leaves (1e-300, 1e300): beyond, rho is not resolved in double precision.
    public func jointTrajectory(q0: Double, rho0: Double, depth: Int) -> [(q: Double, rho: Double)] {
        let layer = KernelFixedPoints.layer(sigmaW: sigmaW, sigmaB: sigmaB)
        var out = [(q: q0, rho: rho0)]
        var q = q0
        var rho = rho0
        for _ in 0..<max(depth, 0) {
            let next = KernelFixedPoints.variance(q, dual, layer)
            let c = KernelFixedPoints.covariance(rho * q, q: q, dual, layer)
            guard next.isFinite, next > 1e-300, next < 1e300, c.isFinite else { break }
            q = next
            rho = min(1, max(-1, c / next))
            out.append((q, rho))
        }
        return out
    }

    /// rho_0, rho_1, ..., rho_depth under the correlation map at q*.
    public func trajectory(from rho0: Double, depth: Int) -> [Double] {
        guard let q = qStar else { return [] }
        let layer = KernelFixedPoints.layer(sigmaW: sigmaW, sigmaB: sigmaB)
        var out = [rho0]
        var rho = rho0
        for _ in 0..<max(depth, 0) {
            rho = min(1, max(-1, KernelFixedPoints.covariance(rho * q, q: q, dual, layer) / q))
            out.append(rho)
        }
        return out
    }
}
