import Foundation
import _NumericalBackends

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
        count = n
        var c = [Double](repeating: 0, count: 2 * n)
        for j in 0...(n / 2) {
            let value = kernel(cos(2 * Double.pi * Double(j) / Double(n)))
            c[2 * j] = value
            if j > 0 { c[2 * (n - j)] = value }       // symmetric: C_{n-j} = C_j, computed once
        }
        let dft = FFTWComplexTransform(count: n, forward: true)(c)
        var amplitudes = [Double](repeating: 0, count: n)
        var negative = 0.0, largest = 0.0
        for m in 0..<n {
            let lambda = dft[2 * m]
            largest = max(largest, lambda)
            if lambda < 0 { negative = min(negative, lambda) }
            amplitudes[m] = (max(lambda, 0) / Double(n)).squareRoot()
        }
        self.amplitudes = amplitudes
        self.mostNegativeEigenvalue = negative
        self.largestEigenvalue = largest
        self.transform = FFTWComplexTransform(count: n, forward: false)
    }

    /// Two independent exact sample paths (values at theta_j), from the generator.
    public func samplePair(_ random: GSLRandom) -> ([Double], [Double]) {
        var z = [Double](repeating: 0, count: 2 * count)
        for m in 0..<count {
            z[2 * m] = amplitudes[m] * random.normal()
            z[2 * m + 1] = amplitudes[m] * random.normal()
        }
        let y = transform(z)
        var re = [Double](repeating: 0, count: count), im = re
        for j in 0..<count { re[j] = y[2 * j]; im[j] = y[2 * j + 1] }
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
