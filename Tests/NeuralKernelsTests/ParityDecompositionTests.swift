import Foundation
import Testing
@testable import NeuralKernels

/// The even and odd parts' regularity, against decompositions worked out by hand
/// (Proofs/parity-without-bias.md): e.g. ELU(1) = x for x >= 0, e^x - 1 below, has
/// phi_o^(2) jumping by -1 and phi_e^(3) by -1, while softplus, GELU and SiLU have odd part
/// exactly x/2 (softplus(x) - softplus(-x) = x, x Phi(x) + x Phi(-x) = x).
@Suite struct ParityDecompositionTests {
    typealias Part = ParityDecomposition.Part

    static let cases: [(String, Part, Part)] = [
        ("relu", .kink(degree: 1), .polynomial(degree: 1)),
        ("leaky_relu(0.2)", .kink(degree: 1), .polynomial(degree: 1)),
        ("abs", .kink(degree: 1), .zero),
        ("step", .polynomial(degree: 0), .kink(degree: 0)),
        ("relu_pow(2)", .polynomial(degree: 2), .kink(degree: 2)),
        ("relu_pow(3)", .kink(degree: 3), .polynomial(degree: 3)),
        ("elu(1)", .kink(degree: 3), .kink(degree: 2)),
        ("elu(0.5)", .kink(degree: 1), .kink(degree: 2)),
        ("selu", .kink(degree: 1), .kink(degree: 2)),
        ("celu(2)", .kink(degree: 3), .kink(degree: 2)),
        ("softplus(1)", .analytic, .polynomial(degree: 1)),
        ("gelu", .analytic, .polynomial(degree: 1)),
        ("silu", .analytic, .polynomial(degree: 1)),
        ("mish", .analytic, .analytic),
        ("sigmoid", .polynomial(degree: 0), .analytic),
        ("erf", .zero, .analytic),
        ("tanh", .zero, .analytic),
        ("sin", .zero, .analytic),
        ("cos", .analytic, .zero),
        ("gaussian", .analytic, .zero),
        ("identity", .zero, .polynomial(degree: 1)),
        ("poly(1,2,3)", .polynomial(degree: 2), .polynomial(degree: 1)),
        ("poly(0,1,0,0.5)", .zero, .polynomial(degree: 3)),
        // x^2 for x >= 0, -x^2 below: x|x|, odd with phi'' jumping.
        ("piecewise(-x^2; x^2)", .zero, .kink(degree: 2)),
        // ELU written by the user.
        ("piecewise(exp(x) - 1; x)", .kink(degree: 3), .kink(degree: 2)),
        // 0.5 x^2 + x^3 above 0, 0 below: D = 0.5 x^2 + x^3.
        ("piecewise(0; 0.5*x^2 + x^3)", .kink(degree: 3), .kink(degree: 2)),
    ]

    @Test(arguments: cases.indices)
    func partsMatchHandDerivedDecomposition(_ i: Int) throws {
        let (name, even, odd) = Self.cases[i]
        let decomposition = try ActivationCatalogue.activation(named: name).parityDecomposition
        #expect(decomposition.even == even, "\(name): even part \(decomposition.even), expected \(even)")
        #expect(decomposition.odd == odd, "\(name): odd part \(decomposition.odd), expected \(odd)")
    }

    /// The Chebyshev-to-Taylor conversion reproduces exp's derivatives at 0.
    @Test func taylorCoefficientsOfExp() {
        let n = 21
        let nodes = (0..<n).map { cos(Double.pi * (Double($0) + 0.5) / Double(n)) }
        let c = ParityDecomposition.chebyshevCoefficients(values: nodes.map { exp($0) }, nodes: nodes)
        let t = ParityDecomposition.taylorCoefficients(ofChebyshev: c, through: 12)
        var factorial = 1.0
        for j in 0...12 {
            if j > 0 { factorial *= Double(j) }
            // Absolute error below 1e-8, 10x under the detection threshold 1e-7.
            #expect(Swift.abs(t[j] - 1 / factorial) < 1e-8, "j = \(j): \(t[j]) vs \(1 / factorial)")
        }
    }
}
