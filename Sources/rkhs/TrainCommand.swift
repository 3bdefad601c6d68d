import ArgumentParser
import Foundation
import GPRegression
import NeuralKernels
import SVGPlots
import TrainingDynamics

/// `rkhs train`: the infinitely wide network trained by gradient descent on MSE (kernel
/// gradient descent with the NTK; mean and variance over initialisations at every time),
/// and actual finite networks trained beside it.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Training dynamics of the infinitely wide network (NTK or NNGP ensemble) on data, with finite networks beside it.",
        discussion: """
            Convention (Neural Tangents' predict.gradient_descent_mse_ensemble): loss 1/(2n) sum (f - y)^2 over the n \
            training points; gradient flow f_t - y = exp(-eta t Theta / n)(f_0 - y), so time is NT's t (absolute time \
            eta t); with --steps, times are step counts of discrete gradient descent, (I - eta Theta / n)^s, refused when \
            eta exceeds the stability limit 2n / lambda_max. --ensemble ntk trains every layer (mean: NTK regression at \
            t = inf); --ensemble nngp trains the readout only (t = inf: the NNGP posterior). --init zero starts from f_0 = 0 \
            (a centred network: deterministic, no variance). Inputs and targets are standardised on the training part \
            (as rkhs regress), unless --no-standardise; losses, RMSE and NLL are in the target's units. With --width, \
            actual networks (same activation, depth, scales, parametrisation) are trained by full-batch gradient descent \
            from --seeds seeds per width (times are then step counts) and compared with the infinite network. \
            JSON fields: times, train_loss, test_loss, test_rmse, test_nll, expected_train_loss, expected_test_loss, \
            learning_rate, stability_limit, converged_time (first listed time with train loss below 1e-3 of its value at \
            t = 0), finite_width (per width: losses, mean_deviation, variance_ratio and their linearised_ versions, \
            ntk_change, linearisation_gap, weight_change) and the fitted slopes against width with their theory. \
            With --bottleneck K1,K2,..., bottleneck: encoder_depth, decoder_depth, seed, times and per k (width null for \
            k = infinity) train_loss, test_rmse, feature_movement (||g_t - g_0|| / ||g_0|| on the training points) and \
            converged_time; exact infinite-width history, cost O(steps^2 n^2 k) (Proofs/bottleneck-dynamics.md).
            """)

    @Option(help: "Training data: CSV (or whitespace-separated) with a header row or numbered columns.") var data:
        String?
    @Option(help: "Target column of --data and --test: its header name or 1-based number.") var target: String?
    @Option(help: "Test data with the same columns as --data.") var test: String?
    @Option(help: "UCI benchmark folder with data.txt and standard splits (e.g. ../shared/data/uci/yacht).") var uci:
        String?
    @Option(help: "Standard split of the UCI folder (0-based, as its index_train_I.txt files).") var split: Int?

    @Option(
        help: ArgumentHelp(
            "Activation (as in rkhs kernel): \(ActivationCatalogue.usages.joined(separator: ", ")).", valueName: "name")
    )
    var activation: String = "relu"
    @Option(help: "Number of weight layers L in 2...20 (L - 1 hidden layers).") var depth: Int = 2
    @OptionGroup(title: "Scales") var scales: ScaleOptions
    @Option(help: "Parametrization: ntk or standard (Neural Tangents' conventions; standard needs --width).")
    var parametrization: ParametrizationOption = .ntk

    @Option(help: "Times: a comma-separated list (inf allowed) or log:T0:T1:N (N log-spaced times from T0 to T1).")
    var times: String = "log:0.01:10000:41"
    @Option(
        name: .customLong("learning-rate"),
        help: "Learning rate eta > 0 (default 1; with --steps or --width it must stay below 2n / lambda_max).")
    var learningRate: Double?
    @Option(
        name: .customLong("learning-rate-fraction"),
        help: "Learning rate as a fraction in (0, 1) of the stability limit 2n / lambda_max.")
    var learningRateFraction: Double?
    @Flag(help: "Discrete gradient descent: times are whole numbers of steps.") var steps = false
    @Option(help: "Which ensemble: ntk (all layers trained) or nngp (readout only).") var ensemble: EnsembleOption =
        .ntk
    @Option(
        name: .customLong("init"),
        help: "Outputs at initialisation: sampled (an ensemble over initialisations) or zero (centred).")
    var initialisation: InitialisationOption = .sampled
    @Option(
        help: "Ridge (Neural Tangents' diag_reg) >= 0, relative to the kernel's mean diagonal unless --ridge-absolute.")
    var ridge: Double = 0
    @Flag(name: .customLong("ridge-absolute"), help: "--ridge in the kernel's units.") var ridgeAbsolute = false
    @Flag(name: .customLong("no-standardise"), help: "Use inputs and targets as given (as Neural Tangents does).")
    var noStandardise = false

    @Option(help: "Hidden widths of finite networks trained beside the infinite one, e.g. 256,1024,4096.") var width:
        String?
    @Option(help: "Seeds per width (1...1000; default 5).") var seeds: Int?
    @Option(help: "First seed; the seeds are seed, seed + 1, ... (default 0, as every command's --seed).") var seed:
        UInt64 = 0

    @Option(help: "Write the mean test predictions, float64 [times, n_test], to this .npy.") var predictions: String?
    @Flag(help: "With --predictions, also write the predictive variances to P.var.npy beside it.") var covariance =
        false
    @Option(help: "Output format: table, csv (one row per time) or json.") var format: OutputFormat = .table
    @Option(help: "Write an SVG plot of train and test loss against time.") var plot: String?
    @Option(
        help: ArgumentHelp(
            "Bottleneck widths k, e.g. 1,2,4,8: the network (g) with k linear outputs feeding a one-hidden-layer network (f), both infinitely wide, trained from f_0 = 0 beside k = infinity (needs --steps; JSON field bottleneck).",
            valueName: "K"))
    var bottleneck: String?
    @Option(
        name: .customLong("bottleneck-merge"),
        help:
            "With --bottleneck: merge the decoder's history while each training feature stays within this relative distance (e.g. 0.02; default: the exact history)."
    )
    var bottleneckMerge: Double?

    func validate() throws {
        guard (data == nil) != (uci == nil) else {
            throw ValidationError(
                "give exactly one of --data FILE (with --target and --test) or --uci FOLDER (with --split)")
        }
        if data != nil {
            guard target != nil, test != nil else {
                throw ValidationError("--data needs --target COLUMN and --test FILE")
            }
            guard split == nil else { throw ValidationError("--split goes with --uci, not --data") }
        } else {
            guard split != nil else { throw ValidationError("--uci needs --split I (0-based standard split)") }
            guard test == nil, target == nil else {
                throw ValidationError("--test and --target go with --data, not --uci")
            }
        }
        guard (2...20).contains(depth) else { throw ValidationError("invalid --depth '\(depth)'; allowed: 2...20") }
        if let learningRate, !(learningRate.isFinite && learningRate > 0) {
            throw ValidationError("invalid --learning-rate '\(learningRate)'; allowed: a finite number > 0")
        }
        if let f = learningRateFraction, !(f > 0 && f < 1) {
            throw ValidationError("invalid --learning-rate-fraction '\(f)'; allowed: a number in (0, 1)")
        }
        if learningRate != nil && learningRateFraction != nil {
            throw ValidationError("give at most one of --learning-rate and --learning-rate-fraction")
        }
        guard ridge.isFinite, ridge >= 0 else {
            throw ValidationError("invalid --ridge '\(ridge)'; allowed: a finite number >= 0")
        }
        if let seeds, !(1...1000).contains(seeds) {
            throw ValidationError("invalid --seeds '\(seeds)'; allowed: 1...1000")
        }
        if covariance, predictions == nil { throw ValidationError("--covariance needs --predictions P.npy") }
        if let predictions, !predictions.lowercased().hasSuffix(".npy") {
            throw ValidationError("invalid --predictions '\(predictions)'; allowed: a path ending in .npy")
        }
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw ValidationError("invalid --plot '\(plot)'; allowed: a path ending in .svg")
        }
        if parametrization == .standard, width == nil {
            throw ValidationError("--parametrization standard needs --width: its NTK depends on the hidden width")
        }
        if initialisation == .zero, width != nil {
            throw ValidationError(
                "--init zero has no finite-width counterpart here; finite networks start from their random initialisation"
            )
        }
        if seeds != nil, width == nil { throw ValidationError("--seeds goes with --width (finite networks)") }
        if bottleneck != nil {
            guard steps else {
                throw ValidationError("--bottleneck needs --steps: its dynamics are discrete gradient descent")
            }
            guard parametrization != .standard else {
                throw ValidationError("--bottleneck needs --parametrization ntk (the lazy limit of both halves)")
            }
            guard learningRateFraction == nil else {
                throw ValidationError("--bottleneck needs --learning-rate (its stability limit is not the kernel's)")
            }
        }
        if let bottleneckMerge {
            guard bottleneck != nil else { throw ValidationError("--bottleneck-merge goes with --bottleneck") }
            guard bottleneckMerge.isFinite, bottleneckMerge >= 0 else {
                throw ValidationError("invalid --bottleneck-merge '\(bottleneckMerge)'; allowed: a finite number >= 0")
            }
        }
    }

    func run() throws {
        // Fail on unwritable outputs before computing.
        for path in [predictions, predictions.map(Self.variancePath), plot].compactMap({ $0 }) {
            try Self.checkWritable(path)
        }
        let widths = try width.map(Self.parseWidths) ?? []
        let discrete = steps || !widths.isEmpty
        let timeList = try Self.parseTimes(times, steps: discrete)
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: activation) }
        let network = try UsageError.wrap {
            try NetworkKernel(
                activation: act, depth: depth, sigmaW: scales.sigmaW, sigmaB: scales.bias, sigmaI: scales.sigmaI,
                parametrization: parametrization.value, width: widths.first)
        }
        let (experimentData, name) = try loadData()
        let config = TrainingExperiment.Configuration(
            network: network, ensemble: ensemble.value, schedule: discrete ? .steps : .flow,
            learningRate: learningRateFraction.map { .fractionOfLimit($0) } ?? .value(learningRate ?? 1),
            ridge: ridge, absoluteRidge: ridgeAbsolute, initialisation: initialisation.value, times: timeList,
            widths: widths, seeds: (0..<UInt64(seeds ?? 5)).map { seed &+ $0 })
        let result = try UsageError.wrap {
            try TrainingExperiment.run(config, data: experimentData) { line in
                FileHandle.standardError.write(Data("train: \(line)\n".utf8))
            }
        }
        let report = result.report
        var bottleneckReport: BottleneckStudy.Report?
        if let bottleneck {
            let ks = try Self.parseBottleneck(bottleneck)
            bottleneckReport = try UsageError.wrap {
                try BottleneckStudy.run(
                    network: network, widths: ks, data: experimentData, learningRate: learningRate ?? 1,
                    times: timeList, seed: seed, mergeTolerance: bottleneckMerge)
            }
        }
        for w in report.warnings { FileHandle.standardError.write(Data("train: warning: \(w)\n".utf8)) }
        if let predictions {
            let m = experimentData.testTargets.count
            try writeData(
                NPYFile.encode(result.testMean.flatMap { $0 }, rows: timeList.count, columns: m), to: predictions)
            if covariance {
                try writeData(
                    NPYFile.encode(result.testVariance.flatMap { $0 }, rows: timeList.count, columns: m),
                    to: Self.variancePath(predictions))
            }
        }
        switch format {
        case .json: print(try Self.json(report, name: name, network: network, bottleneck: bottleneckReport))
        case .csv: print(Self.csv(report, times: timeList), terminator: "")
        case .table:
            print(Self.table(report, times: timeList, name: name, network: network), terminator: "")
            if let bottleneckReport { print(Self.bottleneckTable(bottleneckReport), terminator: "") }
        }
        if let plot { try writeAtomically(Self.svg(report, times: timeList, name: name, network: network), to: plot) }
    }

    /// Training and test parts, standardised on the training part unless --no-standardise.
    func loadData() throws -> (TrainingExperiment.Data, String) {
        var trainX: [[Double]]
        var trainY: [Double]
        var testX: [[Double]]
        var testY: [Double]
        var name: String
        var constant = Standardiser.ConstantColumns.reject
        do {
            if let uci, let split {
                let set = try RegressionDataset(uci: uci)
                let splits = set.standardSplits ?? []
                guard (0..<splits.count).contains(split) else {
                    throw UsageError("invalid --split '\(split)'; allowed: 0...\(splits.count - 1) for \(uci)")
                }
                trainX = splits[split].train.map { set.x[$0] }
                trainY = splits[split].train.map { set.y[$0] }
                testX = splits[split].test.map { set.x[$0] }
                testY = splits[split].test.map { set.y[$0] }
                name = "\(set.name) split \(split)"
                constant = .keepAtZero
            } else {
                let train = try RegressionDataset(csv: data!, target: target!)
                let held = try RegressionDataset(csv: test!, target: target!)
                guard held.x.first?.count == train.x.first?.count else {
                    throw UsageError(
                        "--test '\(test!)' has \(held.x.first?.count ?? 0) input columns; --data has \(train.x.first?.count ?? 0)"
                    )
                }
                trainX = train.x
                trainY = train.y
                testX = held.x
                testY = held.y
                name = train.name
            }
        } catch let e as RegressionError {
            throw UsageError(e.description)
        }
        guard !noStandardise else {
            return (TrainingExperiment.Data(train: trainX, trainTargets: trainY, test: testX, testTargets: testY), name)
        }
        return try UsageError.wrap {
            let inputs = try Standardiser(fitting: trainX, constantColumns: constant)
            let targets = try Standardiser(fitting: trainY.map { [$0] })
            let mu = targets.mean[0]
            let sd = targets.scale[0]
            return (
                TrainingExperiment.Data(
                    train: inputs.apply(trainX), trainTargets: trainY.map { ($0 - mu) / sd },
                    test: inputs.apply(testX), testTargets: testY.map { ($0 - mu) / sd },
                    targetMean: mu, targetScale: sd), name
            )
        }
    }

    static func variancePath(_ path: String) -> String {
        String(path.dropLast(4)) + ".var.npy"
    }

    static func checkWritable(_ path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("cannot write '\(path)': directory '\(directory)' does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw UsageError("cannot write '\(path)': directory '\(directory)' is not writable")
        }
    }

    static func parseWidths(_ text: String) throws -> [Int] {
        let list = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 65536 }) else {
            throw UsageError("invalid --width '\(text)'; allowed: a comma-separated list of integers in 1...65536")
        }
        return list.map { $0! }
    }

    /// "0,1,10,inf" or "log:T0:T1:N"; with steps every time must be a whole number.
    static func parseTimes(_ text: String, steps: Bool) throws -> [Double] {
        let allowed =
            "a comma-separated list of times >= 0 (inf allowed) or log:T0:T1:N with 0 < T0 < T1 and 2 <= N <= 10000"
            + (steps ? "; whole numbers of steps with --steps or --width" : "")
        var list: [Double]
        if text.hasPrefix("log:") {
            let parts = text.dropFirst(4).split(separator: ":").map(String.init)
            guard parts.count == 3, let t0 = Double(parts[0]), let t1 = Double(parts[1]), let n = Int(parts[2]),
                t0 > 0, t1 > t0, t1.isFinite, (2...10000).contains(n)
            else {
                throw UsageError("invalid --times '\(text)'; allowed: \(allowed)")
            }
            list = (0..<n).map { t0 * pow(t1 / t0, Double($0) / Double(n - 1)) }
            if steps { list = Array(Set(list.map { $0.rounded() })).sorted() }
        } else {
            list = []
            for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
                let s = piece.trimmingCharacters(in: .whitespaces).lowercased()
                guard let t = s == "inf" ? Double.infinity : Double(s), t >= 0, !t.isNaN else {
                    throw UsageError("invalid --times '\(text)': '\(piece)' is not a time; allowed: \(allowed)")
                }
                list.append(t)
            }
        }
        if steps {
            guard list.allSatisfy({ $0.isFinite && $0 == $0.rounded() && $0 <= 10_000_000 }) else {
                throw UsageError("invalid --times '\(text)'; allowed: \(allowed) (at most 1e7 steps, no inf)")
            }
        }
        return list
    }

    // MARK: - Output

    struct Output: Encodable {
        let dataset: String
        let activation: String
        let depth: Int
        let sigmaW: Double
        let sigmaB: Double
        let sigmaI: Double
        let parametrization: String
        let report: TrainingExperiment.Report
        var bottleneck: BottleneckStudy.Report? = nil

        enum CodingKeys: String, CodingKey {
            case dataset, activation, depth, sigmaW, sigmaB, sigmaI, parametrization, bottleneck
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(dataset, forKey: .dataset)
            try c.encode(activation, forKey: .activation)
            try c.encode(depth, forKey: .depth)
            try c.encode(sigmaW, forKey: .sigmaW)
            try c.encode(sigmaB, forKey: .sigmaB)
            try c.encode(sigmaI, forKey: .sigmaI)
            try c.encode(parametrization, forKey: .parametrization)
            if let bottleneck { try c.encode(bottleneck, forKey: .bottleneck) }
            try report.encode(to: encoder)
        }
    }

    static func json(
        _ report: TrainingExperiment.Report, name: String, network: NetworkKernel,
        bottleneck: BottleneckStudy.Report? = nil
    ) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let output = Output(
            dataset: name, activation: network.activation.name, depth: network.depth,
            sigmaW: network.sigmaW, sigmaB: network.sigmaB, sigmaI: network.sigmaI,
            parametrization: network.parametrization.rawValue, report: report, bottleneck: bottleneck)
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }

    static func parseBottleneck(_ text: String) throws -> [Int] {
        let list = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 4096 }) else {
            throw UsageError("invalid --bottleneck '\(text)'; allowed: a comma-separated list of integers in 1...4096")
        }
        return list.map { $0! }
    }

    static func bottleneckTable(_ r: BottleneckStudy.Report) -> String {
        func g(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "-" }
        var out =
            "bottleneck (encoder depth \(r.encoderDepth), decoder depth \(r.decoderDepth), f_0 = 0, seed \(r.seed)), at the last time:\n"
        for c in r.curves {
            out +=
                "k = \(c.width.map(String.init) ?? "inf"): train loss \(g(c.trainLoss.last)), test RMSE \(g(c.testRmse.last ?? nil)), "
                + "feature movement \(g(c.featureMovement.last)), converged at \(g(c.convergedTime))\n"
        }
        return out
    }

    static func number(_ x: Double?) -> String { x.map { full($0) } ?? "" }

    static func csv(_ r: TrainingExperiment.Report, times: [Double]) -> String {
        var header = [
            "time", "train_loss", "test_loss", "test_rmse", "test_nll", "expected_train_loss", "expected_test_loss",
        ]
        for w in r.finiteWidth { header += ["width_\(w.width)_train_loss", "width_\(w.width)_test_loss"] }
        var out = header.joined(separator: ",") + "\n"
        for k in 0..<times.count {
            var row = [
                times[k].isFinite ? full(times[k]) : "inf", number(r.trainLoss[k]), number(r.testLoss[k]),
                number(r.testRmse[k]), number(r.testNll[k]), number(r.expectedTrainLoss[k]),
                number(r.expectedTestLoss[k]),
            ]
            for w in r.finiteWidth { row += [number(w.trainLoss[k]), number(w.testLoss[k])] }
            out += row.joined(separator: ",") + "\n"
        }
        return out
    }

    static func table(_ r: TrainingExperiment.Report, times: [Double], name: String, network: NetworkKernel) -> String {
        func g(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "-" }
        var out =
            "\(name): \(network.activation.name), depth \(network.depth), \(r.ensemble) ensemble, \(r.schedule) "
            + "(learning rate \(g(r.learningRate)), stability limit \(g(r.stabilityLimit))), \(r.trainPoints) train / \(r.testPoints) test points\n"
        out += "converged (train loss < 1e-3 of start) at t = \(g(r.convergedTime))\n"
        func row(_ cells: [String]) -> String {
            cells.map { String(repeating: " ", count: max(0, 12 - $0.count)) + $0 }.joined(separator: " ") + "\n"
        }
        out += row(["time", "train loss", "test loss", "test RMSE", "test NLL"])
        for k in 0..<times.count {
            out += row([
                times[k].isFinite ? g(times[k]) : "inf", g(r.trainLoss[k]), g(r.testLoss[k]), g(r.testRmse[k]),
                g(r.testNll[k]),
            ])
        }
        for w in r.finiteWidth {
            let last = times.count - 1
            out +=
                "width \(w.width) (\(w.seeds) seeds): final train loss \(g(w.trainLoss[last])), test loss \(g(w.testLoss[last])); "
                + "seed mean vs infinite: max \(g(w.meanDeviation.compactMap { $0 }.max())) standard errors; "
                + "variance ratio \(g(w.varianceRatio[last])); NTK change \(g(w.ntkChange.mean)) +- \(g(w.ntkChange.standardError)); "
                + "linearisation gap \(g(w.linearisationGap.mean)); weight change \(g(w.weightChange.mean))\n"
        }
        for (label, s) in [
            ("NTK change", r.ntkChangeSlope), ("linearisation gap", r.linearisationGapSlope),
            ("weight change", r.weightChangeSlope),
        ] {
            guard let s else { continue }
            out +=
                "\(label) ~ width^\(g(s.exponent)) +- \(g(s.standardError)) (theory \(g(s.theory)), \(s.widths) widths)\n"
        }
        return out
    }

    static func svg(_ r: TrainingExperiment.Report, times: [Double], name: String, network: NetworkKernel) -> String {
        func points(_ values: [Double?]) -> [(x: Double, y: Double)] {
            zip(times, values).compactMap { t, v in
                guard t > 0, t.isFinite, let v, v > 0 else { return nil }
                return (t, v)
            }
        }
        var series = [
            SVGChart.Series(label: "infinite width: train", points: points(r.trainLoss), colour: 0),
            SVGChart.Series(label: "infinite width: test", points: points(r.testLoss), dashed: true, colour: 0),
        ]
        for (k, w) in r.finiteWidth.enumerated() {
            series.append(
                SVGChart.Series(
                    label: "width \(w.width): train", points: points(w.trainLoss), style: .markers, colour: k + 1))
            series.append(
                SVGChart.Series(
                    label: "width \(w.width): test", points: points(w.testLoss), dashed: true, colour: k + 1))
        }
        let chart = SVGChart(
            title: "\(name): \(network.activation.name), depth \(network.depth), \(r.ensemble) ensemble",
            xLabel: r.schedule == "steps" ? "steps" : "time t (units of the learning rate)",
            yLabel: "loss 1/(2n) sum (f - y)^2", series: series, xScale: .log, yScale: .log)
        return chart.svg
    }
}

enum EnsembleOption: String, ExpressibleByArgument, CaseIterable {
    case ntk, nngp
    var value: TrainedEnsemble { self == .ntk ? .ntk : .nngp }
}

enum InitialisationOption: String, ExpressibleByArgument, CaseIterable {
    case sampled, zero
    var value: TrainingExperiment.Initialisation { self == .sampled ? .sampled : .zero }
}

/// Writes bytes atomically, as a usage error if the file cannot be written.
func writeData(_ data: Data, to path: String) throws {
    try UsageError.wrap { try AtomicFile.write(data, to: path) }
}
