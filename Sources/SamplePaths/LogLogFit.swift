import Foundation

/// Least-squares slope of log2 V against log2 h over dyadic scales, and the scale-wise
/// (local) slopes between neighbouring scales. A regularity a shows as slope 2a for mean
/// squares (V ~ h^{2a}) and slope a for maxima (M ~ h^a); `exponent` divides accordingly.
public struct LogLogFit: Sendable {
    /// (log2 h, log2 value) for every scale, in increasing h.
    public let points: [(log2h: Double, log2value: Double)]
    /// 2 for variograms (squares), 1 for maxima of |differences|.
    public let power: Double

    public init(points: [(log2h: Double, log2value: Double)], power: Double) {
        self.points = points
        self.power = power
    }

    /// The exponent a: the least-squares slope divided by `power`.
    public var exponent: Double {
        let m = Double(points.count)
        guard m >= 2 else { return .nan }
        let mx = points.reduce(0) { $0 + $1.log2h } / m
        let my = points.reduce(0) { $0 + $1.log2value } / m
        var sxy = 0.0
        var sxx = 0.0
        for p in points {
            sxy += (p.log2h - mx) * (p.log2value - my)
            sxx += (p.log2h - mx) * (p.log2h - mx)
        }
        return sxy / sxx / power
    }

    /// Local exponents between consecutive scales: (log2 of the geometric mid-scale, exponent).
    public var localExponents: [(log2h: Double, exponent: Double)] {
        guard points.count >= 2 else { return [] }
        return (1..<points.count).map { i in
            let a = points[i - 1]
            let b = points[i]
            return (0.5 * (a.log2h + b.log2h), (b.log2value - a.log2value) / (b.log2h - a.log2h) / power)
        }
    }
}
