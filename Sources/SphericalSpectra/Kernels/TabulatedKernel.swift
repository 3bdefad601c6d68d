import Foundation
import NeuralKernels

/// A kernel given as a table of (t, kappa) pairs, for example read from a CSV file.
///
/// Interpolation is local cubic (four nearest samples) in the variable u = sqrt((1 - t)/2)
/// for t >= 0 and v = sqrt((1 + t)/2) for t < 0: kernels of activations non-smooth only at 0
/// are analytic in u and v (Proofs/spectral-quadrature.md), while they have sqrt(1 -+ t)
/// terms in t. `valueAccuracy` is estimated by leave-one-out: each sample is predicted from
/// its neighbours without it (a spacing twice as coarse, so an over-estimate), and the
/// largest miss relative to max |kappa| is kept. The spectrum's error estimates include it,
/// so a coarse table yields honestly flagged values rather than false digits.
public struct TabulatedKernel: DotProductKernel {
    public let name: String
    public let valueAccuracy: Double
    private let upper: (x: [Double], y: [Double])  // t >= 0, x = u ascending
    private let lower: (x: [Double], y: [Double])  // t < 0, x = v ascending

    public init(t: [Double], kappa: [Double], name: String = "tabulated") throws {
        guard t.count == kappa.count, t.count >= 8 else {
            throw SpectralError.invalidData("a tabulated kernel needs at least 8 (t, kappa) rows; got \(t.count)")
        }
        for (x, y) in zip(t, kappa) {
            guard x.isFinite, y.isFinite, x >= -1, x <= 1 else {
                throw SpectralError.invalidData(
                    "tabulated kernel row (\(x), \(y)): t must be in [-1, 1] and kappa finite")
            }
        }
        func side(_ positive: Bool) -> (x: [Double], y: [Double]) {
            var pairs: [(Double, Double)] = []
            for (x, y) in zip(t, kappa) where positive ? x >= 0 : x <= 0 {
                let distance: Double = positive ? 1 - x : 1 + x
                pairs.append(((0.5 * distance).squareRoot(), y))
            }
            pairs.sort { $0.0 < $1.0 }
            return (pairs.map { $0.0 }, pairs.map { $0.1 })
        }
        upper = side(true)
        lower = side(false)
        guard upper.x.count >= 4, lower.x.count >= 4 else {
            throw SpectralError.invalidData("a tabulated kernel needs at least 4 rows with t >= 0 and 4 with t <= 0")
        }
        for s in [upper, lower] where zip(s.x, s.x.dropFirst()).contains(where: { $0.0 == $0.1 }) {
            throw SpectralError.invalidData("tabulated kernel has a repeated t value")
        }
        self.name = name
        let scale = max(kappa.map(Swift.abs).max() ?? 1, .leastNormalMagnitude)
        var worst = 0.0
        for s in [upper, lower] where s.x.count >= 5 {
            for i in 0..<s.x.count {
                var xs = s.x
                var ys = s.y
                let x = xs.remove(at: i)
                let y = ys.remove(at: i)
                worst = max(worst, Swift.abs(TabulatedKernel.interpolate(xs, ys, x) - y) / scale)
            }
        }
        valueAccuracy = max(worst, 8 * .ulpOfOne)
    }

    /// Reads a CSV (or whitespace-separated) file with columns t, kappa (a header row is allowed).
    public init(contentsOf path: String) throws {
        let table: NumericTable
        do { table = try NumericTable(contentsOf: path) } catch let e as KernelError {
            throw SpectralError.invalidData(e.description)
        }
        guard table.columnCount == 2 else {
            throw SpectralError.invalidData(
                "tabulated kernel file '\(path)' has \(table.columnCount) columns; expected 2 (t, kappa)")
        }
        try self.init(
            t: table.rows.map { $0[0] }, kappa: table.rows.map { $0[1] },
            name: "tabulated(\((path as NSString).lastPathComponent))")
    }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        t >= 0
            ? TabulatedKernel.interpolate(upper.x, upper.y, (0.5 * oneMinusT).squareRoot())
            : TabulatedKernel.interpolate(lower.x, lower.y, (0.5 * onePlusT).squareRoot())
    }

    /// Cubic Lagrange interpolation through the four samples nearest to x (xs ascending).
    static func interpolate(_ xs: [Double], _ ys: [Double], _ x: Double) -> Double {
        var lo = 0
        var hi = xs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        let start = min(max(lo - 2, 0), xs.count - 4)
        var sum = 0.0
        for i in start..<(start + 4) {
            var w = 1.0
            for j in start..<(start + 4) where j != i { w *= (x - xs[j]) / (xs[i] - xs[j]) }
            sum += w * ys[i]
        }
        return sum
    }
}
