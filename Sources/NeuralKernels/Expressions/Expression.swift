import Foundation

/// An expression in one variable x, for user-defined activations and kernels.
///
/// Grammar (precedence low to high; `^` is right-associative and binds tighter than unary
/// minus, so -x^2 = -(x^2)):
///
///     expression := term (('+' | '-') term)*
///     term       := unary (('*' | '/') unary)*
///     unary      := ('-' | '+') unary | power
///     power      := primary ('^' unary)?
///     primary    := number | 'x' | 'pi' | 'e' | function '(' expression ')' | '(' expression ')'
///     function   := exp | log | log1p | expm1 | sqrt | tanh | erf | sin | cos | abs
///
/// Evaluation is plain IEEE arithmetic; `derivative()` is exact symbolic differentiation.
public indirect enum Expression: Sendable, Equatable, CustomStringConvertible {
    case constant(Double)
    case variable
    case negate(Expression)
    case add(Expression, Expression)
    case subtract(Expression, Expression)
    case multiply(Expression, Expression)
    case divide(Expression, Expression)
    case power(Expression, Expression)
    case function(ElementaryFunction, Expression)

    /// The value at x.
    public func evaluate(_ x: Double) -> Double {
        switch self {
        case .constant(let c): return c
        case .variable: return x
        case .negate(let a): return -a.evaluate(x)
        case .add(let a, let b): return a.evaluate(x) + b.evaluate(x)
        case .subtract(let a, let b): return a.evaluate(x) - b.evaluate(x)
        case .multiply(let a, let b): return a.evaluate(x) * b.evaluate(x)
        case .divide(let a, let b): return a.evaluate(x) / b.evaluate(x)
        case .power(let a, let b):
            let base = a.evaluate(x)
            if case .constant(let n) = b, n == n.rounded(), Swift.abs(n) <= 64 {
                return integerPower(base, Int(n))
            }
            return pow(base, b.evaluate(x))
        case .function(let f, let a): return f.apply(a.evaluate(x))
        }
    }

    /// Whether the expression does not depend on x.
    public var isConstant: Bool {
        switch self {
        case .constant: return true
        case .variable: return false
        case .negate(let a), .function(_, let a): return a.isConstant
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b),
            .divide(let a, let b), .power(let a, let b):
            return a.isConstant && b.isConstant
        }
    }

    /// Whether the expression is affine in x between the zeros of its abs(...) arguments: built
    /// from x, constants, +, -, unary minus, products with and quotients by constant factors,
    /// and abs of such expressions.
    public var isPiecewiseAffine: Bool {
        if isConstant { return true }
        switch self {
        case .constant, .variable: return true
        case .negate(let a): return a.isPiecewiseAffine
        case .add(let a, let b), .subtract(let a, let b): return a.isPiecewiseAffine && b.isPiecewiseAffine
        case .multiply(let a, let b):
            return (a.isConstant && b.isPiecewiseAffine) || (b.isConstant && a.isPiecewiseAffine)
        case .divide(let a, let b): return b.isConstant && a.isPiecewiseAffine
        case .power(let a, let b):
            if case .constant(1) = b { return a.isPiecewiseAffine }
            return false
        case .function(let f, let a): return f == .abs && a.isPiecewiseAffine
        }
    }

    /// Number of nodes (for limiting the growth of repeated derivatives).
    public var size: Int {
        switch self {
        case .constant, .variable: return 1
        case .negate(let a), .function(_, let a): return 1 + a.size
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b),
            .divide(let a, let b), .power(let a, let b):
            return 1 + a.size + b.size
        }
    }

    /// A fully parenthesised form that parses back to the same expression (same value at
    /// every x) for every expression the parser returns. Derivatives may contain `sign(...)`
    /// (the derivative of `abs`), which the parser does not accept.
    public var description: String {
        switch self {
        case .constant(let c):
            if c == Double.pi { return "pi" }
            if c.isNaN { return "(0/0)" }
            if c.isInfinite { return c < 0 ? "(-1/0)" : "(1/0)" }
            let magnitude = Swift.abs(c)
            let s = magnitude == magnitude.rounded() && magnitude < 1e15 ? String(Int(magnitude)) : "\(magnitude)"
            return c.sign == .minus ? "(-\(s))" : s
        case .variable: return "x"
        case .negate(let a): return "(-\(a))"
        case .add(let a, let b): return "(\(a) + \(b))"
        case .subtract(let a, let b): return "(\(a) - \(b))"
        case .multiply(let a, let b): return "(\(a) * \(b))"
        case .divide(let a, let b): return "(\(a) / \(b))"
        case .power(let a, let b): return "(\(a) ^ \(b))"
        case .function(let f, let a): return "\(f.rawValue)(\(a))"
        }
    }
}

/// The functions the expression language knows, with their derivatives.
public enum ElementaryFunction: String, Sendable, CaseIterable {
    case exp, log, log1p, expm1, sqrt, tanh, erf, sin, cos, abs
    /// sign(x) (0 at 0): the derivative of abs; not parsed from user text.
    case sign

    public func apply(_ x: Double) -> Double {
        switch self {
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .log1p: return Foundation.log1p(x)
        case .expm1: return Foundation.expm1(x)
        case .sqrt: return x.squareRoot()
        case .tanh: return Foundation.tanh(x)
        case .erf: return Foundation.erf(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .abs: return Swift.abs(x)
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        }
    }

    /// The names a user may write.
    public static var userNames: [String] { allCases.filter { $0 != .sign }.map(\.rawValue) }
}

@inline(__always) func integerPower(_ base: Double, _ n: Int) -> Double {
    if n < 0 { return 1 / integerPower(base, -n) }
    var result = 1.0
    var b = base
    var k = n
    while k > 0 {
        if k & 1 == 1 { result *= b }
        b *= b
        k >>= 1
    }
    return result
}
