import Foundation

/// The noise floor of a set of periodic paths, detected from the data alone, and the dyadic
/// scales that lie above it (Proofs/quadratic-variation-estimator.md, "Noise floor").
///
/// Additive noise that is white on the grid (round-off of circulant eigenvalues, Cholesky
/// jitter, values quantised when written) has a p-th difference variogram
/// E[(Delta_h^p e)^2] = binom(2p, p) sigma^2 that does not depend on h >= 1. A path x = s + e
/// therefore has V(h) = V_s(h) + N: where N dominates, the scale profile log2 V(h) is flat
/// (local exponents near 0) and a fit there reports the noise, not the path. Rules, on the
/// path-averaged V(h) = mean over paths and points of (Delta_h^p x)^2, h = 2^j, p 2^j <= n/16:
///
/// * a floor is detected when the local exponents (1/2) log2(V(2h)/V(h)) at the finest scales
///   are below `flatExponent` (0.35) and one of the next two exceeds the run's largest by
///   `riseExponent` (0.5: a knee); its level N-hat is the largest V(h) on that flat run (an
///   upper bound on N, since V = V_s + N >= N);
/// * without a knee, a profile whose overall exponent is below `noiseExponent` (0.1) is noise
///   at every scale and is refused; any other profile has no floor (a rough path);
/// * a scale is resolved when V(h) >= N-hat / share (the noise is at most `share` = 1% of V,
///   which moves a local exponent by at most share / (2 ln 2) = 0.007), and V(h) is at least
///   1/share times the round-off level of the data's magnitude, binom(2p, p) (16 eps)^2 mean(x^2)
///   (values stored in double precision, with 16 ulps for the arithmetic that produced them);
/// * the chosen scales are the first run of 3 (else 2) consecutive resolved scales from
///   `lowest` on, at most `maxCount`; when there is none, or the profile is flat at every
///   scale, the data support no estimate and `refusal` says why.
///
/// Limitations: a path of regularity below 0.1 cannot be told from noise and is refused; a
/// rough path whose local exponents jump by 0.5 above a run below 0.35 would be read as a
/// floor (fitted higher up or refused, never fitted in the run); a floor whose finest local exponent already exceeds 0.35
/// (noise under about half of V at h = 1) is not detected, and its share at the default
/// lowest scale 2^2 is then a few per cent at most for a >= 2.5.
public struct NoiseFloor: Sendable {
    public struct Scale: Sendable {
        public let j: Int
        /// Path-averaged V(h) at h = 2^j grid steps.
        public let variogram: Double
        /// (1/2) log2(V(2h) / V(h)); nil at the last scale or where V is not positive.
        public let localExponent: Double?
        public let resolved: Bool
    }

    public static let flatExponent = 0.35
    public static let share = 0.01
    /// The rise after a flat run that marks it as a floor (a knee).
    public static let riseExponent = 0.5
    /// Below this overall exponent, with no knee, the profile is noise at every scale.
    public static let noiseExponent = 0.1

    public let order: Int
    public let scales: [Scale]
    /// The flat run of scales at the fine end (2^first ... 2^last), nil when there is none.
    public let flatScales: ClosedRange<Int>?
    /// The least-squares exponent over every scale (half the slope of log2 V).
    public let overallExponent: Double
    /// N-hat, the floor's level (0 when no flat run is seen).
    public let level: Double
    /// binom(2p, p) (16 eps)^2 mean(x^2): the round-off level of the data's magnitude.
    public let roundOffLevel: Double
    /// The scales to fit, or nil with `refusal` set.
    public let chosen: ClosedRange<Int>?
    public let refusal: String?

    public init(paths: [[Double]], order p: Int, lowest: Int = 0, maxCount: Int = 6) {
        precondition(!paths.isEmpty && p >= 1)
        order = p
        let n = paths[0].count
        var top = -1
        while p * (1 << (top + 1)) <= n / 16 { top += 1 }
        let differences = PeriodicDifferences(order: p)
        let count = Double(paths.count * n)
        let v: [Double] =
            top < 0
            ? []
            : (0...top).map { j in
                paths.reduce(0) { acc, x in acc + differences(x, lag: 1 << j).reduce(0) { $0 + $1 * $1 } } / count
            }
        let meanSquare = paths.reduce(0) { acc, x in acc + x.reduce(0) { $0 + $1 * $1 } } / count
        let c = 16 * Double.ulpOfOne
        roundOffLevel = differences.covarianceWeights[p] * c * c * meanSquare
        let local: [Double?] = v.indices.map { j in
            j + 1 < v.count && v[j] > 0 && v[j + 1] > 0 ? 0.5 * log2(v[j + 1] / v[j]) : nil
        }
        var run = 0
        while run < local.count, let e = local[run], e < Self.flatExponent { run += 1 }
        // A floor is a flat run followed by a knee: one of the next two local exponents exceeds
        // the run's largest by `riseExponent`. A profile that is low but never rises is a rough
        // path (the step NNGP at depth 3 has a = 1/4 at every scale), not a floor.
        let runMax = local[0..<run].compactMap { $0 }.max() ?? 0
        let knee =
            run > 0
            && (run..<min(run + 2, local.count)).contains { k in
                local[k].map { $0 >= runMax + Self.riseExponent } ?? false
            }
        let flat = knee ? run : 0
        let positive = v.indices.filter { v[$0] > 0 }.map { (log2h: Double($0), log2value: log2(v[$0])) }
        overallExponent = positive.count >= 2 ? LogLogFit(points: positive, power: 2).exponent : .nan
        let noiseEverywhere = !knee && !(overallExponent >= Self.noiseExponent)
        flatScales = flat > 0 ? 0...flat : nil
        level = flat > 0 ? v[0...flat].max()! : 0
        let floorLevel = max(level, roundOffLevel) / Self.share
        let resolved = v.indices.map { j in !noiseEverywhere && j >= lowest && v[j] > 0 && v[j] >= floorLevel }
        scales = v.indices.map { Scale(j: $0, variogram: v[$0], localExponent: local[$0], resolved: resolved[$0]) }
        var runs: [ClosedRange<Int>] = []
        var start: Int? = nil
        for j in v.indices {
            if resolved[j] {
                if start == nil { start = j }
            } else if let s = start {
                runs.append(s...(j - 1))
                start = nil
            }
        }
        if let s = start { runs.append(s...(v.count - 1)) }
        let fittedRun = runs.first(where: { $0.count >= 3 }) ?? runs.first(where: { $0.count >= 2 })
        chosen = fittedRun.map { $0.lowerBound...min($0.upperBound, $0.lowerBound + maxCount - 1) }
        if chosen != nil {
            refusal = nil
        } else if top < 1 {
            refusal = "\(n) points are too few for differences of order \(p) at two dyadic scales (p 2^j <= n/16)"
        } else if noiseEverywhere {
            refusal =
                "the scale profile of the order-\(p) differences is flat at every scale 2^0..2^\(top) (overall exponent \(String(format: "%.3f", overallExponent)) < \(Self.noiseExponent)): the paths are noise at every scale and support no regularity estimate"
        } else if flat > 0 {
            refusal =
                "the order-\(p) differences are flat (a noise floor, log2 V = \(String(format: "%.2f", log2(level)))) at scales 2^0..2^\(flat) and reach \(Int(1 / Self.share)) times that level at fewer than two consecutive scales up to 2^\(top): the paths support no regularity estimate (use a lower --order or coarser data)"
        } else {
            refusal =
                "the order-\(p) differences exceed \(Int(1 / Self.share)) times the round-off level of the data at fewer than two consecutive scales from 2^\(lowest) to 2^\(top): the paths support no regularity estimate"
        }
    }

    /// Nil when every scale of `fitted` is resolved; otherwise why fitting there would report
    /// the noise floor.
    public func check(_ fitted: ClosedRange<Int>) -> String? {
        let bad = fitted.filter { j in
            !(scales.first { $0.j == j }?.resolvedIgnoringLowest(level: level, roundOff: roundOffLevel) ?? true)
        }
        guard let first = bad.first else { return nil }
        let where_ =
            flatScales.map {
                "the noise floor seen at scales 2^0..2^\($0.upperBound) (log2 V = \(String(format: "%.2f", log2(level))))"
            }
            ?? "the round-off level of the data"
        let advice = chosen.map { "; resolved scales: --scales \($0.lowerBound):\($0.upperBound)" } ?? ""
        return
            "scale 2^\(first) of --scales \(fitted.lowerBound):\(fitted.upperBound) is within \(Int(1 / Self.share))x of \(where_): a fit there reports the noise, not the paths\(advice)"
    }
}

extension NoiseFloor.Scale {
    /// Resolved against the floor alone (a requested scale below the default lowest is fine).
    func resolvedIgnoringLowest(level: Double, roundOff: Double) -> Bool {
        variogram > 0 && variogram >= max(level, roundOff) / NoiseFloor.share
    }
}
