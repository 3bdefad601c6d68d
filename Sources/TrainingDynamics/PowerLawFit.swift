import Foundation

/// The exponent p of y ~ C x^p by weighted least squares on (log x, log y), with its standard
/// error. Each point's weight is 1 / s^2 with s the standard error of log y (the relative
/// standard error of y); the standard error of p is scaled up by sqrt(chi^2 / dof) when the
/// points scatter more than their errors say, so it is never smaller than the spread shows.
public struct PowerLawFit: Sendable, Equatable {
    public let exponent: Double
    public let standardError: Double
    public let points: Int

    /// `values` are (x, y, relative standard error of y); y > 0 and x > 0.
    public init?(_ values: [(x: Double, y: Double, relativeError: Double)]) {
        let usable = values.filter { $0.x > 0 && $0.y > 0 && $0.y.isFinite }
        guard usable.count >= 2 else { return nil }
        let floor = 1e-12
        let w = usable.map { 1 / max($0.relativeError * $0.relativeError, floor) }
        let lx = usable.map { log($0.x) }
        let ly = usable.map { log($0.y) }
        let sw = w.reduce(0, +)
        let mx = zip(w, lx).reduce(0) { $0 + $1.0 * $1.1 } / sw
        let my = zip(w, ly).reduce(0) { $0 + $1.0 * $1.1 } / sw
        var sxx = 0.0
        var sxy = 0.0
        for k in 0..<usable.count {
            sxx += w[k] * (lx[k] - mx) * (lx[k] - mx)
            sxy += w[k] * (lx[k] - mx) * (ly[k] - my)
        }
        guard sxx > 0 else { return nil }
        let p = sxy / sxx
        var chi2 = 0.0
        for k in 0..<usable.count {
            let r = ly[k] - my - p * (lx[k] - mx)
            chi2 += w[k] * r * r
        }
        let dof = Double(usable.count - 2)
        let inflation = dof > 0 ? max(1, chi2 / dof) : 1
        exponent = p
        standardError = (inflation / sxx).squareRoot()
        points = usable.count
    }
}
