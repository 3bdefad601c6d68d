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
    /// The fitted scales: from the finest resolved scale, at most `maxCount` consecutive ones.
    public let chosen: ClosedRange<Int>?

    public init(sampler: CirculantSampler, exact: ExactVariogram, tolerance: Double = 0.01, maxCount: Int = 6) {
        let n = sampler.count, p = exact.order
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
        // The first run of at least 3 consecutive resolved scales, truncated to maxCount.
        var chosen: ClosedRange<Int>? = nil
        var start: Int? = nil
        for (i, s) in scales.enumerated() {
            if s.resolved {
                if start == nil { start = i }
                if i - start! + 1 >= maxCount { break }
            } else if let st = start {
                if i - st >= 3 { break }
                start = nil
            }
        }
        if let st = start {
            var end = st
            while end + 1 < scales.count && scales[end + 1].resolved && end + 1 - st < maxCount { end += 1 }
            if end - st + 1 >= 3 { chosen = scales[st].j...scales[end].j }
        }
        self.chosen = chosen
    }
}
