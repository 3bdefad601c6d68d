import NeuralKernels

/// The NNGP or NTK of a deep network on S^{d-1} as a ``DotProductKernel``.
///
/// Evaluates either the exact ``SphereKernel`` (default) or a ``SphereKernelTable`` (faster,
/// accurate to its recorded `error`); anything else with `nngp(_:)`/`ntk(_:)` can be wrapped
/// in a ``ClosureKernel``. The predicted decay follows design.md §2 from the activation's
/// non-smoothness degree m (Activation.regularity): NNGP a = m + 1/2, NTK a = m - 1/2;
/// polynomial activations of degree p give finite rank p^{L-1}; analytic ones super-polynomial.
public struct NetworkSphereKernel: DotProductKernel {
    public let network: NetworkKernel
    public let kind: KernelKind
    public let valueAccuracy: Double
    private let evaluate: @Sendable (Double, Double, Double) -> Double

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
    }

    /// A tabulated kernel (``SphereKernelTable``) of `network`: faster, accurate to `table.error`.
    public init(table: SphereKernelTable, network: NetworkKernel, kind: KernelKind) {
        self.network = network
        self.kind = kind
        self.valueAccuracy = Swift.max(8 * Double.ulpOfOne, kind == .nngp ? table.error.nngp : table.error.ntk)
        let wantNNGP = kind == .nngp
        self.evaluate = { (t: Double, _: Double, _: Double) -> Double in wantNNGP ? table.nngp(t) : table.ntk(t) }
    }

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
        case .kink(let m, _):
            let a = kind == .nngp ? Double(m) + 0.5 : Double(m) - 0.5
            return a > 0 ? .algebraic(a: a) : .unknown
        }
    }
}
