import NeuralKernels

/// A user kernel kappa(t) given as an expression in t (NeuralKernels' ``Expression`` grammar,
/// with the variable written `t`; `x` is accepted too).
///
/// Written with sqrt(1 - t) the expression is singular at t = 1 only through that square
/// root; its value at t = 1 - 2u^2 is computed from the rounded t, so near t = 1 it carries
/// the rounding of t (relative 1e-16 of 1 - t), which the error estimates of the spectrum
/// include through `valueAccuracy`.
public struct ExpressionKernel: DotProductKernel {
    public let expression: Expression
    public let text: String
    public let predictedDecay: PredictedDecay = .unknown

    public init(_ text: String) throws {
        self.text = text
        self.expression = try ExpressionParser.parse(ExpressionKernel.renameVariable(text))
    }

    public var name: String { text }
    public var valueAccuracy: Double { 64 * .ulpOfOne }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double { expression.evaluate(t) }

    /// Replaces the identifier `t` (not letters inside names such as `sqrt`) with `x`.
    static func renameVariable(_ text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            out += word == "t" ? "x" : word
            word = ""
        }
        for ch in text {
            if ch.isLetter || (ch.isNumber && !word.isEmpty) || (ch == "_" && !word.isEmpty) {
                word.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }
}
