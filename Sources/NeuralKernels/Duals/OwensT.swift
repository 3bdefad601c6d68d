import Foundation

/// Owen's T function
///
///     T(h, a) = (1 / 2 pi) integral_0^a exp(-h^2 (1 + x^2) / 2) / (1 + x^2) dx,
///
/// odd in a and even in h, by 20-point Gauss-Legendre on panels of [0, a]. The integrand is
/// entire in x apart from the poles x = +-i, and the Gaussian factor varies on the scale 1/|h|:
/// panels of length at most min(3/2, 4/|h|) keep the poles outside a Bernstein ellipse of
/// parameter ~3 and the Gaussian's growth inside it moderate, so each panel is exact to a few
/// ulps (ContinuedDualTests: T(0, a) = atan(a)/(2 pi), T(h, 1) = Phi(h) Phi(-h)/2 to 1e-14, and
/// the Owen forms of the ELU duals' bivariate normal terms to 1e-13). One panel covers the
/// endpoint fits' arguments (a = s/rho <= 1.3, |h| a <= 4) at 20 exponentials a call.
///
/// Owen (1956): for h k != 0,
///
///     Phi2(h, k; r) = [Phi(h) + Phi(k)]/2 - T(h, (k - r h)/(h s)) - T(k, (h - r k)/(k s)) - beta,
///
/// s = sqrt(1 - r^2), beta = 0 if h k > 0 and 1/2 if h k < 0 (Proofs/elu-family-duals.md,
/// "Continuation to signed angles").
public enum OwensT {
    /// Longest panel: keeps the poles x = +-i outside a Bernstein ellipse of parameter ~3.
    static let longestPanel = 1.5
    /// Panels at most this many Gaussian scales 1/|h| long.
    static let gaussianScalesPerPanel = 4.0
    /// Points of the Gauss-Legendre rule on each panel.
    static let pointsPerPanel = 20

    public static func value(_ h: Double, _ a: Double) -> Double {
        if a == 0 { return 0 }
        if a < 0 { return -value(h, -a) }
        let h2 = h * h
        let width = min(longestPanel, gaussianScalesPerPanel / max(Swift.abs(h), PanelScale.smallestRate))
        let panels = max(1, Int((a / width).rounded(.up)))
        let rule = GaussLegendre.rule(count: pointsPerPanel)
        let step = a / Double(panels)
        var sum = 0.0
        for p in 0..<panels {
            let lo = Double(p) * step
            var panel = 0.0
            for (x, w) in zip(rule.nodes, rule.weights) {
                let t = lo + 0.5 * step * (x + 1)
                let one = 1 + t * t
                panel += w * exp(-0.5 * h2 * one) / one
            }
            sum += 0.5 * step * panel
        }
        return sum / (2 * Double.pi)
    }
}
