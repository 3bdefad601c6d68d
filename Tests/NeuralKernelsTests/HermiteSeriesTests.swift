import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// The Hermite (Mehler) series duals and the Gram route built on them
/// (Proofs/hermite-series-duals.md).
@Suite struct HermiteSeriesTests {
    /// The activations the series route serves (costly duals).
    static let served: [String] = [
        "tanh", "softplus(1)", "softplus(2)", "sigmoid", "silu", "mish", "hardtanh", "relu6",
        "elu(1)", "elu(0.5)", "selu", "celu(2)", "piecewise(0.5*x^2; x)",
    ]

    static func expansion(_ activation: Activation, _ q: Double) -> HermiteCoefficients? {
        HermiteCoefficients(activation, variance: q)
    }

    /// Polynomials have finite expansions known in closed form: x^3 = h_3 sqrt(6) + 3 h_1 at
    /// unit variance, so a_1 = 3 q^{3/2}, a_3 = sqrt(6) q^{3/2}, the rest 0, and the
    /// derivative 3 x^2 = 3 (sqrt(2) h_2 + 1) q: b_0 = 3 q, b_2 = 3 sqrt(2) q.
    @Test func cubicCoefficientsAreExact() throws {
        let cubic = try ActivationCatalogue.activation(named: "poly(0,0,0,1)")
        for q in [0.3, 1.0, 7.5] {
            let e = try #require(Self.expansion(cubic, q))
            let s = pow(q, 1.5)
            for (k, a) in e.value.enumerated() {
                let exact = k == 1 ? 3 * s : (k == 3 ? 6.0.squareRoot() * s : 0)
                #expect(Swift.abs(a - exact) <= 1e-14 * s, "q \(q) a_\(k) = \(a), exact \(exact)")
            }
            for (k, b) in e.derivative.enumerated() {
                let exact = k == 0 ? 3 * q : (k == 2 ? 3 * 2.0.squareRoot() * q : 0)
                #expect(Swift.abs(b - exact) <= 1e-14 * q, "q \(q) b_\(k) = \(b), exact \(exact)")
            }
        }
    }

    /// The series against the 25-digit mpmath duals (duals-*.csv, unequal variances, every
    /// correlation including rho = +-1 and 1 - rho = 1e-12) for every activation the route
    /// serves: where the series certifies a value, it is within 1e-13 of sqrt(E_1 E_2) and
    /// within its own error estimate; every row with |rho| <= 0.5 is certified. Refused (measured):
    /// rho = +-1 wherever the coefficients have not decayed to 1e-14 by k = 256, and the
    /// derivative series at |rho| = 0.9 of activations whose phi' jumps (hardtanh, relu6, the
    /// ELU family at large variance: b_k ~ k^{-3/4}, so the energy beyond 256 is ~0.1).
    @Test func seriesMatchesHighPrecisionDuals() throws {
        var rows = 0
        var certified = 0
        var refusedFar = 0
        var worst = 0.0
        var covered = Set<String>()
        for file in DualFixtureTests.fixtureFiles() {
            let table = try FixtureTable(file)
            let c = ["activation", "q1", "q2", "c", "nngp", "derivative"].map(table.column)
            for row in table.rows {
                let activation = try ActivationCatalogue.activation(named: row[c[0]])
                guard Self.served.contains(activation.name) else { continue }
                covered.insert(activation.name)
                let q1 = Double(row[c[1]])!
                let q2 = Double(row[c[2]])!
                let cov = Double(row[c[3]])!
                let references = [Double(row[c[4]])!, Double(row[c[5]])!]
                let x = try #require(Self.expansion(activation, q1), "\(activation) q \(q1)")
                let y = try #require(Self.expansion(activation, q2), "\(activation) q \(q2)")
                let rho = max(-1, min(1, cov / (q1 * q2).squareRoot()))
                if q1 == q2 && cov == q1 {
                    // rho = 1: the rule's energies are the second moments.
                    #expect(
                        Swift.abs(x.valueEnergy - references[0]) <= 1e-14 * references[0]
                            && Swift.abs(x.derivativeEnergy - references[1]) <= 1e-14 * references[1] + 1e-16,
                        "\(activation) q \(q1): energies \(x.valueEnergy), \(x.derivativeEnergy) vs \(references)")
                }
                for (index, derivative) in [false, true].enumerated() {
                    rows += 1
                    let scale =
                        derivative
                        ? (x.derivativeEnergy * y.derivativeEnergy).squareRoot()
                        : (x.valueEnergy * y.valueEnergy).squareRoot()
                    guard let s = HermiteCoefficients.series(x, y, rho: rho, derivative: derivative) else {
                        if Swift.abs(rho) <= 0.5 { refusedFar += 1 }
                        continue
                    }
                    certified += 1
                    let error = Swift.abs(s.value - references[index])
                    worst = max(worst, error / scale)
                    #expect(
                        error <= 1e-13 * scale && error <= s.error + 1e-16 * scale,
                        "\(activation) \(derivative ? "derivative" : "nngp") q1=\(q1) q2=\(q2) c=\(cov): \(s.value) vs \(references[index]) (estimate \(s.error))"
                    )
                }
            }
        }
        #expect(covered == Set(try Self.served.map { try ActivationCatalogue.activation(named: $0).name }))
        #expect(refusedFar == 0, "\(refusedFar) rows with |rho| <= 0.5 refused")
        #expect(certified >= rows / 2, "only \(certified) of \(rows) rows certified")
        print(
            "Hermite series vs mpmath duals: \(certified) of \(rows) certified, worst error \(worst) of sqrt(E_1 E_2)")
    }

    /// The route against the per-entry route (direct duals at each pair of variances) on
    /// unequal-norm points with identical, scaled and nearly identical copies, depths 2 and 3,
    /// both kernels, with and without bias: within 1e-13 of sqrt(K_ii K_jj) (the direct duals'
    /// own accuracy: about 1e-13 for the wedge quadrature), diagonals included.
    @Test(arguments: ["tanh", "softplus(1)", "hardtanh", "elu(1)", "selu", "silu"])
    func gramRouteMatchesPerEntryRoute(_ name: String) throws {
        let activation = try ActivationCatalogue.activation(named: name)
        let data = GramMatrixTests.hardPoints()
        let n = data.count
        var worst = 0.0
        for (depth, sigmaB) in [(2, 0.0), (3, 0.7)] {
            let network = try NetworkKernel(activation: activation, depth: depth, sigmaW: 1.3, sigmaB: sigmaB)
            let variances = data.map { x in x.reduce(0) { $0 + $1 * $1 } / Double(x.count) }
            #expect(HermiteSeriesGramRoute(network: network, inputDimension: 4, variances: variances) != nil)
            for kind in KernelKind.allCases {
                let fast = try GramMatrix(points: data, network: network, kind: kind)
                let reference = try GramMatrixTests.perEntry(data, network, kind)
                for i in 0..<n {
                    for j in 0..<n {
                        let scale = (reference[i * n + i] * reference[j * n + j]).squareRoot()
                        let error = Swift.abs(fast[i, j] - reference[i * n + j]) / scale
                        // A kink's derivative dual goes like sqrt(1 - rho): the two routes' c,
                        // rounded differently by ~1e-16, differ after it by 1e-16 / sqrt(1 - rho)
                        // (the homogeneous route's test has the same allowance).
                        let gap = 1 - Self.correlation(data[i], data[j], sigmaW: 1.3, sigmaB: sigmaB)
                        let kinked = activation.regularity.nonSmoothnessDegree != nil || !activation.breakpoints.isEmpty
                        let tolerance =
                            kinked && data[i] != data[j] ? 1e-13 + 1e-15 / max(gap, 1e-30).squareRoot() : 1e-13
                        if tolerance == 1e-13 { worst = max(worst, error) }
                        #expect(
                            error <= tolerance,
                            "\(name) depth \(depth) b \(sigmaB) \(kind) [\(i),\(j)]: \(fast[i, j]) vs \(reference[i * n + j])"
                        )
                        #expect(fast[i, j] == fast[j, i])
                    }
                }
            }
        }
        print(
            "Hermite series route vs per-entry, \(name): max error \(worst) of sqrt(K_ii K_jj) (outside kinks' near-identical pairs)"
        )
    }

    /// The first layer's correlation Sigma_1(x, y) / sqrt(Sigma_1(x, x) Sigma_1(y, y)).
    static func correlation(_ x: [Double], _ y: [Double], sigmaW: Double, sigmaB: Double) -> Double {
        let d = Double(x.count)
        func sigma(_ a: [Double], _ b: [Double]) -> Double {
            sigmaW * sigmaW * zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / d + sigmaB * sigmaB
        }
        return sigma(x, y) / (sigma(x, x) * sigma(y, y)).squareRoot()
    }

    /// Which activations the route serves: costly duals only (cheap closed forms and the
    /// homogeneous and polynomial families have faster or exact routes).
    @Test func routeServesCostlyDualsOnly() throws {
        for name in Self.served {
            #expect(HermiteSeriesGramRoute.applies(to: try ActivationCatalogue.activation(named: name)), "\(name)")
        }
        for name in ["relu", "erf", "gelu", "sin", "poly(0,1,0.5)", "leaky_relu(0.2)", "identity"] {
            #expect(!HermiteSeriesGramRoute.applies(to: try ActivationCatalogue.activation(named: name)), "\(name)")
        }
    }
}
