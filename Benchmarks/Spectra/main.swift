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
    return Double(usage.ru_maxrss) / 1024    // kilobytes on Linux
}

let mode = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "small"
let relu = try NetworkSphereKernel(NetworkKernel(activation: .relu, depth: 2), kind: .ntk)
let elu = try NetworkSphereKernel(NetworkKernel(activation: .elu(1), depth: 4), kind: .ntk)
switch mode {
case "small":
    for (name, kernel) in [("relu-ntk-2", relu), ("elu-ntk-4", elu)] as [(String, NetworkSphereKernel)] {
        var s: GegenbauerSpectrum? = nil
        let t = try seconds { s = try GegenbauerSpectrum(kernel: kernel, dimension: 3, kmax: 1000) }
        let resolved = s!.resolved.filter { $0 }.count
        print(String(format: "  rkhs %-12@ kmax = 1000, d = 3: %8.3f s   (%d/1001 resolved, mu_1000 = %.6e +- %.1e)",
                     name as NSString, t, resolved, s!.mu[1000], s!.error[1000]))
        print("BENCH rkhs \(name) \(t)")
    }
case "large":
    let before = peakMemoryMB()
    var s: GegenbauerSpectrum? = nil
    let t = try seconds { s = try GegenbauerSpectrum(kernel: elu, dimension: 3, kmax: 100_000) }
    let resolved = s!.resolved.filter { $0 }.count
    print(String(format: "  rkhs elu-ntk-4  kmax = 100000, d = 3: %8.3f s   peak memory %.0f MB (%.0f MB before)   %d/100001 resolved, quadrature to k = %d",
                 t, peakMemoryMB(), before, resolved, s!.quadratureDegree))
    print("BENCH rkhs elu-ntk-4-100000 \(t)")
default:
    print("usage: SpectrumBenchmark small|large")
}
