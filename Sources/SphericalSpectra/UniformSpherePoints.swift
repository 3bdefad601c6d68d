import NeuralKernels

/// Points drawn uniformly (surface measure) on S^{d-1}: a standard normal vector in R^d
/// divided by its norm (rotation invariance of the Gaussian), from a seeded
/// ``GaussianRandomSource``.
public enum UniformSpherePoints {
    public static func draw(count: Int, dimension d: Int, random: inout GaussianRandomSource) -> [[Double]] {
        (0..<count).map { _ in
            while true {
                let x = (0..<d).map { _ in random.normal() }
                let r = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if r > 1e-300 { return x.map { $0 / r } }
            }
        }
    }

    /// <x, y>, clipped to [-1, 1] (rounding may step just outside).
    @inline(__always) public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { s += x[i] * y[i] }
        return min(1, max(-1, s))
    }
}
