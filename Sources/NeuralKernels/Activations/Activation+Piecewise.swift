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
        // abs(...) inside a branch puts kinks where its argument vanishes: then the branches
        // are not analytic up to 0 and the general breakpoint form is used.
        if !absoluteValueZeros(neg, in: -PiecewiseLimits.scanRange...0).isEmpty
            || !absoluteValueZeros(pos, in: 0...PiecewiseLimits.scanRange).isEmpty
        {
            return try piecewise(pieces: [(nil, negText), (0, posText)], name: name)
        }

        // Finite on each half-line.
        let samples: [Double] = [0, 0.25, 0.5, 1, 2, 4, 8, 16, 30]
        for (expression, text, sign) in [(neg, negText, -1.0), (pos, posText, 1.0)] {
            for s in samples {
                let x = sign * s
                let v = expression.evaluate(x)
                guard v.isFinite else {
                    throw KernelError.invalidExpression(
                        text,
                        reason: "not finite at x = \(formatParameter(x)) (each branch must be finite on its half-line)")
                }
            }
        }

        // One-sided derivatives at 0.
        var dNeg = neg
        var dPos = pos
        var regularity: Regularity? = nil
        var negPolynomialDegree: Int? = nil
        var posPolynomialDegree: Int? = nil
        for k in 0...regularityOrders {
            let left = dNeg.evaluate(0)
            let right = dPos.evaluate(0)
            guard left.isFinite else {
                throw KernelError.invalidExpression(
                    negText, reason: "derivative \(k) is not finite at 0 (the branch must be smooth up to 0)")
            }
            guard right.isFinite else {
                throw KernelError.invalidExpression(
                    posText, reason: "derivative \(k) is not finite at 0 (the branch must be smooth up to 0)")
            }
            let scale = max(Swift.abs(left), Swift.abs(right))
            if Swift.abs(right - left) > 1e-12 * scale + 1e-14 {
                regularity = .kink(degree: k, jump: right - left)
                break
            }
            if negPolynomialDegree == nil, case .constant(0) = dNeg { negPolynomialDegree = k - 1 }
            if posPolynomialDegree == nil, case .constant(0) = dPos { posPolynomialDegree = k - 1 }
            if let a = negPolynomialDegree, let b = posPolynomialDegree {
                regularity = .polynomial(degree: max(a, b, 0))
                break
            }
            if k == regularityOrders { break }
            dNeg = dNeg.derivative()
            dPos = dPos.derivative()
            if dNeg.size > 50_000 || dPos.size > 50_000 { break }
        }
        let negDerivative = CompiledExpression(neg.derivative())
        let posDerivative = CompiledExpression(pos.derivative())
        let negCompiled = CompiledExpression(neg)
        let posCompiled = CompiledExpression(pos)
        let negValue: @Sendable (Double) -> Double = { negCompiled.evaluate($0) }
        let posValue: @Sendable (Double) -> Double = { posCompiled.evaluate($0) }

        let parity = sampledParity(positive: posValue, negative: negValue, probes: [0.3, 0.7, 1.3, 2.9, 5.1])
        let affine = affinePieces(
            [neg, pos], value: { $0 < 0 ? negValue($0) : posValue($0) },
            derivative: { $0 < 0 ? negDerivative.evaluate($0) : posDerivative.evaluate($0) }, breakpoints: [0])

        return Activation(
            name: name,
            negative: Branch(value: negValue, derivative: { negDerivative.evaluate($0) }),
            positive: Branch(value: posValue, derivative: { posDerivative.evaluate($0) }),
            regularity: regularity ?? .analytic,
            parity: parity, closedForm: affine.map { ClosedFormDuals.piecewiseLinear($0) })
    }
}

/// Limits of the breakpoint search in user activations.
enum PiecewiseLimits {
    /// Zeros of non-affine abs(...) arguments are searched in [-scanRange, scanRange] (beyond
    /// 13 standard deviations of a unit-variance input the Gaussian mass is below 1e-38).
    static let scanRange = 40.0
    /// Most breakpoints accepted (each one splits both quadrature levels).
    static let maxBreakpoints = 32
}

extension Activation {
    /// A user activation analytic between finitely many breakpoints: `pieces[0]` on
    /// x < pieces[1].start, `pieces[i]` on pieces[i].start <= x < pieces[i+1].start, the last
    /// on x >= its start (`piecewise(e0; c1: e1; c2: e2; ...)` on the command line).
    ///
    /// The breakpoints are the starts and the zeros of every abs(...) argument inside a
    /// piece. The non-smoothness degree at each breakpoint is the first derivative order
    /// whose one-sided values (at c -+ 1e-8 (1 + |c|)) differ by more than 1e-5 of their size;
    /// ``Activation/regularity`` is the lowest degree found (with its jump), which is what
    /// decides eigenvalue decay. Duals: in closed form (``PiecewiseLinearDuals``) when every
    /// piece is affine between the breakpoints (see ``affinePieces(_:value:derivative:breakpoints:)``),
    /// otherwise from ``BreakpointQuadrature``.
    public static func piecewise(pieces: [(start: Double?, text: String)], name given: String? = nil) throws
        -> Activation
    {
        precondition(!pieces.isEmpty && pieces[0].start == nil)
        var starts: [Double] = []
        var expressions: [Expression] = []
        var texts: [String] = []
        for (index, piece) in pieces.enumerated() {
            let text = piece.text.trimmingCharacters(in: .whitespaces)
            let expression = try ExpressionParser.parse(text)
            if index > 0 {
                guard let c = piece.start, c.isFinite else {
                    throw KernelError.invalidActivationParameters(
                        name: "piecewise", given: text,
                        expected:
                            "a finite breakpoint before each piece after the first, as in piecewise(-1; -1: x; 1: 1)")
                }
                if let last = starts.last, !(c > last) {
                    throw KernelError.invalidActivationParameters(
                        name: "piecewise", given: formatParameter(c),
                        expected: "breakpoints in increasing order (after \(formatParameter(last)))")
                }
                starts.append(c)
            }
            expressions.append(expression)
            texts.append(text)
        }
        let name =
            given ?? "piecewise("
            + texts.enumerated().map { i, t in i == 0 ? t : "\(formatParameter(starts[i - 1])): \(t)" }.joined(
                separator: "; ") + ")"

        // Breakpoints: the starts and the abs zeros inside each piece's interval.
        var points = Set(starts)
        for (i, e) in expressions.enumerated() {
            let lo = i == 0 ? -PiecewiseLimits.scanRange : starts[i - 1]
            let hi = i == expressions.count - 1 ? PiecewiseLimits.scanRange : starts[i]
            if lo < hi {
                for z in absoluteValueZeros(e, in: lo...hi) where z > lo && z < hi || (i == 0 && z == lo) {
                    points.insert(z)
                }
            }
        }
        let breakpoints = points.sorted()
        guard breakpoints.count <= PiecewiseLimits.maxBreakpoints else {
            throw KernelError.invalidActivationParameters(
                name: "piecewise", given: "\(breakpoints.count) breakpoints",
                expected: "at most \(PiecewiseLimits.maxBreakpoints) kinks or jumps")
        }

        let compiled = expressions.map { CompiledExpression($0) }
        let derivatives = expressions.map { CompiledExpression($0.derivative()) }
        let cuts = starts
        @Sendable func pieceIndex(_ x: Double) -> Int {
            var i = 0
            while i < cuts.count && x >= cuts[i] { i += 1 }
            return i
        }
        let value: @Sendable (Double) -> Double = { compiled[pieceIndex($0)].evaluate($0) }
        let derivative: @Sendable (Double) -> Double = { derivatives[pieceIndex($0)].evaluate($0) }

        // Finite on each piece.
        let samples: [Double] = [0, 0.25, 0.5, 1, 2, 4, 8, 16, 30]
        for s in samples {
            for x in [s, -s] + breakpoints {
                guard value(x).isFinite, derivative(x).isFinite || breakpoints.contains(x) else {
                    throw KernelError.invalidExpression(
                        texts[pieceIndex(x)],
                        reason:
                            "not finite at x = \(formatParameter(x)) (each piece must be finite and smooth on its interval)"
                    )
                }
            }
        }

        // Non-smoothness degree at each breakpoint, from one-sided derivatives.
        var lowest: (degree: Int, jump: Double)? = nil
        for c in breakpoints {
            let h = 1e-8 * (1 + Swift.abs(c))
            let left = expressions[pieceIndex(c - h)]
            let right = expressions[pieceIndex(c + h)]
            var dl = left
            var dr = right
            for k in 0...3 {
                let l = dl.evaluate(c - h)
                let r = dr.evaluate(c + h)
                if Swift.abs(r - l) > 1e-5 * max(Swift.abs(l), Swift.abs(r), 1) {
                    if lowest == nil || k < lowest!.degree { lowest = (k, r - l) }
                    break
                }
                dl = dl.derivative()
                dr = dr.derivative()
            }
        }

        let parity = sampledParity(
            positive: value, negative: value,
            probes: [0.3, 0.7, 1.3, 2.9, 5.1] + breakpoints.map({ Swift.abs($0) + 0.37 }))
        let branch = Branch(value: value, derivative: derivative)
        let cutsOrZero = breakpoints.isEmpty ? [0] : breakpoints
        let affine = affinePieces(expressions, value: value, derivative: derivative, breakpoints: cutsOrZero)
        return Activation(
            name: name, negative: branch, positive: branch,
            regularity: lowest.map { .kink(degree: $0.degree, jump: $0.jump) } ?? .analytic,
            parity: parity, closedForm: affine.map { ClosedFormDuals.piecewiseLinear($0) },
            breakpoints: cutsOrZero)
    }

    /// phi as ``PiecewiseLinearDuals`` when it is affine between consecutive `breakpoints`:
    /// every piece's expression is built from x, constants, +, -, products and quotients by
    /// constants and abs (so it can bend only where an abs argument vanishes, which the
    /// breakpoints include), and the samples agree: phi' is the same at every probe of an
    /// interval (out to 10^6 beyond the outer breakpoints, which catches an abs zero outside the
    /// breakpoint search) and phi equals the affine function there to 1e-13. Nil otherwise (the
    /// duals are then integrated).
    static func affinePieces(
        _ expressions: [Expression], value: (Double) -> Double, derivative: (Double) -> Double,
        breakpoints: [Double]
    ) -> PiecewiseLinearDuals? {
        guard expressions.allSatisfy(\.isPiecewiseAffine) else { return nil }
        var intercepts: [Double] = []
        var slopes: [Double] = []
        let n = breakpoints.count
        for p in 0...n {
            let probes: [Double]
            if p == 0 {
                probes = [0.5, 1, 10, 1e3, 1e6].map { breakpoints[0] - $0 }
            } else if p == n {
                probes = [0.5, 1, 10, 1e3, 1e6].map { breakpoints[n - 1] + $0 }
            } else {
                let lo = breakpoints[p - 1]
                let hi = breakpoints[p]
                probes = [0.5, 0.05, 0.95, 0.25, 0.75].map { lo + (hi - lo) * $0 }
            }
            let slope = derivative(probes[0])
            let intercept = value(probes[0]) - slope * probes[0]
            guard slope.isFinite, intercept.isFinite else { return nil }
            for x in probes {
                let d = derivative(x)
                let v = value(x)
                let line = intercept + slope * x
                guard Swift.abs(d - slope) <= 1e-13 * max(Swift.abs(slope), 1),
                    Swift.abs(v - line) <= 1e-13 * (Swift.abs(v) + Swift.abs(slope * x) + Swift.abs(intercept) + 1e-300)
                else { return nil }
            }
            intercepts.append(intercept)
            slopes.append(slope)
        }
        return PiecewiseLinearDuals(breakpoints: breakpoints, intercepts: intercepts, slopes: slopes)
    }

    /// The zeros in `interval` of the arguments of every abs(...) in `e`: exact for affine
    /// arguments, otherwise sign changes on a grid of step 1/256 refined by bisection.
    static func absoluteValueZeros(_ e: Expression, in interval: ClosedRange<Double>) -> [Double] {
        var zeros: [Double] = []
        func visit(_ e: Expression) {
            switch e {
            case .constant, .variable: return
            case .negate(let a): visit(a)
            case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b),
                .divide(let a, let b), .power(let a, let b):
                visit(a)
                visit(b)
            case .function(let f, let a):
                visit(a)
                guard f == .abs, !a.isConstant else { return }
                let slope = a.derivative()
                if slope.isConstant {
                    let m = slope.evaluate(0)
                    if m != 0 {
                        let z = -a.evaluate(0) / m
                        if interval.contains(z) { zeros.append(z) }
                    }
                    return
                }
                let n = Int((interval.upperBound - interval.lowerBound) * 256)
                var x0 = interval.lowerBound
                var f0 = a.evaluate(x0)
                if f0 == 0 { zeros.append(x0) }
                for i in 1...max(n, 1) {
                    let x1 =
                        interval.lowerBound + (interval.upperBound - interval.lowerBound) * Double(i)
                        / Double(max(n, 1))
                    let f1 = a.evaluate(x1)
                    if f1 == 0 {
                        zeros.append(x1)
                    } else if f0 != 0, f0.sign != f1.sign, f0.isFinite, f1.isFinite {
                        var lo = x0
                        var hi = x1
                        var flo = f0
                        for _ in 0..<80 {
                            let mid = 0.5 * (lo + hi)
                            let fm = a.evaluate(mid)
                            if fm == 0 {
                                lo = mid
                                hi = mid
                                break
                            }
                            if fm.sign == flo.sign {
                                lo = mid
                                flo = fm
                            } else {
                                hi = mid
                            }
                        }
                        zeros.append(0.5 * (lo + hi))
                    }
                    x0 = x1
                    f0 = f1
                }
            }
        }
        visit(e)
        return zeros
    }
}

extension Activation {
    /// Parity of phi from samples: even when phi(-x) = phi(x), odd when phi(-x) = -phi(x) (and
    /// phi(0) = 0), to 1e-12 relative at each probe x > 0; `positive` gives phi on x >= 0 and
    /// `negative` on x < 0 (the same closure for a single expression).
    static func sampledParity(positive: (Double) -> Double, negative: (Double) -> Double, probes: [Double]) -> Parity {
        var even = true
        var odd = true
        for x in probes {
            let a = positive(x)
            let b = negative(-x)
            let scale = max(Swift.abs(a), Swift.abs(b), 1e-300)
            if Swift.abs(a - b) > 1e-12 * scale { even = false }
            if Swift.abs(a + b) > 1e-12 * scale { odd = false }
        }
        if Swift.abs(positive(0)) > 1e-14 { odd = false }
        return even ? .even : (odd ? .odd : .neither)
    }
}
