import NeuralKernels

/// An activation applied to whole buffers in the finite networks' passes. Positively
/// homogeneous activations of degree 1 (ReLU, LeakyReLU, abs: a x for x < 0, b x for x >= 0)
/// run as a plain loop over the two slopes, read off the activation's own derivative; every
/// other activation calls its branches per entry (a closure call, which dominated the passes
/// of wide networks).
struct PointwiseActivation: Sendable {
    private enum Form: Sendable {
        case piecewiseLinear(negative: Double, positive: Double)
        case general(Activation)
    }
    private let form: Form

    init(_ activation: Activation) {
        if activation.homogeneity == 1 {
            form = .piecewiseLinear(negative: activation.derivative(-1), positive: activation.derivative(1))
        } else {
            form = .general(activation)
        }
    }

    /// out[k] = phi(h[k]).
    func apply(_ h: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        switch form {
        case .piecewiseLinear(let a, let b):
            for k in 0..<h.count {
                let x = h[k]
                out[k] = x < 0 ? a * x : b * x
            }
        case .general(let phi):
            for k in 0..<h.count { out[k] = phi(h[k]) }
        }
    }

    /// g[k] *= phi'(h[k]).
    func multiplyByDerivative(_ h: UnsafeBufferPointer<Double>, _ g: UnsafeMutableBufferPointer<Double>) {
        switch form {
        case .piecewiseLinear(let a, let b):
            for k in 0..<h.count { g[k] *= h[k] < 0 ? a : b }
        case .general(let phi):
            for k in 0..<h.count { g[k] *= phi.derivative(h[k]) }
        }
    }
}
