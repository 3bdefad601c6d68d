/// Recursive-descent parser for ``Expression`` (grammar in its documentation).
///
/// Errors name the column and what was expected; input is limited to 10 000 characters and
/// 200 levels of nesting, so hostile input cannot exhaust the stack.
public struct ExpressionParser {
    public static let maxLength = 10_000
    public static let maxDepth = 200

    private let text: String
    private let chars: [Character]
    private var position = 0
    private var depth = 0

    /// Parses `text` into an expression in x.
    public static func parse(_ text: String) throws -> Expression {
        var parser = ExpressionParser(text)
        return try parser.parseAll()
    }

    private init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    private mutating func parseAll() throws -> Expression {
        guard chars.count <= Self.maxLength else { throw fail("longer than \(Self.maxLength) characters") }
        skipSpaces()
        guard position < chars.count else { throw fail("empty expression; expected an expression in x") }
        let e = try expression()
        skipSpaces()
        if position < chars.count {
            throw fail("unexpected '\(chars[position])' at column \(position + 1); expected an operator or the end")
        }
        return e
    }

    private func fail(_ reason: String) -> KernelError {
        .invalidExpression(text, reason: reason)
    }

    private mutating func skipSpaces() {
        while position < chars.count, chars[position].isWhitespace { position += 1 }
    }

    private mutating func peek() -> Character? {
        skipSpaces()
        return position < chars.count ? chars[position] : nil
    }

    private mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw fail("nested deeper than \(Self.maxDepth) levels") }
    }

    private mutating func expression() throws -> Expression {
        try enter(); defer { depth -= 1 }
        var left = try term()
        while let c = peek(), c == "+" || c == "-" {
            position += 1
            let right = try term()
            left = c == "+" ? .add(left, right) : .subtract(left, right)
        }
        return left
    }

    private mutating func term() throws -> Expression {
        var left = try unary()
        while let c = peek(), c == "*" || c == "/" {
            position += 1
            let right = try unary()
            left = c == "*" ? .multiply(left, right) : .divide(left, right)
        }
        return left
    }

    private mutating func unary() throws -> Expression {
        try enter(); defer { depth -= 1 }
        if let c = peek(), c == "-" || c == "+" {
            position += 1
            let operand = try unary()
            return c == "-" ? .negate(operand) : operand
        }
        return try power()
    }

    private mutating func power() throws -> Expression {
        let base = try primary()
        if peek() == "^" {
            position += 1
            let exponent = try unary()
            return .power(base, exponent)
        }
        return base
    }

    private mutating func primary() throws -> Expression {
        guard let c = peek() else {
            throw fail("unexpected end at column \(position + 1); expected a number, x, pi, a function or '('")
        }
        if c == "(" {
            position += 1
            let inner = try expression()
            guard peek() == ")" else {
                throw fail("missing ')' at column \(position + 1)")
            }
            position += 1
            return inner
        }
        if c.isNumber || c == "." { return try number() }
        if c.isLetter {
            let start = position
            while position < chars.count, chars[position].isLetter || chars[position].isNumber || chars[position] == "_" {
                position += 1
            }
            let name = String(chars[start..<position])
            switch name {
            case "x": return .variable
            case "pi": return .constant(Double.pi)
            case "e": return .constant(2.718281828459045)
            default:
                guard let f = ElementaryFunction(rawValue: name), f != .sign else {
                    throw fail("unknown name '\(name)' at column \(start + 1); allowed: x, pi, e, "
                               + ElementaryFunction.userNames.joined(separator: ", "))
                }
                guard peek() == "(" else { throw fail("'\(name)' at column \(start + 1) needs '(' and an argument") }
                position += 1
                let argument = try expression()
                guard peek() == ")" else { throw fail("missing ')' after the argument of '\(name)' at column \(position + 1)") }
                position += 1
                return .function(f, argument)
            }
        }
        throw fail("unexpected '\(c)' at column \(position + 1); expected a number, x, pi, a function or '('")
    }

    private mutating func number() throws -> Expression {
        let start = position
        while position < chars.count, chars[position].isNumber || chars[position] == "." { position += 1 }
        if position < chars.count, chars[position] == "e" || chars[position] == "E" {
            // An exponent only if digits follow (so that '2e' is not swallowed).
            var look = position + 1
            if look < chars.count, chars[look] == "+" || chars[look] == "-" { look += 1 }
            if look < chars.count, chars[look].isNumber {
                position = look
                while position < chars.count, chars[position].isNumber { position += 1 }
            }
        }
        let literal = String(chars[start..<position])
        guard let value = Double(literal), value.isFinite else {
            throw fail("malformed number '\(literal)' at column \(start + 1)")
        }
        return .constant(value)
    }
}
