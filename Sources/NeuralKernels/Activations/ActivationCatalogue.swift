import Foundation

/// The activations available by name, as on the command line: `name` or `name(p1,p2,...)`,
/// and `piecewise(EXPR_NEG; EXPR_POS)` for a user activation.
public enum ActivationCatalogue {
    /// One entry per activation family: its usage and how to build it from parameters.
    struct Entry: Sendable {
        let name: String
        let usage: String
        let make: @Sendable ([Double]) throws -> Activation
    }

    static let entries: [Entry] = [
        Entry(name: "relu", usage: "relu", make: { try none("relu", $0, .relu) }),
        Entry(name: "leaky_relu", usage: "leaky_relu(slope)", make: { p in
            try count("leaky_relu", p, 0...1, "one slope, e.g. leaky_relu(0.2)")
            return .leakyReLU(p.first ?? 0.01)
        }),
        Entry(name: "abs", usage: "abs", make: { try none("abs", $0, .abs) }),
        Entry(name: "hardtanh", usage: "hardtanh", make: { try none("hardtanh", $0, .hardtanh) }),
        Entry(name: "relu6", usage: "relu6", make: { try none("relu6", $0, .relu6) }),
        Entry(name: "step", usage: "step", make: { try none("step", $0, .step) }),
        Entry(name: "relu_pow", usage: "relu_pow(p)", make: { p in
            try count("relu_pow", p, 1...1, "one integer power p >= 0, e.g. relu_pow(2)")
            guard p[0] >= 0, p[0] == p[0].rounded(), p[0] <= 20 else {
                throw KernelError.invalidActivationParameters(name: "relu_pow", given: "\(p[0])", expected: "an integer power 0 <= p <= 20")
            }
            return .reluPower(Int(p[0]))
        }),
        Entry(name: "elu", usage: "elu(alpha)", make: { p in
            try count("elu", p, 0...1, "one alpha > 0, e.g. elu(1)")
            try positive("elu", p)
            return .elu(p.first ?? 1)
        }),
        Entry(name: "selu", usage: "selu", make: { try none("selu", $0, .selu) }),
        Entry(name: "celu", usage: "celu(alpha)", make: { p in
            try count("celu", p, 0...1, "one alpha > 0, e.g. celu(1)")
            try positive("celu", p)
            return .celu(p.first ?? 1)
        }),
        Entry(name: "gelu", usage: "gelu", make: { try none("gelu", $0, .gelu) }),
        Entry(name: "erf", usage: "erf", make: { try none("erf", $0, .erf) }),
        Entry(name: "tanh", usage: "tanh", make: { try none("tanh", $0, .tanh) }),
        Entry(name: "sigmoid", usage: "sigmoid", make: { try none("sigmoid", $0, .sigmoid) }),
        Entry(name: "softplus", usage: "softplus(beta)", make: { p in
            try count("softplus", p, 0...1, "one beta > 0, e.g. softplus(1)")
            try positive("softplus", p)
            return .softplus(p.first ?? 1)
        }),
        Entry(name: "silu", usage: "silu", make: { try none("silu", $0, .silu) }),
        Entry(name: "mish", usage: "mish", make: { try none("mish", $0, .mish) }),
        Entry(name: "sin", usage: "sin", make: { try none("sin", $0, .sin) }),
        Entry(name: "cos", usage: "cos", make: { try none("cos", $0, .cos) }),
        Entry(name: "gaussian", usage: "gaussian", make: { try none("gaussian", $0, .gaussian) }),
        Entry(name: "identity", usage: "identity", make: { try none("identity", $0, .identity) }),
        Entry(name: "poly", usage: "poly(c0,c1,...,cp)", make: { p in
            try count("poly", p, 1...64, "coefficients c0,c1,...,cp, e.g. poly(0,1,0.5)")
            return .polynomial(p)
        }),
    ]

    /// Every accepted form, for error messages and --help.
    public static var usages: [String] { entries.map(\.usage) + ["piecewise(EXPR_NEG; EXPR_POS)", "piecewise(E0; C1: E1; C2: E2; ...)"] }

    /// The names of the built-in activations.
    public static var names: [String] { entries.map(\.name) }

    /// Parses `name`, `name(p1,...)` or `piecewise(EXPR_NEG; EXPR_POS)`.
    public static func activation(named text: String) throws -> Activation {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let name: String
        var arguments: String? = nil
        if let open = trimmed.firstIndex(of: "(") {
            guard trimmed.hasSuffix(")") else {
                let head = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
                if head == "piecewise" || entries.contains(where: { $0.name == head }) {
                    throw KernelError.invalidActivationParameters(
                        name: head, given: String(trimmed[trimmed.index(after: open)...]).prefix(60) + (trimmed.count > 80 ? "..." : ""),
                        expected: "a closing ')' at the end of the activation")
                }
                throw KernelError.unknownActivation(String(trimmed.prefix(60)) + (trimmed.count > 60 ? "..." : ""), valid: usages)
            }
            name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
            arguments = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        } else {
            name = trimmed
        }
        if name == "piecewise" {
            guard let arguments else {
                throw KernelError.invalidActivationParameters(name: "piecewise", given: "", expected: "piecewise(EXPR_NEG; EXPR_POS)")
            }
            let parts = arguments.split(separator: ";", omittingEmptySubsequences: false)
            if parts.count >= 2, parts.contains(where: { $0.contains(":") }) {
                return try Activation.piecewise(pieces: try breakpointPieces(parts.map(String.init)))
            }
            guard parts.count == 2 else {
                throw KernelError.invalidActivationParameters(
                    name: "piecewise", given: arguments,
                    expected: "two expressions in x separated by ';' (the branch for x < 0, then for x >= 0), or piecewise(E0; C1: E1; ...) with breakpoints C1 < C2 < ...")
            }
            return try Activation.piecewise(negative: String(parts[0]), positive: String(parts[1]))
        }
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw KernelError.unknownActivation(trimmed, valid: usages)
        }
        var parameters: [Double] = []
        if let arguments {
            for piece in arguments.split(separator: ",", omittingEmptySubsequences: false) {
                let s = piece.trimmingCharacters(in: .whitespaces)
                guard let v = Double(s), v.isFinite else {
                    throw KernelError.invalidActivationParameters(name: name, given: arguments, expected: "finite numbers, as in \(entry.usage)")
                }
                parameters.append(v)
            }
        }
        return try entry.make(parameters)
    }

    /// `E0`, `C1: E1`, `C2: E2`, ...: the first piece has no breakpoint, each later one one.
    private static func breakpointPieces(_ parts: [String]) throws -> [(start: Double?, text: String)] {
        var pieces: [(start: Double?, text: String)] = []
        for (i, part) in parts.enumerated() {
            let colon = part.firstIndex(of: ":")
            if i == 0 {
                guard colon == nil else {
                    throw KernelError.invalidActivationParameters(name: "piecewise", given: String(part.prefix(60)), expected: "a first piece without breakpoint (it holds for x below the first breakpoint), as in piecewise(-1; -1: x; 1: 1)")
                }
                pieces.append((nil, part)); continue
            }
            guard let colon else {
                throw KernelError.invalidActivationParameters(name: "piecewise", given: String(part.prefix(60)), expected: "'C: EXPR' (the piece from breakpoint C on) for every piece after the first")
            }
            let number = part[..<colon].trimmingCharacters(in: .whitespaces)
            guard let c = Double(number), c.isFinite else {
                throw KernelError.invalidActivationParameters(name: "piecewise", given: String(number.prefix(60)), expected: "a finite number as breakpoint before ':'")
            }
            pieces.append((c, String(part[part.index(after: colon)...])))
        }
        return pieces
    }

    private static func none(_ name: String, _ p: [Double], _ a: Activation) throws -> Activation {
        guard p.isEmpty else {
            throw KernelError.invalidActivationParameters(name: name, given: p.map(formatParameter).joined(separator: ","), expected: "no parameters")
        }
        return a
    }

    private static func count(_ name: String, _ p: [Double], _ range: ClosedRange<Int>, _ expected: String) throws {
        guard range.contains(p.count) else {
            throw KernelError.invalidActivationParameters(name: name, given: p.map(formatParameter).joined(separator: ","), expected: expected)
        }
    }

    private static func positive(_ name: String, _ p: [Double]) throws {
        if let v = p.first, !(v > 0) {
            throw KernelError.invalidActivationParameters(name: name, given: formatParameter(v), expected: "a parameter > 0")
        }
    }
}
