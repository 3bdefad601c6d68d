import Foundation
import NeuralKernels
import SamplePaths
import _NumericalBackends

/// Sample-path timings (issue 6): exact circulant sampling of one path on n points of a great
/// circle, kernel evaluation included, against Cholesky sampling (LAPACK dpotrf + dtrmv) of the
/// same Gaussian process at small n, with the fitted growth exponent of each
/// (time ~ n^e). Benchmarks/sklearn_paths.py prints scikit-learn's figures beside these.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

/// Best of `repeats` (the machine is shared; the minimum is the least disturbed run).
func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var t = Double.infinity
    for _ in 0..<repeats { t = min(t, try seconds(body)) }
    return t
}

func growth(_ points: [(Int, Double)]) -> Double {
    LogLogFit(points: points.map { (log2h: log2(Double($0.0)), log2value: log2($0.1)) }, power: 1).exponent
}

let network = try NetworkKernel(activation: .relu, depth: 3)
let sphere = try SphereKernel(network)
print(
    "one exact sample path of the depth-3 ReLU NNGP on a great circle (\(ProcessInfo.processInfo.activeProcessorCount) cores)"
)
var circulant: [(Int, Double)] = []
for log2n in [16, 18, 20, 22] {
    let n = 1 << log2n
    var path: [Double] = []
    let t = try best(log2n >= 22 ? 1 : 3) {
        let sampler = CirculantSampler(points: n, sphere: sphere, kind: .nngp)
        path = sampler.sample(paths: 1, seed: 1)[0]
    }
    circulant.append((n, t))
    print(
        String(
            format: "  circulant (FFTW), n = 2^%d = %8d: %8.3f s   (kernel + eigenvalues + one path; value[1] = %.6f)",
            log2n, n, t, path[1]))
    print("BENCH circulant \(n) \(t)")
}
print(String(format: "  circulant cost growth: n^%.2f (n log n: about n^1.05 here)", growth(circulant)))
do {
    // Where the time goes at n = 2^20: the kernel row, the eigenvalues, one pair of paths.
    let n = 1 << 20
    var row: [Double] = []
    let tKernel = best(3) {
        row = (0...(n / 2)).map { j -> Double in
            let theta = 2 * Double.pi * Double(j) / Double(n)
            let s = sin(0.5 * theta)
            let c = cos(0.5 * theta)
            return sphere.values(cos(theta), oneMinusT: 2 * s * s, onePlusT: 2 * c * c).nngp
        }
    }
    var sampler: CirculantSampler? = nil
    let tEigen = best(3) { sampler = CirculantSampler(points: n, firstRow: row) }
    let tPath = best(3) { _ = sampler!.sample(paths: 1, seed: 1) }
    print(
        String(
            format: "  at n = 2^20: kernel row %.3f s (one core), eigenvalues %.3f s, one path %.3f s", tKernel, tEigen,
            tPath))
}
var cholesky: [(Int, Double)] = []
for n in [1024, 2048, 4096] {
    let t = try best(2) {
        let row = (0...(n / 2)).map { j -> Double in
            let theta = 2 * Double.pi * Double(j) / Double(n)
            let s = sin(0.5 * theta)
            let c = cos(0.5 * theta)
            return sphere.values(cos(theta), oneMinusT: 2 * s * s, onePlusT: 2 * c * c).nngp
        }
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let d = Swift.abs(i - j)
                k[i * n + j] = row[min(d, n - d)]
            }
        }
        // A relative 1e-10 jitter: the smallest eigenvalues of a 1.5-regular kernel on a fine
        // grid are at round-off level, where dpotrf would otherwise fail.
        for i in 0..<n { k[i * n + i] += 1e-10 * row[0] }
        try LAPACK.cholesky(&k, n: n)
        let random = GSLRandom(seed: 1)
        var z = (0..<n).map { _ in random.normal() }
        LAPACK.lowerTriangularMultiply(k, n: n, &z)
    }
    cholesky.append((n, t))
    print(String(format: "  Cholesky (LAPACK),  n = %8d: %8.3f s", n, t))
    print("BENCH cholesky \(n) \(t)")
}
print(String(format: "  Cholesky cost growth: n^%.2f (n^3 asymptotically)", growth(cholesky)))
print("BENCH growth circulant \(growth(circulant))")
print("BENCH growth cholesky \(growth(cholesky))")
