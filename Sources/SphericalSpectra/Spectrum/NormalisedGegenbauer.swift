/// The Gegenbauer polynomials of S^{d-1} normalised to P_k(1) = 1 (design.md §2), by the
/// three-term recurrence (stable upward on [-1, 1]):
///
///     P_0 = 1,  P_1 = t,  P_{k+1}(t) = ((2k + d - 2) t P_k(t) - k P_{k-1}(t)) / (k + d - 2)
///
/// (d = 2: cos(k theta); d = 3: Legendre). With the uniform probability measure sigma on
/// S^{d-1}, int P_k(<x, a>) P_j(<x, b>) dsigma(x) = delta_jk P_k(<a, b>) / N(d, k).
public enum NormalisedGegenbauer {
    /// P_0(t)...P_K(t).
    public static func values(dimension d: Int, through kmax: Int, at t: Double) -> [Double] {
        var out = [Double](repeating: 0, count: kmax + 1)
        fill(&out, dimension: d, at: t)
        return out
    }

    /// Writes P_0(t)...P_{count-1}(t) into `out`.
    public static func fill(_ out: inout [Double], dimension d: Int, at t: Double) {
        guard !out.isEmpty else { return }
        out[0] = 1
        guard out.count > 1 else { return }
        out[1] = t
        var previous = 1.0
        var current = t
        let dd = Double(d)
        for k in stride(from: 1, to: out.count - 1, by: 1) {
            let kd = Double(k)
            let next = ((2 * kd + dd - 2) * t * current - kd * previous) / (kd + dd - 2)
            previous = current
            current = next
            out[k + 1] = next
        }
    }

    /// P_k(t) for one k.
    public static func value(_ k: Int, dimension d: Int, at t: Double) -> Double {
        values(dimension: d, through: k, at: t)[k]
    }
}
