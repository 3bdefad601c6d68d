import Foundation

extension BivariateNormal {
    /// Gauss-Legendre rules of 6, 12, 20 (Genz's) and 32, 48 points: the nodes in (-1, 0) and
    /// their weights.
    static let genzRules: [(nodes: [Double], weights: [Double])] = [6, 12, 20, 32, 48].map { n in
        let rule = GaussLegendre.rule(count: n)
        let pairs = zip(rule.nodes, rule.weights).filter { $0.0 < 0 }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    /// Genz's choice of rule by |rho|: 6 points below 0.3, 12 below 0.75, 20 beyond.
    static let genzSixPointsBelow = 0.3
    static let genzTwelvePointsBelow = 0.75
    /// Below this |rho| Drezner and Wesolowsky's integral over asin(rho); above it the integral
    /// in sqrt(1 - rho^2) with the singular part removed (Genz's switch).
    static let genzAsinBelow = 0.925
    /// Exponents below this are skipped: e^-100 = 4e-44 is far below the absolute accuracy 1e-16
    /// (Genz's cut-off).
    static let genzNegligibleExponent = -100.0
    /// The singular part's term e^{-hk/2} Phi(-|h - k|/a) |h - k| is skipped for hk at or below
    /// this (Genz's cut-off): then h^2 - hk + k^2 >= 300, so it is below e^-150.
    static let genzNegligibleProduct = -100.0

    /// Phi2(h, k; rho) by Genz's BVND (Genz 2004, "Numerical computation of rectangular
    /// bivariate and trivariate normal and t probabilities", Stat. Comput. 14, 251-260):
    /// Drezner and Wesolowsky's integral over asin(rho) for |rho| < 0.925, and for larger |rho|
    /// the integral in sqrt(1 - rho^2) with the singular part removed in closed form.
    /// 1 - rho^2 = sin^2 theta is taken from the angle, so rho -> +-1 keeps full accuracy.
    /// Absolute accuracy about 1e-16 (checked against the adaptive route in BivariateNormalTests).
    /// `ruleIndex` forces one of `genzRules` instead of Genz's choice by |rho|.
    public static func genz(_ lowerH: Double, _ lowerK: Double, angle: CorrelationAngle, ruleIndex: Int? = nil)
        -> Double
    {
        // BVND computes P(X > h, Y > k); P(X < h, Y < k) = P(X > -h, Y > -k).
        let r = angle.rho
        if angle.theta == 0 { return StandardNormal.cdf(min(lowerH, lowerK)) }
        if angle.complement == 0 { return max(0, StandardNormal.cdf(lowerH) + StandardNormal.cdf(lowerK) - 1) }
        var h = -lowerH
        var k = -lowerK
        let absR = Swift.abs(r)
        let rule =
            ruleIndex.map { genzRules[$0] }
            ?? (absR < genzSixPointsBelow
                ? genzRules[0]
                : (absR < genzTwelvePointsBelow ? genzRules[1] : genzRules[2]))
        var hk = h * k
        var bvn = 0.0
        if absR < genzAsinBelow {
            let hs = (h * h + k * k) / 2
            let asr = asin(r)
            for (x, w) in zip(rule.nodes, rule.weights) {
                var sn = sin(asr * (1 + x) / 2)
                bvn += w * exp((sn * hk - hs) / (1 - sn * sn))
                sn = sin(asr * (1 - x) / 2)
                bvn += w * exp((sn * hk - hs) / (1 - sn * sn))
            }
            return min(1, max(0, bvn * asr / (4 * Double.pi) + StandardNormal.cdf(-h) * StandardNormal.cdf(-k)))
        }
        if r < 0 {
            k = -k
            hk = -hk
        }
        let sine = angle.sine
        let asq = sine * sine  // (1 - r)(1 + r)
        var a = sine
        let bs = (h - k) * (h - k)
        let c = (4 - hk) / 8
        let d = (12 - hk) / 16
        var asr = -(bs / asq + hk) / 2
        if asr > genzNegligibleExponent {
            bvn = a * exp(asr) * (1 - c * (bs - asq) * (1 - d * bs / 5) / 3 + c * d * asq * asq / 5)
        }
        if hk > genzNegligibleProduct {
            let b = bs.squareRoot()
            let sp = (2 * Double.pi).squareRoot() * StandardNormal.cdf(-b / a)
            bvn -= exp(-hk / 2) * sp * b * (1 - c * bs * (1 - d * bs / 5) / 3)
        }
        a /= 2
        for (x, w) in zip(rule.nodes, rule.weights) {
            for sign in [-1.0, 1.0] {
                let xs = (a * (sign * x + 1)) * (a * (sign * x + 1))
                let rs = (1 - xs).squareRoot()
                asr = -(bs / xs + hk) / 2
                if asr > genzNegligibleExponent {
                    let sp = 1 + c * xs * (1 + d * xs)
                    let ep = exp(-hk * xs / (2 * (1 + rs) * (1 + rs))) / rs
                    bvn += a * w * exp(asr) * (ep - sp)
                }
            }
        }
        bvn = -bvn / (2 * Double.pi)
        if r > 0 {
            bvn += StandardNormal.cdf(-max(h, k))
        } else if h >= k {
            bvn = -bvn
        } else {
            let l =
                h < 0 ? StandardNormal.cdf(k) - StandardNormal.cdf(h) : StandardNormal.cdf(-h) - StandardNormal.cdf(-k)
            bvn = l - bvn
        }
        return min(1, max(0, bvn))
    }
}
