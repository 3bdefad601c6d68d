import Foundation

/// A sphere kernel t -> (NNGP, NTK) tabulated for very many evaluations (Gram matrices).
///
/// For activations non-smooth only at 0, deep kernels have the form
/// kappa(t) = A(t) + (1 - t)^{1/2} B(t) near t = 1 and the mirror form near t = -1, with A, B
/// analytic (Proofs/tabulated-duals.md). In u = sqrt((1 - t)/2) on [0, 1] (t >= 0) and in
/// v = sqrt((1 + t)/2) (t < 0) the kernel is therefore analytic, and piecewise Chebyshev
/// interpolation on uniform cells in u (v) converges geometrically. Evaluation is a square
/// root, an index and a short Clenshaw recurrence: about 15 ns.
///
/// `error` is the largest difference from the exact ``SphereKernel`` seen at off-node check
/// points (three per cell), relative to kappa(1); the table is refined until it is below
/// 1e-14 or the cell count reaches its limit.
public struct SphereKernelTable: Sendable {
    public let cells: Int
    public let degree: Int
    /// Max |table - exact| / |kappa(1)| at the check points, for NNGP and NTK.
    public let error: (nngp: Double, ntk: Double)
    // Coefficients: [half][cell][k], flattened; half 0 is t >= 0 (variable u), half 1 is t < 0 (v).
    @usableFromInline let nngpCoefficients: [Double]
    @usableFromInline let ntkCoefficients: [Double]
    @usableFromInline let width: Double

    public init(_ kernel: SphereKernel, degree: Int = 11, initialCells: Int = 64, maxCells: Int = 1024) {
        let top = kernel(1)
        let scaleN = Swift.abs(top.nngp) > 0 ? Swift.abs(top.nngp) : 1
        let scaleT = Swift.abs(top.ntk) > 0 ? Swift.abs(top.ntk) : 1
        var cells = initialCells
        var result = SphereKernelTable.build(kernel, cells: cells, degree: degree, scales: (scaleN, scaleT))
        while max(result.err.0, result.err.1) > 1e-14 && cells < maxCells {
            cells *= 2
            result = SphereKernelTable.build(kernel, cells: cells, degree: degree, scales: (scaleN, scaleT))
        }
        self.cells = cells
        self.degree = degree
        self.width = (0.5).squareRoot() / Double(cells)
        self.nngpCoefficients = result.n
        self.ntkCoefficients = result.t
        self.error = (result.err.0, result.err.1)
    }

    /// (NNGP, NTK) at t in [-1, 1].
    @inlinable @inline(__always)
    public func callAsFunction(_ t: Double) -> (nngp: Double, ntk: Double) {
        let (offset, x) = locate(t)
        return (clenshaw(nngpCoefficients, offset, x), clenshaw(ntkCoefficients, offset, x))
    }

    /// The NNGP alone.
    @inlinable @inline(__always) public func nngp(_ t: Double) -> Double {
        let (offset, x) = locate(t)
        return clenshaw(nngpCoefficients, offset, x)
    }

    /// The NTK alone.
    @inlinable @inline(__always) public func ntk(_ t: Double) -> Double {
        let (offset, x) = locate(t)
        return clenshaw(ntkCoefficients, offset, x)
    }

    @usableFromInline @inline(__always)
    func locate(_ t: Double) -> (Int, Double) {
        let positive = t >= 0
        let u = (0.5 * (positive ? 1 - t : 1 + t)).squareRoot()
        var cell = Int(u / width)
        if cell >= cells { cell = cells - 1 }
        let x = 2 * (u - Double(cell) * width) / width - 1
        return (((positive ? 0 : cells) + cell) * (degree + 1), x)
    }

    @usableFromInline @inline(__always)
    func clenshaw(_ c: [Double], _ offset: Int, _ x: Double) -> Double {
        var b1 = 0.0, b2 = 0.0
        let twoX = 2 * x
        return c.withUnsafeBufferPointer { p in
            var k = degree
            while k >= 1 {
                let b0 = twoX * b1 - b2 + p[offset + k]
                b2 = b1; b1 = b0
                k -= 1
            }
            return x * b1 - b2 + p[offset]
        }
    }

    private static func build(_ kernel: SphereKernel, cells: Int, degree: Int, scales: (Double, Double))
        -> (n: [Double], t: [Double], err: (Double, Double))
    {
        let width = (0.5).squareRoot() / Double(cells)
        let m = degree + 1
        var nCoeffs = [Double](repeating: 0, count: 2 * cells * m)
        var tCoeffs = [Double](repeating: 0, count: 2 * cells * m)
        // Chebyshev points of the first kind on each cell.
        let nodes = (0..<m).map { cos(Double.pi * (Double($0) + 0.5) / Double(m)) }
        func tOf(_ half: Int, _ u: Double) -> Double {
            // 1 - t = 2 u^2 (t >= 0) or 1 + t = 2 v^2 (t < 0).
            half == 0 ? 1 - 2 * u * u : -1 + 2 * u * u
        }
        var errN = 0.0, errT = 0.0
        for half in 0..<2 {
            for cell in 0..<cells {
                let lo = Double(cell) * width
                var fn = [Double](repeating: 0, count: m), ft = fn
                for (i, x) in nodes.enumerated() {
                    let u = lo + 0.5 * (x + 1) * width
                    let v = kernel(tOf(half, u))
                    fn[i] = v.nngp; ft[i] = v.ntk
                }
                let base = (half * cells + cell) * m
                for k in 0..<m {
                    var sn = 0.0, st = 0.0
                    for i in 0..<m {
                        let w = cos(Double.pi * Double(k) * (Double(i) + 0.5) / Double(m))
                        sn += fn[i] * w; st += ft[i] * w
                    }
                    let factor = (k == 0 ? 1.0 : 2.0) / Double(m)
                    nCoeffs[base + k] = sn * factor
                    tCoeffs[base + k] = st * factor
                }
                // Check at three off-node points.
                for x in [-0.93, 0.11, 0.77] {
                    let u = lo + 0.5 * (x + 1) * width
                    let exact = kernel(tOf(half, u))
                    var b1n = 0.0, b2n = 0.0, b1t = 0.0, b2t = 0.0
                    for k in stride(from: degree, through: 1, by: -1) {
                        let b0n = 2 * x * b1n - b2n + nCoeffs[base + k]; b2n = b1n; b1n = b0n
                        let b0t = 2 * x * b1t - b2t + tCoeffs[base + k]; b2t = b1t; b1t = b0t
                    }
                    let approxN = x * b1n - b2n + nCoeffs[base]
                    let approxT = x * b1t - b2t + tCoeffs[base]
                    errN = max(errN, Swift.abs(approxN - exact.nngp) / scales.0)
                    errT = max(errT, Swift.abs(approxT - exact.ntk) / scales.1)
                }
            }
        }
        return (nCoeffs, tCoeffs, (errN, errT))
    }
}
