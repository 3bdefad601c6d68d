import Foundation
import Testing
@testable import NeuralKernels

/// Gram matrices agree entry by entry with the plain layer recursion of NetworkKernel
/// (Neural Tangents' input convention <x,x'>/d), on the tabulated path (equal norms) and on the
/// per-entry path (unequal norms).
@Suite struct GramMatrixTests {
    static func points(_ n: Int, _ d: Int, unitNorm: Bool, seed: UInt64) -> [[Double]] {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9007199254740992.0
        }
        return (0..<n).map { _ in
            var x = (0..<d).map { _ in 2 * uniform() - 1 }
            if unitNorm {
                let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
                x = x.map { $0 / norm }
            }
            return x
        }
    }

    @Test(arguments: [Activation.relu, .elu(1), .gelu, .tanh, .leakyReLU(0.2)])
    func tabulatedPathMatchesRecursion(_ activation: Activation) throws {
        let x = Self.points(40, 5, unitNorm: true, seed: 7)
        // Two identical points make t = 1 off the diagonal as well.
        let data = x + [x[0]]
        for kind in KernelKind.allCases {
            let network = try NetworkKernel(activation: activation, depth: 3, sigmaW: 1.3, sigmaB: 0.4)
            let gram = try GramMatrix(points: data, network: network, kind: kind)
            let scale = network.kernel(data[0], data[0])
            for i in 0..<data.count {
                for j in stride(from: i, to: data.count, by: 3) {
                    let direct = network.kernel(data[i], data[j])
                    let expected = kind == .nngp ? direct.nngp : direct.ntk
                    let s = kind == .nngp ? scale.nngp : scale.ntk
                    let tolerance = activation.closedForm == nil ? 1e-12 : 1e-13
                    #expect(Swift.abs(gram[i, j] - expected) <= tolerance * s, "\(activation) \(kind) [\(i),\(j)]")
                    #expect(gram[i, j] == gram[j, i])
                }
            }
        }
    }

    @Test(arguments: [Activation.relu, .gelu, .erf, .elu(1)])
    func perEntryPathMatchesRecursion(_ activation: Activation) throws {
        let data = Self.points(12, 4, unitNorm: false, seed: 11)
        let network = try NetworkKernel(activation: activation, depth: 3, sigmaW: 1, sigmaB: 0.7)
        let gram = try GramMatrix(points: data, network: network, kind: .ntk)
        for i in 0..<data.count {
            for j in 0..<data.count {
                let direct = network.kernel(data[i], data[j]).ntk
                #expect(Swift.abs(gram[i, j] - direct) <= 1e-14 * Swift.abs(direct) + 1e-15, "\(activation) [\(i),\(j)]")
            }
        }
    }

    @Test func raggedRowsAreRejected() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        #expect(throws: KernelError.self) { try GramMatrix(points: [[1, 0], [1]], network: network, kind: .nngp) }
    }
}
