import Foundation
import _NumericalBackends
import NeuralKernels

/// Exact samples of a stationary Gaussian process on a great circle, by circulant embedding.
///
/// On n equispaced angles theta_j = 2 pi j / n of a great circle of S^{d-1}, a dot-product
/// kernel gives the covariance C(theta_i - theta_j) = kappa(cos(theta_i - theta_j)): the matrix
/// is circulant, diagonalised by the DFT, with real eigenvalues lambda_m = sum_j C_j e^{-2 pi i j m / n}.
/// With Z_m = A_m + i B_m (A, B independent standard normals),
///
///     y_j = sum_m sqrt(lambda_m / n) Z_m e^{2 pi i j m / n}
///
/// has Re y and Im y independent with covariance exactly C: two exact paths per FFT, O(n log n)
/// each (Proofs/circulant-embedding-on-the-circle.md). Eigenvalues below 0 are round-off of
/// a positive definite kernel; they are clipped and the most negative is reported.
public struct CirculantSampler: Sendable {
    public let count: Int
    /// sqrt(max(lambda_m, 0) / n).
    let amplitudes: [Double]
    /// The most negative eigenvalue that was clipped (0 if none), and the largest eigenvalue.
    public let mostNegativeEigenvalue: Double
    public let largestEigenvalue: Double
    private let transform: FFTWComplexTransform

    /// `kernel(t)` at t = cos(theta); n points on the circle.
    public init(points n: Int, kernel: (Double) -> Double) {
        precondition(n >= 2)
        var row = [Double](repeating: 0, count: n / 2 + 1)
        for j in 0...(n / 2) { row[j] = kernel(cos(2 * Double.pi * Double(j) / Double(n))) }
        self.init(points: n, firstRow: row)
    }

    /// The NNGP or NTK of `sphere` as covariance, each C_j evaluated with 1 - t = 2 sin^2(theta_j/2)
    /// and 1 + t = 2 cos^2(theta_j/2) passed exactly: rounding t = cos(theta_j) first would
    /// blur the small lags, where the kernel's singular term (1 - t)^a decides the
    /// paths' regularity. The kernel is evaluated directly (no table, whose 1e-14 error
    /// would raise the round-off floor of the eigenvalues a hundredfold), in parallel.
    public init(points n: Int, sphere: SphereKernel, kind: KernelKind) {
        precondition(n >= 2)
        let half = n / 2
        let row = concurrentMap(half + 1) { j -> Double in
            let theta = 2 * Double.pi * Double(j) / Double(n)
            let s = sin(0.5 * theta)
            let c = cos(0.5 * theta)
            let v = sphere.values(cos(theta), oneMinusT: 2 * s * s, onePlusT: 2 * c * c)
            return kind == .nngp ? v.nngp : v.ntk
        }
        self.init(points: n, firstRow: row)
    }

    /// C_0 ... C_{n/2} of a stationary covariance on the circle; C_{n-j} = C_j.
    public init(points n: Int, firstRow row: [Double]) {
        precondition(n >= 2 && row.count == n / 2 + 1)
        count = n
        // lambda_m = sum_j C_j cos(2 pi j m / n): for even n a DCT-I of the n/2 + 1 distinct
        // values (C_{n-j} = C_j), about four times cheaper than the complex DFT of the full row.
        var lambdas = [Double](repeating: 0, count: n)
        if n % 2 == 0 {
            let half = FFTWCosineTransform(count: n / 2 + 1, kind: .redft00)(row)
            for m in 0...(n / 2) {
                lambdas[m] = half[m]
                if m > 0 { lambdas[n - m] = half[m] }
            }
        } else {
            var c = [Double](repeating: 0, count: 2 * n)
            for j in 0...(n / 2) {
                c[2 * j] = row[j]
                if j > 0 { c[2 * (n - j)] = row[j] }
            }
            let dft = FFTWComplexTransform(count: n, forward: true)(c)
            for m in 0..<n { lambdas[m] = dft[2 * m] }
        }
        var amplitudes = [Double](repeating: 0, count: n)
        var negative = 0.0
        var largest = 0.0
        for m in 0..<n {
            let lambda = lambdas[m]
            largest = max(largest, lambda)
            if lambda < 0 { negative = min(negative, lambda) }
            amplitudes[m] = (max(lambda, 0) / Double(n)).squareRoot()
        }
        self.amplitudes = amplitudes
        self.mostNegativeEigenvalue = negative
        self.largestEigenvalue = largest
        self.transform = FFTWComplexTransform(count: n, forward: false)
    }

    /// The clipped eigenvalues max(lambda_m, 0) actually used, m = 0 ... n - 1.
    public var eigenvalues: [Double] { amplitudes.map { $0 * $0 * Double(count) } }

    /// The expected p-th order variogram of the paths this sampler draws, at lag h grid steps:
    ///
    ///     E[(Delta_h^p y_i)^2] = (1/n) sum_m lambda_m (2 sin(pi m h / n))^{2p}
    ///
    /// (|e^{i phi} - 1|^{2p} is the transfer function of the difference). It includes the
    /// round-off floor of the computed eigenvalues, so comparing it with ``ExactVariogram``
    /// shows at which scales the samples carry the kernel's roughness and not round-off.
    public func expectedVariogram(order p: Int, lag h: Int) -> Double {
        var sum = 0.0
        for m in 0..<count {
            let a = amplitudes[m]
            if a == 0 { continue }
            let s = 2 * sin(Double.pi * Double((m * h) % count) / Double(count))
            sum += a * a * pow(s * s, Double(p))
        }
        return sum
    }

    /// Two independent exact sample paths (values at theta_j), from the generator.
    public func samplePair(_ random: GSLRandom) -> ([Double], [Double]) {
        var z = [Double](repeating: 0, count: 2 * count)
        for m in 0..<count {
            z[2 * m] = amplitudes[m] * random.normal()
            z[2 * m + 1] = amplitudes[m] * random.normal()
        }
        let y = transform(z)
        var re = [Double](repeating: 0, count: count)
        var im = re
        for j in 0..<count {
            re[j] = y[2 * j]
            im[j] = y[2 * j + 1]
        }
        return (re, im)
    }

    /// `m` paths (m rounded up to even internally; the extra one is dropped).
    public func sample(paths m: Int, seed: UInt) -> [[Double]] {
        let random = GSLRandom(seed: seed)
        var out: [[Double]] = []
        while out.count < m {
            let (a, b) = samplePair(random)
            out.append(a)
            if out.count < m { out.append(b) }
        }
        return out
    }
}
