import Testing
@testable import NeuralKernels

/// The engine's composition order and stopping, on a carrier whose maps are easy to follow,
/// and NetworkKernel through the engine against the recursion written out by hand.
@Suite struct LayerRecursionTests {
    /// Records the layers a value passes: dense layers append their index, nonlinearities -1 - index.
    struct Trace: LayerCarrier {
        var path: [Int]
        func dense(_ layer: Int) -> Trace { Trace(path: path + [layer]) }
    }

    @Test func composesDenseZeroThenHiddenLayers() {
        for depth in 1...4 {
            let out = LayerRecursion.propagate(Trace(path: []), depth: depth, weights: { $0 }) { l, x in
                Trace(path: x.path + [-1 - l])
            }
            var expected = [0]
            for l in 1..<depth { expected += [-l, l] }
            #expect(out?.path == expected)
        }
    }

    @Test func aNilNonlinearityStopsTheRecursion() {
        let out = LayerRecursion.propagate(Trace(path: []), depth: 5, weights: { $0 }) { l, x in
            l == 2 ? nil : Trace(path: x.path + [-1 - l])
        }
        #expect(out == nil)
    }

    @Test(arguments: [Activation.relu, .elu(1), .gelu, .tanh])
    func networkKernelMatchesHandWrittenRecursion(_ activation: Activation) throws {
        for parametrization in Parametrization.allCases {
            let net = try NetworkKernel(
                activation: activation, depth: 4, sigmaW: 1.3, sigmaB: 0.4, sigmaI: 0.7,
                parametrization: parametrization, width: 16)
            let x = [0.3, -0.8, 0.5]
            let y = [0.9, 0.1, -0.4]
            let nonlinearity = NonlinearityLayer(activation)
            var state = net.denseLayer(0, inputWidth: 3)(.input(x, y))
            for l in 1..<4 { state = net.denseLayer(l, inputWidth: 3)(nonlinearity(state)) }
            let engine = net.kernel(x, y)
            #expect(engine.nngp == state.nngp)
            #expect(engine.ntk == state.ntk)
        }
    }
}
