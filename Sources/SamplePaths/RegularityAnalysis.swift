import Foundation

/// Both regularity estimators on a set of periodic paths, with their scale-wise profiles
/// and, when the covariance is known, the exact variogram beside them.
///
/// Per path: the quadratic-variation exponent (L2, Besov-type; ``QuadraticVariation``) and
/// the sup-norm exponent (Hoelder-type; ``SupremumVariation``) fitted over `fitted`. Per
/// dyadic scale j (h = 2^j grid steps, p 2^j <= n/16): the path-averaged log2 V(h) and
/// log2 M(h), their local exponents towards the next scale, and the exact log2 V(h) with its
/// local exponent (the theory curve) and whether the sampler resolves it.
public struct RegularityAnalysis: Sendable {
    public struct Scale: Sendable {
        public let j: Int
        /// h in radians (2 pi 2^j / n).
        public let h: Double
        public let meanLog2Variogram: Double
        public let meanLog2Maximum: Double
        /// Local exponents between this scale and the next (nil at the last scale).
        public let quadraticLocal: Double?
        public let supremumLocal: Double?
        public let exact: Double?
        public let exactLocal: Double?
        public let resolved: Bool?
    }

    public let points: Int
    public let order: Int
    public let fitted: ClosedRange<Int>
    public let quadratic: RegularitySummary
    public let supremum: RegularitySummary
    /// The sup-norm estimator's leading Gaussian bias over the fitted scales.
    public let supremumBias: Double
    public let scales: [Scale]

    public init(
        paths: [[Double]], order: Int, fitted: ClosedRange<Int>,
        exact: ExactVariogram? = nil, selection: ScaleSelection? = nil
    ) {
        precondition(!paths.isEmpty)
        let n = paths[0].count
        points = n
        self.order = order
        self.fitted = fitted
        let qv = QuadraticVariation(order: order, scales: fitted)
        let sup = SupremumVariation(order: order, scales: fitted)
        quadratic = RegularitySummary(paths.map(qv.regularity))
        supremum = RegularitySummary(paths.map(sup.regularity))
        supremumBias = sup.gaussianBias(points: n)
        var top = 0
        while order * (1 << (top + 1)) <= n / 16 { top += 1 }
        top = max(top, fitted.upperBound)
        let range = 0...top
        let v = paths.map { QuadraticVariation(order: order, scales: range).variogram($0) }
        let m = paths.map { SupremumVariation(order: order, scales: range).profile($0) }
        let count = Double(paths.count)
        let meanV = range.map { j in v.reduce(0) { $0 + $1[j].1 } / count }
        let meanM = range.map { j in m.reduce(0) { $0 + $1[j].1 } / count }
        let exactValues: [Double]? = exact.map { e in
            range.map { e(step: 2 * Double.pi * Double(1 << $0) / Double(n)).value }
        }
        scales = range.map { j in
            let last = j == top
            let h = 2 * Double.pi * Double(1 << j) / Double(n)
            var exactLocal: Double? = nil
            if let ev = exactValues, !last, ev[j] > 0, ev[j + 1] > 0 { exactLocal = log2(ev[j + 1] / ev[j]) / 2 }
            return Scale(
                j: j, h: h, meanLog2Variogram: meanV[j], meanLog2Maximum: meanM[j],
                quadraticLocal: last ? nil : (meanV[j + 1] - meanV[j]) / 2,
                supremumLocal: last ? nil : meanM[j + 1] - meanM[j],
                exact: exactValues?[j], exactLocal: exactLocal,
                resolved: selection?.scales.first { $0.j == j }?.resolved)
        }
    }
}
