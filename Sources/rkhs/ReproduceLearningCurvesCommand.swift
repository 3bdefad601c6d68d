import SVGPlots
import TrainingDynamics
import ArgumentParser
import Foundation
import LearningCurves
import NeuralKernels
import SphericalSpectra

/// `rkhs reproduce learning-curves`: predicted learning curves of kernel ridge regression on
/// S^2 for the ReLU, ELU and GELU NTKs (2 layers, with bias) and the Laplace and Gaussian
/// kernels, against actual kernel ridge regression (seeded simulations, mean +- standard error),
/// for a few targets, with and without a ridge, into notebooks-data/learning-curves/.
struct ReproduceLearningCurvesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning-curves",
        abstract:
            "Predicted vs simulated learning curves of kernel ridge regression on S^2 (ReLU/ELU/GELU NTKs, Laplace, Gaussian)."
    )

    @Option(help: "Output folder.") var out: String = "notebooks-data/learning-curves"
    @OptionGroup(title: "Sphere") var sphere: SphereOptions<LearningCurveCommand.Limits>
    var dim: Int { sphere.dim }
    var kmax: Int { sphere.kmax }
    @Option(help: "Largest n simulated (of 10, 30, 100, 300, 1000, 3000).") var maxN: Int = 3000
    @Option(help: "Scale the number of draws (40 at small n, 8 at n = 3000) by this factor.") var drawScale: Double = 1
    @Option(
        help:
            "Seed of the simulations (default 1, not 0 as elsewhere: the seed the committed notebooks-data/learning-curves were made with)."
    ) var seed: UInt64 = 1
    @Option(
        name: .customLong("network-width"),
        help: "Width of the finite networks trained beside kernel ridge regression (0: none).")
    var networkWidth: Int = 2048

    static let kernels: [(label: String, activation: String?, standard: String?)] = [
        ("relu NTK", "relu", nil), ("elu(1) NTK", "elu(1)", nil), ("gelu NTK", "gelu", nil),
        ("laplace(1)", nil, "laplace(1)"), ("gaussian(1)", nil, "gaussian(1)"),
    ]
    /// (target, noise variance, file tag).
    static let targets: [(text: String, noise: Double, tag: String)] = [
        ("legendre:3:1,1:0.5", 0, "legendre"), ("legendre:3:1,1:0.5", 0.01, "legendre-noise"),
        ("sobolev:1", 0, "sobolev1"), ("abs(t)", 0, "abs"),
    ]
    static let ridges: [(value: Double, tag: String)] = [(1e-6, "ridge1e-6"), (0.1, "ridge0.1")]
    static let simulatedSizes = [10, 30, 100, 300, 1000, 3000]
    static let draws = [40, 40, 40, 24, 16, 8]
    static let predictedSizes: [Int] = (0...20).map { Int((10 * pow(10, Double($0) / 5)).rounded()) }
    static let truncation = 400

    struct Row {
        let kernel: String
        let ridge: Double
        let target: String
        let noise: Double
        let curve: LearningCurve
        let simulated: [LearningCurveSimulation.Estimate]
        /// The prediction at the simulated n for the simulated (possibly truncated) target.
        let predicted: [Double?]
    }

    func run() throws {
        guard maxN >= 10, maxN <= 3000 else {
            throw UsageError("invalid --max-n '\(maxN)'; allowed: an integer 10...3000")
        }
        guard drawScale.isFinite, drawScale > 0, drawScale <= 10 else {
            throw UsageError("invalid --draw-scale '\(drawScale)'; allowed: a number in (0, 10]")
        }
        let dir = try OutputDirectory(out)
        let sizes = Self.simulatedSizes.filter { $0 <= maxN }
        let draws = sizes.indices.map { max(2, Int((Double(Self.draws[$0]) * drawScale).rounded())) }
        func log(_ s: String) { FileHandle.standardError.write(Data("reproduce learning-curves: \(s)\n".utf8)) }
        let specs = try Self.targets.map { t in try UsageError.wrap { try TargetSpecification(t.text) } }
        let spectra = try specs.map { s in try UsageError.wrap { try s.spectrum(dimension: dim, kmax: kmax) } }
        let simulated = zip(specs, spectra).map {
            $0.simulationTarget(dimension: dim, spectrum: $1, truncation: Self.truncation)
        }
        var rows: [Row] = []
        let start = Date()
        for k in Self.kernels {
            let kernel: any DotProductKernel
            let gram: KernelRidgeLearner.Kernel
            if let a = k.activation {
                let network = try UsageError.wrap {
                    try NetworkKernel(activation: try ActivationCatalogue.activation(named: a), depth: 2)
                }
                kernel = try UsageError.wrap { try NetworkSphereKernel(network, kind: .ntk) }
                gram = .network(network, .ntk)
            } else {
                kernel = try UsageError.wrap { try StandardKernel.parse(k.standard!) }
                gram = .dotProduct(kernel)
            }
            let modes = try UsageError.wrap {
                try KernelModes(try GegenbauerSpectrum(kernel: kernel, dimension: dim, kmax: kmax), kernel: kernel)
            }
            for ridge in Self.ridges {
                let learner = try UsageError.wrap { try KernelRidgeLearner(kernel: gram, ridge: ridge.value) }
                let simulation = try UsageError.wrap {
                    try LearningCurveSimulation(
                        dimension: dim, sampleSizes: sizes, draws: draws, testPoints: 2000, seed: seed)
                }
                let estimates = try UsageError.wrap {
                    try simulation.run(
                        learner: learner, targets: simulated.map(\.target), noises: Self.targets.map(\.noise))
                }
                for (j, t) in Self.targets.enumerated() {
                    let curve = try UsageError.wrap {
                        try LearningCurve(
                            modes: modes, target: spectra[j], sampleSizes: Self.predictedSizes, ridge: ridge.value,
                            noise: t.noise, listedDegrees: 8)
                    }
                    let cut = try UsageError.wrap {
                        try LearningCurve(
                            modes: modes, target: simulated[j].spectrum, sampleSizes: sizes, ridge: ridge.value,
                            noise: t.noise, listedDegrees: 0)
                    }
                    rows.append(
                        Row(
                            kernel: k.label, ridge: ridge.value, target: t.text, noise: t.noise, curve: curve,
                            simulated: estimates[j],
                            predicted: cut.points.map { $0.resolved ? $0.testError : nil }))
                }
                log(
                    String(
                        format: "%@, ridge %g: simulated (%.0f s so far)", k.label, ridge.value,
                        Date().timeIntervalSince(start)))
            }
        }
        try write(rows, to: dir, sizes: sizes, draws: draws)
        guard networkWidth >= 0 else {
            throw UsageError("invalid --network-width '\(networkWidth)'; allowed: an integer >= 0 (0: no networks)")
        }
        if networkWidth > 0 {
            let section = try UsageError.wrap {
                try trainedNetworks(dir: dir, specs: specs, spectra: spectra, log: log)
            }
            try dir.write(readme(rows, sizes: sizes, draws: draws) + section, to: "README.md")
        }
    }

    /// Finite 2-layer ReLU networks trained to convergence with ridge 0.1 towards their
    /// initialisation, against kernel ridge regression with the NTK on the same draws and the
    /// predicted curve: trained-networks.csv/.json/.svg, and a README section.
    func trainedNetworks(
        dir: OutputDirectory, specs: [TargetSpecification], spectra: [TargetSpectrum],
        log: (String) -> Void
    ) throws -> String {
        let ridge = 0.1
        let sizes = [10, 30, 100, 300].filter { $0 <= maxN }
        let draws = sizes.map { $0 <= 30 ? 8 : ($0 <= 100 ? 6 : 4) }
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let chosen = Self.targets.enumerated().filter {
            $0.element.noise == 0 && ($0.element.tag == "sobolev1" || $0.element.tag == "legendre")
        }
        let drawn = chosen.map {
            specs[$0.offset].simulationTarget(dimension: dim, spectrum: spectra[$0.offset], truncation: 60)
        }
        let simulation = try LearningCurveSimulation(
            dimension: dim, sampleSizes: sizes, draws: draws, testPoints: 1000, seed: seed &+ 17)
        let started = Date()
        log("training networks of width \(networkWidth) to convergence (ridge \(ridge)) on \(sizes) points")
        let trained = try simulation.run(
            learner: TrainedNetworkLearner(network: network, width: networkWidth, ridge: ridge),
            targets: drawn.map(\.target))
        let kernel = try simulation.run(
            learner: KernelRidgeLearner(kernel: .network(network, .ntk), ridge: ridge), targets: drawn.map(\.target))
        let modes = try KernelModes(
            try GegenbauerSpectrum(kernel: try NetworkSphereKernel(network, kind: .ntk), dimension: dim, kmax: kmax))
        var csv =
            "target,n,draws,network_mean,network_standard_error,kernel_mean,kernel_standard_error,predicted,network_over_kernel_max_deviation\n"
        var section =
            "\n## Finite networks trained to convergence (trained-networks.csv, .svg)\n\n"
            + "2-layer ReLU networks of width \(networkWidth) (NTK parametrisation, centred: f - f_0 trained from 0) trained by full-batch "
            + "gradient descent with the penalty ridge/(2n) ||theta - theta_0||^2, ridge \(ridge), until the slowest mode is below e^-12; "
            + "in the lazy limit their predictor is kernel ridge regression with the NTK and the same ridge. Same points and labels as "
            + "the kernel ridge regression beside them.\n\n| target | n | network | kernel ridge regression | predicted | max per-draw |network/kernel - 1| |\n|---|---|---|---|---|---|\n"
        var series: [SVGChart.Series] = []
        var worst = 0.0
        for (j, t) in chosen.map(\.element).enumerated() {
            let curve = try LearningCurve(
                modes: modes, target: drawn[j].spectrum, sampleSizes: sizes, ridge: ridge, noise: 0, listedDegrees: 0)
            for (i, n) in sizes.enumerated() {
                let a = trained[j][i]
                let b = kernel[j][i]
                let deviation = zip(a.values, b.values).map { Swift.abs($0 / $1 - 1) }.max() ?? .nan
                worst = max(worst, deviation)
                let p = curve.points[i].resolved ? curve.points[i].testError : nil
                csv +=
                    "\"\(t.text)\",\(n),\(a.draws),\(full(a.mean)),\(full(a.standardError)),\(full(b.mean)),\(full(b.standardError)),\(p.map(full) ?? ""),\(full(deviation))\n"
                section +=
                    "| \(t.text) | \(n) | \(String(format: "%.4g +- %.2g", a.mean, a.standardError)) | \(String(format: "%.4g", b.mean)) | "
                    + "\(p.map { String(format: "%.4g", $0) } ?? "n/a") | \(String(format: "%.3f", deviation)) |\n"
            }
            series.append(
                SVGChart.Series(
                    label: "\(t.text): network, width \(networkWidth)",
                    points: zip(sizes, trained[j]).map { (Double($0), $1.mean) },
                    style: .markers, colour: 2 * j, yErrors: trained[j].map(\.standardError)))
            series.append(
                SVGChart.Series(
                    label: "\(t.text): kernel ridge regression",
                    points: zip(sizes, kernel[j]).map { (Double($0), $1.mean) },
                    style: .markers, colour: 2 * j + 1))
            series.append(
                SVGChart.Series(
                    label: "\(t.text): predicted",
                    points: zip(sizes, curve.points).compactMap { n, q in q.testError.map { (Double(n), $0) } },
                    colour: 2 * j + 1))
        }
        try dir.write(csv, to: "trained-networks.csv")
        let meta: [String: Any] = [
            "file": "trained-networks.csv", "command": commandLineText, "activation": "relu", "depth": 2,
            "width": networkWidth, "ridge": ridge, "dimension": dim, "sizes": sizes, "draws": draws,
            "seconds": Date().timeIntervalSince(started),
        ]
        try dir.write(
            String(
                decoding: try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys, .prettyPrinted]),
                as: UTF8.self) + "\n",
            to: "trained-networks.json")
        try dir.write(
            SVGChart(
                title: "Trained networks vs kernel ridge regression (ReLU NTK, ridge \(ridge)) on S^\(dim - 1)",
                xLabel: "n",
                yLabel: "test error", series: series, xScale: .log, yScale: .log
            ).svg, to: "trained-networks.svg")
        section +=
            "\n**Claim.** *Networks trained to convergence learn as kernel ridge regression with their NTK*: "
            + (worst <= 0.1 ? "**confirmed**" : "**not confirmed**")
            + String(
                format:
                    " at width %d, every draw's test error within %.1f%% of kernel ridge regression's on the same data.\n",
                networkWidth, 100 * worst)
        return section
    }

    func write(_ rows: [Row], to dir: OutputDirectory, sizes: [Int], draws: [Int]) throws {
        func opt(_ x: Double?) -> String { x.map(full) ?? "" }
        var predictions = "kernel,ridge,target,noise,n,test_error,uncertainty,resolved,kappa,gamma\n"
        var simulations = "kernel,ridge,target,noise,n,draws,mean,standard_error,predicted,relative_error\n"
        for r in rows {
            for p in r.curve.points {
                predictions +=
                    "\(r.kernel),\(full(r.ridge)),\(r.target),\(full(r.noise)),\(p.n),\(opt(p.testError)),\(opt(p.uncertainty)),\(p.resolved),\(full(p.kappa)),\(full(p.gamma))\n"
            }
            for (e, p) in zip(r.simulated, r.predicted) {
                simulations +=
                    "\(r.kernel),\(full(r.ridge)),\(r.target),\(full(r.noise)),\(e.n),\(e.draws),\(full(e.mean)),\(full(e.standardError)),\(opt(p)),\(opt(p.map { e.mean / $0 - 1 }))\n"
            }
        }
        predictions = predictions.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
            i == 0 || line.isEmpty ? String(line) : Self.quoteTarget(String(line))
        }.joined(separator: "\n")
        simulations = simulations.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
            i == 0 || line.isEmpty ? String(line) : Self.quoteTarget(String(line))
        }.joined(separator: "\n")
        try dir.write(predictions, to: "predictions.csv")
        try dir.write(simulations, to: "simulations.csv")
        // Metadata: every parameter, the command, and per curve the rates.
        struct Curve: Encodable {
            let kernel: String
            let ridge: Double
            let target: String
            let noise: Double
            let predictedRateExponent: Double?
            let rateRegime: String
            let rateSummary: String
            let fittedSlope: Double?
            let fittedWindow: [Int]?
            enum CodingKeys: String, CodingKey {
                case kernel, ridge, target, noise, predictedRateExponent = "predicted_rate_exponent", rateRegime =
                    "rate_regime"
                case rateSummary = "rate_summary", fittedSlope = "fitted_slope", fittedWindow = "fitted_window"
            }
        }
        struct Metadata: Encodable {
            let command: String
            let dimension: Int
            let kmax: Int
            let depth: Int
            let sigmaW: Double
            let sigmaB: Double
            let simulatedN: [Int]
            let draws: [Int]
            let testPoints: Int
            let seed: UInt64
            let truncation: Int
            let predictedN: [Int]
            let curves: [Curve]
            enum CodingKeys: String, CodingKey {
                case command, dimension, kmax, depth, sigmaW = "sigma_w", sigmaB = "sigma_b", simulatedN =
                    "simulated_n", draws
                case testPoints = "test_points", seed, truncation = "random_target_truncation", predictedN =
                    "predicted_n", curves
            }
        }
        let meta = Metadata(
            command: commandLineText, dimension: dim, kmax: kmax, depth: 2, sigmaW: 1, sigmaB: 1, simulatedN: sizes,
            draws: draws,
            testPoints: 2000, seed: seed, truncation: Self.truncation, predictedN: Self.predictedSizes,
            curves: rows.map { r in
                Curve(
                    kernel: r.kernel, ridge: r.ridge, target: r.target, noise: r.noise,
                    predictedRateExponent: r.curve.rate.exponent, rateRegime: r.curve.rate.regime,
                    rateSummary: r.curve.rate.summary, fittedSlope: r.curve.fittedSlope?.exponent,
                    fittedWindow: r.curve.fittedSlope.map { [$0.nFrom, $0.nTo] })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]  // sorted: the same bytes on every run
        try dir.write(String(decoding: try encoder.encode(meta), as: UTF8.self) + "\n", to: "metadata.json")
        // One plot per target and ridge: the five kernels.
        for ridge in Self.ridges {
            for t in Self.targets {
                let group = rows.filter { $0.ridge == ridge.value && $0.target == t.text && $0.noise == t.noise }
                let curves = group.map { (label: $0.kernel, curve: $0.curve) }
                let sims = group.enumerated().map { i, r in
                    LearningCurvePlot.Simulated(label: "\(r.kernel), simulated", estimates: r.simulated, curve: i)
                }
                let noise = t.noise > 0 ? ", noise \(t.noise)" : ""
                let svg = LearningCurvePlot.svg(
                    title: "S^\(dim - 1), target \(t.text)\(noise), ridge \(ridge.value)", curves: curves,
                    simulated: sims)
                try dir.write(svg, to: "\(t.tag)-\(ridge.tag).svg")
            }
        }
        try dir.write(readme(rows, sizes: sizes, draws: draws), to: "README.md")
    }

    /// The target field may contain commas (legendre:3:1,1:0.5): quote it.
    static func quoteTarget(_ line: String) -> String {
        for t in targets.map(\.text) where t.contains(",") {
            if let r = line.range(of: "," + t + ",") { return line.replacingCharacters(in: r, with: ",\"" + t + "\",") }
        }
        return line
    }

    func readme(_ rows: [Row], sizes: [Int], draws: [Int]) -> String {
        func f(_ x: Double?, _ format: String = "%.3f") -> String { x.map { String(format: format, $0) } ?? "n/a" }
        struct Agreement {
            var ratios: [Double] = []
            var within = 0
            var slopeGaps: [Double] = []
        }
        var table = ""
        var groups: [String: Agreement] = [:]
        let smooth: Set<String> = ["gelu NTK", "gaussian(1)"]
        for r in rows {
            // Agreement at n >= 100: simulated / predicted, and whether within 2 standard errors.
            var a = Agreement()
            for (e, p) in zip(r.simulated, r.predicted) where e.n >= 100 {
                guard let p, p > 0 else { continue }
                a.ratios.append(e.mean / p)
                if Swift.abs(e.mean - p) <= 2 * e.standardError { a.within += 1 }
            }
            // Slope of the simulated curve over its last decade against the predicted curve's there.
            var slopes = "n/a"
            let sims = r.simulated
            if let hi = sims.last, let i = sims.lastIndex(where: { 10 * $0.n <= hi.n }), sims[i].mean > 0, hi.mean > 0,
                let plo = r.predicted[i], let phi = r.predicted.last!, plo > 0, phi > 0
            {
                let span = log(Double(hi.n) / Double(sims[i].n))
                let simulated = -log(hi.mean / sims[i].mean) / span
                let predicted = -log(phi / plo) / span
                slopes = String(format: "%.2f / %.2f", simulated, predicted)
                a.slopeGaps.append(Swift.abs(simulated - predicted))
            }
            let group =
                r.ridge == 0.1
                ? "ridge"
                : (smooth.contains(r.kernel)
                    ? "smooth" : (r.target.hasPrefix("legendre") && r.noise == 0 ? "saturated" : "rough"))
            groups[group, default: Agreement()].ratios += a.ratios
            groups[group, default: Agreement()].within += a.within
            groups[group, default: Agreement()].slopeGaps += a.slopeGaps
            let worst = a.ratios.map { Swift.abs($0 - 1) }.max()
            let ratioText =
                a.ratios.isEmpty ? "not resolved" : a.ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ")
            let noise = r.noise > 0 ? " + noise \(r.noise)" : ""
            table +=
                "| \(r.kernel) | \(r.ridge) | `\(r.target)`\(noise) | \(ratioText) | \(f(worst)) | \(a.ratios.isEmpty ? "n/a" : "\(a.within)/\(a.ratios.count)") | \(slopes) | "
                + "\(f(r.curve.rate.exponent, "%.2f")) (\(r.curve.rate.regime)) | \(f(r.curve.fittedSlope?.exponent, "%.2f")) |\n"
        }
        func summary(_ name: String) -> String {
            guard let a = groups[name], !a.ratios.isEmpty else { return "no resolved points" }
            let sorted = a.ratios.sorted()
            let deviations = a.ratios.map { Swift.abs($0 - 1) }.sorted()
            return String(
                format:
                    "simulated/predicted %.2f...%.2f (median |ratio - 1| %.3f, %d of %d points within 2 standard errors; slopes of the last decade within %.2f)",
                sorted.first!, sorted.last!, deviations[deviations.count / 2], a.within, a.ratios.count,
                a.slopeGaps.max() ?? .nan)
        }
        return """
            # Learning curves of kernel ridge regression on S^\(dim - 1): predicted from the spectrum vs simulated

            Regenerated by `rkhs reproduce learning-curves` (do not edit by hand). Kernels: the 2-layer
            (one hidden layer) ReLU, ELU(1) and GELU NTKs with bias (sigma_w = sigma_b = 1) and the
            Laplace and Gaussian kernels exp(-|x - y|), exp(-|x - y|^2); inputs uniform on S^\(dim - 1)
            (d = \(dim)); predictor k(x, X)(K + lambda I)^{-1} y. Predicted: E_g(n) = E ||f_hat - f||^2
            from the self-consistent equation for kappa with the Mercer eigenvalues to k = \(kmax) and
            the asymptotic tail past it (`rkhs learning-curve`, Proofs/learning-curves.md). Simulated:
            actual kernel ridge regression (GramMatrix, LAPACK Cholesky), n = \(sizes.map(String.init).joined(separator: ", ")),
            draws \(draws.map(String.init).joined(separator: ", ")), 2000 test points per draw, seed \(seed); targets
            drawn afresh each draw (`legendre:3:1,1:0.5` = P_3(<x,e>) + 0.5 P_1(<x,e>) and `abs(t)` = |<x,e>|
            with e uniform; `sobolev:1` a random function with power k^-3/zeta(3) in each degree k <= \(Self.truncation),
            compared with the prediction for that truncated spectrum). Ridges: 1e-6 (numerically
            ridgeless below n ~ 10^5 for these kernels; it keeps the Gaussian and GELU Gram matrices
            factorable) and 0.1. Finite networks trained to convergence beside kernel ridge regression
            are in the last section (`trained-networks.*`).

            Files: `predictions.csv` (kernel, ridge, target, noise, n, test_error, uncertainty,
            resolved, kappa, gamma; unresolved points keep their value with resolved = false),
            `simulations.csv` (mean and standard error over draws, the prediction at the same n and
            the relative error mean/prediction - 1), `metadata.json` (every parameter, the command,
            and per curve the predicted rate and the fitted slope of the predicted curve), and one
            SVG per target and ridge (`TARGET-ridgeR.svg`: the five kernels' predicted curves as lines,
            simulations as markers with +- 1 standard error bars).

            ## What the simulations confirm, and how well (n >= 100)

            * **Ridge 0.1** (the ridge dominates the implicit regularisation, where the theory is
              asymptotically exact): \(summary("ridge")).
            * **Ridgeless, non-smooth kernels (ReLU, ELU NTKs, Laplace), rough targets** (`sobolev:1`,
              `abs(t)`, and the noisy target): \(summary("rough")).
            * **Ridgeless, non-smooth kernels, finite-degree target** (learned well, E_g ~ kappa^2
              sum_k p_k/mu_k^2, the saturated rate 2p/(d-1)): \(summary("saturated")).
            * **Ridgeless, smooth kernels (GELU NTK, Gaussian)**: \(summary("smooth")).

            Reading it. With a ridge of 0.1 the predicted curves and their slopes are confirmed to a
            few percent for most kernels; the largest deviations (the Laplace kernel, up to about 20%)
            are where lambda/n is still comparable to the implicit regularisation at these n, so the
            ridge does not dominate yet. Ridgeless on S^2 the rates are confirmed (slopes), the level
            is not: the prediction is low, by 20-50% for rough targets and by a factor 2 (ReLU NTK,
            Laplace) to 10 (ELU NTK, the smoother kernel) for a target the kernel learns almost
            exactly; with noise the predicted noise share is 10-20% too high. In low dimension the
            unlearned high-degree part of the Gram matrix is a short-range kernel on irregularly
            spaced points, not its trace times the identity, so the implicit regularisation does not
            self-average (Tomasini, Sclocchi & Wyart 2022 report this failure of the prediction for the
            Laplace kernel in low dimension); on S^5 the ReLU NTK comparison agrees to about 10%
            (`SimulationAgreementTests.higherDimensionRidgeless`). The smooth kernels with ridge 1e-6
            sit at an interpolation peak at n = 100 = 10^2 (the dimension of the polynomials of degree
            9 on S^2, where 1 - gamma -> 0 and the average over training sets is dominated by rare
            draws: the prediction is low by 60-200x there); from n = 1000 on, where the ridge
            dominates, they agree within a few percent. (With lambda = 0 the GELU NTK's curve would be
            flagged unresolved past n ~ 300: its eigenvalues fall below double precision's
            resolution past k ~ 20.)

            Columns: simulated/predicted at each simulated n >= 100; the worst |ratio - 1|; how many of
            those points are within 2 standard errors; slope of the simulated / predicted curve over
            the last decade simulated; the theory's rate exponent in the regime of the computed range
            (regime); the fitted slope of the predicted curve over n = 10^4...10^5.

            | kernel | ridge | target | simulated/predicted (n >= 100) | worst | within 2 s.e. | slope sim / pred | theory rate | fitted slope |
            |---|---|---|---|---|---|---|---|---|
            \(table)
            """
    }
}
