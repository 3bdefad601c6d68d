import Foundation

/// User-defined activations: one expression in x for x < 0 and one for x >= 0.
///
/// The regularity at 0 is found from exact one-sided derivatives: the k-th symbolic
/// derivatives of both branches are evaluated at 0 for k = 0, 1, ..., and the first k where
/// they differ is the non-smoothness degree m, with jump phi^(m)(0+) - phi^(m)(0-). Equal
/// polynomial branches give a polynomial activation; equal non-polynomial branches up to
/// k = 12 are taken as analytic. Each branch must be smooth up to 0 from its side (finite
/// derivatives there) and finite on its half-line, so that the Gaussian moments exist.
extension Activation {
    /// Derivative orders examined for the regularity at 0.
    static let regularityOrders = 12

    public static func piecewise(negative: String, positive: String) throws -> Activation {
        let negText = negative.trimmingCharacters(in: .whitespaces)
        let posText = positive.trimmingCharacters(in: .whitespaces)
        let neg = try ExpressionParser.parse(negText)
        let pos = try ExpressionParser.parse(posText)
        let name = "piecewise(\(negText); \(posText))"

        // Finite on each half-line.
        let samples: [Double] = [0, 0.25, 0.5, 1, 2, 4, 8, 16, 30]
        for (expression, text, sign) in [(neg, negText, -1.0), (pos, posText, 1.0)] {
            for s in samples {
                let x = sign * s
                let v = expression.evaluate(x)
                guard v.isFinite else {
                    throw KernelError.invalidExpression(text, reason: "not finite at x = \(formatParameter(x)) (each branch must be finite on its half-line)")
                }
            }
        }

        // One-sided derivatives at 0.
        var dNeg = neg, dPos = pos
        var regularity: Regularity? = nil
        var negPolynomialDegree: Int? = nil, posPolynomialDegree: Int? = nil
        for k in 0...regularityOrders {
            let left = dNeg.evaluate(0), right = dPos.evaluate(0)
            guard left.isFinite else {
                throw KernelError.invalidExpression(negText, reason: "derivative \(k) is not finite at 0 (the branch must be smooth up to 0)")
            }
            guard right.isFinite else {
                throw KernelError.invalidExpression(posText, reason: "derivative \(k) is not finite at 0 (the branch must be smooth up to 0)")
            }
            let scale = max(Swift.abs(left), Swift.abs(right))
            if Swift.abs(right - left) > 1e-12 * scale + 1e-14 {
                regularity = .kink(degree: k, jump: right - left)
                break
            }
            if negPolynomialDegree == nil, case .constant(0) = dNeg { negPolynomialDegree = k - 1 }
            if posPolynomialDegree == nil, case .constant(0) = dPos { posPolynomialDegree = k - 1 }
            if let a = negPolynomialDegree, let b = posPolynomialDegree {
                regularity = .polynomial(degree: max(a, b, 0)); break
            }
            if k == regularityOrders { break }
            dNeg = dNeg.derivative()
            dPos = dPos.derivative()
            if dNeg.size > 50_000 || dPos.size > 50_000 { break }
        }
        let negDerivative = CompiledExpression(neg.derivative()), posDerivative = CompiledExpression(pos.derivative())
        let negCompiled = CompiledExpression(neg), posCompiled = CompiledExpression(pos)
        let negValue: @Sendable (Double) -> Double = { negCompiled.evaluate($0) }
        let posValue: @Sendable (Double) -> Double = { posCompiled.evaluate($0) }

        // Parity from samples of phi(-x) against phi(x).
        let probes: [Double] = [0.3, 0.7, 1.3, 2.9, 5.1]
        var even = true, odd = true
        for x in probes {
            let a = posValue(x), b = negValue(-x)
            let s = max(Swift.abs(a), Swift.abs(b), 1e-300)
            if Swift.abs(a - b) > 1e-12 * s { even = false }
            if Swift.abs(a + b) > 1e-12 * s { odd = false }
        }
        if Swift.abs(posValue(0)) > 1e-14 { odd = false }
        let parity: Parity = even ? .even : (odd ? .odd : .neither)

        return Activation(
            name: name,
            negative: Branch(value: negValue, derivative: { negDerivative.evaluate($0) }),
            positive: Branch(value: posValue, derivative: { posDerivative.evaluate($0) }),
            regularity: regularity ?? .analytic,
            parity: parity)
    }
}
