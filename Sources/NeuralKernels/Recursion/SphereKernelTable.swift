import Foundation

/// A sphere kernel t -> (NNGP, NTK) tabulated for very many evaluations (Gram matrices).
///
/// For activations non-smooth only at 0, deep kernels have the form
/// kappa(t) = A(t) + (1 - t)^{1/2} B(t) near t = 1 and the mirror form near t = -1, with A, B
/// analytic (Proofs/tabulated-duals.md). In u = sqrt((1 - t)/2) on [0, 1] (t >= 0) and in
/// v = sqrt((1 + t)/2) (t < 0) the kernel is therefore analytic, and piecewise Chebyshev
/// interpolation on uniform cells in u (v) converges geometrically. Each cell's degree-7
/// interpolant is stored in the monomial basis of its local variable x in [-1, 1] (well
/// conditioned at this degree, as the coefficients decay fast) and evaluated by Estrin's
/// scheme: a square root, an index and three levels of fused multiply-adds.
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

    public init(_ kernel: SphereKernel, initialCells: Int = 256, maxCells: Int = 8192) {
        let degree = 7
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

    /// Estrin's scheme for the degree-7 cell polynomial.
    @usableFromInline @inline(__always)
    func clenshaw(_ c: [Double], _ offset: Int, _ x: Double) -> Double {
        c.withUnsafeBufferPointer { p in
            let q = p.baseAddress! + offset
            let x2 = x * x
            let x4 = x2 * x2
            let a = q[0] + q[1] * x
            let b = q[2] + q[3] * x
            let e = q[4] + q[5] * x
            let f = q[6] + q[7] * x
            return (a + x2 * b) + x4 * (e + x2 * f)
        }
    }

    /// Rewrites sum_k a_k T_k(x) as sum_k b_k x^k in place (m coefficients from `base`).
    static func chebyshevToMonomial(_ c: inout [Double], _ base: Int, _ m: Int) {
        var result = [Double](repeating: 0, count: m)
        var tPrev = [Double](repeating: 0, count: m)
        var tCur = [Double](repeating: 0, count: m)
        tPrev[0] = 1  // T_0
        if m > 1 { tCur[1] = 1 }  // T_1
        for k in 0..<m {
            let poly = k == 0 ? tPrev : tCur
            for j in 0..<m { result[j] += c[base + k] * poly[j] }
            if k >= 1 {
                // T_{k+1} = 2 x T_k - T_{k-1}
                var next = [Double](repeating: 0, count: m)
                for j in 0..<(m - 1) { next[j + 1] = 2 * tCur[j] }
                for j in 0..<m { next[j] -= tPrev[j] }
                tPrev = tCur
                tCur = next
            }
        }
        for j in 0..<m { c[base + j] = result[j] }
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
        func kernelAt(_ half: Int, _ u: Double) -> (nngp: Double, ntk: Double) {
            // 1 - t = 2 u^2 (t >= 0) or 1 + t = 2 v^2 (t < 0), passed exactly.
            let e = 2 * u * u
            return half == 0
                ? kernel.values(1 - e, oneMinusT: e, onePlusT: 2 - e)
                : kernel.values(-1 + e, oneMinusT: 2 - e, onePlusT: e)
        }
        var errN = 0.0
        var errT = 0.0
        for half in 0..<2 {
            for cell in 0..<cells {
                let lo = Double(cell) * width
                var fn = [Double](repeating: 0, count: m)
                var ft = fn
                for (i, x) in nodes.enumerated() {
                    let u = lo + 0.5 * (x + 1) * width
                    let v = kernelAt(half, u)
                    fn[i] = v.nngp
                    ft[i] = v.ntk
                }
                let base = (half * cells + cell) * m
                for k in 0..<m {
                    var sn = 0.0
                    var st = 0.0
                    for i in 0..<m {
                        let w = cos(Double.pi * Double(k) * (Double(i) + 0.5) / Double(m))
                        sn += fn[i] * w
                        st += ft[i] * w
                    }
                    let factor = (k == 0 ? 1.0 : 2.0) / Double(m)
                    nCoeffs[base + k] = sn * factor
                    tCoeffs[base + k] = st * factor
                }
                chebyshevToMonomial(&nCoeffs, base, m)
                chebyshevToMonomial(&tCoeffs, base, m)
                // Check at three off-node points.
                for x in [-0.93, 0.11, 0.77] {
                    let u = lo + 0.5 * (x + 1) * width
                    let exact = kernelAt(half, u)
                    var approxN = 0.0
                    var approxT = 0.0
                    for k in stride(from: degree, through: 0, by: -1) {
                        approxN = approxN * x + nCoeffs[base + k]
                        approxT = approxT * x + tCoeffs[base + k]
                    }
                    errN = max(errN, Swift.abs(approxN - exact.nngp) / scales.0)
                    errT = max(errT, Swift.abs(approxT - exact.ntk) / scales.1)
                }
            }
        }
        return (nCoeffs, tCoeffs, (errN, errT))
    }
}
