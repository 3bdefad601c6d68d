import Foundation
import Testing
import _TestSupport
@testable import GPRegression
import NeuralKernels

/// ARD network kernels (one first-layer sigma_w^2 per input): the first-layer partials against
/// the existing (sigma_w^2, sigma_b^2) derivatives, the O(d n^2) gradient of log p against central
/// differences of log p itself, equal per-input variances against the non-ARD kernel, and ML-II
/// switching off inputs the target does not depend on
/// (Proofs/gp-regression-marginal-likelihood.md, section 5).
@Suite struct ARDMarginalLikelihoodTests {
    static let cases: [(String, Int, KernelKind)] = [
        ("relu", 1, .nngp), ("relu", 2, .nngp), ("relu", 3, .ntk), ("gelu", 3, .nngp), ("gelu", 3, .ntk),
        ("erf", 2, .ntk), ("elu(1)", 3, .ntk), ("leaky_relu(0.2)", 2, .ntk), ("tanh", 2, .nngp),
    ]

    /// Points of unequal norms with a repeated point (rho = 1 off the diagonal).
    static func data(n: Int, d: Int, seed: UInt64) -> (x: [[Double]], y: [Double]) {
        var (x, y) = MarginalLikelihoodGradientTests.data(n: n - 1, d: d, seed: seed)
        x.append(x[1])
        y.append(y[1] + 0.05)
        return (x, y)
    }

    /// dK/dlog w2 = w2 (A g_ij + B g_ii + C g_jj) + the deep part, dK/dlog b2 as stored: the
    /// first-layer partials contracted along the direction of a common sigma_w^2 reproduce
    /// NetworkCovariance's derivatives (themselves checked against the kernel core by
    /// NetworkCovarianceTests), and K is the same matrix.
    @Test(arguments: cases) func firstLayerPartialsReproduceCommonDerivatives(
        _ name: String, _ depth: Int, _ kind: KernelKind
    ) throws {
        let (x, _) = Self.data(n: 9, d: 3, seed: 4)
        let c = NetworkCovariance(activation: try ActivationCatalogue.activation(named: name), depth: depth, kind: kind)
        let w2 = 1.7
        let b2 = 0.3
        let m = c.matrices(x, sigmaW2: w2, sigmaB2: b2, gradient: true)
        let p = c.firstLayerPartials(x, sigmaW2: w2, sigmaB2: b2)
        let n = x.count
        let d = 3
        func g(_ i: Int, _ j: Int) -> Double { (0..<d).reduce(0.0) { $0 + x[i][$1] * x[j][$1] } / Double(d) }
        let scale = m.k.map(Swift.abs).max()!
        for i in 0..<n {
            for j in 0..<n {
                let ij = i * n + j
                #expect(Swift.abs(p.k[ij] - m.k[ij]) <= 1e-15 * scale, "\(name) K[\(i),\(j)]: \(p.k[ij]) vs \(m.k[ij])")
                let dw = p.dLogW2Deep[ij] + w2 * (p.pair[ij] * g(i, j) + p.own(i, j) * g(i, i) + p.own(j, i) * g(j, j))
                #expect(
                    Swift.abs(dw - m.dLogW2[ij]) <= 1e-12 * scale,
                    "\(name) \(kind) dLogW2[\(i),\(j)]: \(dw) vs \(m.dLogW2[ij])")
                #expect(Swift.abs(p.dLogB2[ij] - m.dLogB2[ij]) <= 1e-12 * scale, "\(name) \(kind) dLogB2[\(i),\(j)]")
            }
        }
    }

    /// The ARD gradient against fourth-order central differences of log p (step 1e-3 in the
    /// logarithms, truncation ~ 1e-12), at unequal sigma_{w,a}^2, every component.
    @Test(arguments: cases) func gradientMatchesCentralDifferences(_ name: String, _ depth: Int, _ kind: KernelKind)
        throws
    {
        let (x, y) = Self.data(n: 14, d: 4, seed: 8)
        let gp = ARDExactGP(
            covariance: NetworkCovariance(
                activation: try ActivationCatalogue.activation(named: name), depth: depth, kind: kind))
        let h = ARDExactGP.Hyperparameters(sigmaW2: [2.1, 0.4, 1.1, 0.05], sigmaW2Deep: 1.3, sigmaB2: 0.2, noise: 0.04)
        let logs = gp.logs(h)
        let e = try gp.logMarginalLikelihood(x, y, h)
        #expect(e.gradient.count == logs.count)
        let step = 1e-3
        var worst = 0.0
        for k in logs.indices {
            func f(_ t: Double) throws -> Double {
                var l = logs
                l[k] += t
                return try gp.logMarginalLikelihood(x, y, gp.hyperparameters(logs: l, inputs: 4), gradient: false).value
            }
            let fd = (8 * (try f(step) - f(-step)) - (try f(2 * step) - f(-2 * step))) / (12 * step)
            let error = Swift.abs(e.gradient[k] - fd) / max(1, Swift.abs(fd))
            worst = max(worst, error)
            #expect(error <= 1e-8, "\(name) d\(depth) \(kind) component \(k): \(e.gradient[k]) vs \(fd)")
        }
        print("ARD gradient check \(name) depth \(depth) \(kind): worst relative error \(worst)")
    }

    /// Equal sigma_{w,a}^2 = sigma_w^2: the same log p as ExactGP to the last bit (the scaled
    /// inputs are the inputs), the per-input components summing with the deep one to ExactGP's
    /// sigma_w^2 component, and the same sigma_b^2 and noise components.
    @Test(arguments: cases) func equalVariancesReproduceTheCommonKernel(
        _ name: String, _ depth: Int, _ kind: KernelKind
    ) throws {
        let (x, y) = Self.data(n: 14, d: 4, seed: 2)
        let covariance = NetworkCovariance(
            activation: try ActivationCatalogue.activation(named: name), depth: depth, kind: kind)
        let common = ExactGP.Hyperparameters(sigmaW2: 1.3, sigmaB2: 0.2, noise: 0.04)
        let ard = ARDExactGP(covariance: covariance)
        let h = ARDExactGP.Hyperparameters(common, inputs: 4)
        #expect(ard.scaledInputs(x, h) == x || depth == 1)
        let reference = try ExactGP(covariance: covariance).logMarginalLikelihood(x, y, common)
        let value = try ard.logMarginalLikelihood(x, y, h, gradient: false).value
        if depth > 1 { #expect(value == reference.value, "\(value) vs \(reference.value)") }
        let e = try ard.logMarginalLikelihood(x, y, h)
        #expect(relativeError(e.value, reference.value) <= 1e-14, "\(e.value) vs \(reference.value)")
        let weights = e.gradient.count - 2
        let sum = e.gradient[0..<weights].reduce(0, +)
        let tolerance = 1e-11 * max(1, Swift.abs(reference.gradient[0]))
        #expect(Swift.abs(sum - reference.gradient[0]) <= tolerance, "\(name): sum \(sum) vs \(reference.gradient[0])")
        #expect(
            Swift.abs(e.gradient[weights] - reference.gradient[1]) <= 1e-11 * max(1, Swift.abs(reference.gradient[1])))
        #expect(
            Swift.abs(e.gradient[weights + 1] - reference.gradient[2]) <= 1e-11
                * max(1, Swift.abs(reference.gradient[2])))
        // Predictions too: the ARD predictor is ExactGP's on the (unchanged) inputs.
        let test = Array(x.prefix(3)).map { $0.map { 0.8 * $0 + 0.1 } }
        let p = try ard.predict(train: x, y, test: test, h)
        let q = try ExactGP(covariance: covariance).predict(train: x, y, test: test, common)
        for t in 0..<3 {
            #expect(
                relativeError(p.mean[t], q.mean[t]) <= 1e-14 && relativeError(p.variance[t], q.variance[t]) <= 1e-14)
        }
    }

    /// A target of the first input only: ML-II drives the other inputs' sigma_{w,a}^2 to (or near)
    /// the box's lower bound 1e-4, far below the relevant input's, and the fit's log p beats the
    /// common-sigma_w^2 fit's.
    @Test(arguments: [("relu", 2, KernelKind.nngp), ("gelu", 2, .ntk)])
    func marginalLikelihoodSwitchesOffIrrelevantInputs(_ name: String, _ depth: Int, _ kind: KernelKind) throws {
        var random = GaussianRandomSource(seed: 21)
        let x = (0..<80).map { _ in (0..<4).map { _ in random.normal() } }
        let y = x.map { sin(1.5 * $0[0]) + 0.05 * random.normal() }
        let covariance = NetworkCovariance(
            activation: try ActivationCatalogue.activation(named: name), depth: depth, kind: kind)
        let fit = try ARDExactGP(covariance: covariance).optimise(x, y, restarts: 1)
        let w = fit.hyperparameters.sigmaW2
        print(
            "ARD fit \(name) d\(depth) \(kind): sigma_w2_ard \(w), deep \(fit.hyperparameters.sigmaW2Deep), "
                + "b2 \(fit.hyperparameters.sigmaB2), noise \(fit.hyperparameters.noise), log p \(fit.logLikelihood), "
                + "\(fit.evaluations) evaluations, converged \(fit.converged)")
        #expect(fit.converged)
        for a in 1..<4 { #expect(w[a] <= 1e-2 * w[0], "input \(a): \(w[a]) vs relevant \(w[0])") }
        let common = try ExactGP(covariance: covariance).optimise(x, y, restarts: 1)
        #expect(fit.logLikelihood > common.logLikelihood + 1, "\(fit.logLikelihood) vs \(common.logLikelihood)")
    }
}
