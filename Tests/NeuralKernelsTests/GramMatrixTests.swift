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
                #expect(
                    Swift.abs(gram[i, j] - direct) <= 1e-14 * Swift.abs(direct) + 1e-15, "\(activation) [\(i),\(j)]")
            }
        }
    }

    /// Unequal-norm points with the hard cases of the correlation: an identical copy of point 0,
    /// a scaled copy (rho = 1 exactly without bias, unequal norms), and a copy moved by 1e-6
    /// (1 - rho about 1e-13).
    static func hardPoints() -> [[Double]] {
        let x = points(14, 4, unitNorm: false, seed: 23)
        let moved = x[0].enumerated().map { $1 + 1e-6 * Double($0 + 1) }
        return x + [x[0], x[0].map { 3 * $0 }, moved]
    }

    /// Computes a Gram matrix on the per-entry route alone.
    static func perEntry(_ points: [[Double]], _ network: NetworkKernel, _ kind: KernelKind) throws -> [Double] {
        let n = points.count
        var values = [Double](repeating: .nan, count: n * n)
        try values.withUnsafeMutableBufferPointer { b in
            try GramMatrix.compute(
                points: points, network: network, nngp: kind == .nngp ? b.baseAddress! : nil,
                ntk: kind == .ntk ? b.baseAddress! : nil, progress: nil, seriesRoutes: false)
        }
        return values
    }

    /// The homogeneous route (tabulated normalised duals times per-point scales) against the
    /// per-entry route (the closed forms at each pair of variances), entry by entry relative to
    /// sqrt(K_ii K_jj), for every positively homogeneous activation, depths 1-4, with and
    /// without bias. Both routes round c differently by about 1e-16, and a kink's duals go
    /// like sqrt(1 - rho), so the tolerance is 1e-14 plus that rounding carried through the
    /// kink and the layers, 1e-15 / sqrt(1 - rho) (rho the pair's input correlation); where
    /// 1 - rho < 1e-14 (the scaled copy without bias: rho = 1 exactly in exact arithmetic,
    /// rounding level in both routes) it is 1e-7. Identical points agree to 1e-14 like any pair.
    @Test(arguments: [Activation.relu, .leakyReLU(0.2), .abs, .step, .reluPower(2), .reluPower(3), .identity])
    func homogeneousRouteMatchesPerEntryRoute(_ activation: Activation) throws {
        let data = Self.hardPoints()
        let n = data.count
        var worst = 0.0
        for depth in 1...4 {
            for sigmaB in [0.0, 0.7] {
                let network = try NetworkKernel(activation: activation, depth: depth, sigmaW: 1.2, sigmaB: sigmaB)
                #expect(
                    HomogeneousGramRoute(network: network, inputDimension: 4, variances: [1, 2], pre: [], post: [])
                        != nil)
                for kind in KernelKind.allCases {
                    let fast = try GramMatrix(points: data, network: network, kind: kind)
                    let reference = try Self.perEntry(data, network, kind)
                    for i in 0..<n {
                        #expect(
                            fast[i, i] == reference[i * n + i], "\(activation) depth \(depth) \(kind) diagonal \(i)")
                        for j in 0..<n {
                            let scale = (reference[i * n + i] * reference[j * n + j]).squareRoot()
                            let error = Swift.abs(fast[i, j] - reference[i * n + j]) / scale
                            let gap = 1 - Self.correlation(data[i], data[j], sigmaB: sigmaB)
                            let identical = data[i] == data[j]
                            if gap > 1e-6 || identical { worst = max(worst, error) }
                            let tolerance = identical ? 1e-14 : (gap < 1e-14 ? 1e-7 : 1e-14 + 1e-15 / gap.squareRoot())
                            #expect(
                                error <= tolerance,
                                "\(activation) depth \(depth) b \(sigmaB) \(kind) [\(i),\(j)]: \(fast[i, j]) vs \(reference[i * n + j])"
                            )
                            #expect(fast[i, j] == fast[j, i])
                        }
                    }
                }
            }
        }
        print(
            "homogeneous route vs per-entry, \(activation): max error \(worst) of sqrt(K_ii K_jj) (pairs with 1 - rho > 1e-6 and identical pairs)"
        )
    }

    /// The input correlation of the first layer, Sigma_1(x, y) / sqrt(Sigma_1(x, x) Sigma_1(y, y)).
    static func correlation(_ x: [Double], _ y: [Double], sigmaB: Double) -> Double {
        let b2 = sigmaB * sigmaB
        let w2 = 1.44
        let d = Double(x.count)
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / d }
        return (w2 * dot(x, y) + b2) / ((w2 * dot(x, x) + b2) * (w2 * dot(y, y) + b2)).squareRoot()
    }

    /// The ReLU NNGP and NTK against the arc-cosine formulas written out here (Cho & Saul 2009;
    /// Jacot et al. 2018), on unequal-norm points away from rho = 1 (where arccos of a rounded
    /// correlation is itself inaccurate).
    @Test func reluMatchesArcCosineFormulas() throws {
        let data = Self.points(16, 3, unitNorm: false, seed: 5)
        let (w2, b2) = (1.44, 0.09)
        for depth in 1...4 {
            let network = try NetworkKernel(activation: .relu, depth: depth, sigmaW: 1.2, sigmaB: 0.3)
            let nngp = try GramMatrix(points: data, network: network, kind: .nngp)
            let ntk = try GramMatrix(points: data, network: network, kind: .ntk)
            for i in 0..<data.count {
                for j in 0..<data.count {
                    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / 3 }
                    var q1 = w2 * dot(data[i], data[i]) + b2
                    var q2 = w2 * dot(data[j], data[j]) + b2
                    var c = w2 * dot(data[i], data[j]) + b2
                    var theta = c  // Theta_1 = Sigma_1 + sigma_b^2 (1 - sigma_i^2) = Sigma_1 (sigma_i = 1)
                    for _ in 1..<depth {
                        let angle = i == j ? 0 : acos(min(1, max(-1, c / (q1 * q2).squareRoot())))
                        let k1 =
                            (q1 * q2).squareRoot() / (2 * Double.pi) * (sin(angle) + (Double.pi - angle) * cos(angle))
                        let k0 = (Double.pi - angle) / (2 * Double.pi)
                        let cNext = w2 * k1 + b2
                        theta = cNext + w2 * theta * k0
                        c = cNext
                        q1 = w2 * q1 / 2 + b2
                        q2 = w2 * q2 / 2 + b2
                    }
                    let scale = (nngp[i, i] * nngp[j, j]).squareRoot()
                    #expect(Swift.abs(nngp[i, j] - c) <= 1e-13 * scale, "depth \(depth) nngp [\(i),\(j)]")
                    let scaleT = (ntk[i, i] * ntk[j, j]).squareRoot()
                    #expect(Swift.abs(ntk[i, j] - theta) <= 1e-13 * scaleT, "depth \(depth) ntk [\(i),\(j)]")
                }
            }
        }
    }

    /// The fused NNGP + NTK pass is bit-identical to the two passes on every route: the
    /// homogeneous table (relu), the per-entry recursion (gelu; elu(1), whose jet forces two
    /// passes inside), the sphere table (unit norms) and the exact sphere kernel (step, depth 3).
    @Test func fusedPassIsBitIdenticalToTwoPasses() throws {
        let unequal = Self.points(15, 3, unitNorm: false, seed: 3)
        let unit = Self.points(15, 3, unitNorm: true, seed: 4)
        let cases: [(Activation, [[Double]])] = [
            (.relu, unequal), (.gelu, unequal), (.elu(1), unequal),
            (.tanh, unit), (.step, unit), (.step, unequal),
        ]
        for (activation, data) in cases {
            let network = try NetworkKernel(activation: activation, depth: 3, sigmaW: 1.1, sigmaB: 0.5)
            let both = try GramMatrix.both(points: data, network: network)
            let nngp = try GramMatrix(points: data, network: network, kind: .nngp)
            let ntk = try GramMatrix(points: data, network: network, kind: .ntk)
            #expect(both.nngp.values == nngp.values, "\(activation) nngp")
            #expect(both.ntk.values == ntk.values, "\(activation) ntk")
        }
    }

    /// The normalised dual table against the exact duals at random correlations, and its
    /// recorded error.
    @Test(arguments: [Activation.relu, .abs, .step, .reluPower(2), .leakyReLU(0.1)])
    func normalisedDualTableIsAccurate(_ activation: Activation) throws {
        let table = try #require(NormalisedDualTable(activation))
        #expect(table.error.nngp <= 2e-15 && table.error.derivative <= 2e-15, "\(table.error)")
        print("normalised dual table of \(activation): \(table.cells) cells, error \(table.error)")
        #expect(table(oneMinusRho: 0, onePlusRho: 2) == table.top)
        let dual = DualActivation(activation)
        var state: UInt64 = 99
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let rho = 2 * Double(state >> 11) / 9007199254740992.0 - 1
            let pair = GaussianPair(q1: 1, q2: 1, c: rho)
            let k = table(oneMinusRho: 1 - rho, onePlusRho: 1 + rho)
            #expect(Swift.abs(k.nngp - dual.nngp(pair)) <= 4e-15 * table.top.nngp)
            #expect(Swift.abs(k.derivative - dual.derivative(pair)) <= 4e-15 * max(table.top.derivative, 1))
        }
        #expect(NormalisedDualTable(.gelu) == nil)
    }

    @Test func raggedRowsAreRejected() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        #expect(throws: KernelError.self) { try GramMatrix(points: [[1, 0], [1]], network: network, kind: .nngp) }
    }
}
