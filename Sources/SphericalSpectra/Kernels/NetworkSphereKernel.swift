import Foundation
import NeuralKernels

/// The NNGP or NTK of a deep network on S^{d-1} as a ``DotProductKernel``.
///
/// Evaluates either the exact ``SphereKernel`` (default) or a ``SphereKernelTable`` (faster,
/// accurate to its recorded `error`); anything else with `nngp(_:)`/`ntk(_:)` can be wrapped
/// in a ``ClosureKernel``. The predicted decay follows design.md §2 from the activation's
/// non-smoothness degree m (Activation.regularity): NNGP a = m + 1/2, NTK a = m - 1/2 for
/// m >= 1; a jump (m = 0) gives a = 2^{1-L} for both (each layer halves it);
/// polynomial activations of degree p give finite rank p^{L-1}; analytic ones super-polynomial.
public struct NetworkSphereKernel: DotProductKernel {
    public let network: NetworkKernel
    public let kind: KernelKind
    public let valueAccuracy: Double
    private let evaluate: @Sendable (Double, Double, Double) -> Double
    private let singular: (@Sendable (Double) -> Double?)?

    /// The exact kernel (``SphereKernel``).
    public init(_ network: NetworkKernel, kind: KernelKind) throws {
        let sphere = try SphereKernel(network)
        self.network = network
        self.kind = kind
        let top = sphere(1)
        let scale = Swift.max(Swift.abs(kind == .nngp ? top.nngp : top.ntk), .leastNormalMagnitude)
        // Closed forms are accurate to a few ulps; tables add their recorded error.
        self.valueAccuracy = Swift.max(8 * Double.ulpOfOne * Double(network.depth), sphere.tableError / scale)
        let wantNNGP = kind == .nngp
        self.evaluate = { (t: Double, a: Double, b: Double) -> Double in
            let v = sphere.values(t, oneMinusT: a, onePlusT: b)
            return wantNNGP ? v.nngp : v.ntk
        }
        if sphere.hasContinuation {
            self.singular = { (y: Double) -> Double? in
                guard let s = sphere.singularPart(oneMinusT: y) else { return nil }
                return wantNNGP ? s.nngp : s.ntk
            }
        } else {
            self.singular = nil
        }
    }

    /// A tabulated kernel (``SphereKernelTable``) of `network`: faster, accurate to `table.error`.
    public init(table: SphereKernelTable, network: NetworkKernel, kind: KernelKind) {
        self.network = network
        self.kind = kind
        self.valueAccuracy = Swift.max(8 * Double.ulpOfOne, kind == .nngp ? table.error.nngp : table.error.ntk)
        let wantNNGP = kind == .nngp
        self.evaluate = { (t: Double, _: Double, _: Double) -> Double in wantNNGP ? table.nngp(t) : table.ntk(t) }
        self.singular = nil
    }

    public func upperSingularPart(oneMinusT y: Double) -> Double? { singular?(y) }

    public func value(_ t: Double, oneMinusT: Double, onePlusT: Double) -> Double {
        evaluate(t, oneMinusT, onePlusT)
    }

    public var name: String {
        "\(network.depth)-layer \(network.activation.name) \(kind.rawValue)\(network.hasBias ? "" : " (no bias)")"
    }

    public var predictedDecay: PredictedDecay {
        if network.depth == 1 { return .finiteRank(degree: 1) }
        switch network.activation.regularity {
        case .analytic: return .superPolynomial
        case .polynomial(let p):
            var degree = 1
            for _ in 1..<network.depth { degree *= p }
            return .finiteRank(degree: degree)
        case .kink(0, _):
            // A jump (step): 1 - Sigma_l ~ (1 - t)^{1/2} is not Lipschitz, so each further
            // layer halves the exponent, a = 2^{1-L}; phi' = 0 almost everywhere makes the
            // NTK's extra terms no rougher (Proofs/regularity-at-zero.md).
            return .algebraic(a: pow(0.5, Double(network.depth - 1)))
        case .kink(let m, _):
            return .algebraic(a: kind == .nngp ? Double(m) + 0.5 : Double(m) - 0.5)
        }
    }

    /// Even and odd k separately (Proofs/parity-without-bias.md).
    ///
    /// * With biases the first layer's correlation stays above -1 at t = -1, every later one
    ///   too, so the kernel is analytic at t = -1 and both parities follow t = +1.
    /// * Without biases and one hidden layer (depth 2), the even k belong to the even part
    ///   phi_e of the activation alone and the odd k to phi_o: each parity decays at the rate of
    ///   that part's non-smoothness degree (NNGP a = m + 1/2, NTK a = m - 1/2), has finite rank
    ///   when the part is a polynomial, vanishes when it is zero, and is super-polynomial when
    ///   it is analytic.
    /// * Without biases and more hidden layers, an odd (even) activation keeps the kernel odd
    ///   (even), so the other parity vanishes; otherwise the first layer's singularity at
    ///   t = -1 reaches the output multiplied by the later layers' slopes at their (interior)
    ///   correlations, with a coefficient unrelated to the one at t = +1: both parities decay
    ///   at the overall rate (generically; an exact cancellation would show in the fit).
    public var parityDecay: ParityDecay {
        let overall = predictedDecay
        if network.depth == 1 {
            return ParityDecay(
                even: network.hasBias ? .finiteRank(degree: 0) : .vanishing, odd: .finiteRank(degree: 1),
                reason: "one layer: the kernel is affine in t")
        }
        if network.hasBias {
            return .same(
                overall,
                reason:
                    "with biases the kernel is analytic at t = -1 (the first layer's correlation stays above -1), so both parities follow t = +1"
            )
        }
        let parts = network.activation.parityDecomposition
        if network.depth == 2 {
            func decay(_ part: ParityDecomposition.Part) -> PredictedDecay {
                switch part {
                case .zero: return .vanishing
                case .polynomial(let p): return .finiteRank(degree: p)
                case .analytic: return .superPolynomial
                case .kink(0): return .algebraic(a: 0.5)
                case .kink(let m): return .algebraic(a: kind == .nngp ? Double(m) + 0.5 : Double(m) - 0.5)
                }
            }
            return ParityDecay(
                even: decay(parts.even), odd: decay(parts.odd),
                reason:
                    "without biases, one hidden layer: even k come from the even part of the activation (\(parts.even)), odd k from the odd part (\(parts.odd))"
            )
        }
        if parts.even == .zero {
            return ParityDecay(
                even: .vanishing, odd: overall,
                reason: "without biases an odd activation keeps the kernel odd in t at every depth")
        }
        if parts.odd == .zero {
            return ParityDecay(
                even: overall, odd: .vanishing,
                reason: "without biases an even activation keeps the kernel even in t at every depth")
        }
        return .same(
            overall,
            reason:
                "without biases and with \(network.depth - 1) hidden layers, the t = -1 singularity of the first layer (\(parts)) reaches the output with a coefficient unrelated to the one at t = +1, so both parities decay at the overall rate"
        )
    }
}
