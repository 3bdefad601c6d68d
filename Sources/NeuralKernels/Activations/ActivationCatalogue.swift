import Foundation

/// The activations available by name, as on the command line: `name` or `name(p1,p2,...)`,
/// and `piecewise(EXPR_NEG; EXPR_POS)` for a user activation.
///
/// The registry every list of activations is generated from: the command-line help, error
/// messages, the README table (checked by `ActivationCatalogueTests`), `rkhs reproduce
/// rkhs-table` and the catalogue-wide tests. Each family file of this folder declares its
/// entries next to its activations (`Activation+Family.swift`); the catalogue joins them.
public enum ActivationCatalogue {
    /// One activation family on the command line: its name, parameters and how to build it.
    public struct Entry: Sendable {
        /// The name on the command line.
        public let name: String
        /// Parameter names in order (`["slope"]`); empty for an activation without parameters.
        public let parameters: [String]
        /// phi(x), in one line for the help text and the README table.
        public let summary: String
        /// Command-line instances the catalogue-wide tests and `rkhs reproduce rkhs-table` use.
        public let examples: [String]
        let make: @Sendable ([Double]) throws -> Activation

        /// A family with parameters; `make` validates them and names what is allowed.
        init(
            _ name: String, parameters: [String], _ summary: String, examples: [String],
            make: @escaping @Sendable ([Double]) throws -> Activation
        ) {
            self.name = name
            self.parameters = parameters
            self.summary = summary
            self.examples = examples
            self.make = make
        }

        /// An activation without parameters.
        init(_ name: String, _ summary: String, _ activation: @escaping @autoclosure @Sendable () -> Activation) {
            self.init(name, parameters: [], summary, examples: [name]) { p in
                try ActivationCatalogue.none(name, p, activation())
            }
        }

        /// A family with one optional parameter > 0, 1 if not given (elu(alpha), softplus(beta)).
        init(
            _ name: String, positive parameter: String, _ summary: String, examples: [String],
            make: @escaping @Sendable (Double) -> Activation
        ) {
            self.init(name, parameters: [parameter], summary, examples: examples) { p in
                try ActivationCatalogue.count(name, p, 0...1, "one \(parameter) > 0, e.g. \(name)(1)")
                try ActivationCatalogue.positive(name, p)
                return make(p.first ?? 1)
            }
        }

        /// `name` or `name(p1,p2,...)`.
        public var usage: String { parameters.isEmpty ? name : "\(name)(\(parameters.joined(separator: ",")))" }
    }

    /// Every built-in family, in the order of the help text: the family files' entries.
    public static let entries: [Entry] =
        rectifiedFamily + exponentialLinearFamily + gaussianFunctionFamily + sigmoidalFamily
        + trigonometricFamily + polynomialFamily

    /// User activations, for the help, error messages and the catalogue-wide tests.
    public static let piecewiseUsages = ["piecewise(EXPR_NEG; EXPR_POS)", "piecewise(E0; C1: E1; C2: E2; ...)"]
    public static let piecewiseExamples = ["piecewise(0.5*x^2; x)", "piecewise(0; x^2 + x^3)"]

    /// Every accepted form, for error messages and --help.
    public static var usages: [String] { entries.map(\.usage) + piecewiseUsages }

    /// The names of the built-in activations.
    public static var names: [String] { entries.map(\.name) }

    /// Every example instance: the built-in families' and the user activations'.
    public static var examples: [String] { entries.flatMap(\.examples) + piecewiseExamples }

    /// The `--activation` help: every built-in usage, then the user form.
    public static var helpText: String {
        "Activation: " + entries.map(\.usage).joined(separator: ", ")
            + ", or a user activation '\(piecewiseUsages[0])'."
    }

    /// The README's table of built-in activations (kept equal by `ActivationCatalogueTests`).
    public static var markdownTable: String {
        var rows = ["| activation | phi(x) | duals |", "|---|---|---|"]
        for entry in entries {
            let example = try? activation(named: entry.examples[0])
            let duals: String
            if example?.closedForm != nil {
                duals = "closed form"
            } else if example?.breakpoints.isEmpty == false {
                duals = "breakpoint quadrature"
            } else if example?.regularity == .analytic {
                duals = "conditional quadrature"
            } else {
                duals = "wedge quadrature"
            }
            let summary = entry.summary.replacingOccurrences(of: "|", with: "\\|")  // a pipe would end the cell
            rows.append("| `\(entry.usage)` | \(summary) | \(duals) |")
        }
        return rows.joined(separator: "\n") + "\n"
    }

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
                        name: head,
                        given: String(trimmed[trimmed.index(after: open)...]).prefix(60)
                            + (trimmed.count > 80 ? "..." : ""),
                        expected: "a closing ')' at the end of the activation")
                }
                throw KernelError.unknownActivation(
                    String(trimmed.prefix(60)) + (trimmed.count > 60 ? "..." : ""), valid: usages)
            }
            name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
            arguments = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        } else {
            name = trimmed
        }
        if name == "piecewise" {
            guard let arguments else {
                throw KernelError.invalidActivationParameters(
                    name: "piecewise", given: "", expected: "piecewise(EXPR_NEG; EXPR_POS)")
            }
            let parts = arguments.split(separator: ";", omittingEmptySubsequences: false)
            if parts.count >= 2, parts.contains(where: { $0.contains(":") }) {
                return try Activation.piecewise(pieces: try breakpointPieces(parts.map(String.init)))
            }
            guard parts.count == 2 else {
                throw KernelError.invalidActivationParameters(
                    name: "piecewise", given: arguments,
                    expected:
                        "two expressions in x separated by ';' (the branch for x < 0, then for x >= 0), or piecewise(E0; C1: E1; ...) with breakpoints C1 < C2 < ..."
                )
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
                    throw KernelError.invalidActivationParameters(
                        name: name, given: arguments, expected: "finite numbers, as in \(entry.usage)")
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
                    throw KernelError.invalidActivationParameters(
                        name: "piecewise", given: String(part.prefix(60)),
                        expected:
                            "a first piece without breakpoint (it holds for x below the first breakpoint), as in piecewise(-1; -1: x; 1: 1)"
                    )
                }
                pieces.append((nil, part))
                continue
            }
            guard let colon else {
                throw KernelError.invalidActivationParameters(
                    name: "piecewise", given: String(part.prefix(60)),
                    expected: "'C: EXPR' (the piece from breakpoint C on) for every piece after the first")
            }
            let number = part[..<colon].trimmingCharacters(in: .whitespaces)
            guard let c = Double(number), c.isFinite else {
                throw KernelError.invalidActivationParameters(
                    name: "piecewise", given: String(number.prefix(60)),
                    expected: "a finite number as breakpoint before ':'")
            }
            pieces.append((c, String(part[part.index(after: colon)...])))
        }
        return pieces
    }

    static func none(_ name: String, _ p: [Double], _ a: Activation) throws -> Activation {
        guard p.isEmpty else {
            throw KernelError.invalidActivationParameters(
                name: name, given: p.map(formatParameter).joined(separator: ","), expected: "no parameters")
        }
        return a
    }

    static func count(_ name: String, _ p: [Double], _ range: ClosedRange<Int>, _ expected: String) throws {
        guard range.contains(p.count) else {
            throw KernelError.invalidActivationParameters(
                name: name, given: p.map(formatParameter).joined(separator: ","), expected: expected)
        }
    }

    static func positive(_ name: String, _ p: [Double]) throws {
        if let v = p.first, !(v > 0) {
            throw KernelError.invalidActivationParameters(
                name: name, given: formatParameter(v), expected: "a parameter > 0")
        }
    }
}
