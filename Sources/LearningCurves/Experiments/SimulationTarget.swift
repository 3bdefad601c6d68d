import NeuralKernels
import SphericalSpectra

/// A target function for simulations, drawn afresh for every training set.
///
/// * `zonal`: f(x) = g(<x, e>) with e uniform on the sphere: the target exactly as defined
///   (a Legendre combination, an expression), independent of its computed spectrum.
/// * `harmonics`: a random function with power exactly p_k in each degree k:
///   f_k(x) = s_k sum_{j<M} c_kj P_k(<x, z_j>), c_kj standard normal, z_j uniform, and s_k chosen
///   so that ||f_k||^2 = s_k^2 sum_ij c_ki c_kj P_k(<z_i, z_j>) / N(d, k) = p_k (the
///   reproducing property of the zonal harmonics, ``NormalisedGegenbauer``).
///
/// The predicted E_g depends on the target only through the p_k, and is linear in them, so
/// either kind is compared with the prediction for its spectrum.
public enum SimulationTarget: Sendable {
    case zonal(name: String, profile: @Sendable (Double) -> Double)
    case harmonics(name: String, power: [Double], centres: Int)

    public var name: String {
        switch self {
        case .zonal(let name, _), .harmonics(let name, _, _): return name
        }
    }

    /// One draw: the function's values at `points` on S^{d-1}.
    public func draw(dimension d: Int, random: inout GaussianRandomSource) -> @Sendable ([[Double]]) -> [Double] {
        switch self {
        case .zonal(_, let profile):
            let e = UniformSpherePoints.draw(count: 1, dimension: d, random: &random)[0]
            return { points in points.map { profile(UniformSpherePoints.dot($0, e)) } }
        case .harmonics(_, let power, let m):
            let top = power.lastIndex(where: { $0 > 0 }) ?? 0
            let z = UniformSpherePoints.draw(count: m, dimension: d, random: &random)
            var weights = [[Double]](repeating: [Double](repeating: 0, count: top + 1), count: m)
            // P_k(<z_i, z_j>) for all pairs, all k at once.
            var gram = [[Double]](repeating: [], count: m * m)
            for i in 0..<m {
                for j in 0..<m {
                    gram[i * m + j] = NormalisedGegenbauer.values(
                        dimension: d, through: top, at: UniformSpherePoints.dot(z[i], z[j]))
                }
            }
            for k in 0...top where power[k] > 0 {
                let c = (0..<m).map { _ in random.normal() }
                var q = 0.0
                for i in 0..<m { for j in 0..<m { q += c[i] * c[j] * gram[i * m + j][k] } }
                let n = Multiplicity.value(dimension: d, degree: k)
                let s = (power[k] * n / q).squareRoot()
                for j in 0..<m { weights[j][k] = s * c[j] }
            }
            let w = weights
            return { points in
                var p = [Double](repeating: 0, count: top + 1)
                return points.map { x in
                    var total = 0.0
                    for j in 0..<m {
                        NormalisedGegenbauer.fill(&p, dimension: d, at: UniformSpherePoints.dot(x, z[j]))
                        for k in 0...top { total += w[j][k] * p[k] }
                    }
                    return total
                }
            }
        }
    }
}
