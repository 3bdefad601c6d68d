import Foundation
import NeuralKernels

/// First derivatives of an activation's dual maps in their three arguments, for propagating
/// hyperparameter gradients through the layer recursion (Proofs/gp-regression-marginal-likelihood.md).
///
/// For (u, v) centred Gaussian with Var u = q1, Var v = q2, Cov = c, write
/// F = E[phi(u) phi(v)] and D = E[phi'(u) phi'(v)]. Then
///
///     dF/dc  = D                                   (Price's theorem, exact)
///     dF/dq1 = (S1 - c D) / (2 q1),   S1 = E[u phi'(u) phi(v)] = d/dl F(l^2 q1, q2, l c) at l = 1
///
/// (Stein's lemma), and the same with D in place of F and E[phi'' phi''] in place of D. So a
/// change (dq1, dq2, dc) changes F by
///
///     dF = S1 dq1/(2 q1) + S2 dq2/(2 q2) + D (dc - c/2 (dq1/q1 + dq2/q2)),
///
/// the last bracket being sqrt(q1 q2) d(rho): the correlation's change. What the activation
/// declares is used exactly: its ``Activation/homogeneity`` p gives S1 = p F and T1 = (p - 1) D
/// (ReLU, LeakyReLU: p = 1), its ``Activation/secondDerivativeDual`` gives E[phi'' phi'']
/// (J^2 / (2 pi sqrt(q1 q2 - c^2)) for one kink of jump J, 0 for phi' constant), and a closed
/// form declaring a ``DualJet`` (the ELU family) gives all of them at once. Otherwise the scaling
/// derivatives S, T are central differences along l (relative step 6e-6, which keeps rho fixed,
/// so never leaves the admissible set; error about 1e-10 relative for the closed-form duals)
/// and E[phi'' phi''] is a central difference in c (one-sided near rho = +-1).
struct DualPartials: Sendable {
    let dual: DualActivation
    let homogeneity: Int?
    let secondDerivative: (@Sendable (GaussianPair) -> Double)?
    static let step = 6e-6

    /// The two dual maps as plain closures, taken out of the activation once: reading
    /// `activation.closedForm` per call copies (retains and releases) its closures, which
    /// dominated the Gram loop when threads contended on the shared reference counts.
    let nngp: @Sendable (GaussianPair) -> Double
    let derivative: @Sendable (GaussianPair) -> Double
    let jet: (@Sendable (GaussianPair) -> DualJet?)?

    init(_ activation: Activation) {
        dual = DualActivation(activation)
        jet = activation.closedForm?.jet
        if let closed = activation.closedForm {
            nngp = closed.nngp
            derivative = closed.derivative
        } else {
            let dual = dual
            nngp = { dual.nngpByQuadrature($0) }
            derivative = { dual.derivativeByQuadrature($0) }
        }
        homogeneity = activation.homogeneity
        secondDerivative = activation.secondDerivativeDual
    }

    /// F, D and the changes of F (and of D when `ntk`) along two directions (dq1, dq2, dc).
    @inline(__always)
    func evaluate(
        q1: Double, q2: Double, c: Double, d1: (Double, Double, Double), d2: (Double, Double, Double),
        ntk: Bool, series: DualJet? = nil
    ) -> (f: Double, d: Double, df: (Double, Double), dd: (Double, Double)) {
        let s = scalings(q1: q1, q2: q2, c: c, ntk: ntk, series: series)
        func change(_ s1: Double, _ s2: Double, _ slope: Double, _ dir: (Double, Double, Double)) -> Double {
            let rhoPart = dir.2 - 0.5 * c * (dir.0 / q1 + dir.1 / q2)
            return s1 * dir.0 / (2 * q1) + s2 * dir.1 / (2 * q2) + (rhoPart == 0 ? 0 : slope * rhoPart)
        }
        let df = (change(s.s1, s.s2, s.fSlope, d1), change(s.s1, s.s2, s.fSlope, d2))
        guard ntk else { return (s.f, s.d, df, (0, 0)) }
        return (s.f, s.d, df, (change(s.t1, s.t2, s.dSlope, d1), change(s.t1, s.t2, s.dSlope, d2)))
    }

    /// The partial derivatives of F (and of D when `ntk`) in their arguments (q1, q2, c) one by
    /// one, from the lemma: dF/dq_i = (S_i - c dF/dc) / (2 q_i), dF/dc = D (and T_i,
    /// E[phi'' phi''] for D). At |rho| = 1 the dD/dc term is dropped as in ``evaluate``: the
    /// three partials are then meaningful only along directions that keep |rho| = 1 (dc =
    /// c/2 (dq1/q1 + dq2/q2)), which are the only ones a data-driven change of the first layer
    /// takes there (a repeated point stays repeated under any per-input scaling).
    @inline(__always)
    func partials(q1: Double, q2: Double, c: Double, ntk: Bool, series: DualJet? = nil)
        -> (f: Double, d: Double, df: (q1: Double, q2: Double, c: Double), dd: (q1: Double, q2: Double, c: Double))
    {
        let s = scalings(q1: q1, q2: q2, c: c, ntk: ntk, series: series)
        let df = ((s.s1 - c * s.fSlope) / (2 * q1), (s.s2 - c * s.fSlope) / (2 * q2), s.fSlope)
        guard ntk else { return (s.f, s.d, df, (0, 0, 0)) }
        return (s.f, s.d, df, ((s.t1 - c * s.dSlope) / (2 * q1), (s.t2 - c * s.dSlope) / (2 * q2), s.dSlope))
    }

    /// F, D, the scaling derivatives S_i = d/dl F(l^2 q_i, ..., l c), T_i (the same for D, when
    /// `ntk`) and the slopes in the covariance dF/dc = D and dD/dc = E[phi'' phi''] (0 at
    /// |rho| = 1, see ``evaluate``). A `series` jet (from the points' Hermite coefficients,
    /// ``HermiteCoefficients/jet(_:_:_:_:order:rho:gradient:ntk:tolerance:)``) is used as a
    /// closed-form jet would be.
    @inline(__always)
    func scalings(q1: Double, q2: Double, c: Double, ntk: Bool, series: DualJet? = nil)
        -> (f: Double, d: Double, s1: Double, s2: Double, fSlope: Double, t1: Double, t2: Double, dSlope: Double)
    {
        let pair = GaussianPair(q1: q1, q2: q2, c: c)
        if let j = series ?? jet.flatMap({ $0(pair) }) {
            guard ntk else {
                return (j.nngp, j.derivative, j.nngpScaling.first, j.nngpScaling.second, j.derivative, 0, 0, 0)
            }
            // The E[phi'' phi''] term is dropped at rho = +-1, as below.
            let slope = Swift.abs(pair.rho) < 1 - 1e-12 ? j.derivativeSlope : 0
            let t = j.derivativeScaling
            return (
                j.nngp, j.derivative, j.nngpScaling.first, j.nngpScaling.second, j.derivative,
                t.first, t.second, slope
            )
        }
        let f = nngp(pair)
        let d = derivative(pair)
        let h = DualPartials.step
        // The scalings (l^2 q1, q2, l c) keep the correlation, hence the angle: reuse it.
        @inline(__always) func scaled(_ l1: Double, _ l2: Double) -> GaussianPair {
            GaussianPair(q1: l1 * l1 * q1, q2: l2 * l2 * q2, c: l1 * l2 * c, angle: pair.angle)
        }
        let up1 = scaled(1 + h, 1)
        let down1 = scaled(1 - h, 1)
        let up2 = scaled(1, 1 + h)
        let down2 = scaled(1, 1 - h)
        let s1: Double
        let s2: Double
        if let p = homogeneity {
            s1 = Double(p) * f
            s2 = s1
        } else {
            // Equal variances: (u, v) is exchangeable, so S1 = S2 (and T1 = T2 below).
            s1 = (nngp(up1) - nngp(down1)) / (2 * h)
            s2 = q1 == q2 ? s1 : (nngp(up2) - nngp(down2)) / (2 * h)
        }
        guard ntk else { return (f, d, s1, s2, d, 0, 0, 0) }
        let t1: Double
        let t2: Double
        if let p = homogeneity {
            t1 = Double(p - 1) * d
            t2 = t1
        } else {
            t1 = (derivative(up1) - derivative(down1)) / (2 * h)
            t2 = q1 == q2 ? t1 : (derivative(up2) - derivative(down2)) / (2 * h)
        }
        let root = (q1 * q2).squareRoot()
        let rho = c / root
        var dc = 0.0
        if Swift.abs(rho) < 1 - 1e-12 {
            if let secondDerivative {
                dc = secondDerivative(pair)
            } else {
                let e = 1e-5 * root
                if rho + 1e-5 > 1 {
                    dc =
                        (3 * d - 4 * derivative(GaussianPair(q1: q1, q2: q2, c: c - e))
                            + derivative(GaussianPair(q1: q1, q2: q2, c: c - 2 * e))) / (2 * e)
                } else if rho - 1e-5 < -1 {
                    dc =
                        (-3 * d + 4 * derivative(GaussianPair(q1: q1, q2: q2, c: c + e))
                            - derivative(GaussianPair(q1: q1, q2: q2, c: c + 2 * e))) / (2 * e)
                } else {
                    dc =
                        (derivative(GaussianPair(q1: q1, q2: q2, c: c + e))
                            - derivative(GaussianPair(q1: q1, q2: q2, c: c - e))) / (2 * e)
                }
            }
        }
        // At rho = +-1 the correlation cannot change to first order (it is extremal), so the
        // E[phi'' phi''] term drops; near it its product with d(rho) vanishes like sqrt(1 - rho).
        return (f, d, s1, s2, d, t1, t2, dc)
    }
}
