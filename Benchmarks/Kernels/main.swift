import Foundation
import NeuralKernels

/// Gram-matrix timings of the depth-3 NTK on n unit-norm points in R^10 (issue 3 targets),
/// printed as figures; scripts/bench/neural_tangents_gram.py prints the peer's figures.
func unitPoints(_ n: Int, _ d: Int, seed: UInt64) -> [[Double]] {
    var random = GaussianRandomSource(seed: seed)
    return (0..<n).map { _ in
        let x = (0..<d).map { _ in random.normal() }
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return x.map { $0 / norm }
    }
}

let arguments = CommandLine.arguments
let n = arguments.count > 1 ? Int(arguments[1]) ?? 4000 : 4000
let names =
    arguments.count > 2 ? Array(arguments[2...]) : ["relu", "gelu", "erf", "elu(1)", "selu", "piecewise(exp(x)-1; x)"]
let points = unitPoints(n, 10, seed: 42)
var reference: Double? = nil
print(
    "depth-3 NTK Gram matrix, n = \(n), d = 10, unit-norm points (rkhs, \(ProcessInfo.processInfo.activeProcessorCount) cores)"
)
for name in names {
    guard let activation = try? ActivationCatalogue.activation(named: name) else {
        print(String(format: "%-28@ unavailable", name as NSString))
        continue
    }
    let network = try NetworkKernel(activation: activation, depth: 3)
    let start = Date()
    let gram = try GramMatrix(points: points, network: network, kind: .ntk)
    let seconds = Date().timeIntervalSince(start)
    if reference == nil { reference = seconds }
    let ratio = seconds / reference!
    print(
        String(format: "  %-26@ %8.3f s   (%.2fx relu)   K[0,1] = %.17g", name as NSString, seconds, ratio, gram[0, 1]))
    print("BENCH rkhs \(name) \(seconds)")
}

// Points of unequal norms (Gaussian in R^10, as `rkhs gram` gets from a user's CSV): the
// homogeneous route for ReLU; the per-entry route for the others is far slower (issue 20).
var gaussian = GaussianRandomSource(seed: 43)
let unequal = (0..<n).map { _ in (0..<10).map { _ in gaussian.normal() } }
print("depth-3 NTK Gram matrix, n = \(n), d = 10, Gaussian points (unequal norms)")
for name in ["relu", "leaky_relu(0.2)"] {
    let network = try NetworkKernel(activation: try ActivationCatalogue.activation(named: name), depth: 3)
    let start = Date()
    let gram = try GramMatrix(points: unequal, network: network, kind: .ntk)
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "  %-26@ %8.3f s   K[0,1] = %.17g", name as NSString, seconds, gram[0, 1]))
    print("BENCH rkhs-gaussian \(name) \(seconds)")
}
