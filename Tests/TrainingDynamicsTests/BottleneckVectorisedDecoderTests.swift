import Foundation
import NeuralKernels
import Testing
import _TestSupport
@testable import TrainingDynamics

/// The vectorised decoder of BottleneckDynamics (four history entries per SIMD vector,
/// fdlibm's acos, test features brought up to date only when recorded) against the scalar
/// closed form, the platform's acos and the generic recursion. Proofs/bottleneck-dynamics.md,
/// "Cost".
@Suite struct BottleneckVectorisedDecoderTests {
    @Test("four-lane acos is within 2 ulp of the platform's on [-1, 1]")
    func arcCosine() {
        var worst = 0.0
        let count = 40_000
        var xs = (0...count).map { -1 + 2 * Double($0) / Double(count) }
        xs += [0.5, -0.5, 0.5.nextDown, (-0.5).nextUp, 1.0.nextDown, (-1.0).nextUp, 1e-300, -1e-300, 0]
        while xs.count % 4 != 0 { xs.append(0.25) }
        for i in stride(from: 0, to: xs.count, by: 4) {
            let fast = VectorArcCosine.acos(SIMD4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3]))
            for l in 0..<4 {
                let exact = Foundation.acos(xs[i + l])
                let ulps =
                    exact == 0
                    ? Swift.abs(fast[l]) / Double.leastNormalMagnitude : Swift.abs(fast[l] - exact) / exact.ulp
                worst = Swift.max(worst, ulps)
            }
        }
        print("vector acos: worst \(worst) ulp over \(xs.count) points")
        #expect(worst <= 2, "worst \(worst) ulp")
    }

    @Test(
        "history sums equal the scalar closed form entry by entry",
        arguments: [(1.0, 0.0, 1.0), (1.3, 0.4, 1.0), (1.2, 0.7, 0.5)])
    func historySums(scales: (Double, Double, Double)) throws {
        let network = try NetworkKernel(
            activation: .relu, depth: 2, sigmaW: scales.0, sigmaB: scales.1, sigmaI: scales.2)
        let relu = try #require(TwoLayerReLUTangentKernel(network))
        let k = 3
        var random = GaussianRandomSource(seed: 31)
        let entries = (0..<11).map { _ in (0..<k).map { _ in random.normal() } }
        // A zero coefficient (skipped), and an entry equal to the point (the cone point, g = 0).
        let coefficients = (0..<11).map { $0 == 4 ? 0 : random.normal() }
        var history = BottleneckDecoderHistory(width: k, capacity: 11)
        for (e, z) in entries.enumerated() { history.append(z, at: 0, coefficient: coefficients[e]) }
        for z in [entries[7], (0..<k).map { _ in random.normal() }] {
            let q1 = z.reduce(0) { $0 + $1 * $1 } / Double(k)
            var value = 0.0
            var radial = 0.0
            var along = [Double](repeating: 0, count: k)
            for (e, ze) in entries.enumerated() where coefficients[e] != 0 {
                let q2 = ze.reduce(0) { $0 + $1 * $1 } / Double(k)
                let c = zip(z, ze).reduce(0) { $0 + $1.0 * $1.1 } / Double(k)
                let t = relu.evaluate(q1: q1, q2: q2, c: c, partials: true)
                value += coefficients[e] * t.value
                radial += coefficients[e] * t.q1
                for a in 0..<k { along[a] += coefficients[e] * t.c * ze[a] }
            }
            let lanes = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: k)
            defer { lanes.deallocate() }
            let sums = z.withUnsafeBufferPointer {
                relu.accumulate(point: $0.baseAddress!, q1: q1, history: history, gradient: true, into: lanes)
            }
            #expect(relativeError(sums.value, value) < 1e-13, "value \(sums.value) vs \(value)")
            #expect(relativeError(sums.radial, radial) < 1e-12, "radial \(sums.radial) vs \(radial)")
            for a in 0..<k {
                #expect(relativeError(lanes[a].sum(), along[a]) < 1e-12, "along[\(a)] \(lanes[a].sum()) vs \(along[a])")
            }
        }
    }

    /// A ReLU decoder through the vectorised closed form and through the generic recursion
    /// (KernelInputDerivatives), exact and merged; the test points are copies of the training
    /// points with the same initial features, so their outputs (whose features are brought up to
    /// date only at recorded steps) must equal the training outputs at every recorded step, to
    /// the cone point's rounding: a copy and its own history entries meet at cos theta = 1 - O(eps),
    /// where theta = acos(cos theta) = O(sqrt eps) (measured: 1e-9 of the targets' RMS; 1e-7 allowed).
    @Test("the vectorised run equals the generic recursion, and deferred test features their training copies")
    func vectorisedRun() throws {
        let encoder = try BottleneckDynamicsTests.encoder()
        let decoder = try NetworkKernel(activation: .relu, depth: 2, sigmaW: 1.3, sigmaB: 0.2)
        let inputs = BottleneckDynamicsTests.inputs
        let targets = BottleneckDynamicsTests.targets
        let k = 3
        let n = inputs.count
        let features = try BottleneckDynamics.sampleFeatures(encoder: encoder, points: inputs, width: k, seed: 8)
        let fast = try BottleneckDynamics(
            encoder: encoder, decoder: decoder, width: k, trainInputs: inputs, targets: targets,
            testInputs: inputs, learningRate: 0.5, initialFeatures: features + features)
        #expect(fast.reluDecoder != nil)
        var generic = fast
        generic.reluDecoder = nil
        for tolerance in [nil, 0.05] as [Double?] {
            let a = try fast.run(steps: 40, every: 7, mergeTolerance: tolerance)
            let b = try generic.run(steps: 40, every: 7, mergeTolerance: tolerance)
            #expect(a.steps == b.steps && a.historyEntries == b.historyEntries)
            let scale = BottleneckDynamicsTests.rms(targets, [Double](repeating: 0, count: n))
            for t in 0..<a.steps.count {
                #expect(
                    BottleneckDynamicsTests.rms(a.trainOutputs[t], b.trainOutputs[t]) < 1e-12 * scale,
                    "step \(a.steps[t])")
                #expect(
                    BottleneckDynamicsTests.rms(a.testOutputs[t], a.trainOutputs[t]) < 1e-7 * scale,
                    "test copies, step \(a.steps[t])")
                #expect(Swift.abs(a.trainLoss[t] - b.trainLoss[t]) < 1e-12 * b.trainLoss[0])
            }
            #expect(BottleneckDynamicsTests.rms(a.finalFeatures, b.finalFeatures) < 1e-12)
            #expect(
                BottleneckDynamicsTests.rms(Array(a.finalFeatures[(n * k)...]), Array(a.finalFeatures[0..<(n * k)]))
                    < 1e-7)
        }
    }
}
