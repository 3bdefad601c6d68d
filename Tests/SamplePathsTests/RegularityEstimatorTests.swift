import Foundation
import Testing
import NeuralKernels
import _NumericalBackends
@testable import SamplePaths

/// Regularity estimators against covariances whose regularity is known exactly, and the
/// exact variogram against closed forms and Monte Carlo.
@Suite struct RegularityEstimatorTests {
    /// C(theta) = exp(-|theta|) on the circle (|theta| <= pi): positive definite (its Fourier
    /// coefficients (1 - (-1)^k e^{-pi}) / (pi (1 + k^2)) are positive) and C(h) = 1 - |h| + ...,
    /// so its paths (a periodic Ornstein-Uhlenbeck process) have regularity exactly 1/2.
    static func ornsteinUhlenbeck(_ n: Int) -> CirculantSampler {
        CirculantSampler(points: n, firstRow: (0...(n / 2)).map { exp(-2 * Double.pi * Double($0) / Double(n)) })
    }

    /// Both estimators on 40 Ornstein-Uhlenbeck paths (n = 2^14, p = 2, scales 2^2..2^7):
    /// quadratic variation within 0.02 of 1/2; the sup-norm one within 0.04 of 1/2 plus its
    /// stated Gaussian bias -1/(2 ln(n/h)).
    @Test func ornsteinUhlenbeckHasRegularityOneHalf() throws {
        let n = 1 << 14
        let paths = Self.ornsteinUhlenbeck(n).sample(paths: 40, seed: 3)
        let qv = RegularitySummary(paths.map(QuadraticVariation(order: 2, scales: 2...7).regularity))
        let sup = SupremumVariation(order: 2, scales: 2...7)
        let hoelder = RegularitySummary(paths.map(sup.regularity))
        let bias = sup.gaussianBias(points: n)
        print(
            "OU: QV \(qv.mean) +- \(qv.standardError), sup \(hoelder.mean) +- \(hoelder.standardError) (0.5 + bias \(bias))"
        )
        #expect(Swift.abs(qv.mean - 0.5) <= 0.02)
        #expect(Swift.abs(hoelder.mean - (0.5 + bias)) <= 0.04)
        #expect(bias < -0.04 && bias > -0.08)
    }

    /// The exact variogram of exp(-|theta|) with p = 2 is 6 - 8 e^{-h} + 2 e^{-2h} (closed form).
    @Test func exactVariogramMatchesClosedForm() {
        let exact = ExactVariogram(order: 2) { exp(-Swift.abs($0)) }
        for h in [1e-3, 0.01, 0.1, 0.5] {
            let closed = 6 - 8 * exp(-h) + 2 * exp(-2 * h)
            let v = exact(step: h)
            #expect(Swift.abs(v.value - closed) <= 1e-13 + v.error, "h \(h): \(v.value) vs \(closed)")
        }
    }

    /// The NNGP deficit route agrees with plain subtraction where subtraction is accurate,
    /// and keeps the exact local exponent 2a down to h = 1e-3, where subtraction is noise
    /// (V ~ 1e-15 for ELU, below the 1e-14 round-off of differenced kernel values):
    /// ReLU 1.5 and ELU(1) 2.5 (depth 3) within 0.002.
    @Test(arguments: [(Activation.relu, 1.5), (.elu(1), 2.5)])
    func exactVariogramHasTheTheoreticalExponent(_ activation: Activation, _ a: Double) throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: activation, depth: 3))
        let deficit = ExactVariogram(order: 4, sphere: sphere, kind: .nngp)
        let subtraction = ExactVariogram(order: 4) { sphere.nngp(cos($0)) }
        let coarse = deficit(step: 0.3).value
        let coarseSub = subtraction(step: 0.3).value
        #expect(Swift.abs(coarse - coarseSub) <= 1e-9 * coarse)
        let h = 1e-3
        let v1 = deficit(step: h)
        let v2 = deficit(step: 2 * h)
        #expect(v1.error <= 0.01 * v1.value)
        if a > 2 { #expect(subtraction(step: h).error > 0.1 * v1.value) }
        let local = log2(v2.value / v1.value) / 2
        #expect(Swift.abs(local - a) <= 0.002, "\(activation): local exponent \(local)")
    }

    /// The sampler's paths have the exact expected variogram: the mean over 400 paths of the
    /// empirical V(h) (n = 1024, ReLU depth 3) lies within 4 standard errors of the exact
    /// value at h = 1, 4, 16 grid steps.
    @Test func empiricalVariogramMatchesExact() throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: .relu, depth: 3))
        let n = 1024
        let sampler = CirculantSampler(points: n, sphere: sphere, kind: .nngp)
        let exact = ExactVariogram(order: 2, sphere: sphere, kind: .nngp)
        let paths = sampler.sample(paths: 400, seed: 9)
        let differences = PeriodicDifferences(order: 2)
        for h in [1, 4, 16] {
            let values = paths.map { x in differences(x, lag: h).reduce(0) { $0 + $1 * $1 } / Double(n) }
            let s = RegularitySummary(values)
            let target = exact(step: 2 * Double.pi * Double(h) / Double(n)).value
            #expect(
                Swift.abs(s.mean - target) <= 4 * s.standardError,
                "h \(h): \(s.mean) +- \(s.standardError) vs \(target)")
            #expect(s.standardError <= 0.05 * target)
        }
    }

    /// ELU(1) NNGP, depth 3, n = 2^16, 50 paths: regularity 2.5 within 0.05. The scales come
    /// from ``ScaleSelection``: the finest ones, where the eigenvalues' round-off floor
    /// (about eps sqrt(n) C(0)) exceeds V(h) ~ h^5, are left out, by comparing the exact
    /// variogram with the sampler's expected one; the scales kept agree within 1%.
    @Test func eluNNGPRegularity() throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: .elu(1), depth: 3))
        let sampler = CirculantSampler(points: 1 << 16, sphere: sphere, kind: .nngp)
        let prediction = RegularityPrediction(network: sphere.network, kind: .nngp)
        #expect(prediction == .exponent(2.5))
        let p = prediction.differenceOrder
        let selection = ScaleSelection(sampler: sampler, exact: ExactVariogram(order: p, sphere: sphere, kind: .nngp))
        let chosen = try #require(selection.chosen)
        #expect(chosen.lowerBound >= 3)  // the floor is real: the finest scales are unresolved
        #expect(selection.scales.first.map { $0.sampled > 10 * $0.exact } == true)
        let estimates = RegularitySummary(
            sampler.sample(paths: 50, seed: 2024).map(QuadraticVariation(order: p, scales: chosen).regularity))
        print("ELU NNGP: p \(p), scales \(chosen), regularity \(estimates.mean) +- \(estimates.standardError)")
        #expect(Swift.abs(estimates.mean - 2.5) <= 0.05)
    }

    /// ReLU NNGP (depth 3, n = 2^16, 30 paths): the sup-norm estimator gives 1.5 plus its
    /// Gaussian bias within 0.04 on the selected scales.
    @Test func supNormEstimatorOnNNGPPaths() throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: .relu, depth: 3))
        let n = 1 << 16
        let sampler = CirculantSampler(points: n, sphere: sphere, kind: .nngp)
        let selection = ScaleSelection(sampler: sampler, exact: ExactVariogram(order: 4, sphere: sphere, kind: .nngp))
        let chosen = try #require(selection.chosen)
        let sup = SupremumVariation(order: 4, scales: chosen)
        let s = RegularitySummary(sampler.sample(paths: 30, seed: 5).map(sup.regularity))
        let bias = sup.gaussianBias(points: n)
        print("ReLU NNGP sup-norm: scales \(chosen), \(s.mean) +- \(s.standardError), 1.5 + bias = \(1.5 + bias)")
        #expect(Swift.abs(s.mean - (1.5 + bias)) <= 0.04)
    }

    /// A smooth activation (GELU, depth 3): no finite exponent is predicted, the selected
    /// scales are the coarse ones where V ~ h^{2p} clears the round-off floor, and the
    /// estimate saturates at the difference order p = 4 (within 0.15; n = 2^14, 4 paths).
    @Test func smoothKernelSaturatesAtTheDifferenceOrder() throws {
        let sphere = try SphereKernel(try NetworkKernel(activation: .gelu, depth: 3))
        let prediction = RegularityPrediction(network: sphere.network, kind: .nngp)
        #expect(prediction == .smooth)
        let sampler = CirculantSampler(points: 1 << 14, sphere: sphere, kind: .nngp)
        let selection = ScaleSelection(sampler: sampler, exact: ExactVariogram(order: 4, sphere: sphere, kind: .nngp))
        let chosen = try #require(selection.chosen)
        let s = RegularitySummary(
            sampler.sample(paths: 4, seed: 1).map(QuadraticVariation(order: 4, scales: chosen).regularity))
        print("GELU: scales \(chosen), \(s.mean) +- \(s.standardError)")
        #expect(Swift.abs(s.mean - 4) <= 0.15)
    }
}
