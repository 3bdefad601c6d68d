import Foundation
import NeuralKernels
import SphericalSpectra

/// Spectrum timings of issue 4, printed as figures (scripts/bench/straightforward_spectrum.py
/// prints the straightforward route's): `SpectrumBenchmark small` times kmax = 1000 on S^2
/// for the 2-layer ReLU NTK (closed form) and the 4-layer ELU NTK; `SpectrumBenchmark large`
/// times kmax = 100000 for the 4-layer ELU NTK and reports the peak resident memory.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

let mode = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "small"
let relu = try NetworkKernel(activation: .relu, depth: 2)
let elu = try NetworkKernel(activation: .elu(1), depth: 4)
switch mode {
case "small":
    // ELU first, so that it pays every one-time cost (Gauss-Legendre rules, tables); the
    // kernel's construction (its dual tables) is inside the timing.
    for (name, network) in [("elu-ntk-4", elu), ("relu-ntk-2", relu)] {
        var s: GegenbauerSpectrum? = nil
        let t = try seconds {
            s = try GegenbauerSpectrum(kernel: try NetworkSphereKernel(network, kind: .ntk), dimension: 3, kmax: 1000)
        }
        let resolved = s!.resolved.filter { $0 }.count
        print(
            String(
                format: "  rkhs %-12@ kmax = 1000, d = 3: %8.3f s   (%d/1001 resolved, mu_1000 = %.6e +- %.1e)",
                name as NSString, t, resolved, s!.mu[1000], s!.error[1000]))
        print("BENCH rkhs \(name) \(t)")
    }
case "large":
    let before = peakMemoryMB()
    var s: GegenbauerSpectrum? = nil
    let t = try seconds {
        s = try GegenbauerSpectrum(kernel: try NetworkSphereKernel(elu, kind: .ntk), dimension: 3, kmax: 100_000)
    }
    let resolved = s!.resolved.filter { $0 }.count
    print(
        String(
            format:
                "  rkhs elu-ntk-4  kmax = 100000, d = 3: %8.3f s   peak memory %.0f MB (%.0f MB before)   %d/100001 resolved, quadrature to k = %d",
            t, peakMemoryMB(), before, resolved, s!.quadratureDegree))
    print("BENCH rkhs elu-ntk-4-100000 \(t)")
case "profile":
    let dual = DualActivation(.elu(1))
    var acc = 0.0
    let tq = Date()
    for i in 0..<200 { acc += dual.nngp(q1: 1.5, q2: 1.5, c: 1.5 * cos(Double(i) * 0.0157)) }
    let tr = Date()
    for i in 0..<200 { acc += dual.derivative(q1: 1.5, q2: 1.5, c: 1.5 * cos(Double(i) * 0.0157)) }
    print(
        "elu nngp \(tr.timeIntervalSince(tq) / 200 * 1e3) ms/call, derivative \(Date().timeIntervalSince(tr) / 200 * 1e3) ms/call \(acc)"
    )
    let t0 = Date()
    let k = try NetworkSphereKernel(elu, kind: .ntk)
    let t1 = Date()
    _ = try GegenbauerSpectrum(kernel: k, dimension: 3, kmax: 1000)
    let t2 = Date()
    _ = try GegenbauerSpectrum(kernel: k, dimension: 3, kmax: 1000)
    let t3 = Date()
    let q0 = Date()
    let fine = try FunkHeckeQuadrature(kernel: k, dimension: 3, kmax: 1000, nodesPerHalf: 1173)
    let q1 = Date()
    let errs = fine.magnitude.map { $0 * 1e-15 }
    _ = FittedTail(fitting: fine.mu, error: errs, dimension: 3, accuracy: 1e-9)
    let q2 = Date()
    print("quadrature \(q1.timeIntervalSince(q0)) tail fit \(q2.timeIntervalSince(q1))")
    print(
        "construct \(t1.timeIntervalSince(t0)) spectrum \(t2.timeIntervalSince(t1)) again \(t3.timeIntervalSince(t2))")
default:
    print("usage: SpectrumBenchmark small|large")
}
