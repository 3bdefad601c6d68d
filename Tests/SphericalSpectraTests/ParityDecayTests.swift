import Foundation
import Testing
import NeuralKernels
@testable import SphericalSpectra

/// The prediction for even and odd k (from the activation's parity decomposition, theory)
/// against the decay measured from the computed eigenvalues (quadrature data only), for
/// networks with and without biases (Proofs/parity-without-bias.md).
@Suite struct ParityDecayTests {
    /// A measured outcome agrees with a prediction: power laws within 3 uncertainties (plus 1%),
    /// zeros past the predicted degree (or earlier), super-polynomial as such.
    static func agrees(_ predicted: PredictedDecay, _ fit: DecayFit, dimension d: Int) -> Bool {
        switch (predicted, fit.outcome) {
        case (.algebraic, .powerLaw(let p, let u)):
            let q = predicted.exponent(dimension: d)!
            return Swift.abs(p - q) <= 3 * u + 0.01 * q
        case (.superPolynomial, .superPolynomial): return true
        case (.finiteRank(let degree), .vanishing(let beyond)): return beyond <= degree
        case (.vanishing, .vanishing(let beyond)): return beyond < 2
        default: return false
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let activation: String, depth: Int, kind: KernelKind, bias: Bool, d: Int
        let even: PredictedDecay, odd: PredictedDecay
        var testDescription: String { "\(depth)-layer \(activation) \(kind)\(bias ? "" : " no bias") d=\(d)" }
    }

    static let cases: [Case] = [
        // Hand-derived: ReLU = x/2 + |x|/2, so without bias the odd part is linear.
        Case(
            activation: "relu", depth: 2, kind: .nngp, bias: false, d: 3, even: .algebraic(a: 1.5),
            odd: .finiteRank(degree: 1)),
        Case(
            activation: "relu", depth: 2, kind: .ntk, bias: false, d: 3, even: .algebraic(a: 0.5),
            odd: .finiteRank(degree: 1)),
        Case(
            activation: "leaky_relu(0.2)", depth: 2, kind: .ntk, bias: false, d: 5, even: .algebraic(a: 0.5),
            odd: .finiteRank(degree: 1)),
        // ELU(1): phi_o jumps in its 2nd derivative, phi_e in its 3rd: odd k^-(d-1+5), even k^-(d-1+7).
        Case(
            activation: "elu(1)", depth: 2, kind: .nngp, bias: false, d: 3, even: .algebraic(a: 3.5),
            odd: .algebraic(a: 2.5)),
        Case(
            activation: "elu(1)", depth: 2, kind: .ntk, bias: false, d: 3, even: .algebraic(a: 2.5),
            odd: .algebraic(a: 1.5)),
        // SELU (alpha != 1): the even part has a kink, so the even k are the slow ones.
        Case(
            activation: "selu", depth: 2, kind: .ntk, bias: false, d: 2, even: .algebraic(a: 0.5),
            odd: .algebraic(a: 1.5)),
        Case(
            activation: "celu(2)", depth: 2, kind: .nngp, bias: false, d: 2, even: .algebraic(a: 3.5),
            odd: .algebraic(a: 2.5)),
        // Depth 3 without bias: both parities at the overall rate.
        Case(
            activation: "relu", depth: 3, kind: .nngp, bias: false, d: 3, even: .algebraic(a: 1.5),
            odd: .algebraic(a: 1.5)),
        Case(
            activation: "elu(1)", depth: 3, kind: .nngp, bias: false, d: 3, even: .algebraic(a: 2.5),
            odd: .algebraic(a: 2.5)),
        // With bias: no parity effect.
        Case(
            activation: "relu", depth: 2, kind: .ntk, bias: true, d: 3, even: .algebraic(a: 0.5),
            odd: .algebraic(a: 0.5)),
        Case(
            activation: "elu(1)", depth: 2, kind: .nngp, bias: true, d: 3, even: .algebraic(a: 2.5),
            odd: .algebraic(a: 2.5)),
        // Smooth activations: GELU's odd part is x/2; erf and tanh are odd.
        Case(
            activation: "gelu", depth: 2, kind: .ntk, bias: false, d: 3, even: .superPolynomial,
            odd: .finiteRank(degree: 1)),
        Case(activation: "erf", depth: 3, kind: .nngp, bias: false, d: 3, even: .vanishing, odd: .superPolynomial),
        Case(
            activation: "relu_pow(2)", depth: 2, kind: .nngp, bias: false, d: 3, even: .finiteRank(degree: 2),
            odd: .algebraic(a: 2.5)),
        Case(
            activation: "step", depth: 2, kind: .nngp, bias: false, d: 3, even: .finiteRank(degree: 0),
            odd: .algebraic(a: 0.5)),
        Case(
            activation: "poly(0,1,1)", depth: 3, kind: .nngp, bias: false, d: 3, even: .finiteRank(degree: 4),
            odd: .finiteRank(degree: 4)),
    ]

    @Test(arguments: cases)
    func predictionMatchesTheoryAndTheSpectrum(_ c: Case) throws {
        let network = try NetworkKernel(
            activation: try ActivationCatalogue.activation(named: c.activation), depth: c.depth,
            sigmaB: c.bias ? 1 : 0)
        let s = try GegenbauerSpectrum(
            kernel: try NetworkSphereKernel(network, kind: c.kind), dimension: c.d, kmax: 240)
        #expect(s.parityDecay.even == c.even, "even predicted \(s.parityDecay.even), hand-derived \(c.even)")
        #expect(s.parityDecay.odd == c.odd, "odd predicted \(s.parityDecay.odd), hand-derived \(c.odd)")
        let fits = s.parityFits
        #expect(
            Self.agrees(c.even, fits.even, dimension: c.d), "even: predicted \(c.even), measured \(fits.even.summary)")
        #expect(Self.agrees(c.odd, fits.odd, dimension: c.d), "odd: predicted \(c.odd), measured \(fits.odd.summary)")
        // A power law is measured with an uncertainty that means something.
        for fit in [fits.even, fits.odd] { if let u = fit.uncertainty { #expect(u < 0.3) } }
    }

    /// The fit recovers a known exponent: kappa = (1 - t)^{3/2} + e^t has mu_k ~ C k^{-(d-1)-3}
    /// exactly in structure (the closed form G_k(d, 3/2) plus geometrically small terms).
    @Test(arguments: [2, 3, 5])
    func fitRecoversAKnownExponent(_ d: Int) throws {
        let kernel = ClosureKernel(exact: { t, a, _ in -pow(a, 1.5) + exp(t) })
        let s = try GegenbauerSpectrum(kernel: kernel, dimension: d, kmax: 300)
        for fit in [DecayFit(s, even: true), DecayFit(s, even: false)] {
            let p = try #require(fit.exponent, "\(fit.summary)")
            let u = try #require(fit.uncertainty)
            let truth = Double(d - 1) + 3
            #expect(Swift.abs(p - truth) <= 3 * u && u < 0.05, "d = \(d): \(fit.summary), truth \(truth)")
        }
    }
}
