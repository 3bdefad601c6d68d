/// The kernel of a network between two inputs x, x' after some layer: the NNGP covariance
/// Sigma(x, x'), the variances Sigma(x, x) and Sigma(x', x'), and the NTK Theta(x, x').
///
/// Layers map states to states, so a deep kernel is a composition (design.md section 2).
public struct KernelState: Sendable, Equatable {
    /// Sigma(x, x).
    public var q1: Double
    /// Sigma(x', x').
    public var q2: Double
    /// Sigma(x, x').
    public var nngp: Double
    /// Theta(x, x').
    public var ntk: Double

    public init(q1: Double, q2: Double, nngp: Double, ntk: Double) {
        self.q1 = q1
        self.q2 = q2
        self.nngp = nngp
        self.ntk = ntk
    }

    /// The input kernel of Neural Tangents: <x, x'>/d, with NTK 0 (no parameters yet).
    public static func input(_ x: [Double], _ y: [Double]) -> KernelState {
        precondition(x.count == y.count && !x.isEmpty)
        var xx = 0.0
        var yy = 0.0
        var xy = 0.0
        for i in 0..<x.count {
            xx += x[i] * x[i]
            yy += y[i] * y[i]
            xy += x[i] * y[i]
        }
        let d = Double(x.count)
        return KernelState(q1: xx / d, q2: yy / d, nngp: xy / d, ntk: 0)
    }

    /// Two points of the unit sphere (in the sphere convention Sigma_0 = t) with <x, x'> = t.
    public static func sphere(t: Double) -> KernelState {
        KernelState(q1: 1, q2: 1, nngp: t, ntk: 0)
    }

    /// The correlation Sigma(x, x') / sqrt(Sigma(x, x) Sigma(x', x')), clamped to [-1, 1].
    public var correlation: Double {
        let s = (q1 * q2).squareRoot()
        return s > 0 ? min(1, max(-1, nngp / s)) : 0
    }
}
