import ArgumentParser
import Foundation
import LearningCurves
import NeuralKernels
import SphericalSpectra

/// `rkhs learning-curve`: the expected test error of kernel ridge regression against the
/// number of samples, predicted from the kernel's Mercer spectrum and the target's.
struct LearningCurveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning-curve",
        abstract:
            "Predicted test error E_g(n) of kernel ridge regression on S^{d-1} from the spectrum, with the rate in n.",
        discussion: """
            n uniform samples on S^{d-1}, labels f(x) + noise of variance --noise, predictor \
            k(x, X)(K + ridge I)^{-1} y. E_g(n) = E ||f_hat - f||^2 from the self-consistent equation for \
            the effective regularisation kappa (Bordelon, Canatar & Pehlevan; Simon et al.), with the \
            learnability L_k = mu_k/(mu_k + kappa) of each degree (Proofs/learning-curves.md). Targets: \
            'legendre:3:1,1:0.5' (P_3(<x,e>) + 0.5 P_1(<x,e>), P_k(1) = 1), 'power:beta' (power \
            k^-beta/zeta(beta) in degree k >= 1), 'sobolev:s' (= power:2s+1, the edge of H^s), or an \
            expression in t = <x, e> such as 'exp(t)'. Unresolved eigenvalues only widen a stated \
            uncertainty; points it does not bound to --tolerance are flagged. --simulate DRAWS also runs \
            actual kernel ridge regression (n up to --simulate-max-n) and prints mean +- standard error.
            """)

    @OptionGroup var source: SpectralKernelOptions

    @OptionGroup(title: "Sphere") var sphere: SphereOptions<Limits>
    var dim: Int { sphere.dim }
    var kmax: Int { sphere.kmax }

    enum Limits: SphereLimits {
        static let kmax = 100_000
        static let degrees = 16...1_000_000
        static let dimensions = 2...64
        static let kmaxHelp = "Largest degree computed explicitly (the asymptotic tail is used past it)"
    }

    @Option(help: "The target function: legendre:K:C[,K:C...], power:beta, sobolev:s, or an expression in t.")
    var target: String

    @Option(help: "Comma-separated sample sizes n (integers 1...1e9, e.g. 10,100,1e3).")
    var n: String = "10,30,100,300,1000,3000,10000,30000,100000"

    @Option(help: "Ridge lambda >= 0 in (K + lambda I)^{-1}.")
    var ridge: Double = 0

    @Option(help: "Label noise variance sigma^2 >= 0.")
    var noise: Double = 0

    @Option(help: "Degrees 0...K listed in the per-degree decomposition.")
    var degrees: Int = 10

    @Option(help: "Relative uncertainty above which a predicted point is flagged as not resolved.")
    var tolerance: Double = 1e-3

    @Option(help: "Also simulate: this many draws of actual kernel ridge regression per n.")
    var simulate: Int?

    @Option(help: "Largest n simulated.")
    var simulateMaxN: Int = 2000

    @Option(help: "Test points per simulated draw.")
    var testPoints: Int = 2000

    @Option(help: "Highest degree of the random targets drawn for power:/sobolev: simulations.")
    var truncation: Int = 400

    @Option(help: "Seed of the simulations (default 0, as every command's --seed).")
    var seed: UInt64 = 0

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: "Also write a log-log SVG plot of the predicted curve (and simulated points).")
    var plot: String?

    func validate() throws {
        guard ridge.isFinite, ridge >= 0 else {
            throw UsageError("invalid --ridge '\(ridge)'; allowed: a finite number >= 0")
        }
        guard noise.isFinite, noise >= 0 else {
            throw UsageError("invalid --noise '\(noise)'; allowed: a finite number >= 0")
        }
        guard (0...1000).contains(degrees) else {
            throw UsageError("invalid --degrees '\(degrees)'; allowed: an integer 0...1000")
        }
        guard tolerance.isFinite, tolerance > 0, tolerance < 1 else {
            throw UsageError("invalid --tolerance '\(tolerance)'; allowed: a number in (0, 1)")
        }
        if let simulate, !(2...10_000).contains(simulate) {
            throw UsageError("invalid --simulate '\(simulate)'; allowed: an integer 2...10000")
        }
        guard (1...20_000).contains(simulateMaxN) else {
            throw UsageError("invalid --simulate-max-n '\(simulateMaxN)'; allowed: an integer 1...20000")
        }
        guard (10...100_000).contains(testPoints) else {
            throw UsageError("invalid --test-points '\(testPoints)'; allowed: an integer 10...100000")
        }
        guard (1...5000).contains(truncation) else {
            throw UsageError("invalid --truncation '\(truncation)'; allowed: an integer 1...5000")
        }
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw UsageError("invalid --plot '\(plot)'; allowed: a path ending in .svg")
        }
        _ = try Self.sampleSizes(n)
    }

    /// The --n list: integers 1...1e9, scientific notation allowed when it is an integer.
    static func sampleSizes(_ text: String) throws -> [Int] {
        let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { piece -> Int? in
            guard let v = Double(piece.trimmingCharacters(in: .whitespaces)), v == v.rounded(), v >= 1, v <= 1e9 else {
                return nil
            }
            return Int(v)
        }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else {
            throw UsageError(
                "invalid --n '\(text)'; allowed: comma-separated integers 1...1000000000 (e.g. 10,100,1e3)")
        }
        return sizes.map { $0! }
    }

    func run() throws {
        let sizes = try Self.sampleSizes(n)
        let (kernel, network) = try source.make(dimension: dim)
        let spectrum = try UsageError.wrap { try GegenbauerSpectrum(kernel: kernel, dimension: dim, kmax: kmax) }
        let specification = try UsageError.wrap { try TargetSpecification(target) }
        let targetSpectrum = try UsageError.wrap { try specification.spectrum(dimension: dim, kmax: kmax) }
        let modes = try UsageError.wrap { try KernelModes(spectrum, kernel: kernel) }
        var simulated: [LearningCurveSimulation.Estimate]? = nil
        var simulatedCurve: LearningCurve? = nil
        if let simulate {
            let simSizes = sizes.filter { $0 <= simulateMaxN }
            guard !simSizes.isEmpty else {
                throw UsageError("--simulate: no n in --n is <= --simulate-max-n \(simulateMaxN)")
            }
            let (drawn, cut) = specification.simulationTarget(
                dimension: dim, spectrum: targetSpectrum, truncation: min(truncation, kmax))
            let gram: KernelRidgeLearner.Kernel =
                network.map { .network($0, source.kernel.value) } ?? .dotProduct(kernel)
            let learner = try UsageError.wrap { try KernelRidgeLearner(kernel: gram, ridge: ridge) }
            let simulation = try UsageError.wrap {
                try LearningCurveSimulation(
                    dimension: dim, sampleSizes: simSizes, draws: [simulate],
                    testPoints: testPoints, noise: noise, seed: seed)
            }
            simulated = try UsageError.wrap { try simulation.run(learner: learner, targets: [drawn])[0] }
            simulatedCurve = try UsageError.wrap {
                try LearningCurve(
                    modes: modes, target: cut, sampleSizes: simSizes, ridge: ridge, noise: noise,
                    listedDegrees: 0, tolerance: tolerance)
            }
        }
        let curve = try UsageError.wrap {
            try LearningCurve(
                modes: modes, target: targetSpectrum, sampleSizes: sizes, ridge: ridge, noise: noise,
                listedDegrees: degrees, tolerance: tolerance)
        }
        if let plot {
            var curves = [(label: "predicted", curve: curve)]
            var sims: [LearningCurvePlot.Simulated] = []
            if let simulated, let simulatedCurve {
                if simulatedCurve.targetName != curve.targetName {
                    curves.append((label: "predicted, simulated target", curve: simulatedCurve))
                }
                sims.append(
                    .init(
                        label: "kernel ridge regression (mean +- s.e.)", estimates: simulated, curve: curves.count - 1))
            }
            let svg = LearningCurvePlot.svg(
                title: "\(curve.kernelName) on S^\(dim - 1), target \(curve.targetName)", curves: curves,
                simulated: sims)
            try UsageError.wrap { try AtomicFile.write(svg, to: plot) }
        }
        print(render(curve, simulated: simulated, simulatedCurve: simulatedCurve), terminator: "")
    }

    func render(_ c: LearningCurve, simulated: [LearningCurveSimulation.Estimate]?, simulatedCurve: LearningCurve?)
        -> String
    {
        func g(_ x: Double?) -> String { x.map(full) ?? "" }
        switch format {
        case .json:
            struct Report: Encodable {
                let curve: LearningCurve
                let simulated: [LearningCurveSimulation.Estimate]?
                let simulatedPrediction: [Double?]?
                let command: String
                enum CodingKeys: String, CodingKey {
                    case simulated, simulatedPrediction = "simulated_prediction", command
                }
                func encode(to encoder: any Encoder) throws {
                    try curve.encode(to: encoder)
                    var c = encoder.container(keyedBy: CodingKeys.self)
                    try c.encodeIfPresent(simulated, forKey: .simulated)
                    try c.encodeIfPresent(simulatedPrediction, forKey: .simulatedPrediction)
                    try c.encode(command, forKey: .command)
                }
            }
            let encoder = JSONEncoder()
            let report = Report(
                curve: c, simulated: simulated, simulatedPrediction: simulatedCurve?.points.map(\.testError),
                command: commandLineText)
            return String(decoding: (try? encoder.encode(report)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
        case .csv:
            let listed = c.points.first?.degrees.map(\.k) ?? []
            var out =
                "n,test_error,uncertainty,kappa,gamma,noise_error,resolved"
                + listed.map { ",learnability_\($0),error_\($0)" }.joined()
            if simulated != nil { out += ",simulated_mean,simulated_standard_error,simulated_prediction" }
            out += "\n"
            for p in c.points {
                out +=
                    "\(p.n),\(g(p.testError)),\(g(p.uncertainty)),\(full(p.kappa)),\(full(p.gamma)),\(g(p.noiseError.isFinite ? p.noiseError : nil)),\(p.resolved)"
                out += p.degrees.map { ",\(full($0.learnability)),\(full($0.error))" }.joined()
                if let simulated {
                    if let i = simulated.firstIndex(where: { $0.n == p.n }) {
                        out +=
                            ",\(full(simulated[i].mean)),\(full(simulated[i].standardError)),\(g(simulatedCurve?.points[i].testError))"
                    } else {
                        out += ",,,"
                    }
                }
                out += "\n"
            }
            return out
        case .table:
            var out =
                "\(c.kernelName) on S^\(c.dimension - 1); target \(c.targetName); ridge \(c.ridge), noise variance \(c.noise)\n"
            out +=
                "eigenvalues to k = \(c.kmax), asymptotic tail beyond; E_g = E ||f_hat - f||^2 (add the noise variance for noisy test labels)\n"
            out += "predicted rate: \(c.rate.summary)\n"
            if let eventual = c.eventualRate {
                out += "once the ridge dominates kappa (lambda/n > kappa, past the n computed): \(eventual.summary)\n"
            }
            if let s = c.fittedSlope {
                out += String(
                    format: "fitted slope of the predicted curve on n = %d...%d: E_g ~ n^-%.4f", s.nFrom, s.nTo,
                    s.exponent)
                if let r = c.rate.exponent { out += String(format: " (theory %.4f)", r) }
                out += "\n"
            } else {
                out += "fitted slope: not available (fewer than two resolved points with E_g > 0)\n"
            }
            out += pad("n", 12) + pad("test_error", 26) + pad("uncertainty", 12) + pad("kappa", 14) + pad("gamma", 12)
            if simulated != nil { out += pad("simulated (mean +- s.e.)", 30) + pad("prediction there", 18) }
            out += "resolved\n"
            for (i, p) in c.points.enumerated() {
                out +=
                    pad("\(p.n)", 12) + pad(p.testError.map(full) ?? "diverges", 26)
                    + pad(p.uncertainty.map { String(format: "%.2e", $0) } ?? "unbounded", 12)
                    + pad(String(format: "%.4e", p.kappa), 14) + pad(String(format: "%.5f", p.gamma), 12)
                if let simulated {
                    if let j = simulated.firstIndex(where: { $0.n == p.n }) {
                        out +=
                            pad(String(format: "%.4e +- %.1e", simulated[j].mean, simulated[j].standardError), 30)
                            + pad(simulatedCurve?.points[j].testError.map { String(format: "%.4e", $0) } ?? "", 18)
                    } else {
                        out += pad("", 30) + pad("", 18)
                    }
                }
                out += (p.resolved ? "yes" : "NO: \(p.note ?? "")") + "\n"
                _ = i
            }
            let withPower = c.points.first?.degrees.filter { $0.targetPower > 0 }.map(\.k) ?? []
            if !withPower.isEmpty {
                out +=
                    "learnability L_k of the degrees with target power (k <= \(degrees); * = unresolved mu_k, its lower end used):\n"
                    + pad("n", 12)
                    + withPower.map { pad("k = \($0)", 12) }.joined() + "\n"
                for p in c.points {
                    out +=
                        pad("\(p.n)", 12)
                        + withPower.map { k in
                            pad(
                                String(format: "%.6f", p.degrees[k].learnability)
                                    + (p.degrees[k].eigenvalue == nil ? "*" : ""), 12)
                        }.joined() + "\n"
                }
            }
            return out
        }
    }
}
