import Foundation
import GPRegression
import NeuralKernels

/// One log-marginal-likelihood evaluation with its gradient for exact GP regression with a
/// network kernel (issue 7 target: n = 2000, at least 2x faster than scikit-learn's
/// GaussianProcessRegressor with a comparable kernel, timed by scripts/bench/sklearn_gp.py
/// on the same data). The data are n points in R^8 and a smooth target plus a noise-like term,
/// from a formula both sides evaluate; the figures printed are the best of 3 runs.
let arguments = CommandLine.arguments
let n = arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000
let names = arguments.count > 2 ? Array(arguments[2...]) : ["relu", "erf", "gelu", "elu(1)"]
let d = 8
// A deterministic formula (no RNG), reproduced exactly by scripts/bench/sklearn_gp.py.
func input(_ i: Int, _ j: Int) -> Double {
    let angle: Double = 0.37 * Double(i) * Double(j + 1) + Double(j)
    return 1.5 * sin(angle)
}
let x: [[Double]] = (0..<n).map { i in (0..<d).map { j in input(i, j) } }
let y: [Double] = (0..<n).map { i in
    let row = x[i]
    let smooth: Double = sin(row[0]) + 0.5 * row[1] * row[2]
    return smooth + 0.1 * sin(17 * Double(i))
}
print(
    "log marginal likelihood + gradient (3 hyperparameters), n = \(n), d = \(d) (rkhs, \(ProcessInfo.processInfo.activeProcessorCount) cores)"
)
for name in names {
    let activation = try ActivationCatalogue.activation(named: name)
    for kind in [KernelKind.nngp, .ntk] {
        let gp = ExactGP(covariance: NetworkCovariance(activation: activation, depth: 3, kind: kind))
        let h = ExactGP.Hyperparameters(sigmaW2: 1.5, sigmaB2: 0.1, noise: 0.1)
        var best = Double.infinity
        var value = 0.0
        for _ in 0..<3 {
            let start = Date()
            let e = try gp.logMarginalLikelihood(x, y, h)
            best = min(best, Date().timeIntervalSince(start))
            value = e.value
        }
        if ProcessInfo.processInfo.environment["BENCH_DETAIL"] != nil {
            var t0 = Date()
            let m = gp.covariance.matrices(x, sigmaW2: h.sigmaW2, sigmaB2: h.sigmaB2, gradient: true)
            let tk = Date().timeIntervalSince(t0)
            t0 = Date()
            _ = try MarginalLikelihood.evaluate(k: m.k, dLogW2: m.dLogW2, dLogB2: m.dLogB2, noise: h.noise, y: y)
            print(
                String(
                    format: "    kernel+derivatives %.3f s, likelihood+gradient %.3f s", tk,
                    Date().timeIntervalSince(t0)))
        }
        let label = "\(name) \(kind == .ntk ? "ntk" : "nngp")"
        print(String(format: "  depth-3 %-14@ %8.3f s   log p = %.10g", label as NSString, best, value))
        print("BENCH rkhs \(name)-\(kind == .ntk ? "ntk" : "nngp") \(best)")
    }
}
// The ARD first layer (one sigma_w^2 per input, d + 3 hyperparameters): its O(d n^2) gradient
// against the common-sigma_w one above, at the same point (equal per-input variances).
print("ARD: log marginal likelihood + gradient (\(d + 3) hyperparameters), n = \(n), d = \(d)")
for name in names {
    let activation = try ActivationCatalogue.activation(named: name)
    for kind in [KernelKind.nngp, .ntk] {
        let covariance = NetworkCovariance(activation: activation, depth: 3, kind: kind)
        let common = ExactGP.Hyperparameters(sigmaW2: 1.5, sigmaB2: 0.1, noise: 0.1)
        let gp = ARDExactGP(covariance: covariance)
        let h = ARDExactGP.Hyperparameters(common, inputs: d)
        var best = Double.infinity
        var value = 0.0
        for _ in 0..<3 {
            let start = Date()
            let e = try gp.logMarginalLikelihood(x, y, h)
            best = min(best, Date().timeIntervalSince(start))
            value = e.value
        }
        let label = "\(name) \(kind == .ntk ? "ntk" : "nngp") ARD"
        print(String(format: "  depth-3 %-18@ %8.3f s   log p = %.10g", label as NSString, best, value))
        print("BENCH rkhs \(name)-\(kind == .ntk ? "ntk" : "nngp")-ard \(best)")
    }
}
