import Foundation

/// Which dyadic scales h = 2^j grid steps carry a sampled path's roughness, decided without
/// sampling by comparing, scale by scale, the exact variogram of the kernel
/// (``ExactVariogram``) with the expected variogram of what the sampler actually draws
/// (``CirculantSampler/expectedVariogram(order:lag:)``, round-off floor of the eigenvalues
/// included).
///
/// A scale is resolved when the exact value is known to 0.1% (its round-off bound) and the
/// sampler's expectation agrees with it within `tolerance` (1% shifts log2 V by 0.014). At
/// fine scales of smooth kernels (a = 2.5: V ~ h^5) the eigenvalues' round-off floor,
/// about eps sqrt(n) C(0), dominates; those scales are left out. Scales are capped where the
/// p-point stencil spans more than 1/16 of the circle (p 2^j <= n/16), beyond which
/// the O(h^{2p}) smooth part and the higher singular terms bias the slope.
public struct ScaleSelection: Sendable {
    public struct Scale: Sendable {
        public let j: Int
        public let exact: Double
        public let exactError: Double
        public let sampled: Double
        public let resolved: Bool
    }

    public let scales: [Scale]
    /// The fitted scales: the first run of 3 (else 2) consecutive resolved scales, at most `maxCount`;
    /// nil when no two consecutive scales are resolved (the paths are round-off at every scale).
    public let chosen: ClosedRange<Int>?

    public init(sampler: CirculantSampler, exact: ExactVariogram, tolerance: Double = 0.01, maxCount: Int = 6) {
        let n = sampler.count
        let p = exact.order
        var scales: [Scale] = []
        var j = 0
        while p * (1 << j) <= n / 16 {
            let h = 1 << j
            let e = exact(step: 2 * Double.pi * Double(h) / Double(n))
            let s = sampler.expectedVariogram(order: p, lag: h)
            let ok = e.value > 0 && e.error <= 1e-3 * e.value && Swift.abs(s / e.value - 1) <= tolerance
            scales.append(Scale(j: j, exact: e.value, exactError: e.error, sampled: s, resolved: ok))
            j += 1
        }
        self.scales = scales
        // Maximal runs of consecutive resolved scales; the first of length >= 3, else the first
        // of length 2 (smooth kernels: V ~ h^{2p} clears the floor only at the coarsest scales),
        // truncated to maxCount from its fine end.
        var runs: [ClosedRange<Int>] = []
        var start: Int? = nil
        for (i, s) in scales.enumerated() {
            if s.resolved {
                if start == nil { start = i }
            } else if let st = start {
                runs.append(st...(i - 1))
                start = nil
            }
        }
        if let st = start { runs.append(st...(scales.count - 1)) }
        var chosen: ClosedRange<Int>? = nil
        if let run = runs.first(where: { $0.count >= 3 }) ?? runs.first(where: { $0.count >= 2 }) {
            chosen = scales[run.lowerBound].j...scales[min(run.upperBound, run.lowerBound + maxCount - 1)].j
        }
        self.chosen = chosen
    }
}
