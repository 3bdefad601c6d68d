import Foundation
import NeuralKernels
import Testing
import _TestSupport
@testable import TrainingDynamics

/// The closed-form two-layer ReLU NTK with its input-state partials against the generic
/// recursion (NetworkKernel.propagate for the value, KernelInputDerivatives for the partials,
/// itself checked against finite differences in BottleneckKernelDerivativeTests), and against
/// central differences of propagate directly. Proofs/bottleneck-dynamics.md.
@Suite struct BottleneckReLUDecoderTests {
    static let states: [(Double, Double, Double)] = [
        (0.8, 1.3, 0.45), (1.0, 1.0, -0.7), (2.5, 0.3, 0.1), (0.6, 0.6, 0.59), (1.2, 0.9, -1.03),
    ]

    @Test("closed form matches the recursion to 1e-12", arguments: [(1.0, 0.0, 1.0), (1.3, 0.4, 1.0), (1.2, 0.7, 0.5)])
    func matchesRecursion(scales: (Double, Double, Double)) throws {
        let network = try NetworkKernel(
            activation: .relu, depth: 2, sigmaW: scales.0, sigmaB: scales.1, sigmaI: scales.2)
        let closed = try #require(TwoLayerReLUTangentKernel(network))
        let generic = KernelInputDerivatives(network)
        for (q1, q2, c) in Self.states {
            let exact = generic.partials(q1: q1, q2: q2, c: c).ntk
            let fast = closed.evaluate(q1: q1, q2: q2, c: c, partials: true)
            let value = network.propagate(KernelState(q1: q1, q2: q2, nngp: c, ntk: 0), inputWidth: 1).ntk
            #expect(relativeError(fast.value, value) < 1e-12, "value at \((q1, q2, c)): \(fast.value) vs \(value)")
            #expect(relativeError(fast.q1, exact.q1) < 1e-12, "dq1 at \((q1, q2, c)): \(fast.q1) vs \(exact.q1)")
            #expect(relativeError(fast.c, exact.c) < 1e-12, "dc at \((q1, q2, c)): \(fast.c) vs \(exact.c)")
            // Central differences of the value itself (error h^2 |Theta'''|, up to 2e-7 at rho = 0.98).
            let h = 1e-5
            func theta(_ a: Double, _ b: Double) -> Double {
                closed.evaluate(q1: a, q2: q2, c: b, partials: false).value
            }
            let fq = (theta(q1 + h, c) - theta(q1 - h, c)) / (2 * h)
            let fc = (theta(q1, c + h) - theta(q1, c - h)) / (2 * h)
            #expect(Swift.abs(fast.q1 - fq) < 1e-6 * Swift.max(1, Swift.abs(fq)), "dq1 \(fast.q1) vs difference \(fq)")
            #expect(Swift.abs(fast.c - fc) < 1e-6 * Swift.max(1, Swift.abs(fc)), "dc \(fast.c) vs difference \(fc)")
        }
    }

    @Test("only two-layer ReLU networks in the NTK parametrisation have the closed form")
    func onlyReLUDepthTwo() throws {
        #expect(TwoLayerReLUTangentKernel(try NetworkKernel(activation: .relu, depth: 3)) == nil)
        #expect(TwoLayerReLUTangentKernel(try NetworkKernel(activation: .erf, depth: 2)) == nil)
        #expect(TwoLayerReLUTangentKernel(try NetworkKernel(activation: .relu, depth: 2)) != nil)
    }
}
