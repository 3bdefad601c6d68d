/// Recursive-descent parser for ``Expression``.
///
/// Grammar (precedence low to high; `^` is right-associative and binds tighter than unary
/// minus, so `-x^2` = -(x^2) and `2^-x` = 2^(-x)):
///
///     expression := term (('+' | '-') term)*
///     term       := unary (('*' | '/') unary)*
///     unary      := ('-' | '+') unary | power
///     power      := primary ('^' unary)?
///     primary    := number | 'x' | 'pi' | 'e' | function '(' expression ')' | '(' expression ')'
///     number     := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]   (also '.5', '5.')
///     function   := exp | log | log1p | expm1 | sqrt | tanh | erf | sin | cos | abs
///
/// Spaces are ignored between tokens. Every error is a ``KernelError/invalidExpression(_:reason:)``
/// naming the column (1-based, in characters) and what was expected there, e.g.
/// `unexpected ')' at column 7; expected a number, x, pi, a function or '('`; an unknown name
/// lists the allowed ones.
///
/// Hostile input cannot exhaust the stack or the memory: the text is limited to
/// ``maxLength`` characters and the syntax tree to ``maxHeight`` levels (parentheses, unary
/// signs, powers and long chains of `+` or `*` all count), which bounds every recursive walk
/// of the tree (evaluation, derivative, description) at a few hundred frames.
public struct ExpressionParser {
    /// Longest accepted text, in characters.
    public static let maxLength = 10_000
    /// Highest accepted syntax tree.
    public static let maxHeight = 250

    private let text: String
    private let chars: [Character]
    private var position = 0
    /// Current recursion depth of the parser itself.
    private var depth = 0

    /// Parses `text` into an expression in x.
    public static func parse(_ text: String) throws -> Expression {
        var parser = ExpressionParser(text)
        return try parser.parseAll()
    }

    private init(_ text: String) {
        self.text = text
        // Counting characters first keeps a huge input from being copied into an array.
        self.chars = text.count <= Self.maxLength ? Array(text) : []
    }

    private static let expectedOperand = "expected a number, x, pi, a function or '('"

    private mutating func parseAll() throws -> Expression {
        guard text.count <= Self.maxLength else { throw fail("longer than \(Self.maxLength) characters") }
        skipSpaces()
        guard position < chars.count else { throw fail("empty expression; expected an expression in x") }
        let (e, _) = try expression()
        skipSpaces()
        if position < chars.count {
            let c = chars[position]
            let hint = c == ")" ? " (no '(' is open)" : ""
            throw fail(
                "unexpected \(quoted(c)) at column \(position + 1)\(hint); expected an operator (+ - * / ^) or the end")
        }
        return e
    }

    private func fail(_ reason: String) -> KernelError {
        .invalidExpression(text, reason: reason)
    }

    /// A character for an error message, control characters escaped so the message stays on one line.
    private func quoted(_ c: Character) -> String {
        if c.unicodeScalars.allSatisfy({
            $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
        }) && !c.isNewline {
            return "'\(c)'"
        }
        return "'" + c.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined() + "'"
    }

    private mutating func skipSpaces() {
        while position < chars.count, chars[position].isWhitespace { position += 1 }
    }

    private mutating func peek() -> Character? {
        skipSpaces()
        return position < chars.count ? chars[position] : nil
    }

    /// Counts parser recursion (parentheses, unary signs, powers, function arguments).
    private mutating func enter() throws {
        depth += 1
        if depth > Self.maxHeight { throw tooDeep() }
    }

    private func tooDeep() -> KernelError {
        fail(
            "nested deeper than \(Self.maxHeight) levels (each parenthesis, sign, power, function and factor of a chain of * or / counts one)"
        )
    }

    /// A node over children of the given heights, refused when the tree gets too high.
    private func node(_ e: Expression, _ heights: Int...) throws -> (Expression, Int) {
        let h = 1 + (heights.max() ?? 0)
        if h > Self.maxHeight { throw tooDeep() }
        return (e, h)
    }

    private mutating func expression() throws -> (Expression, Int) {
        try enter()
        defer { depth -= 1 }
        // A flat sum is built as a balanced tree (height log2 of the number of terms), so that
        // long sums are not mistaken for nesting; a - b is kept as subtraction.
        var terms: [(subtract: Bool, term: (Expression, Int))] = [(false, try term())]
        while let c = peek(), c == "+" || c == "-" {
            position += 1
            terms.append((c == "-", try term()))
        }
        return try balancedSum(terms[...])
    }

    /// The sum of `terms` (each added or subtracted) as a balanced tree.
    private func balancedSum(_ terms: ArraySlice<(subtract: Bool, term: (Expression, Int))>) throws -> (Expression, Int)
    {
        if terms.count == 1 {
            let only = terms[terms.startIndex]
            return only.subtract ? try node(.negate(only.term.0), only.term.1) : only.term
        }
        if terms.count == 2 {
            let a = terms[terms.startIndex]
            let b = terms[terms.startIndex + 1]
            if !a.subtract {
                return try node(
                    b.subtract ? .subtract(a.term.0, b.term.0) : .add(a.term.0, b.term.0), a.term.1, b.term.1)
            }
        }
        let mid = terms.startIndex + terms.count / 2
        let (left, hl) = try balancedSum(terms[..<mid])
        // The right half is added, with its own signs; a leading minus there becomes subtraction.
        var right = Array(terms[mid...])
        if right[0].subtract {
            right = right.map { (!$0.subtract, $0.term) }
            let (r, hr) = try balancedSum(right[...])
            return try node(.subtract(left, r), hl, hr)
        }
        let (r, hr) = try balancedSum(right[...])
        return try node(.add(left, r), hl, hr)
    }

    private mutating func term() throws -> (Expression, Int) {
        var (left, height) = try unary()
        while let c = peek(), c == "*" || c == "/" {
            position += 1
            if c == "*", peek() == "*" {
                throw fail("unexpected '*' at column \(position + 1); write powers with '^' (x^2, not x**2)")
            }
            let (right, h) = try unary()
            (left, height) = try node(c == "*" ? .multiply(left, right) : .divide(left, right), height, h)
        }
        return (left, height)
    }

    private mutating func unary() throws -> (Expression, Int) {
        if let c = peek(), c == "-" || c == "+" {
            position += 1
            // A sign is one level; a parenthesis is counted once, in expression().
            try enter()
            defer { depth -= 1 }
            let (operand, h) = try unary()
            return c == "-" ? try node(.negate(operand), h) : (operand, h)
        }
        return try power()
    }

    private mutating func power() throws -> (Expression, Int) {
        let (base, hb) = try primary()
        if peek() == "^" {
            position += 1
            try enter()
            defer { depth -= 1 }
            let (exponent, he) = try unary()
            return try node(.power(base, exponent), hb, he)
        }
        return (base, hb)
    }

    private mutating func primary() throws -> (Expression, Int) {
        guard let c = peek() else {
            throw fail("unexpected end at column \(position + 1); \(Self.expectedOperand)")
        }
        if c == "(" {
            let open = position
            position += 1
            let inner = try expression()
            guard peek() == ")" else {
                throw fail("missing ')' at column \(position + 1) to close the '(' at column \(open + 1)")
            }
            position += 1
            return inner
        }
        if c.isASCII && (c.isNumber || c == ".") { return try number() }
        if c.isLetter || c == "_" {
            let start = position
            while position < chars.count, chars[position].isLetter || chars[position].isNumber || chars[position] == "_"
            {
                position += 1
            }
            let name = String(chars[start..<position])
            switch name {
            case "x": return (.variable, 1)
            case "pi": return (.constant(Double.pi), 1)
            case "e": return (.constant(2.718281828459045), 1)
            default:
                guard let f = ElementaryFunction(rawValue: name), f != .sign else {
                    throw fail(
                        "unknown name '\(name.prefix(40))' at column \(start + 1); allowed: x, pi, e, "
                            + ElementaryFunction.userNames.joined(separator: ", "))
                }
                guard peek() == "(" else {
                    throw fail("'\(name)' at column \(start + 1) needs its argument in parentheses, as in \(name)(x)")
                }
                let open = position
                position += 1
                let (argument, h) = try expression()
                guard peek() == ")" else {
                    throw fail(
                        "missing ')' at column \(position + 1) to close the argument of '\(name)' opened at column \(open + 1)"
                    )
                }
                position += 1
                return try node(.function(f, argument), h)
            }
        }
        throw fail("unexpected \(quoted(c)) at column \(position + 1); \(Self.expectedOperand)")
    }

    private mutating func number() throws -> (Expression, Int) {
        let start = position
        func digits() {
            while position < chars.count, chars[position].isASCII, chars[position].isNumber { position += 1 }
        }
        digits()
        if position < chars.count, chars[position] == "." {
            position += 1
            digits()
        }
        if position < chars.count, chars[position] == "e" || chars[position] == "E" {
            // An exponent only if digits follow (so that '2e' is not swallowed).
            var look = position + 1
            if look < chars.count, chars[look] == "+" || chars[look] == "-" { look += 1 }
            if look < chars.count, chars[look].isASCII, chars[look].isNumber {
                position = look
                digits()
            }
        }
        // '1.2.3' or '1e5.2': swallow the rest so the whole literal is named.
        if position < chars.count, chars[position] == "." {
            while position < chars.count,
                chars[position] == "." || (chars[position].isASCII && chars[position].isNumber)
            { position += 1 }
        }
        let literal = String(chars[start..<position])
        guard let value = Double(literal) else {
            throw fail("malformed number '\(literal.prefix(40))' at column \(start + 1)")
        }
        guard value.isFinite else {
            throw fail("number '\(literal.prefix(40))' at column \(start + 1) is too large for a double")
        }
        return (.constant(value), 1)
    }
}
