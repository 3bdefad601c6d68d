import Foundation
import Testing
import _TestSupport
@testable import GPRegression
import NeuralKernels

/// The Hermite series route of the regression covariance (Proofs/hermite-series-duals.md,
/// "Scaling derivatives"): the series jet against the direct partials (wedge quadrature and
/// central differences, ``DualPartials``) and against fourth-order differences of the series F
/// and D themselves; Stein's identity on the coefficients; the covariance, its gradients, the
/// ARD first-layer partials, predictions and log p against the direct route; the gradient of
/// log p against central differences; and cheap duals keeping the direct route.
@Suite struct HermiteSeriesPartialsTests {
    static let smooth = ["tanh", "softplus", "silu", "mish"]

    /// (q1, q2, rho): unequal variances, both signs, up to |rho| = 0.95.
    static let pairs: [(Double, Double, Double)] = [
        (0.5, 2.0, 0.3), (1.2, 0.8, -0.7), (3.0, 1.0, 0.9), (0.3, 0.4, 0.95), (1.0, 5.0, -0.2),
    ]

    /// A jet from two expansions' rows, at the orders the regression route takes
    /// (``HermiteCoefficients/forGradients(_:variance:)``), packed at the larger.
    static func jet(_ a: Activation, _ q1: Double, _ q2: Double, rho: Double, ntk: Bool = true) -> DualJet? {
        guard let x = HermiteCoefficients.forGradients(a, variance: q1),
            let y = HermiteCoefficients.forGradients(a, variance: q2)
        else { return nil }
        let order = max(x.value.count, y.value.count) - 1
        let length = HermiteCoefficients.rowLength(order: order)
        var rx = [Double](repeating: 0, count: length)
        var ry = rx
        rx.withUnsafeMutableBufferPointer { x.write(row: $0.baseAddress!, order: order) }
        ry.withUnsafeMutableBufferPointer { y.write(row: $0.baseAddress!, order: order) }
        return rx.withUnsafeBufferPointer { px in
            ry.withUnsafeBufferPointer { py in
                HermiteCoefficients.jet(
                    px.baseAddress!, x.scalars, py.baseAddress!, y.scalars, order: order, rho: rho, gradient: true,
                    ntk: ntk)
            }
        }
    }

    /// Every entry of the series jet against the direct partials: F, D to 1e-12 of their
    /// scales (the wedge quadrature's accuracy: measured 3.3e-13 for mish, where the series
    /// agrees with mpmath to 3e-15, HermiteSeriesTests), S, T and dD/dc to the central
    /// differences' 1e-8 (their truncation and rounding are about 1e-10 ... 1e-9).
    @Test(arguments: smooth) func jetMatchesDirectPartials(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let direct = DualPartials(a)
        for (q1, q2, rho) in Self.pairs {
            let c = rho * (q1 * q2).squareRoot()
            let j = try #require(Self.jet(a, q1, q2, rho: rho), "\(name) \(q1) \(q2) \(rho): not certified")
            let s = direct.scalings(q1: q1, q2: q2, c: c, ntk: true)
            let fScale =
                (direct.nngp(GaussianPair(q1: q1, q2: q1, c: q1)) * direct.nngp(GaussianPair(q1: q2, q2: q2, c: q2)))
                .squareRoot()
            let dScale =
                (direct.derivative(GaussianPair(q1: q1, q2: q1, c: q1))
                * direct.derivative(GaussianPair(q1: q2, q2: q2, c: q2))).squareRoot()
            let label = "\(name) (\(q1), \(q2), \(rho))"
            #expect(Swift.abs(j.nngp - s.f) <= 1e-12 * fScale, "\(label) F: \(j.nngp) vs \(s.f)")
            #expect(Swift.abs(j.derivative - s.d) <= 1e-12 * dScale, "\(label) D: \(j.derivative) vs \(s.d)")
            #expect(
                Swift.abs(j.nngpScaling.first - s.s1) <= 1e-8 * fScale, "\(label) S1: \(j.nngpScaling.first) vs \(s.s1)"
            )
            #expect(Swift.abs(j.nngpScaling.second - s.s2) <= 1e-8 * fScale, "\(label) S2")
            #expect(
                Swift.abs(j.derivativeScaling.first - s.t1) <= 1e-8 * dScale,
                "\(label) T1: \(j.derivativeScaling.first) vs \(s.t1)")
            #expect(Swift.abs(j.derivativeScaling.second - s.t2) <= 1e-8 * dScale, "\(label) T2")
            let slopeScale = dScale / (q1 * q2).squareRoot()
            #expect(
                Swift.abs(j.derivativeSlope - s.dSlope) <= 1e-8 * slopeScale,
                "\(label) dD/dc: \(j.derivativeSlope) vs \(s.dSlope)")
        }
    }

    /// S1, T1 against fourth-order differences of the series F, D along l (F(l^2 q1, q2, l c)
    /// keeps rho), dD/dc against differences of D in c, step 1e-3: truncation ~ h^4 ~ 1e-12,
    /// rounding ~ 1e-14 / h; independent of the direct quadrature.
    @Test(arguments: ["tanh", "softplus"]) func jetMatchesDifferencesOfTheSeries(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let h = 1e-3
        for (q1, q2, rho) in Self.pairs {
            let j = try #require(Self.jet(a, q1, q2, rho: rho))
            func along(_ t: Double) throws -> DualJet {
                try #require(Self.jet(a, (1 + t) * (1 + t) * q1, q2, rho: rho))
            }
            func across(_ t: Double) throws -> DualJet {
                // c + t sqrt(q1 q2): rho + t.
                try #require(Self.jet(a, q1, q2, rho: rho + t))
            }
            func fd(_ f: (Double) throws -> Double) rethrows -> Double {
                (8 * (try f(h) - f(-h)) - (try f(2 * h) - f(-2 * h))) / (12 * h)
            }
            let s1 = try fd { try along($0).nngp }
            let t1 = try fd { try along($0).derivative }
            let slope = try fd { try across($0).derivative } / (q1 * q2).squareRoot()
            let label = "\(name) (\(q1), \(q2), \(rho))"
            let scale = max(1, Swift.abs(j.nngp))
            #expect(
                Swift.abs(j.nngpScaling.first - s1) <= 1e-10 * scale, "\(label) S1: \(j.nngpScaling.first) vs \(s1)")
            #expect(
                Swift.abs(j.derivativeScaling.first - t1) <= 1e-10 * scale,
                "\(label) T1: \(j.derivativeScaling.first) vs \(t1)")
            #expect(
                Swift.abs(j.derivativeSlope - slope) <= 1e-10 * scale / (q1 * q2).squareRoot(),
                "\(label) dD/dc: \(j.derivativeSlope) vs \(slope)")
        }
    }

    /// Stein's lemma on the coefficients, sqrt(q) b_k = sqrt(k+1) a_{k+1} (k < 200), to 1e-14 of
    /// sqrt(E[phi(u)^2]); and the scaling moments at u = v against the direct differences at rho = 1.
    @Test(arguments: smooth) func steinIdentityAndDiagonalMoments(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let direct = DualPartials(a)
        for q in [0.2, 1.0, 4.0] {
            let e = try #require(HermiteCoefficients(a, variance: q))
            let scale = e.valueEnergy.squareRoot()
            var worst = 0.0
            for k in 0..<200 {
                worst = max(
                    worst, Swift.abs(q.squareRoot() * e.derivative[k] - Double(k + 1).squareRoot() * e.value[k + 1]))
            }
            #expect(worst <= 1e-14 * scale, "\(name) q = \(q): Stein off by \(worst / scale)")
            let s = direct.scalings(q1: q, q2: q, c: q, ntk: true)
            let j = HermiteCoefficients.diagonalJet(e.scalars)
            #expect(
                Swift.abs(j.nngpScaling.first - s.s1) <= 1e-8 * e.valueEnergy,
                "\(name) q = \(q) S: \(j.nngpScaling.first) vs \(s.s1)")
            #expect(
                Swift.abs(j.derivativeScaling.first - s.t1) <= 1e-8 * e.derivativeEnergy,
                "\(name) q = \(q) T: \(j.derivativeScaling.first) vs \(s.t1)")
        }
    }

    /// Points of unequal norms in R^4 with a repeated point (rho = 1 off the diagonal).
    static func data(n: Int, seed: UInt64) -> (x: [[Double]], y: [Double]) {
        var (x, y) = MarginalLikelihoodGradientTests.data(n: n - 1, d: 4, seed: seed)
        x.append(x[1])
        y.append(y[1] + 0.05)
        return (x, y)
    }

    static let routeCases: [(String, Int, KernelKind)] = [
        ("tanh", 1, .ntk), ("tanh", 2, .nngp), ("tanh", 2, .ntk), ("tanh", 3, .nngp), ("tanh", 3, .ntk),
        ("softplus", 2, .nngp), ("softplus", 2, .ntk), ("softplus", 3, .ntk),
    ]

    static func relative(_ u: [Double], _ v: [Double]) -> Double {
        let scale = v.map(Swift.abs).max() ?? 0
        return zip(u, v).map { Swift.abs($0 - $1) }.max().map { $0 / max(scale, .leastNormalMagnitude) } ?? 0
    }

    /// K, its (w2, b2) derivatives, the ARD first-layer partials, the cross-covariance and log p
    /// with its gradient and the predictions, series route against direct route: values 1e-12
    /// relative (K; 1e-10 for log p and predictions), derivatives 5e-9, the direct route's own
    /// differencing error (its S, T by central differences: measured up to 2.4e-9 relative on
    /// the ARD partials of softplus). That the difference is the direct route's error shows in
    /// the derivatives against fourth-order differences of K itself: the series route's
    /// within 1e-10, and at most as far off as the direct route's.
    @Test(arguments: routeCases) func covarianceMatchesDirectRoute(_ name: String, _ depth: Int, _ kind: KernelKind)
        throws
    {
        let (x, y) = Self.data(n: 8, seed: 5)
        let a = try ActivationCatalogue.activation(named: name)
        let series = NetworkCovariance(activation: a, depth: depth, kind: kind)
        var direct = series
        direct.seriesRoute = false
        #expect(series.usesSeries == (depth > 1))
        let (w2, b2) = (1.7, 0.3)
        let ms = series.matrices(x, sigmaW2: w2, sigmaB2: b2, gradient: true)
        let md = direct.matrices(x, sigmaW2: w2, sigmaB2: b2, gradient: true)
        let label = "\(name) depth \(depth) \(kind)"
        #expect(Self.relative(ms.k, md.k) <= 1e-12, "\(label) K: \(Self.relative(ms.k, md.k))")
        #expect(Self.relative(ms.dLogW2, md.dLogW2) <= 5e-9, "\(label) dLogW2: \(Self.relative(ms.dLogW2, md.dLogW2))")
        #expect(Self.relative(ms.dLogB2, md.dLogB2) <= 5e-9, "\(label) dLogB2: \(Self.relative(ms.dLogB2, md.dLogB2))")
        // Fourth-order central differences of K in log w2 and log b2, step 1e-3 (truncation ~1e-12).
        let step = 1e-3
        func fd(_ c: NetworkCovariance, _ k: (NetworkCovariance, Double) -> [Double]) -> [Double] {
            let p1 = k(c, step)
            let m1 = k(c, -step)
            let p2 = k(c, 2 * step)
            let m2 = k(c, -2 * step)
            return (0..<p1.count).map { (8 * (p1[$0] - m1[$0]) - (p2[$0] - m2[$0])) / (12 * step) }
        }
        for (which, s, d) in [("dLogW2", ms.dLogW2, md.dLogW2), ("dLogB2", ms.dLogB2, md.dLogB2)] {
            let reference = fd(series) { c, t in
                which == "dLogW2"
                    ? c.matrices(x, sigmaW2: w2 * exp(t), sigmaB2: b2, gradient: false).k
                    : c.matrices(x, sigmaW2: w2, sigmaB2: b2 * exp(t), gradient: false).k
            }
            let seriesError = Self.relative(s, reference)
            let directError = Self.relative(d, reference)
            print(
                "HermiteSeriesPartialsTests \(label) \(which) vs differences of K: series \(seriesError), direct \(directError)"
            )
            #expect(seriesError <= 1e-10, "\(label) \(which) series vs differences of K: \(seriesError)")
            #expect(
                seriesError <= max(directError, 1e-11),
                "\(label) \(which): series \(seriesError), direct \(directError)")
        }
        let ps = series.firstLayerPartials(x, sigmaW2: w2, sigmaB2: b2)
        let pd = direct.firstLayerPartials(x, sigmaW2: w2, sigmaB2: b2)
        for (u, v, what) in [
            (ps.k, pd.k, "K"), (ps.pair, pd.pair, "A"), (ps.first, pd.first, "B"), (ps.second, pd.second, "C"),
            (ps.dLogW2Deep, pd.dLogW2Deep, "dLogW2Deep"), (ps.dLogB2, pd.dLogB2, "dLogB2"),
        ] {
            #expect(
                Self.relative(u, v) <= (what == "K" ? 1e-12 : 5e-9),
                "\(label) first-layer \(what): \(Self.relative(u, v))")
        }
        let test = Array(x.prefix(3)).map { $0.map { 0.7 * $0 + 0.1 } }
        let cs = series.cross(test, x, sigmaW2: w2, sigmaB2: b2)
        let cd = direct.cross(test, x, sigmaW2: w2, sigmaB2: b2)
        #expect(Self.relative(cs.k, cd.k) <= 1e-12, "\(label) cross: \(Self.relative(cs.k, cd.k))")
        #expect(Self.relative(cs.diagonal, cd.diagonal) <= 1e-12, "\(label) test variances")
        let h = ExactGP.Hyperparameters(sigmaW2: w2, sigmaB2: b2, noise: 0.04)
        let es = try ExactGP(covariance: series).logMarginalLikelihood(x, y, h)
        let ed = try ExactGP(covariance: direct).logMarginalLikelihood(x, y, h)
        #expect(
            Swift.abs(es.value - ed.value) <= 1e-10 * Swift.abs(ed.value), "\(label) log p: \(es.value) vs \(ed.value)")
        #expect(Self.relative(es.gradient, ed.gradient) <= 5e-9, "\(label) gradient: \(es.gradient) vs \(ed.gradient)")
        let fs = try ExactGP(covariance: series).predict(train: x, y, test: test, h)
        let fd = try ExactGP(covariance: direct).predict(train: x, y, test: test, h)
        #expect(Self.relative(fs.mean, fd.mean) <= 1e-10, "\(label) predictive mean")
        #expect(Self.relative(fs.variance, fd.variance) <= 1e-10, "\(label) predictive variance")
    }

    /// The series route's gradient of log p against fourth-order central differences of log p.
    @Test(arguments: [("tanh", 3, KernelKind.ntk), ("softplus", 2, .nngp)]) func gradientMatchesCentralDifferences(
        _ name: String, _ depth: Int, _ kind: KernelKind
    ) throws {
        let (x, y) = Self.data(n: 12, seed: 3)
        let gp = ExactGP(
            covariance: NetworkCovariance(
                activation: try ActivationCatalogue.activation(named: name), depth: depth, kind: kind))
        let logs = [log(1.3), log(0.2), log(0.04)]
        let e = try gp.logMarginalLikelihood(x, y, ExactGP.Hyperparameters(logs: logs))
        let h = 1e-3
        for p in 0..<3 {
            func f(_ t: Double) throws -> Double {
                var l = logs
                l[p] += t
                return try gp.logMarginalLikelihood(x, y, ExactGP.Hyperparameters(logs: l), gradient: false).value
            }
            let fd = (8 * (try f(h) - f(-h)) - (try f(2 * h) - f(-2 * h))) / (12 * h)
            #expect(
                Swift.abs(e.gradient[p] - fd) <= 1e-9 * max(1, Swift.abs(fd)),
                "\(name) \(kind) component \(p): \(e.gradient[p]) vs \(fd)")
        }
    }

    /// On 40 Gaussian points in R^4 at the fitted scales of a typical run, the series certify
    /// almost every off-diagonal layer-entry (so the route is actually taken).
    @Test func seriesCertifyMostEntries() throws {
        let (x, _) = MarginalLikelihoodGradientTests.data(n: 40, d: 4, seed: 9)
        let c = NetworkCovariance(activation: .tanh, depth: 3, kind: .ntk)
        let norms = NetworkCovariance.norms(x)
        let series = try #require(c.seriesPaths(norms, w2: 1.5, b2: 0.1))
        let paths = c.pointVariances(norms, w2: 1.5, b2: 0.1, series: series)
        let n = x.count
        var certified = 0
        var total = 0
        NetworkCovariance.withSeries([series], hidden: 2) { rows in
            let r = rows![0]
            for i in 0..<n {
                for j in (i + 1)..<n {
                    // Layer 1's covariance, then the next layer's from the jet's F.
                    var cov = 1.5 * zip(x[i], x[j]).reduce(0.0) { $0 + $1.0 * $1.1 } / 4 + 0.1
                    for l in 0..<2 {
                        total += 1
                        let j = r.view(i).jet(
                            l, r.view(j), q1: paths[i * 2 + l].v, q2: paths[j * 2 + l].v, c: cov, gradient: true,
                            ntk: true)
                        guard let j else { break }
                        certified += 1
                        cov = 1.5 * j.nngp + 0.1
                    }
                }
            }
        }
        #expect(Double(certified) >= 0.95 * Double(total), "\(certified) of \(total) certified")
    }

    /// Cheap closed forms (and depth 1) keep the direct route, whose code is unchanged.
    @Test func cheapDualsKeepTheDirectRoute() throws {
        for name in ["relu", "leaky_relu(0.2)", "erf", "gelu", "abs", "relu_pow(2)"] {
            let a = try ActivationCatalogue.activation(named: name)
            #expect(!NetworkCovariance(activation: a, depth: 3, kind: .ntk).usesSeries, "\(name)")
        }
        for name in Self.smooth {
            let a = try ActivationCatalogue.activation(named: name)
            #expect(NetworkCovariance(activation: a, depth: 2, kind: .ntk).usesSeries, "\(name)")
            #expect(!NetworkCovariance(activation: a, depth: 1, kind: .ntk).usesSeries, "\(name)")
        }
    }
}
