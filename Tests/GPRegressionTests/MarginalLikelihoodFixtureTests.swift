import Foundation
import Testing
import _TestSupport
import GPRegression
import NeuralKernels

/// Against scripts/fixtures/gp_marginal_likelihood_fixtures.py (mpmath, 50 digits): the Gram
/// matrix, log p(y), its gradient in the log-hyperparameters (the fixture's is a central
/// difference at 50 digits, not the trace formula), and the predictive mean and variance.
@Suite struct MarginalLikelihoodFixtureTests {
    struct Case {
        let activation: String
        let depth: Int
        let kind: KernelKind
        let gram: [Double]
        let value: Double
        let gradient: [Double]
        let mean: [Double]
        let variance: [Double]
    }

    static let fixture: (x: [[Double]], y: [Double], test: [[Double]], h: ExactGP.Hyperparameters, cases: [Case]) = {
        let url = Bundle.module.url(
            forResource: "marginal_likelihood", withExtension: "json", subdirectory: "Fixtures")!
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func nums(_ v: Any?) -> [Double] { (v as! [String]).map { Double($0)! } }
        func rows(_ v: Any?) -> [[Double]] { (v as! [[String]]).map { $0.map { Double($0)! } } }
        let cases = (json["cases"] as! [[String: Any]]).map { c in
            Case(
                activation: c["activation"] as! String, depth: c["depth"] as! Int,
                kind: KernelKind(rawValue: c["kernel"] as! String)!, gram: rows(c["gram"]).flatMap { $0 },
                value: Double(c["log_likelihood"] as! String)!, gradient: nums(c["gradient"]),
                mean: nums(c["predictive_mean"]), variance: nums(c["predictive_variance"]))
        }
        let h = ExactGP.Hyperparameters(
            sigmaW2: Double(json["sigma_w2"] as! String)!, sigmaB2: Double(json["sigma_b2"] as! String)!,
            noise: Double(json["noise"] as! String)!)
        return (rows(json["x_train"]), nums(json["y_train"]), rows(json["x_test"]), h, cases)
    }()

    static var cases: [Int] { Array(fixture.cases.indices) }

    /// The parametrised tests below run once per case: a fixture with fewer cases must fail
    /// here rather than run fewer tests.
    @Test func fixtureHasEveryCase() {
        #expect(Self.fixture.cases.count == 6, "marginal_likelihood.json: \(Self.fixture.cases.count) cases")
    }

    func gp(_ c: Case) throws -> ExactGP {
        ExactGP(
            covariance: NetworkCovariance(
                activation: try ActivationCatalogue.activation(named: c.activation), depth: c.depth, kind: c.kind))
    }

    @Test(arguments: cases) func gramMatrixMatchesReference(_ index: Int) throws {
        let f = Self.fixture
        let c = f.cases[index]
        let k = try gp(c).covariance.matrices(f.x, sigmaW2: f.h.sigmaW2, sigmaB2: f.h.sigmaB2, gradient: true).k
        let scale = c.gram.map(Swift.abs).max()!
        for (a, b) in zip(k, c.gram) {
            #expect(Swift.abs(a - b) <= 1e-14 * scale, "\(c.activation) \(c.depth) \(c.kind): \(a) vs \(b)")
        }
    }

    @Test(arguments: cases) func logLikelihoodAndGradientMatchReference(_ index: Int) throws {
        let f = Self.fixture
        let c = f.cases[index]
        let e = try gp(c).logMarginalLikelihood(f.x, f.y, f.h)
        #expect(
            relativeError(e.value, c.value) <= 1e-13, "\(c.activation) \(c.depth) \(c.kind): \(e.value) vs \(c.value)")
        // Closed-form partials (ReLU) are exact; erf's scaling derivatives are central
        // differences (DualPartials.step), about 1e-10 relative.
        let tolerance = c.activation == "relu" ? 1e-11 : 2e-9
        let scale = c.gradient.map(Swift.abs).max()!
        for p in 0..<3 {
            #expect(
                Swift.abs(e.gradient[p] - c.gradient[p]) <= tolerance * scale,
                "\(c.activation) \(c.depth) \(c.kind) component \(p): \(e.gradient[p]) vs \(c.gradient[p])")
        }
    }

    @Test(arguments: cases) func predictiveMeanAndVarianceMatchReference(_ index: Int) throws {
        let f = Self.fixture
        let c = f.cases[index]
        let p = try gp(c).predict(train: f.x, f.y, test: f.test, f.h)
        for k in 0..<f.test.count {
            #expect(relativeError(p.mean[k], c.mean[k]) <= 1e-11 || Swift.abs(p.mean[k] - c.mean[k]) <= 1e-13)
            #expect(relativeError(p.variance[k], c.variance[k]) <= 1e-11, "\(p.variance[k]) vs \(c.variance[k])")
        }
    }
}
