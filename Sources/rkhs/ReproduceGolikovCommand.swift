import ArgumentParser
import Foundation
import NeuralKernels
import SVGPlots
import TrainingDynamics

/// `rkhs reproduce golikov`: the table of limit models of Golikov's "Dynamically stable
/// infinite-width limits of neural classifiers" (arXiv 2006.06574), its phase diagram with
/// simulated properties at a grid of points, networks of the named scalings at widths
/// 2^6 ... 2^15 on kin8nm thresholded at its median, the convergence of the NTK point to its
/// kernel dynamics and of the MF point to a deterministic limit, and a README saying which
/// claims the data confirm, into notebooks-data/golikov/.
struct ReproduceGolikovCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golikov",
        abstract:
            "Golikov 2020: the table of limit models, the phase diagram, width studies of the named scalings, limit convergence."
    )

    @Option(help: "Output folder.") var out: String = "notebooks-data/golikov"
    @Option(help: "UCI folder of the binary task (its target thresholded at the training median).")
    var uci: String = "../shared/data/uci/kin8nm"
    @Flag(help: "A small, fast version of every experiment (for checking the pipeline, not for conclusions).")
    var quick = false

    typealias Log = @Sendable (String) -> Void

    func run() throws {
        let directory = try OutputDirectory(out)
        let log: Log = { s in FileHandle.standardError.write(Data("reproduce golikov: \(s)\n".utf8)) }
        var notes = Notes()
        try limitModels(directory)
        try widthStudy(directory, notes: &notes, log: log)
        try convergence(directory, notes: &notes, log: log)
        try phaseDiagram(directory, notes: &notes, log: log)
        try directory.write(readme(notes), to: "README.md")
        print("wrote the table of limit models, the phase diagram, width studies and limit convergence to \(out)")
    }

    /// Findings collected for the README, each with its numbers.
    struct Notes {
        var widthStudy: [String] = []
        var convergence: [String] = []
        var phase: [String] = []
        var disagreements: [String] = []
        var settings: [String] = []
        /// Judged fits of the initial scales: (agreeing, judged).
        var initialFits = (agree: 0, judged: 0)
        /// Per named scaling, its judged fits: (agreeing, judged) and the three properties measured.
        var named: [String: (agree: Int, judged: Int)] = [:]
        /// Fitted exponents of the limit-convergence experiments.
        var rates: [String: Double] = [:]
    }

    func g(_ x: Double) -> String { String(format: "%.3g", x) }
    func number(_ x: Double?) -> String { x.map { $0.isFinite ? full($0) : "" } ?? "" }
    func flag(_ b: Bool?) -> String { b.map { $0 ? "true" : "false" } ?? "" }

    // MARK: - The table of limit models

    /// A point in each model's region (the author's sample points where he gives one).
    static let samplePoints: [(LimitModel, Double, Double, Bool)] = [
        (.meanField, -1, 1, false), (.ntk, -0.5, 0, false), (.symDefault, -0.5, 0.5, false),
        (.meanFieldToNTK, -0.75, 0.5, false), (.ntkToSymDefault, -0.5, 0.25, false),
        (.symDefaultToMeanField, -0.75, 0.75, false),
        (.postMeanField, -1.5, 1.5, false), (.preSymDefault, 0, 0, false), (.postNTK, -1, 0.5, false),
        (.preNTK, 0, -0.5, false),
        (.barycentre, -0.66, 0.5, false), (.postMeanFieldNTK, -1, 0.75, false), (.preNTKSymDefault, 0, -0.25, false),
        (.initCorrectedMeanField, -1, 1, true),
    ]

    static func conditions(_ c: ScalingClassification) -> String {
        let e = c.exponents
        func sign(_ x: Double) -> String { x < -1e-9 ? "< 0" : (x > 1e-9 ? "> 0" : "= 0") }
        let s = e.step
        let band = Swift.abs(s) <= 1e-9 ? "s = 0" : (Swift.abs(s + 0.5) <= 1e-9 ? "s = -1/2" : "-1/2 < s < 0")
        return "u \(c.initCorrected ? "= 0 (IC)" : sign(e.initialLogits)), v \(sign(e.initialKernel)), \(band)"
    }

    func limitModels(_ directory: OutputDirectory) throws {
        var csv =
            "limit_model,dimension,q_sigma,q_tilde,init_corrected,conditions,logits_bounded_at_init,kernel_bounded_at_init,"
            + "kernel_stationary,feature_learning,initial_logits,initial_kernel,first_step_loss,later_loss,initial_logits_in_limit,summary\n"
        var md =
            "| limit model | region (u = q_sigma + 1/2, v = q~ + 2 q_sigma + 1, s = q~ + q_sigma) | sample point | logits bounded at init | kernels bounded at init | kernels stationary | feature learning | loss: first step / later | initial logits in the limit |\n"
        md += "|---|---|---|---|---|---|---|---|---|\n"
        for (model, qs, qt, ic) in Self.samplePoints {
            let c = try ScalingClassification(ScalingExponents(qSigma: qs, qTilde: qt), initCorrected: ic)
            precondition(c.limitModel == model)
            csv +=
                "\(model.rawValue),\(model.dimension),\(qs),\(qt),\(ic),\"\(Self.conditions(c))\",\(c.logitsBoundedAtInit),"
                + "\(c.kernelBoundedAtInit),\(flag(c.kernelStationary)),\(flag(c.featureLearning)),\(c.initialLogits.rawValue),"
                + "\(c.initialKernel.rawValue),\(c.firstStepLoss.rawValue),\(c.laterLoss.rawValue),\(flag(c.initialLogitsInLimit)),\"\(model.summary)\"\n"
            func yn(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "-" }
            md +=
                "| \(model.rawValue) | \(Self.conditions(c)) | (\(qs), \(qt))\(ic ? " + IC" : "") | \(yn(c.logitsBoundedAtInit)) (\(c.initialLogits.rawValue)) | "
                + "\(yn(c.kernelBoundedAtInit)) (\(c.initialKernel.rawValue)) | \(yn(c.kernelStationary)) | \(yn(c.featureLearning)) | "
                + "\(c.firstStepLoss.rawValue) / \(c.laterLoss.rawValue) | \(yn(c.initialLogitsInLimit)) |\n"
        }
        md +=
            "\nUnstable: s > 0 (diverging: each step moves the normalised weights by a diverging amount), "
            + "s < -1/2 (stagnating: the logits never leave their initial values).\n\nNamed points:\n\n"
            + "| name | (q_sigma, q~_a, q~_w) | raw learning-rate exponents (eta_a, eta_w) | stable | limit model | source |\n|---|---|---|---|---|---|\n"
        var named =
            "name,q_sigma,q_tilde_a,q_tilde_w,readout_learning_rate_exponent,input_learning_rate_exponent,init_corrected,stable,instability,limit_model,source\n"
        for n in NamedScaling.allCases {
            let c = ScalingClassification(n)
            let e = n.exponents
            named +=
                "\(n.rawValue),\(e.qSigma),\(e.qTildeA),\(e.qTildeW),\(e.readoutLearningRate),\(e.inputLearningRate),\(n.initCorrected),"
                + "\(c.stable),\(c.instability?.rawValue ?? ""),\(c.limitModel?.rawValue ?? ""),\"\(n.source)\"\n"
            md +=
                "| \(n.rawValue) | (\(g(e.qSigma)), \(g(e.qTildeA)), \(g(e.qTildeW)))\(n.initCorrected ? " + IC" : "") | (\(g(e.readoutLearningRate)), \(g(e.inputLearningRate))) | "
                + "\(c.stable ? "yes" : "no (\(c.instability!.rawValue))") | \(c.limitModel?.rawValue ?? "-") | \(n.source) |\n"
        }
        try directory.write(csv, to: "limit-models.csv")
        try directory.writeSidecar(
            of: "limit-models.csv",
            [
                "description":
                    "the distinct limit models of dynamically stable scalings of a one-hidden-layer binary classifier trained by SGD "
                    + "(Golikov 2020, arXiv 2006.06574), derived in Proofs/infinite-width-limits-of-classifiers.md; region names as in the author's code"
            ])
        try directory.write(named, to: "named-points.csv")
        try directory.writeSidecar(
            of: "named-points.csv", ["description": "the named points of the family and their classification"])
        try directory.write(md, to: "limit-models.md")
    }

    // MARK: - Width studies of the named scalings

    func task(train: Int, test: Int) throws -> (BinaryTask, String) {
        try ScalingSimulationOptions.task(uci: uci, trainSize: train, testSize: test)
    }

    func study(_ e: ScalingExponents, initCorrected: Bool, steps: Int, probes: Int, early: Int = 10) throws
        -> ScalingStudy
    {
        let scaling = try UsageError.wrap {
            try WidthScaling(e, initCorrected: initCorrected, readoutRate: 0.5, inputRate: 0.5)
        }
        let sgd = try UsageError.wrap { try ScaledSGD(loss: .logistic, batchSize: 1, steps: steps, samplingSeed: 7) }
        return try UsageError.wrap {
            try ScalingStudy(
                scaling: scaling, activation: .relu, sgd: sgd, probes: probes, earlySteps: min(early, steps))
        }
    }

    func widthStudy(_ directory: OutputDirectory, notes: inout Notes, log: @escaping Log) throws {
        let (task, name) = try task(train: quick ? 200 : 1000, test: quick ? 100 : 500)
        let widths = quick ? [64, 256, 1024] : (6...15).map { 1 << $0 }
        let seeds: [UInt64] = quick ? [1, 2] : [1, 2, 3, 4]
        let steps = quick ? 100 : 2000
        notes.settings.append(
            "width study: \(name) thresholded at its training median (\(g(task.threshold ?? .nan))), \(task.trainCount) training "
                + "and \(task.testCount) test points of standard split 0, inputs standardised; ReLU, no biases, sigma_w = 1, reference width 128, "
                + "normalised learning rate 0.5 for both layers at the reference width, logistic loss, SGD with one example per step, "
                + "\(steps) steps, widths \(widths.first!) ... \(widths.last!), \(seeds.count) seeds per width")
        var rows =
            "scaling,width,seeds" + ScalingSimulation.quantities.map { ",\($0.0),\($0.0)_stderr" }.joined() + "\n"
        var fitRows = "scaling,quantity,exponent,standard_error,predicted,agrees\n"
        var curves = "scaling,width,step,test_accuracy,test_loss,train_loss,train_accuracy\n"
        var charts: [String: [SVGChart.Series]] = [:]
        var lossSeries: [SVGChart.Series] = []
        for (k, named) in [NamedScaling.ntk, .meanField, .initCorrectedMeanField, .symDefault, .standard].enumerated() {
            let s = try study(named.exponents, initCorrected: named.initCorrected, steps: steps, probes: 32)
            log("\(named.rawValue): widths \(widths.first!) ... \(widths.last!)")
            var results: [ScalingStudy.WidthRuns] = []
            var diverged: String? = nil
            for width in widths {
                do {
                    results += try s.run(widths: [width], seeds: seeds, task: task)
                } catch let e as TrainingError {
                    diverged = "width \(width): \(e.description)"
                    break
                }
            }
            if let diverged {
                notes.widthStudy.append(
                    "\(named.rawValue) (unstable: \(ScalingClassification(named).instability?.rawValue ?? "-")): SGD diverged at \(diverged)"
                )
            }
            for w in results {
                rows += "\(named.rawValue),\(w.width),\(w.runs.count)"
                for (_, value) in ScalingSimulation.quantities {
                    let m = w.summary(value)
                    rows += ",\(number(m.mean)),\(number(m.standardError))"
                }
                rows += "\n"
                let record = w.runs[0].record
                for (j, step) in record.steps.enumerated() {
                    func mean(_ f: (ScaledSGD.Record) -> [Double]) -> Double {
                        w.runs.reduce(0) { $0 + f($1.record)[j] } / Double(w.runs.count)
                    }
                    curves +=
                        "\(named.rawValue),\(w.width),\(step),\(number(mean { $0.testAccuracy })),\(number(mean { $0.testLoss })),"
                        + "\(number(mean { $0.trainLoss })),\(number(mean { $0.trainAccuracy }))\n"
                }
            }
            guard results.count >= 2 else { continue }
            if named == .standard,
                let fit = PowerLawFit(
                    results.map { w -> (x: Double, y: Double, relativeError: Double) in
                        let e = w.summary { $0.earlyReadoutMovement }
                        return (Double(w.width), e.mean, e.standardError / e.mean)
                    })
            {
                notes.rates["standard-readout-steps"] = fit.exponent
            }
            let fits = s.fits(results)
            for f in fits {
                fitRows +=
                    "\(named.rawValue),\(f.quantity.rawValue),\(full(f.exponent)),\(full(f.standardError)),\(full(f.predicted)),\(flag(f.agrees))\n"
                if f.agrees == false {
                    notes.disagreements.append(
                        "\(named.rawValue): \(f.quantity.rawValue) ~ d^\(g(f.exponent)) +- \(g(f.standardError)), predicted \(g(f.predicted))"
                    )
                }
            }
            let judged = fits.filter { $0.agrees != nil }
            notes.named[named.rawValue] = (judged.filter { $0.agrees == true }.count, judged.count)
            for f in fits where f.quantity == .initialLogitScale || f.quantity == .initialKernelScale {
                notes.initialFits.judged += 1
                if f.agrees == true { notes.initialFits.agree += 1 }
            }
            let summary = fits.map {
                "\($0.quantity.rawValue) d^\(g($0.exponent)) (\(g($0.predicted))\($0.agrees.map { $0 ? " ok" : " NO" } ?? ", not judged"))"
            }
            notes.widthStudy.append(
                "\(named.rawValue): \(judged.filter { $0.agrees == true }.count) of \(judged.count) judged exponents agree; "
                    + summary.joined(separator: "; ")
                    + "; final test accuracy \(g(results.first!.summary { $0.finalTestAccuracy }.mean)) at width "
                    + "\(results.first!.width), \(g(results.last!.summary { $0.finalTestAccuracy }.mean)) at \(results.last!.width)"
            )
            for (key, value) in [
                ("initial_logit_scale", { (r: ScalingStudy.Run) in r.initialLogitScale }),
                ("initial_kernel_scale", { $0.initialKernelScale }),
                ("kernel_change", { $0.kernelChange }), ("early_input_movement", { $0.earlyInputMovement }),
            ] {
                charts[key, default: []].append(
                    SVGChart.Series(
                        label: named.rawValue, points: results.map { (Double($0.width), $0.summary(value).mean) },
                        style: .line, colour: k))
            }
            for w in [results.first!, results.last!] {
                let record = w.runs[0].record
                let points = record.steps.enumerated().compactMap { j, step -> (x: Double, y: Double)? in
                    guard step > 0 else { return nil }
                    return (Double(step), w.runs.reduce(0) { $0 + $1.record.testLoss[j] } / Double(w.runs.count))
                }
                lossSeries.append(
                    SVGChart.Series(
                        label: "\(named.rawValue), width \(w.width)", points: points,
                        dashed: w.width == results.first!.width, colour: k))
            }
        }
        try directory.write(rows, to: "width-study.csv")
        try directory.writeSidecar(
            of: "width-study.csv",
            [
                "description":
                    "per scaling and width the seed means and standard errors of the measured quantities (ScalingStudy): initial logit scale "
                    + "(RMS conditional on the input weights), realised RMS logit at init, final RMS logit, early logit change per unit loss derivative, "
                    + "initial kernel scale (mean diagonal of the learning-rate weighted tangent kernel on 32 test points), kernel change "
                    + "||K_T - K_0||_F / ||K_0||_F, readout and input movement, the early (10-step) kernel change and input movement per unit loss derivative, "
                    + "final test accuracy and loss", "settings": notes.settings.last!,
            ])
        try directory.write(fitRows, to: "width-fits.csv")
        try directory.writeSidecar(
            of: "width-fits.csv",
            [
                "description": "fitted width exponents against the classification's predictions; agrees "
                    + "empty where the quantity is not judged (ScalingStudy.Quantity)"
            ])
        try directory.write(curves, to: "loss-curves.csv")
        try directory.writeSidecar(
            of: "loss-curves.csv",
            ["description": "seed means of test accuracy, test loss and train loss at the recorded SGD steps"])
        for (key, series) in charts.sorted(by: { $0.key < $1.key }) {
            try directory.write(
                SVGChart(
                    title:
                        "\(key.replacingOccurrences(of: "_", with: " ")) against width (\(task.trainCount) points of kin8nm)",
                    xLabel: "width d", yLabel: key.replacingOccurrences(of: "_", with: " "), series: series,
                    xScale: .log, yScale: .log
                ).svg, to: "width-\(key.replacingOccurrences(of: "_", with: "-")).svg")
        }
        try directory.write(
            SVGChart(
                title: "Test loss during SGD (dashed: smallest width, solid: largest)", xLabel: "SGD step",
                yLabel: "test logistic loss", series: lossSeries, xScale: .log, yScale: .log
            ).svg, to: "loss-curves.svg")
    }

    // MARK: - Convergence to the limit models

    func convergence(_ directory: OutputDirectory, notes: inout Notes, log: @escaping Log) throws {
        let (task, _) = try task(train: quick ? 100 : 300, test: quick ? 50 : 200)
        let n = task.trainCount
        let m = task.testCount
        let d = task.inputDimension
        let widths = quick ? [128, 512] : (7...13).map { 1 << $0 }
        let seeds: [UInt64] = quick ? [1, 2] : [1, 2, 3, 4]
        let kernels = try UsageError.wrap {
            try TrainingKernels(
                train: (0..<n).map { Array(task.trainInputs[($0 * d)..<($0 * d + d)]) },
                test: (0..<m).map { Array(task.testInputs[($0 * d)..<($0 * d + d)]) },
                network: NetworkKernel(activation: .relu, depth: 2, sigmaW: 1, sigmaB: 0))
        }
        var csv = "experiment,width,seeds,distance,distance_stderr\n"
        var fits: [String: Any] = [:]
        var series: [SVGChart.Series] = []
        // (name, loss, batch, steps, eta, linearised, closed form)
        let runs: [(String, ClassificationLoss, Int, Int, Double, Bool)] = [
            ("ntk-logistic-sgd-analytic", .logistic, 1, quick ? 50 : 400, 0.5, false),
            ("ntk-logistic-sgd-linearised", .logistic, 1, quick ? 50 : 400, 0.5, true),
            ("ntk-squared-gd-closed-form", .squared, n, quick ? 20 : 100, 1, false),
            ("ntk-squared-gd-linearised", .squared, n, quick ? 20 : 100, 1, true),
        ]
        for (k, (label, loss, batch, steps, eta, linearised)) in runs.enumerated() {
            log("\(label): widths \(widths.first!) ... \(widths.last!)")
            let scaling = try UsageError.wrap { try WidthScaling(.ntk, learningRate: eta) }
            let sgd = try UsageError.wrap {
                try ScaledSGD(loss: loss, batchSize: batch, steps: steps, recordAt: [steps], samplingSeed: 5)
            }
            var points: [(x: Double, y: Double, relativeError: Double)] = []
            for width in widths {
                let distances = try UsageError.wrap {
                    try ParallelRuns.map(seeds.count) { j -> Double in
                        var net = ScaledNetwork(
                            scaling, activation: .relu, inputDimension: d, width: width, seed: seeds[j])
                        let f0 = net.logits(task.trainInputs, count: n)
                        let t0 = net.logits(task.testInputs, count: m)
                        var kt = kernels.ntkTrain.map { eta * $0 }
                        var kc = kernels.ntkCross.map { eta * $0 }
                        if linearised {
                            let (ka, kw) = net.tangentKernels(
                                task.trainInputs + task.testInputs, count: n + m, readoutRate: eta, inputRate: eta)
                            kt = (0..<n).flatMap { i in (0..<n).map { ka[i * (n + m) + $0] + kw[i * (n + m) + $0] } }
                            kc = (0..<m).flatMap { i in
                                (0..<n).map { ka[(n + i) * (n + m) + $0] + kw[(n + i) * (n + m) + $0] }
                            }
                        }
                        let record = try sgd.train(
                            &net, readoutRate: eta, inputRate: eta, x: task.trainInputs, y: task.trainLabels,
                            test: task.testInputs, testLabels: task.testLabels)
                        let limit: [Double]
                        if loss == .squared && !linearised {
                            // The closed form: FunctionSpaceDynamics's discrete steps with the analytic NTK.
                            let schedule = try TrainingSchedule(kind: .steps, learningRate: eta, trainingPoints: n)
                            limit = try FunctionSpaceDynamics(
                                kernel: kernels.ntkTrain, targets: task.trainLabels, schedule: schedule
                            )
                            .trajectory(
                                times: [Double(steps)], trainInitial: f0, testInitial: t0, cross: kernels.ntkCross
                            ).test[0]
                        } else {
                            limit = try KernelSGD(loss: loss, batchSize: batch, samplingSeed: 5).trajectory(
                                trainKernel: kt, crossKernel: kc, labels: task.trainLabels, trainInitial: f0,
                                testInitial: t0, recordAt: [steps]
                            ).test[0]
                        }
                        func rms(_ a: [Double], _ b: [Double]) -> Double {
                            (zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(a.count)).squareRoot()
                        }
                        return rms(record.testLogits.last!, limit) / rms(limit, t0)
                    }
                }
                let mean = distances.reduce(0, +) / Double(distances.count)
                let se =
                    (distances.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(distances.count - 1, 1))
                    / Double(distances.count)).squareRoot()
                csv += "\(label),\(width),\(seeds.count),\(full(mean)),\(full(se))\n"
                points.append((Double(width), mean, se / mean))
            }
            if let fit = PowerLawFit(points) {
                fits[label] = ["exponent": fit.exponent, "standard_error": fit.standardError]
                notes.rates[label] = fit.exponent
                notes.convergence.append(
                    "\(label): relative distance to the limit model ~ d^\(g(fit.exponent)) +- \(g(fit.standardError)) "
                        + "(\(g(points.first!.y)) at width \(widths.first!), \(g(points.last!.y)) at \(widths.last!))")
            }
            series.append(
                SVGChart.Series(
                    label: label, points: points.map { ($0.x, $0.y) }, style: linearised ? .markers : .line, colour: k))
        }
        // Seed spread of the trained logits: deterministic MF limit, random NTK limit.
        for (k, named) in [NamedScaling.meanField, .ntk].enumerated() {
            let s = try study(named.exponents, initCorrected: false, steps: quick ? 50 : 300, probes: 4)
            let spreadSeeds: [UInt64] = quick ? [1, 2, 3] : [1, 2, 3, 4, 5, 6]
            let results = try UsageError.wrap { try s.run(widths: widths, seeds: spreadSeeds, task: task) }
            var points: [(x: Double, y: Double, relativeError: Double)] = []
            for w in results {
                let logits = w.runs.map { $0.record.testLogits.last! }
                let c = Double(logits.count)
                var total = 0.0
                for i in 0..<m {
                    let mu = logits.reduce(0) { $0 + $1[i] } / c
                    total += logits.reduce(0) { $0 + ($1[i] - mu) * ($1[i] - mu) } / (c - 1)
                }
                let spread = (total / Double(m)).squareRoot()
                csv += "\(named.rawValue)-seed-spread,\(w.width),\(w.runs.count),\(full(spread)),\n"
                points.append((Double(w.width), spread, 1 / (2 * (c - 1)).squareRoot()))
            }
            if let fit = PowerLawFit(points) {
                fits["\(named.rawValue)-seed-spread"] = ["exponent": fit.exponent, "standard_error": fit.standardError]
                notes.rates["\(named.rawValue)-seed-spread"] = fit.exponent
                notes.convergence.append(
                    "\(named.rawValue) seed-to-seed spread of the trained test logits ~ d^\(g(fit.exponent)) +- \(g(fit.standardError))"
                )
            }
            series.append(
                SVGChart.Series(
                    label: "\(named.rawValue) seed spread", points: points.map { ($0.x, $0.y) }, dashed: true,
                    colour: 4 + k))
        }
        try directory.write(csv, to: "limit-convergence.csv")
        try directory.writeSidecar(
            of: "limit-convergence.csv",
            [
                "description":
                    "NTK point: RMS over test points of (network logits - limit model logits) / RMS(limit - initial), seed means; limits: "
                    + "KernelSGD with the analytic NTK from the network's own initial logits (logistic loss, one example per step), "
                    + "FunctionSpaceDynamics's closed form (squared loss, full batch), and the linearised network (the empirical NTK at init). "
                    + "MF and NTK points: RMS over test points of the standard deviation over seeds of the trained logits",
                "train_points": n, "test_points": m, "widths": widths, "fitted_exponents": fits,
            ])
        try directory.write(
            SVGChart(
                title: "Convergence to the limit models against width", xLabel: "width d",
                yLabel: "relative distance / spread",
                series: series, xScale: .log, yScale: .log
            ).svg, to: "limit-convergence.svg")
    }

    // MARK: - The phase diagram

    func phaseDiagram(_ directory: OutputDirectory, notes: inout Notes, log: @escaping Log) throws {
        let (task, _) = try task(train: quick ? 100 : 300, test: quick ? 50 : 200)
        let plane = ScalingPlane(qSigma: -2...0.5, qTilde: -1...2.5)
        let qSigmas: [Double] = quick ? [-1, -0.5] : [-1.5, -1.25, -1, -0.75, -0.5, -0.25, 0]
        let steps: [Double] = quick ? [-0.5, 0] : [-0.75, -0.5, -0.25, 0, 0.25]
        let widths = quick ? [128, 512] : [256, 1024, 4096]
        let seeds: [UInt64] = quick ? [1, 2] : [1, 2, 3]
        var csv =
            "q_sigma,q_tilde,limit_model,stable,logits_bounded_at_init,kernel_bounded_at_init,kernel_stationary,feature_learning,diverged"
            + ScalingStudy.Quantity.allCases.map {
                ",\($0.rawValue)_exponent,\($0.rawValue)_predicted,\($0.rawValue)_agrees"
            }.joined() + "\n"
        var markers: [ScalingPhaseDiagramSVG.Marker] = []
        var judgedTotal = 0
        var agreedTotal = 0
        var divergedCount = 0
        for qs in qSigmas {
            for s in steps {
                let e = try ScalingExponents(qSigma: qs, qTilde: s - qs)
                let c = try ScalingClassification(e)
                log("phase diagram: \(e)")
                var fits: [ScalingStudy.Fit] = []
                var diverged = false
                do {
                    let st = try study(e, initCorrected: false, steps: quick ? 50 : 300, probes: 16)
                    fits = st.fits(try st.run(widths: widths, seeds: seeds, task: task))
                } catch is TrainingError {
                    diverged = true
                    divergedCount += 1
                }
                let judged = fits.filter { $0.agrees != nil }
                for f in fits where f.quantity == .initialLogitScale || f.quantity == .initialKernelScale {
                    notes.initialFits.judged += 1
                    if f.agrees == true { notes.initialFits.agree += 1 }
                }
                judgedTotal += judged.count
                agreedTotal += judged.filter { $0.agrees == true }.count
                for f in judged where f.agrees == false {
                    notes.disagreements.append(
                        "phase diagram \(e): \(f.quantity.rawValue) ~ d^\(g(f.exponent)) +- \(g(f.standardError)), predicted \(g(f.predicted))"
                    )
                }
                csv +=
                    "\(qs),\(s - qs),\(c.limitModel?.rawValue ?? c.instability!.rawValue),\(c.stable),\(c.logitsBoundedAtInit),\(c.kernelBoundedAtInit),"
                    + "\(flag(c.kernelStationary)),\(flag(c.featureLearning)),\(diverged)"
                for q in ScalingStudy.Quantity.allCases {
                    let f = fits.first { $0.quantity == q }
                    csv += ",\(number(f?.exponent)),\(number(f?.predicted)),\(flag(f?.agrees))"
                }
                csv += "\n"
                let movement = fits.first { $0.quantity == .earlyInputMovement }
                markers.append(
                    .init(
                        qSigma: qs, qTilde: s - qs, orderOneSteps: movement.map { $0.exponent >= -0.1 },
                        agrees: judged.isEmpty ? nil : judged.allSatisfy { $0.agrees == true }, diverged: diverged))
            }
        }
        notes.phase.append(
            "\(markers.count) grid points (q_sigma in \(qSigmas.map { g($0) }), s = q~ + q_sigma in \(steps.map { g($0) })), widths \(widths), "
                + "\(seeds.count) seeds, \(quick ? 50 : 300) SGD steps on \(task.trainCount) points: \(agreedTotal) of \(judgedTotal) judged fitted exponents agree "
                + "with the classification; \(divergedCount) runs diverged (non-finite logits)")
        try directory.write(csv, to: "phase-diagram.csv")
        try directory.writeSidecar(
            of: "phase-diagram.csv",
            [
                "description":
                    "grid points of the plane (q_sigma, q~): the classification and the fitted width exponents of the simulated quantities "
                    + "with their predictions and agreement (empty where not judged)",
                "widths": widths, "seeds": seeds.count, "train_points": task.trainCount,
            ])
        try directory.write(
            ScalingPhaseDiagramSVG(
                plane: plane, markers: markers,
                title: "Limit models of one-hidden-layer classifiers (Golikov 2020) and simulated grid points"
            ).svg,
            to: "phase-diagram.svg")
    }

    // MARK: - README

    func readme(_ notes: Notes) -> String {
        var out = """
            # Golikov 2020: dynamically stable infinite-width limits of neural classifiers

            Written by `\(commandLineText)`\(quick ? " (--quick: a pipeline check, not for conclusions)" : ""). Mathematics, \
            definitions and what could be verified from the paper: Proofs/infinite-width-limits-of-classifiers.md.

            Files: `limit-models.csv`/`.md` (the table of limit models, one sample point each, and the named points), \
            `named-points.csv`, `phase-diagram.svg`/`.csv` (regions by limit model, simulated properties at grid points), \
            `width-study.csv`, `width-fits.csv`, `loss-curves.csv`/`.svg`, `width-*.svg` (the named scalings at widths \
            2^6 ... 2^15), `limit-convergence.csv`/`.svg`; every CSV has a JSON sidecar with its parameters.

            ## Settings

            """
        for s in notes.settings { out += "* \(s)\n" }
        func verdict(_ ok: Bool) -> String { ok ? "**confirmed**" : "**not confirmed**" }
        // The derived table: the four signs make every model distinct; the issue's four booleans alone do not.
        let tuples = Self.samplePoints.map { m, qs, qt, ic -> String in
            let c = try! ScalingClassification(ScalingExponents(qSigma: qs, qTilde: qt), initCorrected: ic)
            return
                "\(c.initialLogits)\(c.initialKernel)\(c.featureLearning!)\(c.initialLogitsInLimit!)\(m == .initCorrectedMeanField)"
        }
        let booleans = Set(
            Self.samplePoints.map { _, qs, qt, ic -> String in
                let c = try! ScalingClassification(ScalingExponents(qSigma: qs, qTilde: qt), initCorrected: ic)
                return "\(c.logitsBoundedAtInit)\(c.kernelBoundedAtInit)\(c.kernelStationary!)\(c.featureLearning!)"
            })
        func namedOK(_ k: String) -> Bool { notes.named[k].map { $0.agree == $0.judged && $0.judged > 0 } ?? false }
        out += "\n## The paper's claims against the data\n\n"
        out +=
            "* Abstract: uncountably many scalings have a dynamically stable limit, inducing finitely many distinct limit models. "
            + "The classification gives the band -1/2 <= q~ + q_sigma <= 0 of the plane and \(LimitModel.allCases.count - 1) models on it "
            + "(\(Set(tuples).count == tuples.count ? "distinct by the orders of the initial logits and kernels and the two levels of s" : "NOT distinct"); "
            + "the four booleans logits bounded / kernels bounded / kernels stationary / feature learning alone separate only \(booleans.count)), plus IC-MF. "
            + "Simulation: \(notes.phase.joined(separator: "; ")).\n"
        out +=
            "* Initial scales (logits ~ d^(q_sigma + 1/2), kernels ~ d^(q~ + 2 q_sigma + 1)): \(notes.initialFits.agree) of \(notes.initialFits.judged) "
            + "fitted exponents within 0.1 of the prediction: \(verdict(notes.initialFits.agree == notes.initialFits.judged)).\n"
        out +=
            "* MF, NTK and sym-default each have two of the finite network's three properties (order-one logits at init, order-one kernels at init, "
            + "moving kernels), IC-MF all three: every judged exponent of the width study agrees for "
            + ["ntk", "mf", "ic-mf", "sym-default"].map {
                "\($0) \(notes.named[$0].map { "\($0.agree)/\($0.judged)" } ?? "-")"
            }.joined(separator: ", ")
            + ": \(verdict(["ntk", "mf", "ic-mf", "sym-default"].allSatisfy(namedOK))).\n"
        if let a = notes.rates["ntk-logistic-sgd-analytic"], let c = notes.rates["ntk-squared-gd-closed-form"] {
            out +=
                "* The NTK point converges to its kernel dynamics: distance to kernel SGD with the analytic NTK ~ d^\(g(a)) (logistic), "
                + "to FunctionSpaceDynamics's closed form ~ d^\(g(c)) (squared loss), against the fluctuation rate -1/2 of the empirical NTK: "
                + "\(verdict(Swift.abs(a + 0.5) <= 0.15 && Swift.abs(c + 0.5) <= 0.15)).\n"
        }
        if let mf = notes.rates["mf-seed-spread"], let ntk = notes.rates["ntk-seed-spread"] {
            out +=
                "* The MF limit is deterministic (seed spread ~ d^\(g(mf)), expected -1/2), the NTK limit is not (~ d^\(g(ntk)), expected 0): "
                + "\(verdict(Swift.abs(mf + 0.5) <= 0.15 && Swift.abs(ntk) <= 0.1)).\n"
        }
        if let r = notes.rates["standard-readout-steps"] {
            out +=
                "* The standard parametrisation with constant learning rates is not dynamically stable: its readout's steps per unit loss "
                + "derivative grow like d^\(g(r)) (predicted d^1/2, relative to the readout's initial scale): \(verdict(Swift.abs(r - 0.5) <= 0.1)).\n"
        }
        out += "\n## Measured, per scaling and experiment\n\n"
        for s in notes.widthStudy { out += "* \(s)\n" }
        for s in notes.convergence { out += "* \(s)\n" }
        out += "\n## Where the data do not confirm, or cannot\n\n"
        if notes.disagreements.isEmpty {
            out += "* No judged fitted exponent disagrees with the classification.\n"
        } else {
            for s in notes.disagreements { out += "* Disagreement: \(s)\n" }
        }
        out += """
            * Not judged (ScalingStudy.Quantity): the whole-run kernel change and weight movement where the limit's later loss \
            is saturated or linearised, since at these widths the loss derivative is still on its way to the limit value (|l'| \
            -> 1/2 as the logits vanish like d^v, -> 0 or 1 as they diverge); the per-step movement (per unit loss derivative) \
            where the initial logits diverge; the early kernel change with feature learning (its first-order part averages out \
            over the symmetric readout and leaves a d^-1/2 fluctuation).
            * Stagnation (s < -1/2) is a statement at a fixed number of steps: at a fixed width such a network still trains, \
            its effective time being the steps times d^(v - u). The early logit change shows the exponent.
            * The paper's own table and figures could not be read (only its abstract was retrievable; see the Proofs page): the \
            region names and sample points are those of the author's code, the classification is derived, not transcribed.

            """
        return out
    }
}
