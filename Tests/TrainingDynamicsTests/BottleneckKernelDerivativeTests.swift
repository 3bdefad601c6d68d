import Foundation
import NeuralKernels
import Testing
import _TestSupport

/// KernelInputDerivatives against central differences of the kernels themselves (an
/// independent route: only NetworkKernel.propagate is shared) and against closed forms
/// (the ReLU arc-cosine kernel's derivatives worked by hand, the deep linear kernel).
/// Proofs/bottleneck-dynamics.md, "Kernel input derivatives".
@Suite struct BottleneckKernelDerivativeTests {
    static func networks() throws -> [NetworkKernel] {
        [
            try NetworkKernel(activation: .relu, depth: 3, sigmaW: 1.3, sigmaB: 0.4),
            try NetworkKernel(activation: .erf, depth: 3, sigmaW: 1.2, sigmaB: 0.3),
            try NetworkKernel(activation: .identity, depth: 4, sigmaW: 1.1, sigmaB: 0.5),
            try NetworkKernel(activation: .tanh, depth: 2, sigmaW: 1.5, sigmaB: 0.2),
            try NetworkKernel(
                activation: ActivationCatalogue.activation(named: "elu(1)"), depth: 3, sigmaW: 1.2, sigmaB: 0.7,
                sigmaI: 0.5),
        ]
    }

    static let x: [Double] = [0.7, -1.1, 0.4]
    static let y: [Double] = [-0.2, 0.9, 1.3]

    /// Central difference of Sigma and Theta in x (step h, error h^2 |Phi'''| ~ 1e-10).
    static func finiteDifference(_ network: NetworkKernel, _ x: [Double], _ y: [Double], h: Double = 1e-5) -> (
        [Double], [Double]
    ) {
        var gk: [Double] = []
        var gt: [Double] = []
        for i in x.indices {
            var up = x
            var down = x
            up[i] += h
            down[i] -= h
            let (ku, tu) = network.kernel(up, y)
            let (kd, td) = network.kernel(down, y)
            gk.append((ku - kd) / (2 * h))
            gt.append((tu - td) / (2 * h))
        }
        return (gk, gt)
    }

    static func relativeDistance(_ a: [Double], _ b: [Double]) -> Double {
        let diff = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let norm = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return diff / norm
    }

    @Test("gradients in x match central differences of Sigma and Theta to 1e-9", arguments: 0..<5)
    func gradientMatchesFiniteDifferences(index: Int) throws {
        let network = try Self.networks()[index]
        let derivatives = KernelInputDerivatives(network)
        let (k, t, gk, gt) = derivatives.gradient(Self.x, Self.y)
        let exact = network.kernel(Self.x, Self.y)
        #expect(relativeError(k, exact.nngp) < 1e-13)
        #expect(relativeError(t, exact.ntk) < 1e-13)
        let (fk, ft) = Self.finiteDifference(network, Self.x, Self.y)
        let ek = Self.relativeDistance(gk, fk)
        let et = Self.relativeDistance(gt, ft)
        print("kernel gradient \(network.activation.name): NNGP \(ek), NTK \(et) against central differences")
        #expect(ek < 1e-9, "\(network.activation.name) NNGP gradient off by \(ek)")
        #expect(et < 1e-9, "\(network.activation.name) NTK gradient off by \(et)")
    }

    @Test("partials in (q1, q2, c) match central differences of the recursion", arguments: 0..<5)
    func partialsMatchFiniteDifferences(index: Int) throws {
        let network = try Self.networks()[index]
        let derivatives = KernelInputDerivatives(network)
        let (q1, q2, c) = (0.8, 1.3, 0.45)
        let (k, t) = derivatives.partials(q1: q1, q2: q2, c: c)
        let h = 1e-5
        func at(_ a: Double, _ b: Double, _ e: Double) -> KernelState {
            network.propagate(KernelState(q1: a, q2: b, nngp: e, ntk: 0), inputWidth: 1)
        }
        let fd = [
            (at(q1 + h, q2, c), at(q1 - h, q2, c)), (at(q1, q2 + h, c), at(q1, q2 - h, c)),
            (at(q1, q2, c + h), at(q1, q2, c - h)),
        ]
        let fk = fd.map { ($0.0.nngp - $0.1.nngp) / (2 * h) }
        let ft = fd.map { ($0.0.ntk - $0.1.ntk) / (2 * h) }
        #expect(Self.relativeDistance([k.q1, k.q2, k.c], fk) < 1e-9)
        #expect(Self.relativeDistance([t.q1, t.q2, t.c], ft) < 1e-9)
    }

    /// Two-layer ReLU, no bias, sigma_w = 1: with cos theta = c / sqrt(q1 q2),
    /// Sigma = sqrt(q1 q2) (sin theta + (pi - theta) cos theta) / (2 pi), D = (pi - theta) / (2 pi),
    /// Theta = Sigma + c D, and by hand dSigma/dq1 = sqrt(q2/q1) sin theta / (4 pi),
    /// dSigma/dc = D, dD/dc = 1 / (2 pi sin theta sqrt(q1 q2)), dD/dq1 = -cos theta / (4 pi q1 sin theta).
    @Test("two-layer ReLU partials equal the arc-cosine closed form to 1e-12")
    func reluClosedForm() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2, sigmaW: 1, sigmaB: 0)
        let derivatives = KernelInputDerivatives(network)
        for (q1, q2, c) in [(0.8, 1.3, 0.45), (2.0, 0.5, -0.9), (1.0, 1.0, 0.999)] {
            let (k, t) = derivatives.partials(q1: q1, q2: q2, c: c)
            let root = (q1 * q2).squareRoot()
            let theta = acos(c / root)
            let dual = (Double.pi - theta) / (2 * Double.pi)
            let sigmaQ1 = (q2 / q1).squareRoot() * sin(theta) / (4 * Double.pi)
            let sigmaQ2 = (q1 / q2).squareRoot() * sin(theta) / (4 * Double.pi)
            let dualC = 1 / (2 * Double.pi * sin(theta) * root)
            let dualQ1 = -cos(theta) / (4 * Double.pi * q1 * sin(theta))
            let dualQ2 = -cos(theta) / (4 * Double.pi * q2 * sin(theta))
            let expected = [
                (k.q1, sigmaQ1), (k.q2, sigmaQ2), (k.c, dual),
                (t.q1, sigmaQ1 + c * dualQ1), (t.q2, sigmaQ2 + c * dualQ2), (t.c, 2 * dual + c * dualC),
            ]
            for (got, want) in expected {
                #expect(relativeError(got, want) < 1e-12, "q1=\(q1) q2=\(q2) c=\(c): \(got) vs \(want)")
            }
        }
    }

    /// Deep linear network of depth L: Sigma = w^{2L} c + const, Theta = L w^{2L} c + const,
    /// no dependence on the norms.
    @Test("deep linear partials are w^{2L} and L w^{2L}, norms absent")
    func linearClosedForm() throws {
        let (w, depth) = (1.1, 4)
        let network = try NetworkKernel(activation: .identity, depth: depth, sigmaW: w, sigmaB: 0.5)
        let (k, t) = KernelInputDerivatives(network).partials(q1: 0.8, q2: 1.3, c: 0.45)
        let w2L = pow(w * w, Double(depth))
        #expect(relativeError(k.c, w2L) < 1e-13)
        #expect(relativeError(t.c, Double(depth) * w2L) < 1e-13)
        #expect(Swift.abs(k.q1) + Swift.abs(k.q2) + Swift.abs(t.q1) + Swift.abs(t.q2) < 1e-15)
    }
}
