import Foundation

/// The duals of a positively homogeneous activation at unit variances, tabulated in the
/// correlation for very many evaluations (Gram matrices of points of unequal norms):
///
///     kappa(rho)  = E[phi(z1) phi(z2)],    kappa'(rho) = E[phi'(z1) phi'(z2)]
///
/// for standard normals z1, z2 of correlation rho. If phi(lambda x) = lambda^p phi(x)
/// (lambda > 0), then for Var u = q1, Var v = q2, Cov = c and rho = c / sqrt(q1 q2),
///
///     E[phi(u) phi(v)]   = (q1 q2)^{p/2} kappa(rho)
///     E[phi'(u) phi'(v)] = (q1 q2)^{(p-1)/2} kappa'(rho)
///
/// (substitute u = sqrt(q1) z1, v = sqrt(q2) z2; phi' is homogeneous of degree p - 1).
///
/// Activations non-smooth at 0 have duals analytic in theta = arccos(rho) (the arc-cosine
/// kernels are A(rho) sin theta + B(rho) (pi - theta)), hence in u = sqrt((1 - rho)/2) =
/// sin(theta/2) on [0, sqrt(1/2)] (rho >= 0) and in v = sqrt((1 + rho)/2) (rho < 0): as in
/// ``SphereKernelTable``, degree-7 Chebyshev interpolants on uniform cells in u and v, stored
/// in the monomial basis of the cell variable and evaluated by Estrin's scheme. On the rho >= 0
/// half the NNGP is stored as its deficit divided by its order at rho = 1,
/// (kappa(1) - kappa(rho)) / u^m with m = 2 for continuous activations (the deficit is
/// O(1 - rho) by Price's theorem) and m = 1 for the step (O(theta)): near rho = 1, where the
/// next layer's correlation is decided by that deficit, the interpolation error is then
/// relative to the deficit itself, not to kappa(1). At rho = 1 exactly the table returns
/// kappa(1) and kappa'(1) exactly.
///
/// `error` is the largest difference from the exact dual at three off-node points per cell,
/// relative to |kappa(1)| (NNGP) and |kappa'(1)| (derivative); cells are doubled until it is at
/// most 2e-15 or the count reaches 8192 (Proofs/tabulated-duals.md).
public struct NormalisedDualTable: Sendable {
    public let cells: Int
    /// The homogeneity degree p.
    public let degree: Int
    /// kappa(1) and kappa'(1), exact (from the dual at rho = 1).
    public let top: (nngp: Double, derivative: Double)
    /// Max |table - exact| relative to kappa(1) and kappa'(1) at the check points.
    public let error: (nngp: Double, derivative: Double)
    /// [half][cell][16]: eight NNGP then eight derivative coefficients; half 0 is rho >= 0
    /// (variable u, the NNGP as deficit / u^m), half 1 is rho < 0 (variable v).
    @usableFromInline let coefficients: [Double]
    @usableFromInline let inverseWidth: Double
    /// m: the deficit's order in u at rho = 1 (2, or 1 for a discontinuous activation).
    @usableFromInline let deficitOrder: Int

    /// The table of `activation`'s duals, or nil unless it is positively homogeneous and
    /// non-smooth at most at 0.
    public init?(_ activation: Activation, maxCells: Int = 8192) {
        guard let p = activation.homogeneity, p >= 0, activation.breakpoints.isEmpty else { return nil }
        let dual = DualActivation(activation)
        let unit = GaussianPair(q: 1, deficit: 0, surplus: 2)
        let top = (nngp: dual.nngp(unit), derivative: dual.derivative(unit))
        guard top.nngp.isFinite, top.derivative.isFinite else { return nil }
        let order = p == 0 ? 1 : 2
        var cells = 256
        var built = NormalisedDualTable.build(dual, top: top, cells: cells, order: order)
        while max(built.error.0, built.error.1) > 2e-15 && cells < maxCells {
            cells *= 2
            built = NormalisedDualTable.build(dual, top: top, cells: cells, order: order)
        }
        self.deficitOrder = order
        self.cells = cells
        self.degree = p
        self.top = top
        self.error = built.error
        self.coefficients = built.coefficients
        self.inverseWidth = Double(cells) / (0.5).squareRoot()
    }

    /// (kappa, kappa') at the correlation with 1 - rho and 1 + rho given (both in [0, 2], each
    /// accurate relative to itself).
    @inlinable @inline(__always)
    public func callAsFunction(oneMinusRho: Double, onePlusRho: Double) -> (nngp: Double, derivative: Double) {
        let positive = oneMinusRho <= onePlusRho
        if oneMinusRho == 0 { return top }
        let half = 0.5 * (positive ? oneMinusRho : onePlusRho)
        let u = half.squareRoot()
        let scaled = u * inverseWidth
        var cell = Int(scaled)
        if cell >= cells { cell = cells - 1 }
        let x = 2 * (scaled - Double(cell)) - 1
        return coefficients.withUnsafeBufferPointer { c in
            let q = c.baseAddress! + ((positive ? 0 : cells) + cell) * 16
            let x2 = x * x
            let x4 = x2 * x2
            let n = ((q[0] + q[1] * x) + x2 * (q[2] + q[3] * x)) + x4 * ((q[4] + q[5] * x) + x2 * (q[6] + q[7] * x))
            let d =
                ((q[8] + q[9] * x) + x2 * (q[10] + q[11] * x)) + x4 * ((q[12] + q[13] * x) + x2 * (q[14] + q[15] * x))
            return (positive ? top.nngp - (deficitOrder == 2 ? half : u) * n : n, d)
        }
    }

    /// The exact duals at u (half 0: 1 - rho = 2 u^2; half 1: 1 + rho = 2 u^2), the NNGP of
    /// half 0 as its deficit divided by u^order.
    private static func exact(
        _ dual: DualActivation, top: (nngp: Double, derivative: Double),
        half: Int, u: Double, order: Int
    ) -> (Double, Double) {
        let e = 2 * u * u
        let pair =
            half == 0 ? GaussianPair(q: 1, deficit: e, surplus: 2 - e) : GaussianPair(q: 1, deficit: 2 - e, surplus: e)
        let derivative = dual.derivative(pair)
        if half == 1 { return (dual.nngp(pair), derivative) }
        // The deficit without cancellation where Price's theorem applies (small angles).
        return (dual.nngpDeficit(pair) / (order == 2 ? u * u : u), derivative)
    }

    private static func build(_ dual: DualActivation, top: (nngp: Double, derivative: Double), cells: Int, order: Int)
        -> (coefficients: [Double], error: (Double, Double))
    {
        let m = 8
        let width = (0.5).squareRoot() / Double(cells)
        var coefficients = [Double](repeating: 0, count: 2 * cells * 2 * m)
        let nodes = (0..<m).map { cos(Double.pi * (Double($0) + 0.5) / Double(m)) }
        let scaleN = Swift.abs(top.nngp) > 0 ? Swift.abs(top.nngp) : 1
        let scaleD = Swift.abs(top.derivative) > 0 ? Swift.abs(top.derivative) : 1
        var errN = 0.0
        var errD = 0.0
        for half in 0..<2 {
            for cell in 0..<cells {
                let lo = Double(cell) * width
                let values = nodes.map {
                    exact(dual, top: top, half: half, u: lo + 0.5 * ($0 + 1) * width, order: order)
                }
                let base = (half * cells + cell) * 2 * m
                var chebyshevN = [Double](repeating: 0, count: m)
                var chebyshevD = chebyshevN
                for k in 0..<m {
                    var sn = 0.0
                    var sd = 0.0
                    for i in 0..<m {
                        let w = cos(Double.pi * Double(k) * (Double(i) + 0.5) / Double(m))
                        sn += values[i].0 * w
                        sd += values[i].1 * w
                    }
                    let factor = (k == 0 ? 1.0 : 2.0) / Double(m)
                    chebyshevN[k] = sn * factor
                    chebyshevD[k] = sd * factor
                }
                SphereKernelTable.chebyshevToMonomial(&chebyshevN, 0, m)
                SphereKernelTable.chebyshevToMonomial(&chebyshevD, 0, m)
                for k in 0..<m {
                    coefficients[base + k] = chebyshevN[k]
                    coefficients[base + m + k] = chebyshevD[k]
                }
                for x in [-0.93, 0.11, 0.77] {
                    let u = lo + 0.5 * (x + 1) * width
                    let truth = exact(dual, top: top, half: half, u: u, order: order)
                    // The NNGP's error as a value, not as a deficit ratio.
                    let weight = half == 1 ? 1 : (order == 2 ? u * u : u)
                    var approxN = 0.0
                    var approxD = 0.0
                    for k in stride(from: m - 1, through: 0, by: -1) {
                        approxN = approxN * x + chebyshevN[k]
                        approxD = approxD * x + chebyshevD[k]
                    }
                    errN = max(errN, weight * Swift.abs(approxN - truth.0) / scaleN)
                    errD = max(errD, Swift.abs(approxD - truth.1) / scaleD)
                }
            }
        }
        return (coefficients, (errN, errD))
    }
}
