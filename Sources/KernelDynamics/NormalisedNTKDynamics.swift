import Foundation
import NeuralKernels

/// Fixed points of the normalised NTK through depth, at the NNGP's variance fixed point q*
/// (Proofs/fixed-points-of-the-correlation-map.md, section "The NTK").
///
/// With sigma_i = 1 (NTK parametrisation) one layer maps the diagonal T_l = Theta_l(x, x) and
/// the off-diagonal Theta_l(x, x') as
///
///     T_{l+1}          = q* + chi_1 T_l
///     Theta_{l+1}(x,x') = q* f(rho_l) + f'(rho_l) Theta_l(x, x')
///
/// (f the NNGP correlation map, f' = sigma_w^2 E[phi' phi'] by Price's theorem), and the
/// quantity analysed is the normalised NTK r_l = Theta_l(x, x') / T_l. The joint map on
/// (rho, r, T) is triangular, so at a fixed point (rho*, r*) its Jacobian has the eigenvalues
/// f'(rho*), the r-slope and chi_1:
///
/// * ordered phase (chi_1 < 1): T_l -> T* = q* / (1 - chi_1) and
///   r* = rho* (1 - chi_1) / (1 - f'(rho*)), with r-slope f'(rho*); rho* = 1 gives r* = 1;
/// * chaotic phase (chi_1 >= 1): T_l grows like chi_1^l while the off-diagonal grows at most
///   like max(1, |f'(rho*)|)^l, so every rho* < 1 gives r* = 0, approached at the rate
///   max(1, |f'(rho*)|) / chi_1 per layer (the deep NTK becomes diagonal: Xiao, Pennington &
///   Schoenholz 2020); rho* = 1 keeps r* = 1 (identical inputs stay identical).
///
/// The "slope" reported for each fixed point is that linear rate; |slope| < 1 means stable.
public struct NormalisedNTKDynamics: Sendable {
    public struct FixedPoint: Sendable, Equatable {
        /// The NNGP fixed point rho* this NTK fixed point sits over.
        public let rho: Double
        /// The normalised NTK value r* = Theta(x, x') / Theta(x, x) in the deep limit.
        public let ratio: Double
        /// Per-layer contraction factor of r near r* (see the type's documentation).
        public let slope: Double
        /// Whether (rho*, r*) attracts: |f'(rho*)| < 1 and |slope| < 1.
        public let stable: Bool
        public var depthScale: Double { -1 / log(Swift.abs(slope)) }
    }

    public let nngp: KernelFixedPoints
    public let fixedPoints: [FixedPoint]

    public init(_ nngp: KernelFixedPoints) {
        self.nngp = nngp
        guard nngp.qStar != nil, let chi = nngp.chi1 else {
            fixedPoints = []
            return
        }
        fixedPoints = nngp.fixedPoints.map { p in
            let s = p.slope
            if p.rho == 1 {
                // r = 1 is fixed; the r-slope is chi_1 T*/(q* + chi_1 T*) = chi_1 in the ordered
                // phase (T* = q*/(1 - chi_1)) and tends to 1 (marginal) in the chaotic one.
                let slope = chi < 1 ? chi : 1
                return FixedPoint(rho: 1, ratio: 1, slope: slope, stable: p.stable && slope < 1)
            }
            if chi < 1 {
                let ratio = p.rho * (1 - chi) / (1 - s)
                return FixedPoint(rho: p.rho, ratio: ratio, slope: s, stable: p.stable)
            }
            let slope = max(1, Swift.abs(s)) / chi
            return FixedPoint(rho: p.rho, ratio: 0, slope: slope, stable: p.stable && slope < 1)
        }
    }

    /// r_1, ..., r_{1+depth}: the normalised NTK of two inputs whose first-layer pre-activations
    /// have variance q* and correlation rho0 (Theta_1 = Sigma_1), iterated through `depth`
    /// further layers together with rho_l.
    public func trajectory(from rho0: Double, depth: Int) -> [Double] {
        guard let q = nngp.qStar else { return [] }
        let dual = DualActivation(nngp.activation)
        let w2 = nngp.sigmaW * nngp.sigmaW
        let layer = KernelFixedPoints.layer(sigmaW: nngp.sigmaW, sigmaB: nngp.sigmaB)
        let chi = w2 * dual.derivativeSecondMoment(q: q)
        var rho = rho0
        var off = rho0 * q
        var diag = q
        var out = [rho0]
        for _ in 0..<max(depth, 0) {
            let c = rho * q
            let f = KernelFixedPoints.covariance(c, q: q, dual, layer) / q
            let slope = w2 * dual.derivative(q1: q, q2: q, c: c)
            off = q * f + slope * off
            diag = q + chi * diag
            rho = min(1, max(-1, f))
            out.append(off / diag)
        }
        return out
    }
}
