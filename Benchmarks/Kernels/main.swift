import Foundation
import NeuralKernels

/// Gram-matrix timings of the depth-3 NTK on n unit-norm points in R^10 (issue 3 targets),
/// printed as figures; scripts/bench/neural_tangents_gram.py prints the peer's figures.
func unitPoints(_ n: Int, _ d: Int, seed: UInt64) -> [[Double]] {
    var state = seed
    func next() -> Double {
        // SplitMix64 -> uniform -> Box-Muller normal.
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) / 9007199254740992.0
    }
    return (0..<n).map { _ in
        var x = (0..<d).map { _ in (-2 * log(next())).squareRoot() * cos(2 * Double.pi * next()) }
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        x = x.map { $0 / norm }
        return x
    }
}

let arguments = CommandLine.arguments
let n = arguments.count > 1 ? Int(arguments[1]) ?? 4000 : 4000
let names = arguments.count > 2 ? Array(arguments[2...]) : ["relu", "gelu", "erf", "elu(1)", "selu", "piecewise(exp(x)-1; x)"]
let points = unitPoints(n, 10, seed: 42)
var reference: Double? = nil
print("depth-3 NTK Gram matrix, n = \(n), d = 10, unit-norm points (rkhs, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
for name in names {
    guard let activation = try? ActivationCatalogue.activation(named: name) else {
        print(String(format: "%-28@ unavailable", name as NSString)); continue
    }
    let network = try NetworkKernel(activation: activation, depth: 3)
    let start = Date()
    let gram = try GramMatrix(points: points, network: network, kind: .ntk)
    let seconds = Date().timeIntervalSince(start)
    if reference == nil { reference = seconds }
    let ratio = seconds / reference!
    print(String(format: "  %-26@ %8.3f s   (%.2fx relu)   K[0,1] = %.17g", name as NSString, seconds, ratio, gram[0, 1]))
    print("BENCH rkhs \(name) \(seconds)")
}

