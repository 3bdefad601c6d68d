/// Exact symbolic differentiation of ``Expression``, with light simplification (constant
/// folding, 0 and 1 rules) so that repeated derivatives stay small.
extension Expression {
    /// d/dx of the expression.
    public func derivative() -> Expression {
        switch self {
        case .constant: return .constant(0)
        case .variable: return .constant(1)
        case .negate(let a): return neg(a.derivative())
        case .add(let a, let b): return plus(a.derivative(), b.derivative())
        case .subtract(let a, let b): return minus(a.derivative(), b.derivative())
        case .multiply(let a, let b): return plus(times(a.derivative(), b), times(a, b.derivative()))
        case .divide(let a, let b):
            // a'/b when b is constant (dividing by b^2 each time would overflow after ten
            // derivatives: 2^(2^k)); otherwise (a'b - ab')/b^2.
            if b.isConstant { return over(a.derivative(), b) }
            if a.isConstant { return neg(over(times(a, b.derivative()), raise(b, .constant(2)))) }
            return over(minus(times(a.derivative(), b), times(a, b.derivative())), raise(b, .constant(2)))
        case .power(let a, let b):
            if b.isConstant {
                let n = b.evaluate(0)
                return times(times(.constant(n), raise(a, .constant(n - 1))), a.derivative())
            }
            // (a^b)' = a^b (b' log a + b a'/a)
            return times(self, plus(times(b.derivative(), .function(.log, a)), over(times(b, a.derivative()), a)))
        case .function(let f, let a):
            let inner = a.derivative()
            let outer: Expression
            switch f {
            case .exp: outer = .function(.exp, a)
            case .log: outer = over(.constant(1), a)
            case .log1p: outer = over(.constant(1), plus(.constant(1), a))
            case .expm1: outer = .function(.exp, a)
            case .sqrt: outer = over(.constant(0.5), .function(.sqrt, a))
            case .tanh: outer = minus(.constant(1), raise(.function(.tanh, a), .constant(2)))
            case .erf: outer = times(.constant(1.1283791670955126), .function(.exp, neg(raise(a, .constant(2)))))
            case .sin: outer = .function(.cos, a)
            case .cos: outer = neg(.function(.sin, a))
            case .abs: outer = .function(.sign, a)
            case .sign: outer = .constant(0)
            }
            return times(outer, inner)
        }
    }
}

// Smart constructors: fold constants and drop neutral elements.
private func plus(_ a: Expression, _ b: Expression) -> Expression {
    if case .constant(let x) = a, case .constant(let y) = b { return .constant(x + y) }
    if case .constant(0) = a { return b }
    if case .constant(0) = b { return a }
    return .add(a, b)
}

private func minus(_ a: Expression, _ b: Expression) -> Expression {
    if case .constant(let x) = a, case .constant(let y) = b { return .constant(x - y) }
    if case .constant(0) = b { return a }
    if case .constant(0) = a { return neg(b) }
    return .subtract(a, b)
}

private func times(_ a: Expression, _ b: Expression) -> Expression {
    if case .constant(let x) = a, case .constant(let y) = b { return .constant(x * y) }
    if case .constant(0) = a { return .constant(0) }
    if case .constant(0) = b { return .constant(0) }
    if case .constant(1) = a { return b }
    if case .constant(1) = b { return a }
    return .multiply(a, b)
}

private func over(_ a: Expression, _ b: Expression) -> Expression {
    if case .constant(let x) = a, case .constant(let y) = b, y != 0 { return .constant(x / y) }
    if case .constant(0) = a { return .constant(0) }
    if case .constant(1) = b { return a }
    return .divide(a, b)
}

private func neg(_ a: Expression) -> Expression {
    if case .constant(let x) = a { return .constant(-x) }
    if case .negate(let inner) = a { return inner }
    return .negate(a)
}

private func raise(_ a: Expression, _ b: Expression) -> Expression {
    if case .constant(0) = b { return .constant(1) }
    if case .constant(1) = b { return a }
    if case .constant(let x) = a, case .constant(let y) = b { return .constant(integerOrPow(x, y)) }
    return .power(a, b)
}

private func integerOrPow(_ x: Double, _ y: Double) -> Double {
    Expression.power(.constant(x), .constant(y)).evaluate(0)
}
