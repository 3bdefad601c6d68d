import ArgumentParser
import Foundation
import GPRegression
import NeuralKernels
import SVGPlots
import TrainingDynamics

/// `rkhs reproduce littwin`: the main figures of Littwin et al., "Implicit Acceleration and
/// Feature Learning in Infinitely Wide Neural Networks with Bottlenecks" (arXiv 2107.00364),
/// into notebooks-data/littwin/: per task (UCI sets and a sphere task) the training loss against
/// steps for bottleneck widths k beside the purely infinite network (k = infinity), the test RMSE
/// and the features' movement per k; the deep linear case in closed form against gradient
/// descent; finite networks of growing hidden width against the infinite-width bottleneck
/// dynamics with the fitted rate; and a README saying which claims the data confirm.
/// Proofs/bottleneck-dynamics.md.
struct ReproduceLittwinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "littwin",
        abstract:
            "Littwin et al. 2021: bottleneck networks train faster and learn features (UCI sets, the sphere, deep linear, finite width)."
    )

    @Option(help: "Output folder.") var out: String = "notebooks-data/littwin"
    @Option(help: "Folder of the UCI suite (read only).") var uci: String = "../shared/data/uci"
    @Option(help: "UCI sets to use, comma-separated folder names.") var sets: String = "yacht,energy"
    @Flag(help: "A small, fast version of every experiment (for checking the pipeline, not for conclusions).")
    var quick = false

    @Option(
        help:
            "Which experiments: all, tasks (loss curves per k), deep-linear or finite-width (the README only with all)."
    ) var part: Part = .all

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case all, tasks, deepLinear = "deep-linear", finiteWidth = "finite-width"
    }

    typealias Log = @Sendable (String) -> Void

    /// Findings for the README, each with its numbers.
    struct Notes {
        var settings: [String] = []
        var tasks: [TaskSummary] = []
        var deepLinear: [String] = []
        var deepLinearOK = false
        var deepLinearAccelerated = false
        var finiteWidth: [String] = []
        var finiteRates: [String: (Double, Double)] = [:]
    }

    /// Per task and k: the numbers the README judges.
    struct TaskSummary {
        var name: String
        var steps: Int
        /// (k, final train loss, steps to reach the k = infinity final loss, final test RMSE, best test RMSE, final movement); k nil = infinity.
        var rows: [(k: Int?, loss: Double, reach: Int?, rmse: Double?, best: Double?, movement: Double)]
    }

    @Option(name: .customLong("learning-rate"), help: "Learning rate of the bottleneck runs (> 0).")
    var learningRateOption: Double?
    @Option(help: "Steps of the bottleneck runs (1...5000).") var steps: Int?
    @Option(name: .customLong("train-points"), help: "Training points per task (2...2000).") var trainPoints: Int?

    @Option(help: "Merge tolerance of the decoder history (>= 0; Proofs/bottleneck-dynamics.md, Merged history).")
    var merge: Double = 0.03

    var widths: [Int] { quick ? [1, 4] : [1, 2, 4, 8, 32] }
    var stepCount: Int { steps ?? (quick ? 30 : 800) }
    var trainCount: Int { trainPoints ?? (quick ? 30 : 50) }
    var testCount: Int { max(1, trainCount / 2) }
    var learningRate: Double { learningRateOption ?? 0.2 }

    func validate() throws {
        if let learningRateOption, !(learningRateOption.isFinite && learningRateOption > 0) {
            throw ValidationError("invalid --learning-rate '\(learningRateOption)'; allowed: a finite number > 0")
        }
        if let steps, !(1...5000).contains(steps) {
            throw ValidationError("invalid --steps '\(steps)'; allowed: 1...5000")
        }
        guard merge.isFinite, merge >= 0 else {
            throw ValidationError("invalid --merge '\(merge)'; allowed: a finite number >= 0")
        }
        if let trainPoints, !(2...2000).contains(trainPoints) {
            throw ValidationError("invalid --train-points '\(trainPoints)'; allowed: 2...2000")
        }
    }

    func run() throws {
        let directory = try OutputDirectory(out)
        let log: Log = { s in FileHandle.standardError.write(Data("reproduce littwin: \(s)\n".utf8)) }
        let setNames = sets.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !setNames.isEmpty, setNames.allSatisfy({ !$0.isEmpty }) else {
            throw UsageError(
                "invalid --sets '\(sets)'; allowed: comma-separated folder names of --uci, e.g. yacht,energy")
        }
        let started = Date()
        var notes = Notes()
        var tasks: [(String, TrainingExperiment.Data, String)] = [try sphereTask()]
        for name in setNames { tasks.append(try uciTask(name)) }
        notes.settings.append(
            "encoder g: one hidden layer, ReLU, sigma_w = sqrt 2, sigma_b = 0.1, k linear outputs; decoder f: one hidden "
                + "layer, ReLU, same scales, fan-in k; both infinitely wide, NTK parametrisation, mirrored decoder f_0 = 0; full-batch gradient "
                + "descent on 1/(2n) sum (F - y)^2, learning rate \(learningRate), \(stepCount) steps; k in \(widths) and k = infinity (kernel gradient "
                + "descent with the decoder's NTK at the encoder's NNGP, the same start F_0 = 0); one draw of the initial features per k (seed 1)"
        )
        for (name, data, description) in tasks where part == .all || part == .tasks {
            log(
                "\(name): k = \(widths.map(String.init).joined(separator: ", ")), infinity; \(stepCount) steps on \(data.train.count) points"
            )
            notes.tasks.append(try bottleneckStudy(directory, name: name, data: data, description: description))
        }
        if part == .all || part == .tasks {
            log("merged against exact history")
            try mergeCheck(tasks[0].1, notes: &notes)
        }
        if part == .all || part == .deepLinear {
            log("deep linear")
            try deepLinear(directory, notes: &notes)
        }
        if part == .all || part == .finiteWidth {
            log("finite width")
            try finiteWidth(directory, data: tasks[0].1, notes: &notes, log: log)
        }
        let seconds = Date().timeIntervalSince(started)
        notes.settings.append("whole command: \(String(format: "%.0f", seconds)) s on this machine")
        if part == .all { try directory.write(readme(notes), to: "README.md") }
        log("\(part.rawValue): \(String(format: "%.1f", seconds)) s")
        print(
            "wrote bottleneck loss curves, test RMSE, feature movement, the deep linear case and the finite-width study to \(out)"
        )
    }

    func encoder() throws -> NetworkKernel {
        try NetworkKernel(activation: .relu, depth: 2, sigmaW: 2.squareRoot(), sigmaB: 0.1)
    }

    func g(_ x: Double) -> String { String(format: "%.3g", x) }
    func number(_ x: Double?) -> String { x.map { $0.isFinite ? full($0) : "" } ?? "" }
    static func rms(_ a: [Double], _ b: [Double]) -> Double {
        (zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(a.count)).squareRoot()
    }

    // MARK: - Tasks

    /// Uniform points on the sphere of radius sqrt 3 in R^3 (unit input variance), target
    /// sin(1.5 x_1) + 0.5 x_2 x_3 standardised on the training part.
    func sphereTask() throws -> (String, TrainingExperiment.Data, String) {
        var random = GaussianRandomSource(seed: 17)
        func point() -> [Double] {
            let v = (0..<3).map { _ in random.normal() }
            let r = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 * 3.squareRoot() / r }
        }
        let train = (0..<trainCount).map { _ in point() }
        let test = (0..<testCount).map { _ in point() }
        func target(_ x: [Double]) -> Double { sin(1.5 * x[0]) + 0.5 * x[1] * x[2] }
        let y = train.map(target)
        let yt = test.map(target)
        let mu = y.reduce(0, +) / Double(y.count)
        let sd = (y.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(y.count)).squareRoot()
        let data = TrainingExperiment.Data(
            train: train, trainTargets: y.map { ($0 - mu) / sd }, test: test,
            testTargets: yt.map { ($0 - mu) / sd }, targetMean: mu, targetScale: sd)
        return (
            "sphere", data,
            "\(trainCount) training and \(testCount) test points uniform on the sphere of radius sqrt 3 in R^3 (seed 17), "
                + "target sin(1.5 x_1) + 0.5 x_2 x_3, standardised on the training part"
        )
    }

    /// The first training and test rows of standard split 0 of a UCI set, inputs and target
    /// standardised on the training part.
    func uciTask(_ name: String) throws -> (String, TrainingExperiment.Data, String) {
        let folder = (uci as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("data.txt")) else {
            throw UsageError(
                "cannot read '\(folder)/data.txt': --uci must be the UCI suite's folder and --sets names in it (e.g. yacht,energy)"
            )
        }
        let set = try UsageError.wrap {
            try RegressionDataset(uci: folder)
        }
        guard let split = set.standardSplits?.first else {
            throw UsageError("'\(folder)' has no standard splits (index_train_0.txt)")
        }
        let trainRows = Array(split.train.prefix(trainCount))
        let testRows = Array(split.test.prefix(testCount))
        let data = try ReproduceTrainingCommand.standardised(set, train: trainRows, test: testRows)
        return (
            "uci-\(set.name)", data,
            "\(set.name) (\(set.x.first?.count ?? 0) inputs): the first \(trainRows.count) training and "
                + "\(testRows.count) test rows of standard split 0 (of \(split.train.count) and \(split.test.count)), standardised on the training part; "
                + "losses and RMSE in the target's units"
        )
    }

    // MARK: - Loss curves, test RMSE and feature movement per k

    func bottleneckStudy(_ directory: OutputDirectory, name: String, data: TrainingExperiment.Data, description: String)
        throws -> TaskSummary
    {
        let times = (0...stepCount).map(Double.init)
        let report = try UsageError.wrap {
            return try BottleneckStudy.run(
                network: encoder(), widths: widths, data: data, learningRate: learningRate, times: times, seed: 1,
                mergeTolerance: merge)
        }
        let curves = report.curves
        var csv =
            "step"
            + curves.map { c in
                let k = c.width.map { "k\($0)" } ?? "kinf"
                return ",\(k)_train_loss,\(k)_test_rmse,\(k)_feature_movement"
            }.joined() + "\n"
        for (j, t) in times.enumerated() {
            csv +=
                "\(Int(t))"
                + curves.map { ",\(full($0.trainLoss[j])),\(number($0.testRmse[j])),\(full($0.featureMovement[j]))" }
                .joined() + "\n"
        }
        try directory.write(csv, to: "\(name).csv")
        let limit = curves.last!
        let target = limit.trainLoss.last!
        var summary = TaskSummary(name: name, steps: stepCount, rows: [])
        for c in curves {
            let reach = c.trainLoss.firstIndex { $0 <= target }
            let rmses = c.testRmse.compactMap { $0 }
            summary.rows.append(
                (c.width, c.trainLoss.last!, reach, c.testRmse.last ?? nil, rmses.min(), c.featureMovement.last!))
        }
        try directory.writeSidecar(
            of: "\(name).csv",
            [
                "description":
                    "\(description). Per step s and bottleneck width k (kinf: k = infinity): train loss 1/(2n) sum (F - y)^2, test RMSE, "
                    + "and the features' relative movement ||g_s - g_0||_F / ||g_0||_F on the training points (0 by definition at k = infinity)",
                "widths": widths, "steps": stepCount, "learning_rate": learningRate, "train_points": data.train.count,
                "test_points": data.test.count,
                "encoder": "relu depth 2 sigma_w sqrt2 sigma_b 0.1",
                "decoder": "relu depth 2 sigma_w sqrt2 sigma_b 0.1", "seed": 1,
                "steps_to_reach_the_k_infinity_final_loss": summary.rows.map { r in
                    ["k": r.k.map { $0 as Any } ?? "inf", "steps": r.reach.map { $0 as Any } ?? NSNull()]
                },
            ])
        func points(_ v: [Double?]) -> [(x: Double, y: Double)] {
            zip(times, v).compactMap { t, value in t > 0 ? value.map { (t, $0) } : nil }
        }
        let series = curves.enumerated().map { i, c in
            SVGChart.Series(
                label: c.width.map { "k = \($0)" } ?? "k = infinity (NTK)", points: points(c.trainLoss),
                dashed: c.width == nil, colour: i)
        }
        try directory.write(
            SVGChart(
                title: "\(name): train loss with a bottleneck of width k and without (k = infinity)", xLabel: "step",
                yLabel: "train loss 1/(2n) sum (F - y)^2", series: series, xScale: .log, yScale: .log
            ).svg, to: "\(name)-loss.svg")
        let rmseSeries = curves.enumerated().map { i, c in
            SVGChart.Series(
                label: c.width.map { "k = \($0)" } ?? "k = infinity (NTK)", points: points(c.testRmse),
                dashed: c.width == nil, colour: i)
        }
        try directory.write(
            SVGChart(
                title: "\(name): test RMSE during training", xLabel: "step", yLabel: "test RMSE",
                series: rmseSeries, xScale: .log, yScale: .log
            ).svg, to: "\(name)-test-rmse.svg")
        let moveSeries = curves.enumerated().compactMap { i, c -> SVGChart.Series? in
            c.width.map { SVGChart.Series(label: "k = \($0)", points: points(c.featureMovement), colour: i) }
        }
        try directory.write(
            SVGChart(
                title: "\(name): feature movement ||g_t - g_0|| / ||g_0|| (0 at k = infinity)", xLabel: "step",
                yLabel: "relative feature movement", series: moveSeries, xScale: .log, yScale: .log
            ).svg,
            to: "\(name)-feature-movement.svg")
        return summary
    }

    /// The merged history against the exact one on the sphere task, k = 4, 200 steps (30 in --quick).
    func mergeCheck(_ data: TrainingExperiment.Data, notes: inout Notes) throws {
        let checkSteps = quick ? 30 : 200
        let dynamics = try UsageError.wrap {
            var decoder = try encoder()
            decoder.depth = 2
            return try BottleneckDynamics(
                encoder: encoder(), decoder: decoder, width: 4, trainInputs: data.train, targets: data.trainTargets,
                testInputs: data.test, learningRate: learningRate, seed: 1)
        }
        let started = Date()
        let exact = try UsageError.wrap { try dynamics.run(steps: checkSteps, every: checkSteps) }
        let middle = Date()
        let merged = try UsageError.wrap {
            try dynamics.run(steps: checkSteps, every: checkSteps, mergeTolerance: merge)
        }
        let seconds = (middle.timeIntervalSince(started), Date().timeIntervalSince(middle))
        let loss = Swift.abs(merged.trainLoss.last! - exact.trainLoss.last!) / exact.trainLoss.last!
        let test =
            Self.rms(merged.testOutputs.last!, exact.testOutputs.last!)
            / Self.rms(exact.testOutputs.last!, [Double](repeating: 0, count: data.test.count))
        notes.settings.append(
            "decoder history merged with tolerance \(g(merge)) (Proofs/bottleneck-dynamics.md, Merged history); checked here on the "
                + "sphere task at k = 4 and \(checkSteps) steps against the exact history: final train loss off by \(g(loss)) (relative), test outputs by "
                + "\(g(test)) of their RMS, \(merged.historyEntries) of \(exact.historyEntries) entries, \(String(format: "%.1f", seconds.1)) s against "
                + "\(String(format: "%.1f", seconds.0)) s")
    }

    // MARK: - Deep linear

    /// Infinitely wide linear encoder (depth 2) and decoder (depth 3) with a bottleneck of width
    /// k on six scalar inputs, target 1.5 x: the closed form (DeepLinearBottleneck) against
    /// gradient descent of the general integrator (BottleneckDynamics) at two step sizes.
    func deepLinear(_ directory: OutputDirectory, notes: inout Notes) throws {
        let inputs: [Double] = [0.9, -1.3, 0.4, 1.7, -0.6, 1.1]
        let beta = 1.5
        let (lg, lf) = (2, 3)
        let c = inputs.reduce(0) { $0 + $1 * $1 }
        let n = inputs.count
        let tauMax = 0.3
        let simSteps = quick ? 60 : 200
        let ks = quick ? [1, 4] : [1, 4, 16, 64]
        let encoder = try NetworkKernel(activation: .identity, depth: lg, sigmaW: 1, sigmaB: 0)
        let decoder = try NetworkKernel(activation: .identity, depth: lf, sigmaW: 1, sigmaB: 0)
        var csv = "k,tau,closed_form_loss,gradient_descent_loss,gradient_descent_half_step_loss,k_infinity_loss\n"
        var series: [SVGChart.Series] = []
        var random = GaussianRandomSource(seed: 3)
        var worstRatio = (Double.infinity, 0.0)
        var worstRichardson = 0.0
        var accelerated = true
        var lastReductions: [String] = []
        for (i, k) in ks.enumerated() {
            let a0 = (0..<k).map { _ in random.normal() }
            let norm2 = a0.reduce(0) { $0 + $1 * $1 }
            let model = try UsageError.wrap {
                try DeepLinearBottleneck(
                    encoderDepth: lg, decoderDepth: lf, width: k, inputSquareSum: c, slope: beta,
                    initialSquareNorm: norm2)
            }
            func simulate(_ count: Int) throws -> [Double] {
                let eta = tauMax * Double(n) / Double(count)
                return try UsageError.wrap {
                    return try BottleneckDynamics(
                        encoder: encoder, decoder: decoder, width: k, trainInputs: inputs.map { [$0] },
                        targets: inputs.map { beta * $0 }, learningRate: eta,
                        initialFeatures: inputs.flatMap { x in a0.map { $0 * x } }
                    )
                    .run(steps: count).trainOutputs.map { $0[0] / inputs[0] }
                }
            }
            // End-to-end slopes u_s = F(x)/x of gradient descent at two step sizes.
            let coarse = try simulate(simSteps)
            let fine = try simulate(2 * simSteps)
            var gapCoarse = 0.0
            var gapFine = 0.0
            var gapRichardson = 0.0
            var closed: [(x: Double, y: Double)] = []
            var simulated: [(x: Double, y: Double)] = []
            var limit: [(x: Double, y: Double)] = []
            for s in 0...simSteps {
                let tau = tauMax * Double(s) / Double(simSteps)
                let exact = model.loss(at: tau, trainingPoints: n)
                let ntk = model.limitLoss(at: tau, trainingPoints: n)
                func loss(_ u: Double) -> Double { c * (u - beta) * (u - beta) / (2 * Double(n)) }
                csv +=
                    "\(k),\(full(tau)),\(full(exact)),\(full(loss(coarse[s]))),\(full(loss(fine[2 * s]))),\(full(ntk))\n"
                // Gaps of the end-to-end slope relative to the target slope; Richardson's 2 fine - coarse removes the first order.
                let u = model.endToEnd(at: tau)
                gapCoarse = max(gapCoarse, Swift.abs(coarse[s] - u) / beta)
                gapFine = max(gapFine, Swift.abs(fine[2 * s] - u) / beta)
                gapRichardson = max(gapRichardson, Swift.abs(2 * fine[2 * s] - coarse[s] - u) / beta)
                if s > 0 {
                    closed.append((tau, exact))
                    simulated.append((tau, loss(coarse[s])))
                    if i == 0 { limit.append((tau, ntk)) }
                }
            }
            let ratio = gapCoarse / gapFine
            worstRatio = (min(worstRatio.0, ratio), max(worstRatio.1, ratio))
            worstRichardson = max(worstRichardson, gapRichardson / gapFine)
            // Flow time to reduce the loss by 1e6, closed form, by bisection on the monotone loss.
            func reduction(_ f: (Double) -> Double) -> Double {
                let goal = 1e-6 * f(0)
                var lo = 0.0
                var hi = 10.0
                for _ in 0..<100 {
                    let mid = (lo + hi) / 2
                    if f(mid) > goal { lo = mid } else { hi = mid }
                }
                return hi
            }
            let tk = reduction { model.loss(at: $0, trainingPoints: n) }
            let tinf = reduction { model.limitLoss(at: $0, trainingPoints: n) }
            lastReductions.append("k = \(k) (|A_0|^2 = \(g(norm2))): \(g(tk)) against \(g(tinf)) at k = infinity")
            if tk >= tinf { accelerated = false }
            notes.deepLinear.append(
                "k = \(k): largest gap |u_GD - u| / beta of the end-to-end slope over tau in [0, \(tauMax)]: \(g(gapCoarse)) at "
                    + "\(simSteps) steps, \(g(gapFine)) at \(2 * simSteps) (ratio \(g(ratio)), first order: 2), \(g(gapRichardson)) after Richardson extrapolation"
            )
            series.append(SVGChart.Series(label: "k = \(k) closed form", points: closed, colour: i))
            series.append(
                SVGChart.Series(
                    label: "k = \(k) gradient descent",
                    points: simulated.enumerated().filter { $0.offset % 10 == 9 }.map { $0.element },
                    style: .markers, colour: i))
            if i == 0 { series.append(SVGChart.Series(label: "k = infinity", points: limit, dashed: true, colour: 8)) }
        }
        notes.deepLinear.append(
            "flow time tau = eta s / n to reduce the loss by 1e6 (closed form): "
                + lastReductions.joined(separator: "; "))
        // First order: halving the step halves the gap, and Richardson removes most of it.
        notes.deepLinearOK = worstRatio.0 > 1.7 && worstRatio.1 < 2.3 && worstRichardson < 0.2
        notes.deepLinearAccelerated = accelerated
        notes.deepLinear.append(
            "ratios of the gaps at the two step sizes in [\(g(worstRatio.0)), \(g(worstRatio.1))], Richardson's gap at most "
                + "\(g(worstRichardson)) of the finer step's")
        try directory.write(csv, to: "deep-linear.csv")
        try directory.writeSidecar(
            of: "deep-linear.csv",
            [
                "description":
                    "infinitely wide linear encoder (depth \(lg)) and decoder (depth \(lf)), no biases, sigma_w 1, bottleneck width k, "
                    + "inputs \(inputs), target 1.5 x, A_0 ~ N(0, I_k) (seed 3): training loss against flow time tau = eta s / n in the closed form "
                    + "(DeepLinearBottleneck), by gradient descent of BottleneckDynamics with \(simSteps) and \(2 * simSteps) steps over tau in [0, \(tauMax)], "
                    + "and at k = infinity (u = beta (1 - exp(-c L_f tau)))",
                "widths": ks, "encoder_depth": lg, "decoder_depth": lf,
            ])
        try directory.write(
            SVGChart(
                title: "Deep linear bottleneck: closed form (lines) and gradient descent (markers)",
                xLabel: "flow time tau = eta s / n",
                yLabel: "train loss", series: series, yScale: .log
            ).svg, to: "deep-linear.svg")
    }

    // MARK: - Finite width

    /// Finite networks with the same bottleneck (k = 2, hidden width N) trained by gradient
    /// descent against the infinite-width bottleneck dynamics from the same initial features.
    func finiteWidth(
        _ directory: OutputDirectory, data: TrainingExperiment.Data, notes: inout Notes, log: @escaping Log
    ) throws {
        let count = quick ? 16 : 40
        let train = Array(data.train.prefix(count))
        let y = Array(data.trainTargets.prefix(count))
        let x = train.flatMap { $0 }
        let d = train[0].count
        let (k, eta, runSteps) = (2, learningRate, quick ? 10 : 20)
        let hidden = quick ? [128, 512] : [256, 512, 1024, 2048, 4096, 8192]
        let seeds: [UInt64] = quick ? [1, 2] : Array(1...16)
        let network = try encoder()
        let scale = Self.rms(y, [Double](repeating: 0, count: y.count))
        notes.settings.append(
            "finite width: the first \(count) sphere training points, k = \(k), learning rate \(eta), \(runSteps) steps, hidden "
                + "widths \(hidden.first!) ... \(hidden.last!), \(seeds.count) seeds per width; each finite network (one encoder with k outputs sharing its hidden layers, mirrored "
                + "decoder, FiniteBottleneckNetwork) is compared with BottleneckDynamics started from its own initial features"
        )
        var csv =
            "width,seeds,output_gap_median,output_gap_mean,output_gap_stderr,feature_gap_median,feature_gap_mean,feature_gap_stderr,"
            + "loss_curve_gap_median,loss_curve_gap_mean,loss_curve_gap_stderr,finite_feature_movement_median,infinite_feature_movement_median,"
            + "seeds_with_loss_curve_gap_above_half\n"
        var curveCsv = "width,step,finite_train_loss,infinite_train_loss\n"
        var fits: [String: Any] = [:]
        var gapPoints: [String: [(x: Double, y: Double, relativeError: Double)]] = [:]
        var curveSeries: [SVGChart.Series] = []
        for (w, width) in hidden.enumerated() {
            log("finite width \(width)")
            let runs = try UsageError.wrap {
                return try ParallelRuns.map(seeds.count) {
                    i -> (Double, Double, Double, Double, Double, [Double], [Double]) in
                    var net = try FiniteBottleneckNetwork(
                        encoder: network, decoder: network, inputDimension: d, bottleneck: k,
                        hiddenWidth: width, seed: seeds[i])
                    let z0 = net.features(x, count: count)
                    let finite = try net.train(inputs: x, targets: y, learningRate: eta, steps: runSteps)
                    let limit = try BottleneckDynamics(
                        encoder: network, decoder: network, width: k, trainInputs: train, targets: y,
                        learningRate: eta, initialFeatures: z0
                    ).run(steps: runSteps)
                    let moved = Self.rms(limit.finalFeatures, z0)
                    let curveGap =
                        zip(finite.trainLoss, limit.trainLoss).map { Swift.abs($0 - $1) }.max()! / limit.trainLoss[0]
                    let z0Norm = Self.rms(z0, [Double](repeating: 0, count: z0.count))
                    return (
                        Self.rms(finite.trainOutputs.last!, limit.trainOutputs.last!) / scale,
                        Self.rms(finite.features.last!, limit.finalFeatures) / moved, curveGap,
                        Self.rms(finite.features.last!, z0) / z0Norm, moved / z0Norm, finite.trainLoss, limit.trainLoss
                    )
                }
            }
            /// Median over seeds (fitted: single seeds whose finite network leaves the stable regime dominate the
            /// mean), mean and the mean's standard error.
            func stat(_ f: ((Double, Double, Double, Double, Double, [Double], [Double])) -> Double) -> (
                Double, Double, Double
            ) {
                let v = runs.map(f)
                let m = v.reduce(0, +) / Double(v.count)
                let se = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(v.count - 1, 1)) / Double(v.count))
                    .squareRoot()
                let sorted = v.sorted()
                let c = sorted.count
                return (c % 2 == 1 ? sorted[c / 2] : (sorted[c / 2 - 1] + sorted[c / 2]) / 2, m, se)
            }
            let o = stat { $0.0 }
            let f = stat { $0.1 }
            let l = stat { $0.2 }
            let mf = stat { $0.3 }
            let mi = stat { $0.4 }
            let unstable = runs.filter { $0.2 > 0.5 }.count
            csv +=
                "\(width),\(seeds.count),\(full(o.0)),\(full(o.1)),\(full(o.2)),\(full(f.0)),\(full(f.1)),\(full(f.2)),"
                + "\(full(l.0)),\(full(l.1)),\(full(l.2)),\(full(mf.0)),\(full(mi.0)),\(unstable)\n"
            for (key, v) in [("output_gap", o), ("feature_gap", f), ("loss_curve_gap", l)] {
                // The median's relative error, taken as the mean's (at least 10 %).
                gapPoints[key, default: []].append((Double(width), v.0, Swift.max(0.1, v.1 > 0 ? 1.25 * v.2 / v.1 : 1)))
            }
            for s in 0...runSteps { curveCsv += "\(width),\(s),\(full(runs[0].5[s])),\(full(runs[0].6[s]))\n" }
            if w == 0 || w == hidden.count - 1 {
                curveSeries.append(
                    SVGChart.Series(
                        label: "width \(width), seed 1", points: (1...runSteps).map { (Double($0), runs[0].5[$0]) },
                        style: .markers, colour: w == 0 ? 1 : 2))
                if w == 0 {
                    curveSeries.append(
                        SVGChart.Series(
                            label: "infinite width (from width \(width)'s features)",
                            points: (1...runSteps).map { (Double($0), runs[0].6[$0]) }, colour: 1))
                } else {
                    curveSeries.append(
                        SVGChart.Series(
                            label: "infinite width (from width \(width)'s features)",
                            points: (1...runSteps).map { (Double($0), runs[0].6[$0]) }, dashed: true, colour: 2))
                }
            }
            notes.finiteWidth.append(
                "width \(width) (medians over \(seeds.count) seeds; means in brackets): output gap / targets' RMS \(g(o.0)) "
                    + "(\(g(o.1)) +- \(g(o.2))), feature gap / movement \(g(f.0)) (\(g(f.1)) +- \(g(f.2))), largest loss-curve gap / initial loss "
                    + "\(g(l.0)) (\(g(l.1)) +- \(g(l.2))); feature movement finite \(g(mf.0)), infinite \(g(mi.0)); \(unstable) seeds with a loss-curve "
                    + "gap above half the initial loss")
        }
        var series: [SVGChart.Series] = []
        for (i, key) in ["output_gap", "feature_gap", "loss_curve_gap"].enumerated() {
            let pts = gapPoints[key]!
            if let fit = PowerLawFit(pts) {
                fits[key] = ["exponent": fit.exponent, "standard_error": fit.standardError]
                notes.finiteRates[key] = (fit.exponent, fit.standardError)
            }
            series.append(
                SVGChart.Series(
                    label: key.replacingOccurrences(of: "_", with: " "), points: pts.map { ($0.x, $0.y) }, style: .line,
                    colour: i))
        }
        try directory.write(csv, to: "finite-width.csv")
        try directory.writeSidecar(
            of: "finite-width.csv",
            [
                "description":
                    "finite bottleneck networks (hidden width N) trained by gradient descent against the infinite-width bottleneck dynamics "
                    + "from the same initial features, seed medians and means: output gap RMS(F_N - F_inf) / RMS(y) after \(runSteps) steps, feature gap "
                    + "RMS(Z_N - Z_inf) / RMS(Z_inf - Z_0), largest |L_N(s) - L_inf(s)| / L(0) over the run, and both features' relative movement",
                "widths": hidden, "seeds": seeds.count, "bottleneck": k, "learning_rate": eta, "steps": runSteps,
                "train_points": count,
                "fitted_exponents": fits,
            ])
        try directory.write(curveCsv, to: "finite-width-curves.csv")
        try directory.writeSidecar(
            of: "finite-width-curves.csv",
            [
                "description": "train loss per step of seed 1 at every width, finite network and "
                    + "the infinite-width dynamics from its initial features"
            ])
        try directory.write(
            SVGChart(
                title: "Finite bottleneck networks against the infinite-width dynamics (k = \(k))",
                xLabel: "hidden width N",
                yLabel: "relative gap", series: series, xScale: .log, yScale: .log
            ).svg, to: "finite-width.svg")
        try directory.write(
            SVGChart(
                title: "Train loss: finite networks (markers) and infinite width (lines), k = \(k)", xLabel: "step",
                yLabel: "train loss", series: curveSeries, xScale: .log, yScale: .log
            ).svg, to: "finite-width-curves.svg")
    }

    // MARK: - README

    func readme(_ notes: Notes) -> String {
        var out = """
            # Littwin et al. 2021: implicit acceleration and feature learning with bottlenecks

            Written by `\(commandLineText)`\(quick ? " (--quick: a pipeline check, not for conclusions)" : ""). Mathematics and the \
            choices made (mirrored decoder f_0 = 0, the k = infinity limit, the deep linear closed form): Proofs/bottleneck-dynamics.md.

            Files: per task `<task>.csv` (train loss, test RMSE, feature movement per step and k) with `<task>-loss.svg`, \
            `<task>-test-rmse.svg`, `<task>-feature-movement.svg`; `deep-linear.csv`/`.svg`; `finite-width.csv`/`.svg`, \
            `finite-width-curves.csv`/`.svg`; every CSV has a JSON sidecar with its parameters.

            ## Settings (sized down to run in minutes on two shared cores)

            """
        for s in notes.settings { out += "* \(s)\n" }
        out +=
            "* Sized down from the paper: \(trainCount) training and \(testCount) test points per task (subsampled), \(stepCount) steps, "
            + "one draw of the features per k, no hyperparameter search; the infinite-width history costs O(S^2 n^2 k) exactly and still "
            + "about S^1.6 n^2 merged, so longer runs or more points are out of reach here (Proofs/bottleneck-dynamics.md, \"Not covered here\").\n"
        for t in notes.tasks {
            out +=
                "\n## \(t.name)\n\n| k | train loss at step \(t.steps) | steps to reach the k = infinity loss at \(t.steps) | test RMSE at \(t.steps) | best test RMSE | feature movement |\n|---|---|---|---|---|---|\n"
            for r in t.rows {
                out +=
                    "| \(r.k.map(String.init) ?? "infinity") | \(g(r.loss)) | \(r.reach.map(String.init) ?? "not reached") | "
                    + "\(r.rmse.map(g) ?? "-") | \(r.best.map(g) ?? "-") | \(g(r.movement)) |\n"
            }
        }
        out += "\n## The paper's claims against the data\n\n"
        /// All finite k: confirmed; at least half: partly; fewer: not.
        func verdict(_ agreeing: Int, _ total: Int) -> String {
            agreeing == total ? "**confirmed**" : 2 * agreeing >= total ? "**partly confirmed**" : "**not confirmed**"
        }
        // Acceleration: every finite k below the k = infinity loss at the end, and the smallest k fastest.
        for t in notes.tasks {
            let limit = t.rows.last!
            let finite = t.rows.dropLast()
            let faster = finite.filter { $0.loss < limit.loss }
            let speedups = finite.map { r in
                r.reach.map { "k = \(r.k!): \(g(Double(t.steps) / Double(max($0, 1))))x" } ?? "k = \(r.k!): slower"
            }
            out +=
                "* \(t.name), acceleration (train loss falls faster with a bottleneck): \(faster.count) of \(finite.count) finite k end "
                + "below the k = infinity loss \(g(limit.loss)); speed-up in steps to reach it: \(speedups.joined(separator: ", ")): "
                + "\(verdict(faster.count, finite.count)).\n"
            if let lr = limit.rmse {
                let better = finite.filter { ($0.rmse ?? .infinity) < lr }
                let bestFinite = finite.compactMap { $0.best }.min() ?? .infinity
                out +=
                    "* \(t.name), test performance: test RMSE at step \(t.steps) is below the k = infinity value \(g(lr)) for \(better.count) "
                    + "of \(finite.count) k (\(finite.map { "k = \($0.k!): \($0.rmse.map(g) ?? "-")" }.joined(separator: ", "))); best over the run "
                    + "\(g(bestFinite)) with a bottleneck against \(g(limit.best ?? .nan)) without: "
                    + "\(verdict(better.count, finite.count)).\n"
            }
            let moves = finite.map { "k = \($0.k!): \(g($0.movement))" }
            let small = finite.first!
            let large = finite.last!
            out +=
                "* \(t.name), feature learning: relative feature movement \(moves.joined(separator: ", ")) (0 at k = infinity by the limit); "
                + "order one at small k and shrinking as k grows (\(g(small.movement)) -> \(g(large.movement)), "
                + "ratio \(g(small.movement / large.movement)) for k ratio \(large.k! / small.k!)): "
                + "\(small.movement >= 0.05 && large.movement < small.movement ? "**confirmed**" : "**not confirmed**").\n"
        }
        out +=
            "* Deep linear: gradient descent converges to the closed form at first order in the step: "
            + "\(notes.deepLinearOK ? "**confirmed**" : "**not confirmed**"); every finite k reaches a 1e6-fold loss reduction before "
            + "k = infinity (the analytic acceleration): \(notes.deepLinearAccelerated ? "**confirmed**" : "**not confirmed**"). "
            + notes.deepLinear.joined(separator: "; ") + ".\n"
        if let o = notes.finiteRates["output_gap"], let f = notes.finiteRates["feature_gap"] {
            let ok = Swift.abs(o.0 + 0.5) <= 0.2 && Swift.abs(f.0 + 0.5) <= 0.2
            out +=
                "* Finite networks converge to the infinite-width bottleneck dynamics (medians over seeds): output gap ~ N^\(g(o.0)) +- \(g(o.1)), feature gap ~ "
                + "N^\(g(f.0)) +- \(g(f.1))"
                + (notes.finiteRates["loss_curve_gap"].map { ", loss-curve gap ~ N^\(g($0.0)) +- \(g($0.1))" } ?? "")
                + " (expected N^-1/2, the fluctuation of both tangent kernels): \(ok ? "**confirmed**" : "**not confirmed at the rate -1/2**").\n"
        }
        out += "\n## Finite width, per width\n\n"
        for s in notes.finiteWidth { out += "* \(s)\n" }
        out += """

            ## Where the data do not confirm, or cannot

            * The k = infinity limit here is the decoder's NTK at the encoder's NNGP (the mirrored start f_0 = 0 gives the encoder no \
            gradient at t = 0), not the NTK of the whole network with a random f_0 (Proofs/bottleneck-dynamics.md); the paper's \
            comparison network is the fully infinite NTK network, which trains the encoder too, so our baseline is slower than theirs by \
            the encoder's share of the kernel.
            * Acceleration: in the default run (\(stepCount) steps of learning rate \(learningRate)) the narrowest bottlenecks \
            (k = 1, 2) end above the k = infinity loss on every task; moderate k (4 to 32) mostly end below it on the UCI sets \
            and all above it on the sphere (the tables give the numbers); early in the run (step 10 in the CSVs) every finite k is slower: with \
            f_0 = 0 the features get no gradient until the decoder has learnt, and a finite-k features' Gram deviates from the \
            NNGP. The deep linear closed form shows the mechanism (the rate grows with the features' learning, \
            c (a s_A^2 + b alpha^2)); on the nonlinear tasks at these sizes it does not dominate.
            * One draw of the features per k: at k = 1 and 2 the run depends on the draw (the features' Gram is far from the NNGP), so \
            the per-k numbers carry seed noise that is not averaged out here.
            * The paper's own figures and numbers could not be compared number by number (its data sizes, step counts and \
            hyperparameters are beyond this machine's budget for the exact O(S^2 n^2 k) history).

            """
        return out
    }
}
