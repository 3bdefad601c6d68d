import Foundation
import Testing
@testable import NeuralKernels
import _TestSupport

/// The closed-form duals of piecewise-affine activations (``PiecewiseLinearDuals``) against
/// references that share nothing with it: 30- and 32-digit mpmath conditional quadratures
/// (scripts/fixtures/breakpoint_dual_fixtures.py, piecewise_linear_jet_fixtures.py, the jets by
/// central differences of the quadrature at 32 digits), the arc-cosine closed forms of ReLU, LeakyReLU and |x|
/// written as user piecewise activations, and the breakpoint quadrature.
@Suite struct PiecewiseLinearDualsTests {
    static func fixture(_ name: String) throws -> FixtureTable {
        let dir = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try FixtureTable(dir.appendingPathComponent(name))
    }

    /// The activations of the fixture files, piece by piece as the scripts define them
    /// (breakpoints, intercepts alpha_p, slopes beta_p), independent of the expression parser.
    static let pieces: [String: PiecewiseLinearDuals] = [
        "hardtanh": PiecewiseLinearDuals(breakpoints: [-1, 1], intercepts: [-1, 0, 1], slopes: [0, 1, 0]),
        "relu6": PiecewiseLinearDuals(breakpoints: [0, 6], intercepts: [0, 0, 6], slopes: [0, 1, 0]),
        "piecewise(0; 1: x-1)": PiecewiseLinearDuals(breakpoints: [1], intercepts: [0, -1], slopes: [0, 1]),
        "piecewise(x; 0.5: x+1)": PiecewiseLinearDuals(breakpoints: [0.5], intercepts: [0, 1], slopes: [1, 1]),
        "piecewise(-1; -0.5: 2*x; 1.5: 3)": PiecewiseLinearDuals(
            breakpoints: [-0.5, 1.5], intercepts: [-1, 0, 3], slopes: [0, 2, 0]),
        "piecewise(-1; -1: x; 0: 2*x; 1: 2)": PiecewiseLinearDuals(
            breakpoints: [-1, 0, 1], intercepts: [-1, 0, 0, 2], slopes: [0, 1, 2, 0]),
    ]

    /// The closed form of a fixture activation; the catalogue's activation of that name must
    /// use exactly it (its duals bit for bit).
    static func closedForm(_ name: String, at pair: GaussianPair) throws -> PiecewiseLinearDuals {
        let closed = try #require(pieces[name], "no pieces for \(name)")
        let activation = try ActivationCatalogue.activation(named: name)
        let dual = DualActivation(activation)
        if let n = closed.nngp(pair), let d = closed.derivative(pair) {
            #expect(
                dual.nngp(pair) == n && dual.derivative(pair) == d,
                "\(name): the activation does not use the closed form")
        }
        return closed
    }

    /// Every row of breakpoint_duals.csv (hardtanh, ReLU6, a shifted ReLU, a jump, jumps and
    /// kinks together; rho = 0, +-0.999, +-1, 1 - 1e-7, unequal variances): the closed form is
    /// within 1e-14 of the scale, and the breakpoint quadrature (the fallback) still within its
    /// own 1e-12 relative.
    @Test func closedFormMatchesTheQuadratureReferences() throws {
        let table = try Self.fixture("breakpoint_duals.csv")
        let c = ["activation", "q1", "q2", "rho", "nngp", "derivative"].map(table.column)
        #expect(table.rows.count == 60)
        var worst = 0.0
        var worstRow = ""
        for row in table.rows {
            let activation = try ActivationCatalogue.activation(named: row[c[0]])
            let q1 = Double(row[c[1]])!
            let q2 = Double(row[c[2]])!
            let rho = Double(row[c[3]])!
            let pair = GaussianPair(q1: q1, q2: q2, c: rho * (q1 * q2).squareRoot())
            let closed = try Self.closedForm(row[c[0]], at: pair)
            let refN = Double(row[c[4]])!
            let refD = Double(row[c[5]])!
            let n = try #require(closed.nngp(pair), "\(activation) \(q1) \(q2) \(rho): closed form refused")
            let d = try #require(closed.derivative(pair))
            let scaleN = (closed.secondMoment(q1) * closed.secondMoment(q2)).squareRoot()
            let scaleD = (closed.derivativeSecondMoment(q1) * closed.derivativeSecondMoment(q2)).squareRoot()
            // The file's rho is decimal, the pair's the nearest double (1.1e-16 apart at most):
            // the duals move by their slope in rho times that (dF/drho = sqrt(q1 q2) D; dD/drho
            // = sqrt(q1 q2) E[phi'' phi''], 1e2 at 1 - rho = 1e-7).
            let root = (q1 * q2).squareRoot()
            let slopeD = Swift.abs(rho) < 1 ? closed.secondDerivative(pair) : 0
            let shiftN = 1.2e-16 * root * d
            let shiftD = 1.2e-16 * root * slopeD
            #expect(
                Swift.abs(n - refN) <= 1e-14 * scaleN + shiftN, "\(activation) nngp \(q1) \(q2) \(rho): \(n) vs \(refN)"
            )
            #expect(
                Swift.abs(d - refD) <= 1e-14 * scaleD + shiftD,
                "\(activation) derivative \(q1) \(q2) \(rho): \(d) vs \(refD)")
            let rowWorst = max((Swift.abs(n - refN) - shiftN) / scaleN, (Swift.abs(d - refD) - shiftD) / scaleD)
            if rowWorst > worst { worstRow = "\(activation) \(q1) \(q2) \(rho)" }
            worst = max(worst, rowWorst)
            let dual = DualActivation(activation)
            let qn = dual.nngpByQuadrature(pair)
            #expect(Swift.abs(qn - refN) <= 1e-12 * Swift.abs(refN) + 1e-14 * scaleN)
        }
        print(
            "piecewise-linear closed form: worst error \(worst) of the scale over \(table.rows.count) rows (\(worstRow))"
        )
    }

    /// Duals and the whole jet (S1, S2, T1, T2, dD/dc) of four continuous activations against
    /// piecewise_linear_jets.csv (T and dD/dc there are central differences of the quadrature at 32 digits), at
    /// variances 1e-4 ... 400 and 1 -+ rho down to 2^-40: within 1e-13 of each quantity's
    /// scale where the closed form accepts; where it refuses (its error bound above 1e-13 of
    /// the scale), the activation's duals (the quadrature fallback) still meet 1e-12.
    @Test func jetsMatchHighPrecisionDerivatives() throws {
        let table = try Self.fixture("piecewise_linear_jets.csv")
        let names = ["activation", "q1", "q2", "c", "nngp", "derivative", "s1", "s2", "t1", "t2", "slope"]
        let c = names.map(table.column)
        #expect(table.rows.count == 64)
        var worst = 0.0
        var refused = 0
        for row in table.rows {
            let activation = try ActivationCatalogue.activation(named: row[c[0]])
            let q1 = Double(row[c[1]])!
            let q2 = Double(row[c[2]])!
            let pair = GaussianPair(q1: q1, q2: q2, c: Double(row[c[3]])!)
            let closed = try Self.closedForm(row[c[0]], at: pair)
            let ref = (4...9).map { Double(row[c[$0]])! }
            let scaleF = (closed.secondMoment(q1) * closed.secondMoment(q2)).squareRoot()
            let scaleD = (closed.derivativeSecondMoment(q1) * closed.derivativeSecondMoment(q2)).squareRoot()
            let label = "\(activation) (\(q1), \(q2), \(pair.c))"
            guard let jet = closed.jet(pair) else {
                refused += 1
                let dual = DualActivation(activation)
                #expect(Swift.abs(dual.nngp(pair) - ref[0]) <= 1e-12 * scaleF, "\(label) fallback nngp")
                #expect(Swift.abs(dual.derivative(pair) - ref[1]) <= 1e-12 * scaleD, "\(label) fallback derivative")
                continue
            }
            // S scales like F, T like D (both are l d/dl of them).
            let got = [
                jet.nngp, jet.derivative, jet.nngpScaling.first, jet.nngpScaling.second,
                jet.derivativeScaling.first, jet.derivativeScaling.second,
            ]
            let scales = [scaleF, scaleD, scaleF, scaleF, scaleD, scaleD]
            for k in 0..<6 {
                // A shifted ReLU at variance 1e-4 has its kink 100 deviations out: every
                // quantity underflows to 0 on both sides.
                let error = got[k] == ref[k] ? 0 : Swift.abs(got[k] - ref[k]) / max(scales[k], 1e-300)
                worst = max(worst, error)
                #expect(error <= 1e-13, "\(label) \(names[4 + k]): \(got[k]) vs \(ref[k])")
            }
            if let slope = Double(row[c[10]]) {
                // dD/dc has the scale of D / sqrt(q1 q2 - c^2) near rho = +-1.
                let scale = scaleD / (q1 * q2).squareRoot() / max(pair.angle.sine, 1e-300)
                #expect(
                    Swift.abs(jet.derivativeSlope - slope) <= 1e-13 * scale,
                    "\(label) slope \(jet.derivativeSlope) vs \(slope)")
                #expect(Swift.abs(closed.secondDerivative(pair) - slope) <= 1e-13 * scale)
            } else {
                // At |rho| = 1, v = rho (b/a) u: E[phi'' phi''] is a product of point masses on one
                // line, infinite where a kink of u lands on a kink of v, else 0.
                let kinks = closed.breakpoints.indices.filter { closed.slopes[$0 + 1] != closed.slopes[$0] }
                    .map { closed.breakpoints[$0] }
                let rho = pair.rho
                let ratio = (q2 / q1).squareRoot()
                let meet = kinks.contains { t in kinks.contains { $0 == rho * ratio * t } }
                #expect(jet.derivativeSlope == (meet ? .infinity : 0), "\(label) slope at |rho| = 1")
            }
        }
        // The large-variance rows of hardtanh-like activations are the refused ones.
        #expect(refused < table.rows.count / 4)
        print("piecewise-linear jets: worst error \(worst) of the scale; \(refused) of \(table.rows.count) refused")
    }

    /// ReLU, LeakyReLU(0.2) and |x| typed as user piecewise activations get the closed form,
    /// and it equals the arc-cosine closed forms of the catalogue (Cho and Saul) to 1e-15.
    @Test func agreesWithTheArcCosineKernels() throws {
        let cases: [(String, String)] = [
            ("piecewise(0; x)", "relu"), ("piecewise(0.2*x; x)", "leaky_relu(0.2)"), ("piecewise(-x; x)", "abs"),
            ("piecewise(0; 0: x)", "relu"), ("piecewise(abs(x); abs(x))", "abs"),
        ]
        for (typed, known) in cases {
            let user = try ActivationCatalogue.activation(named: typed)
            let reference = try ActivationCatalogue.activation(named: known)
            #expect(user.closedForm != nil, "\(typed) has no closed form")
            let a = DualActivation(user)
            let b = DualActivation(reference)
            for (q1, q2, rho) in [
                (1.0, 1.0, 0.3), (2.0, 0.5, -0.8), (1.0, 1.0, 1.0), (3.0, 3.0, 1 - 1e-9), (1.0, 4.0, -1.0),
            ] {
                let pair = GaussianPair(q1: q1, q2: q2, c: rho * (q1 * q2).squareRoot())
                let scaleN = (b.secondMoment(q: q1) * b.secondMoment(q: q2)).squareRoot()
                let scaleD = (b.derivativeSecondMoment(q: q1) * b.derivativeSecondMoment(q: q2)).squareRoot()
                #expect(Swift.abs(a.nngp(pair) - b.nngp(pair)) <= 2e-15 * scaleN, "\(typed) nngp at \(pair)")
                #expect(Swift.abs(a.derivative(pair) - b.derivative(pair)) <= 2e-15 * scaleD, "\(typed) derivative")
            }
        }
    }

    /// Affine pieces are recognised from the expression; curved pieces and abs zeros outside
    /// the breakpoint search are not (their duals stay integrated).
    @Test func recognisesAffinePiecesOnly() throws {
        for name in [
            "hardtanh", "relu6", "piecewise((abs(x+1)-abs(x-1))/2; (abs(x+1)-abs(x-1))/2)",
            "piecewise(-1; -0.5: 2*x; 1.5: 3)", "piecewise(0; 1: (x-1)/2)",
        ] {
            #expect(try ActivationCatalogue.activation(named: name).closedForm != nil, "\(name)")
        }
        for name in [
            "piecewise(abs(x^2-2); abs(x^2-2))", "piecewise(0; 1: x^2)", "piecewise(abs(x-100); abs(x-100))",
            "softplus(1)", "piecewise(0; tanh(x))",
        ] {
            #expect(try ActivationCatalogue.activation(named: name).closedForm == nil, "\(name)")
        }
        let parsed = try Activation.affinePieces(
            ["-1", "x", "1"].map(ExpressionParser.parse), value: Activation.hardtanh.positive.value,
            derivative: Activation.hardtanh.positive.derivative, breakpoints: [-1, 1])
        let hardtanh = try #require(parsed)
        #expect(hardtanh.breakpoints == [-1, 1] && hardtanh.slopes == [0, 1, 0] && hardtanh.intercepts == [-1, 0, 1])
        #expect(hardtanh.isContinuous)
        #expect(try !#require(Self.pieces["piecewise(x; 0.5: x+1)"]).isContinuous)
    }

    /// A variance of 0 (a zero input without bias): u = 0 is a constant and the duals are
    /// phi(0) E[phi(v)] and phi'(0) E[phi'(v)], against the breakpoint quadrature; E[phi''
    /// phi''] is a point mass exactly when a kink sits at 0.
    @Test func zeroVarianceIsOneDimensional() throws {
        let shifted = PiecewiseLinearDuals(breakpoints: [-1, 1], intercepts: [0, 1, 2], slopes: [0, 1, 0])
        let quadrature = BreakpointQuadrature()
        let phi: (Double) -> Double = { shifted.value($0) }
        for pair in [
            GaussianPair(q1: 0, q2: 2.5, c: 0), GaussianPair(q1: 1.5, q2: 0, c: 0), GaussianPair(q1: 0, q2: 0, c: 0),
        ] {
            let reference = quadrature.expectation(pair, g: phi, gBreakpoints: [-1, 1], h: phi, hBreakpoints: [-1, 1])
            let value = try #require(shifted.nngp(pair))
            #expect(Swift.abs(value - reference) <= 1e-14 * Swift.abs(reference), "\(pair)")
        }
        #expect(shifted.secondDerivative(GaussianPair(q1: 0, q2: 1, c: 0)) == 0)
        let relu6 = try #require(Self.pieces["relu6"])
        #expect(relu6.secondDerivative(GaussianPair(q1: 0, q2: 1, c: 0)) == .infinity)
    }

    /// Where the closed form's corner moments cancel (hardtanh at variance 1e4: the middle
    /// piece is 0.02 standard deviations wide) it refuses, and the activation falls back to the
    /// breakpoint quadrature: the value stays right.
    @Test func largeVariancesFallBackToQuadrature() throws {
        let pair = GaussianPair(q1: 1e6, q2: 1e6, c: 0.5e6)
        let closed = try Self.closedForm("hardtanh", at: pair)
        #expect(closed.nngp(pair) == nil)
        let dual = DualActivation(.hardtanh)
        // phi -> sign at large variance: E[sign u sign v] = (2/pi) asin(rho), corrected by O(1/q).
        let sign = 2 / Double.pi * asin(0.5)
        #expect(Swift.abs(dual.nngp(pair) - sign) < 2e-3)
        #expect(Swift.abs(dual.nngp(pair) - dual.nngpByQuadrature(pair)) == 0)
    }

    /// The tabulated sphere kernel (every layer's dual tabulated over the correlation) against
    /// the per-entry recursion with the closed-form duals, six layers deep: 1e-13 of Theta(1).
    /// Only up to t = 0.99: nearer 1 the per-entry recursion itself loses digits (it forms
    /// each layer's deficit q - c by subtraction; the sphere kernel carries it exactly), which
    /// the mpmath test below covers.
    @Test(arguments: ["hardtanh", "relu6", "piecewise(0; 1: x-1)"])
    func sphereKernelMatchesTheDirectRecursion(_ name: String) throws {
        let network = try NetworkKernel(activation: ActivationCatalogue.activation(named: name), depth: 6)
        let sphere = try SphereKernel(network)
        let top = sphere(1)
        for t in [-1, -0.5, 0, 0.5, 0.99] {
            let direct = network.sphere(t: t)
            let tabulated = sphere(t)
            #expect(Swift.abs(tabulated.nngp - direct.nngp) <= 1e-13 * top.nngp, "\(name) nngp t = \(t)")
            #expect(Swift.abs(tabulated.ntk - direct.ntk) <= 1e-13 * top.ntk, "\(name) ntk t = \(t)")
        }
    }

    /// The depth-4 sphere kernels of hardtanh, ReLU6 and a shifted ReLU against the 32-digit
    /// mpmath recursion of scripts/fixtures/piecewise_sphere_kernel_fixtures.py, at t = 0.5,
    /// 1 - 1e-6, 1 - 2^-40, 1 and -1 + 1e-9: 3e-14 of Theta(1). (Last session's finding, a
    /// 1.3e-11 gap at t = 1 - 1e-12 between the table and a direct evaluation, was the direct
    /// evaluation's subtraction.)
    @Test func sphereKernelsMatchHighPrecisionRecursion() throws {
        let table = try Self.fixture("piecewise_sphere_kernels.csv")
        let c = ["activation", "depth", "t", "nngp", "ntk"].map(table.column)
        #expect(table.rows.count == 15)
        for row in table.rows {
            let activation = try ActivationCatalogue.activation(named: row[c[0]])
            let network = try NetworkKernel(activation: activation, depth: Int(row[c[1]])!)
            let sphere = try SphereKernel(network)
            let top = sphere(1)
            let t = Double(row[c[2]])!
            let value = sphere(t)
            let refN = Double(row[c[3]])!
            let refT = Double(row[c[4]])!
            #expect(
                Swift.abs(value.nngp - refN) <= 3e-14 * top.nngp,
                "\(activation) nngp t = \(t): \(value.nngp) vs \(refN)")
            #expect(
                Swift.abs(value.ntk - refT) <= 3e-14 * top.ntk, "\(activation) ntk t = \(t): \(value.ntk) vs \(refT)")
        }
    }
}
