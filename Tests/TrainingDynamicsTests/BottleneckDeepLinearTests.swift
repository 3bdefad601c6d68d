import Foundation
import NeuralKernels
import Testing
import _TestSupport
@testable import TrainingDynamics

/// Deep linear bottleneck networks: BottleneckDynamics (through its general history of decoder
/// kernels) equals the two-vector recursion of gradient descent on (A, w) exactly; the closed
/// form DeepLinearBottleneck equals an independent RK4 integration of the flow to 1e-10; gradient
/// descent approaches it at first order; and it trains faster than k = infinity.
/// Proofs/bottleneck-dynamics.md, "Deep linear networks".
@Suite struct BottleneckDeepLinearTests {
    static let inputs: [Double] = [0.9, -1.3, 0.4, 1.7, -0.6, 1.1]
    static let beta = 1.5
    static let (encoderDepth, decoderDepth) = (2, 3)
    static var c: Double { inputs.reduce(0) { $0 + $1 * $1 } }

    static func dynamics(width k: Int, a0: [Double], eta: Double) throws -> BottleneckDynamics {
        let encoder = try NetworkKernel(activation: .identity, depth: encoderDepth, sigmaW: 1, sigmaB: 0)
        let decoder = try NetworkKernel(activation: .identity, depth: decoderDepth, sigmaW: 1, sigmaB: 0)
        return try BottleneckDynamics(
            encoder: encoder, decoder: decoder, width: k, trainInputs: inputs.map { [$0] },
            targets: inputs.map { beta * $0 }, learningRate: eta,
            initialFeatures: inputs.flatMap { x in a0.map { $0 * x } })
    }

    @Test("the history integrator equals gradient descent on (A, w) to 1e-12")
    func matchesTwoVectorRecursion() throws {
        let a0 = [0.8, -1.2, 0.5]
        let (k, eta, steps) = (3, 0.3, 120)
        let run = try Self.dynamics(width: k, a0: a0, eta: eta).run(steps: steps)
        let n = Double(Self.inputs.count)
        let a = Double(Self.decoderDepth) / Double(k)
        let b = Double(Self.encoderDepth)
        var vA = a0
        var w = [Double](repeating: 0, count: k)
        var worst = 0.0
        for s in 0...steps {
            let u = zip(vA, w).reduce(0) { $0 + $1.0 * $1.1 }
            for (i, x) in Self.inputs.enumerated() {
                worst = max(worst, Swift.abs(run.trainOutputs[s][i] - u * x) / Swift.abs(Self.beta * x))
            }
            let e = Self.c * (u - Self.beta) * eta / n
            let newA = (0..<k).map { vA[$0] - b * e * w[$0] }
            w = (0..<k).map { w[$0] - a * e * vA[$0] }
            vA = newA
        }
        print("deep linear integrator vs (A, w) recursion: worst relative gap \(worst)")
        #expect(worst < 1e-12, "worst relative output gap \(worst)")
        #expect(run.trainLoss.last! < 1e-6 * run.trainLoss.first!, "it trained: \(run.trainLoss.last!)")
    }

    /// RK4 on (s_A, alpha) with 4000 steps (error ~ h^4 ~ 1e-13).
    static func rk4(_ model: DeepLinearBottleneck, tau: Double) -> Double {
        let a = Double(decoderDepth) / Double(model.width)
        let b = Double(encoderDepth)
        var y = (model.initialSquareNorm.squareRoot(), 0.0)
        func rhs(_ y: (Double, Double)) -> (Double, Double) {
            let e = y.0 * y.1 - beta
            return (-b * c * e * y.1, -a * c * e * y.0)
        }
        let m = 4000
        let h = tau / Double(m)
        for _ in 0..<m {
            let k1 = rhs(y)
            let k2 = rhs((y.0 + h / 2 * k1.0, y.1 + h / 2 * k1.1))
            let k3 = rhs((y.0 + h / 2 * k2.0, y.1 + h / 2 * k2.1))
            let k4 = rhs((y.0 + h * k3.0, y.1 + h * k3.1))
            y = (y.0 + h / 6 * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0), y.1 + h / 6 * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1))
        }
        return y.0 * y.1
    }

    @Test("closed form equals RK4 of the flow to 1e-10", arguments: [1, 2, 8])
    func closedFormMatchesRK4(k: Int) throws {
        let model = try DeepLinearBottleneck(
            encoderDepth: Self.encoderDepth, decoderDepth: Self.decoderDepth, width: k,
            inputSquareSum: Self.c, slope: Self.beta, initialSquareNorm: 0.7 * Double(k))
        for tau in [0.02, 0.1, 0.3, 1.0] {
            let exact = model.endToEnd(at: tau)
            let numeric = Self.rk4(model, tau: tau)
            #expect(Swift.abs(exact - numeric) < 1e-10 * Self.beta, "tau \(tau): \(exact) vs \(numeric)")
        }
    }

    /// Gradient descent at eta, eta/2, eta/4 to flow time tau = eta s / n = 0.1: errors against the
    /// closed form halve, and Richardson's 2 u_{eta/2} - u_eta lands within 1e-8 of it... at second order.
    @Test("gradient descent of the integrator converges to the closed form at first order")
    func gradientDescentApproachesClosedForm() throws {
        let a0 = [0.8, -1.2, 0.5]
        let k = 3
        let model = try DeepLinearBottleneck(
            encoderDepth: Self.encoderDepth, decoderDepth: Self.decoderDepth, width: k,
            inputSquareSum: Self.c, slope: Self.beta, initialSquareNorm: a0.reduce(0) { $0 + $1 * $1 })
        let n = Double(Self.inputs.count)
        let tau = 0.1
        let exact = model.endToEnd(at: tau)
        var errors: [Double] = []
        var values: [Double] = []
        for eta in [0.02, 0.01, 0.005] {
            let steps = Int((tau * n / eta).rounded())
            let run = try Self.dynamics(width: k, a0: a0, eta: eta).run(steps: steps, every: steps)
            let u = run.trainOutputs.last![0] / Self.inputs[0]
            values.append(u)
            errors.append(u - exact)
        }
        #expect(errors[0] / errors[1] > 1.9 && errors[0] / errors[1] < 2.1, "errors \(errors)")
        #expect(errors[1] / errors[2] > 1.95 && errors[1] / errors[2] < 2.05, "errors \(errors)")
        let extrapolated = 2 * values[2] - values[1]
        print("deep linear GD vs closed form: errors \(errors), Richardson \(extrapolated - exact)")
        #expect(
            Swift.abs(extrapolated - exact) < Swift.abs(errors[2]) / 20,
            "Richardson \(extrapolated - exact) vs \(errors[2])")
    }

    /// With |A_0|^2 = k (the NNGP's expectation) the loss at every time is below the k = infinity
    /// loss, the time to reach 1e-8 of the initial loss grows with k, and tends to the NTK's.
    @Test("the bottleneck trains faster than k = infinity, less so as k grows")
    func acceleration() throws {
        let n = Self.inputs.count
        var times: [Double] = []
        for k in [1, 4, 16, 256, 65536] {
            let model = try DeepLinearBottleneck(
                encoderDepth: Self.encoderDepth, decoderDepth: Self.decoderDepth, width: k,
                inputSquareSum: Self.c, slope: Self.beta, initialSquareNorm: Double(k))
            for tau in stride(from: 0.01, through: 0.5, by: 0.01) {
                #expect(model.loss(at: tau, trainingPoints: n) < model.limitLoss(at: tau, trainingPoints: n))
            }
            let target = 1e-8 * model.loss(at: 0, trainingPoints: n)
            var lo = 0.0
            var hi = 10.0
            for _ in 0..<200 {
                let mid = (lo + hi) / 2
                if model.loss(at: mid, trainingPoints: n) > target { lo = mid } else { hi = mid }
            }
            times.append(hi)
        }
        let limitTime = log(1e8) / (2 * Self.c * Double(Self.decoderDepth))
        print("deep linear time to 1e-8 loss, k = 1, 4, 16, 256, 65536: \(times) vs k = inf \(limitTime)")
        for i in 1..<times.count { #expect(times[i - 1] < times[i], "times \(times)") }
        #expect(times[0] < 0.5 * limitTime, "k = 1 speed-up \(limitTime / times[0])")
        #expect(relativeError(times.last!, limitTime) < 1e-2, "k = 65536: \(times.last!) vs \(limitTime)")
    }
}
