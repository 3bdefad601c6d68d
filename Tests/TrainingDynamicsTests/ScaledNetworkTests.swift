import Foundation
import NeuralKernels
import Testing
@testable import TrainingDynamics

/// The one-hidden-layer trainer of the scaling study against routes that share none of its
/// code: central differences, a per-neuron loop, ``TrainableNetwork`` at the NTK point, and
/// ``FunctionSpaceDynamics``'s closed form for the function-space iteration.
@Suite struct ScaledNetworkTests {
    static func inputs(_ count: Int, dimension d: Int, seed: UInt64) -> [Double] {
        var random = GaussianRandomSource(seed: seed)
        return (0..<(count * d)).map { _ in random.normal() }
    }

    /// f(x) = sigma sum_r a_r phi(c w_r . x), one neuron at a time.
    static func naiveLogit(_ net: ScaledNetwork, _ x: ArraySlice<Double>) -> Double {
        let d = net.inputDimension
        let xs = Array(x)
        var f = 0.0
        for r in 0..<net.width {
            var h = 0.0
            for k in 0..<d { h += net.input[r * d + k] * xs[k] }
            f += net.readout[r] * net.activation(net.inputMultiplier * h)
        }
        return net.readoutMultiplier * f
    }

    /// Logits with the neurons in several blocks (a batch of 1000 inputs makes 262-neuron
    /// blocks) equal the per-neuron sum, for the inline piecewise-linear path and the closures.
    @Test(arguments: ["leaky_relu(0.1)", "erf"])
    func blockedLogitsEqualThePerNeuronSum(name: String) throws {
        let act = try ActivationCatalogue.activation(named: name)
        let net = ScaledNetwork(
            activation: act, inputDimension: 3, width: 700, sigmaW: 1.3, readoutMultiplier: 0.04, seed: 2)
        let n = 1000
        let x = Self.inputs(n, dimension: 3, seed: 9)
        let f = net.logits(x, count: n)
        for i in stride(from: 0, to: n, by: 37) {
            let reference = Self.naiveLogit(net, x[(i * 3)..<(i * 3 + 3)])
            #expect(Swift.abs(f[i] - reference) <= 1e-13 * max(1, Swift.abs(reference)))
        }
        if name.hasPrefix("leaky") {
            // The same activation without its homogeneity goes through the closures.
            let plain = Activation(
                name: "plain", negative: act.negative, positive: act.positive, regularity: act.regularity,
                parity: act.parity)
            var other = ScaledNetwork(
                activation: plain, inputDimension: 3, width: 700, sigmaW: 1.3, readoutMultiplier: 0.04, seed: 2)
            #expect(other.slopes == nil && net.slopes != nil)
            other.readout = net.readout
            let g = other.logits(x, count: n)
            #expect(zip(f, g).allSatisfy { Swift.abs($0 - $1) <= 1e-14 * max(1, Swift.abs($0)) })
        }
    }

    /// One SGD step moves every weight by -eta times the central difference of the batch
    /// loss, for both losses, with different learning rates per layer.
    @Test(arguments: [ClassificationLoss.logistic, .squared])
    func stepIsMinusRateTimesGradient(loss: ClassificationLoss) throws {
        let act = try ActivationCatalogue.activation(named: "elu(1)")
        let d = 3
        let width = 9
        let n = 5
        let net = ScaledNetwork(
            activation: act, inputDimension: d, width: width, sigmaW: 1.1, readoutMultiplier: 0.7, seed: 4)
        let x = Self.inputs(n, dimension: d, seed: 6)
        let y: [Double] = [1, -1, -1, 1, 1]
        func batchLoss(_ candidate: ScaledNetwork) -> Double {
            let f = candidate.logits(x, count: n)
            return zip(y, f).reduce(0) { $0 + loss.value($1.0, $1.1) } / Double(n)
        }
        let f = net.logits(x, count: n)
        let seed = (0..<n).map { loss.derivative(y[$0], f[$0]) / Double(n) }
        let (etaA, etaW) = (0.3, 0.05)
        var stepped = net
        let ws = stepped.workspace(count: n)
        x.withUnsafeBufferPointer { xp in
            seed.withUnsafeBufferPointer {
                stepped.descend(
                    xp.baseAddress!, count: n, seed: $0.baseAddress!, readoutRate: etaA, inputRate: etaW, workspace: ws)
            }
        }
        let h = 1e-6
        for r in 0..<width {
            var up = net
            var down = net
            up.readout[r] += h
            down.readout[r] -= h
            let gradient = (batchLoss(up) - batchLoss(down)) / (2 * h)
            #expect(Swift.abs((net.readout[r] - stepped.readout[r]) / etaA - gradient) <= 1e-8)
        }
        for k in 0..<(width * d) {
            var up = net
            var down = net
            up.input[k] += h
            down.input[k] -= h
            let gradient = (batchLoss(up) - batchLoss(down)) / (2 * h)
            #expect(Swift.abs((net.input[k] - stepped.input[k]) / etaW - gradient) <= 1e-8)
        }
    }

    /// The learning-rate weighted kernels are sum_j eta_j df(x)/dtheta_j df(x')/dtheta_j, the
    /// derivatives by central differences.
    @Test func tangentKernelsAreWeightedGradientProducts() throws {
        let net = ScaledNetwork(
            activation: .erf, inputDimension: 2, width: 6, sigmaW: 1.2, readoutMultiplier: 0.5, seed: 8)
        let n = 4
        let x = Self.inputs(n, dimension: 2, seed: 1)
        let (etaA, etaW) = (0.7, 1.9)
        let k = net.tangentKernels(x, count: n, readoutRate: etaA, inputRate: etaW)
        let h = 1e-6
        func jacobian(_ perturb: (inout ScaledNetwork, Double) -> Void) -> [Double] {
            var up = net
            var down = net
            perturb(&up, h)
            perturb(&down, -h)
            return zip(up.logits(x, count: n), down.logits(x, count: n)).map { ($0 - $1) / (2 * h) }
        }
        let ja = (0..<6).map { r in jacobian { $0.readout[r] += $1 } }
        let jw = (0..<12).map { q in jacobian { $0.input[q] += $1 } }
        for i in 0..<n {
            for j in 0..<n {
                let a = ja.reduce(0) { $0 + etaA * $1[i] * $1[j] }
                let w = jw.reduce(0) { $0 + etaW * $1[i] * $1[j] }
                #expect(Swift.abs(k.readout[i * n + j] - a) <= 1e-8 && Swift.abs(k.input[i * n + j] - w) <= 1e-8)
            }
        }
    }

    /// At the NTK point the scaled network is TrainableNetwork's NTK parametrisation (depth 2,
    /// no bias): the same weights from the same seed, the same logits and empirical NTK, and
    /// the same trajectory under full-batch gradient descent on the squared loss.
    @Test func ntkPointIsTrainableNetwork() throws {
        let kernel = try NetworkKernel(activation: .relu, depth: 2, sigmaW: 1.4, sigmaB: 0)
        let d = 4
        let width = 96
        let n = 12
        let eta = 0.8
        let x = Self.inputs(n, dimension: d, seed: 3)
        let y = (0..<n).map { sin(x[$0 * d]) + 0.3 * x[$0 * d + 1] }
        var reference = TrainableNetwork(kernel, inputDimension: d, width: width, seed: 21)
        let scaling = try WidthScaling(.ntk, referenceWidth: 128, sigmaW: 1.4, learningRate: eta)
        var net = ScaledNetwork(scaling, activation: .relu, inputDimension: d, width: width, seed: 21)
        #expect(net.input == reference.weights[0] && net.readout == reference.weights[1])
        let f0 = net.logits(x, count: n)
        let r0 = reference.outputs(x, count: n)
        #expect(zip(f0, r0).allSatisfy { Swift.abs($0 - $1) <= 1e-14 * max(1, Swift.abs($1)) })
        let (ka, kw) = net.tangentKernels(x, count: n, readoutRate: 1, inputRate: 1)
        let ntk = reference.empiricalNTK(x, count: n)
        for k in 0..<(n * n) { #expect(Swift.abs(ka[k] + kw[k] - ntk[k]) <= 1e-13 * max(1, Swift.abs(ntk[k]))) }
        let steps = 60
        let record = try GradientDescentTrainer(learningRate: eta).train(
            &reference, x: x, y: y, test: [], testCount: 0, recordAt: [steps])
        let (etaA, etaW) = scaling.learningRates(width: width)
        #expect(etaA == eta && etaW == eta)
        let sgd = try ScaledSGD(loss: .squared, batchSize: n, steps: steps)
        let ours = try sgd.train(&net, readoutRate: etaA, inputRate: etaW, x: x, y: y, test: [], testLabels: [])
        for i in 0..<n { #expect(Swift.abs(ours.trainLogits.last![i] - record.train[0][i]) <= 1e-11) }
    }

    /// Function-space SGD with the squared loss and full batches is FunctionSpaceDynamics's
    /// discrete steps (kernel eta Theta, schedule learning rate eta), on training and test points.
    @Test func kernelSGDIsTheClosedFormForFullBatches() throws {
        let n = 10
        let m = 4
        let pts = (0..<(n + m)).map { i in Array(Self.inputs(1, dimension: 3, seed: UInt64(40 + i))) }
        let kernel = try NetworkKernel(activation: .erf, depth: 3, sigmaW: 1.2, sigmaB: 0.3)
        let blocks = try TrainingKernels(train: Array(pts[0..<n]), test: Array(pts[n...]), network: kernel)
        let y = (0..<n).map { pts[$0][0] - pts[$0][1] }
        var random = GaussianRandomSource(seed: 5)
        let f0 = (0..<n).map { _ in random.normal() }
        let t0 = (0..<m).map { _ in random.normal() }
        let eta = 0.9
        let steps = [0, 1, 7, 50, 400]
        let iterated = try KernelSGD(loss: .squared, batchSize: n).trajectory(
            trainKernel: blocks.ntkTrain.map { eta * $0 }, crossKernel: blocks.ntkCross.map { eta * $0 }, labels: y,
            trainInitial: f0, testInitial: t0, recordAt: steps)
        let schedule = try TrainingSchedule(kind: .steps, learningRate: eta, trainingPoints: n)
        let closed = try FunctionSpaceDynamics(kernel: blocks.ntkTrain, targets: y, schedule: schedule)
            .trajectory(times: steps.map(Double.init), trainInitial: f0, testInitial: t0, cross: blocks.ntkCross)
        for s in 0..<steps.count {
            for i in 0..<n { #expect(Swift.abs(iterated.train[s][i] - closed.train[s][i]) <= 1e-10) }
            for i in 0..<m { #expect(Swift.abs(iterated.test[s][i] - closed.test[s][i]) <= 1e-10) }
        }
    }

    /// The sampler visits every point once per epoch and is reproducible.
    @Test func batchesCoverEachEpoch() throws {
        var a = try BatchSampler(count: 10, batchSize: 5, seed: 3)
        var b = try BatchSampler(count: 10, batchSize: 5, seed: 3)
        let epoch = a.next() + a.next()
        #expect(Set(epoch) == Set(0..<10) && epoch != Array(0..<10))
        #expect(b.next() + b.next() == epoch)
        var full = try BatchSampler(count: 6, batchSize: 6, seed: 1)
        #expect(full.next() == Array(0..<6))
        #expect(throws: TrainingError.self) { try BatchSampler(count: 4, batchSize: 5, seed: 1) }
    }
}
