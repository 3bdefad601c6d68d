import ArgumentParser
import Foundation
import GPRegression
import NeuralKernels
import SVGPlots
import TrainingDynamics

/// `rkhs reproduce training`: the data behind the training-dynamics claims, into
/// notebooks-data/training/ (CSV with JSON sidecars, SVG plots, all written atomically):
///
/// * spectral bias on S^2: per degree k the predicted decay rate eta mu_k and the rates measured
///   on the infinite network and on centred finite networks;
/// * lazy training: the NTK change, the linearisation gap and the weight change against width,
///   with fitted exponents beside their theory (ReLU and erf, one hidden layer);
/// * a UCI set (yacht, standard split 0): train and test loss against time for the infinite
///   network and finite widths.
struct ReproduceTrainingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training",
        abstract:
            "Training-dynamics data: spectral bias on the sphere, lazy-training rates in the width, a UCI loss curve.")

    @Option(help: "Output folder.") var out: String = "notebooks-data/training"
    @Option(help: "UCI folder for the loss curves.") var uci: String = "../shared/data/uci/yacht"
    @Flag(help: "A small, fast version of every experiment (for checking the pipeline, not for conclusions).")
    var quick = false
    @Option(
        help:
            "Which experiment: all, spectral-bias, lazy-training, uci, or readme (only the README, from the data already there)."
    ) var part: Part = .all
    @Option(
        name: .customLong("step-fraction"),
        help: "Spectral bias: the learning rate as a fraction in (0, 1) of the stability limit.")
    var stepFraction: Double = 0.5

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case all, spectralBias = "spectral-bias", lazyTraining = "lazy-training", uci
        /// Only the README, from the data already there.
        case readme
    }

    func run() throws {
        guard stepFraction > 0, stepFraction < 1 else {
            throw UsageError("invalid --step-fraction '\(stepFraction)'; allowed: a number in (0, 1)")
        }
        let directory = try OutputDirectory(out)
        let log: @Sendable (String) -> Void = { s in
            FileHandle.standardError.write(Data("reproduce training: \(s)\n".utf8))
        }
        if part == .all || part == .spectralBias { try spectralBias(directory, log: log) }
        if part == .all || part == .lazyTraining { try lazyTraining(directory, log: log) }
        if part == .all || part == .uci { try lossCurves(directory, log: log) }
        try TrainingNotebookReadme(directory: directory.path).write(to: directory)
        print(
            part == .readme
                ? "wrote the README of \(out)"
                : "wrote \(part == .all ? "spectral-bias, lazy-training and uci loss curves" : part.rawValue) (CSV + JSON + SVG) and the README to \(out)"
        )
    }

    /// Rows `train` and `test` of a UCI set as training data: inputs standardised on the training
    /// part (constant columns to 0, the benchmark's convention), targets standardised by the
    /// training mean and standard deviation (kept for reporting in the target's units).
    static func standardised(_ set: RegressionDataset, train: [Int], test: [Int]) throws -> TrainingExperiment.Data {
        let trainX = train.map { set.x[$0] }
        let trainY = train.map { set.y[$0] }
        let testX = test.map { set.x[$0] }
        let testY = test.map { set.y[$0] }
        let inputs = try UsageError.wrap {
            try Standardiser(fitting: trainX, constantColumns: .keepAtZero)
        }
        let mu = trainY.reduce(0, +) / Double(trainY.count)
        let sd = (trainY.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(trainY.count)).squareRoot()
        return TrainingExperiment.Data(
            train: inputs.apply(trainX), trainTargets: trainY.map { ($0 - mu) / sd },
            test: inputs.apply(testX), testTargets: testY.map { ($0 - mu) / sd },
            targetMean: mu, targetScale: sd)
    }

    func number(_ x: Double?) -> String { x.map { full($0) } ?? "" }

    /// Spectral bias: 2-layer ReLU NTK on S^2.
    func spectralBias(_ directory: OutputDirectory, log: @escaping @Sendable (String) -> Void) throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let points = quick ? 300 : 1000
        let degrees = quick ? [1, 2, 3] : Array(1...8)
        let widths = quick ? [256] : [512, 2048]
        let seeds = quick ? 2 : 4
        let config = SpectralBias.Configuration(
            network: network, dimension: 3, points: points, degrees: degrees,
            stepFraction: stepFraction, widths: widths, seeds: seeds, seed: 1)
        let started = Date()
        let report = try UsageError.wrap {
            try SpectralBias.run(config) { log($0) }
        }
        var csv =
            "k,mu,multiplicity,predicted_rate,infinite_rate,fitted_steps"
            + widths.map {
                ",width_\($0)_rate,width_\($0)_stderr,width_\($0)_linearised_rate,width_\($0)_linearised_stderr"
            }.joined() + "\n"
        for d in report.degrees {
            csv +=
                "\(d.k),\(full(d.mu)),\(full(d.multiplicity)),\(full(d.predictedRate)),\(number(d.infiniteRate)),\(d.fittedSteps)"
            for r in d.finiteRates {
                csv +=
                    ",\(number(r.mean)),\(number(r.standardError)),\(number(r.linearisedMean)),\(number(r.linearisedStandardError))"
            }
            csv += "\n"
        }
        let file = stepFraction == 0.5 ? "spectral-bias.csv" : "spectral-bias-step\(stepFraction).csv"
        try directory.write(csv, to: file)
        try directory.writeSidecar(
            of: file,
            [
                "description":
                    "decay rate per step of the degree-k part of the residual, kernel gradient descent on \(points) uniform points of S^2 "
                    + "with a sum of zonal harmonics of degrees \(degrees) as target; predicted -log(1 - eta mu_k), mu_k the Mercer eigenvalue of the NTK",
                "activation": "relu", "depth": 2, "dimension": 3, "points": points,
                "learning_rate": report.learningRate,
                "widths": widths, "seeds_per_width": seeds, "seconds": Date().timeIntervalSince(started),
                "step_fraction_of_stability_limit": stepFraction,
            ])
        var series = [
            SVGChart.Series(
                label: "predicted eta mu_k", points: report.degrees.map { (Double($0.k), $0.predictedRate) }),
            SVGChart.Series(
                label: "infinite width (measured)",
                points: report.degrees.compactMap { d in d.infiniteRate.map { (Double(d.k), $0) } },
                style: .markers, colour: 1),
        ]
        for (j, w) in widths.enumerated() {
            series.append(
                SVGChart.Series(
                    label: "width \(w) trained (mean of \(seeds) seeds)",
                    points: report.degrees.compactMap { d in d.finiteRates[j].mean.map { (Double(d.k), $0) } },
                    style: .markers, colour: j + 2))
            series.append(
                SVGChart.Series(
                    label: "width \(w) linearised at init",
                    points: report.degrees.compactMap { d in d.finiteRates[j].linearisedMean.map { (Double(d.k), $0) }
                    },
                    dashed: true, colour: j + 2))
        }
        try directory.write(
            SVGChart(
                title: "Spectral bias on S^2: 2-layer ReLU NTK, \(points) points", xLabel: "degree k",
                yLabel: "decay rate per step", series: series, xScale: .log, yScale: .log
            ).svg,
            to: file.replacingOccurrences(of: ".csv", with: ".svg"))
    }

    /// Lazy training: NTK change, linearisation gap and weights against width.
    func lazyTraining(_ directory: OutputDirectory, log: @escaping @Sendable (String) -> Void) throws {
        let widths = quick ? [128, 256, 512] : [256, 512, 1024, 2048, 4096, 8192]
        let seeds = quick ? 3 : 10
        var random = GaussianRandomSource(seed: 1)
        let n = 32
        let m = 8
        let d = 4
        func point() -> [Double] {
            let v = (0..<d).map { _ in random.normal() }
            let r = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { 2 * $0 / r }
        }
        let train = (0..<n).map { _ in point() }
        let test = (0..<m).map { _ in point() }
        let y = train.map { sin(2 * $0[0]) + $0[1] * $0[2] }
        var csv =
            "activation,width,seeds,ntk_change,ntk_change_stderr,linearisation_gap,linearisation_gap_stderr,weight_change,weight_change_stderr\n"
        var fits: [String: Any] = [:]
        var chartSeries: [SVGChart.Series] = []
        for (a, name) in ["relu", "erf"].enumerated() {
            let activation = try ActivationCatalogue.activation(named: name)
            let network = try NetworkKernel(activation: activation, depth: 2, sigmaW: 1.4, sigmaB: 0.3)
            let kernels = try TrainingKernels(train: train, test: test, network: network)
            let basis = try KernelEigenbasis(kernel: kernels.ntkTrain, count: n)
            let eta = 0.5 * TrainingSchedule.stabilityLimit(largestEigenvalue: basis.largest, trainingPoints: n)
            let study = try FiniteWidthStudy(network: network, learningRate: eta, steps: [0, 300])
            log("\(name): \(seeds) networks at each of widths \(widths)")
            let runs = try study.run(
                widths: widths, seeds: (1...UInt64(seeds)).map { $0 }, x: train.flatMap { $0 }, y: y,
                test: test.flatMap { $0 }, testCount: m)
            var measured: [String: Any] = [:]
            for (label, value, theory) in [
                ("ntk_change", { (r: FiniteWidthStudy.Run) in r.ntkChange }, LazyTrainingRates.ntkChange(activation)),
                ("linearisation_gap", { $0.linearisationGap }, LazyTrainingRates.linearisationGap(activation)),
                ("weight_change", { $0.weightChange }, LazyTrainingRates.weightChange(depth: 2)),
            ] {
                let points = runs.map { w -> (x: Double, y: Double, relativeError: Double) in
                    let e = w.summary(value)
                    return (Double(w.width), e.mean, e.standardError / e.mean)
                }
                let fit = PowerLawFit(points)
                measured[label] = [
                    "exponent": fit.map { $0.exponent as Any } ?? NSNull(),
                    "standard_error": fit.map { $0.standardError as Any } ?? NSNull(),
                    "theory": theory,
                ]
                chartSeries.append(
                    SVGChart.Series(
                        label: "\(name) \(label.replacingOccurrences(of: "_", with: " "))",
                        points: points.map { ($0.x, $0.y) }, style: label == "ntk_change" ? .line : .markers,
                        colour: 3 * a + (label == "ntk_change" ? 0 : label == "linearisation_gap" ? 1 : 2)))
            }
            fits[name] = measured
            for w in runs {
                let c = w.summary(\.ntkChange)
                let g = w.summary(\.linearisationGap)
                let v = w.summary(\.weightChange)
                csv +=
                    "\(name),\(w.width),\(w.runs.count),\(full(c.mean)),\(full(c.standardError)),\(full(g.mean)),\(full(g.standardError)),"
                    + "\(full(v.mean)),\(full(v.standardError))\n"
            }
        }
        try directory.write(csv, to: "lazy-training.csv")
        try directory.writeSidecar(
            of: "lazy-training.csv",
            [
                "description":
                    "relative changes over 300 steps of full-batch gradient descent at half the stability limit: empirical NTK "
                    + "||Theta_T - Theta_0||_F / ||Theta_0||_F on the training points, distance to the linearised network, weights; one hidden layer, "
                    + "\(n) training points on the sphere of radius 2 in R^4, sigma_w 1.4, sigma_b 0.3",
                "fitted_exponents": fits, "bound": LazyTrainingRates.bound, "widths": widths, "seeds_per_width": seeds,
            ])
        try directory.write(
            SVGChart(
                title: "Lazy training: relative changes against width (one hidden layer)", xLabel: "width",
                yLabel: "relative change", series: chartSeries, xScale: .log, yScale: .log
            ).svg,
            to: "lazy-training.svg")
    }

    /// Train and test loss against steps on a UCI set, infinite network and finite widths.
    func lossCurves(_ directory: OutputDirectory, log: @escaping @Sendable (String) -> Void) throws {
        guard FileManager.default.fileExists(atPath: (uci as NSString).appendingPathComponent("data.txt")) else {
            throw UsageError(
                "cannot read '\(uci)/data.txt': --uci must be a UCI benchmark folder (e.g. ../shared/data/uci/yacht)")
        }
        let set = try UsageError.wrap {
            try RegressionDataset(uci: uci)
        }
        let split = set.standardSplits![0]
        let data = try ReproduceTrainingCommand.standardised(set, train: split.train, test: split.test)
        let lastStep = quick ? 300 : 20000
        let times = Array(Set([0] + (0...40).map { Int((pow(Double(lastStep), Double($0) / 40)).rounded()) })).sorted()
            .map(Double.init)
        let widths = quick ? [128] : [256, 1024, 4096]
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let config = TrainingExperiment.Configuration(
            network: network, ensemble: .ntk, schedule: .steps,
            learningRate: .fractionOfLimit(0.5), times: times, widths: widths,
            seeds: (1...UInt64(quick ? 2 : 5)).map { $0 })
        let result = try UsageError.wrap {
            try TrainingExperiment.run(config, data: data) { log($0) }
        }
        let r = result.report
        var csv =
            "step,train_loss,test_loss,expected_train_loss,expected_test_loss,test_rmse"
            + widths.map { ",width_\($0)_train_loss,width_\($0)_test_loss" }.joined() + "\n"
        for k in 0..<times.count {
            csv +=
                "\(Int(times[k])),\(number(r.trainLoss[k])),\(number(r.testLoss[k])),\(number(r.expectedTrainLoss[k])),"
                + "\(number(r.expectedTestLoss[k])),\(number(r.testRmse[k]))"
            for w in r.finiteWidth { csv += ",\(number(w.trainLoss[k])),\(number(w.testLoss[k]))" }
            csv += "\n"
        }
        let name = "uci-\(set.name)"
        try directory.write(csv, to: "\(name).csv")
        try directory.writeSidecar(
            of: "\(name).csv",
            [
                "description":
                    "\(set.name), standard split 0 (standardised on the training part): losses 1/(2n) sum (f - y)^2 in the target's "
                    + "units against steps of full-batch gradient descent at half the stability limit; infinite width: the trained NTK "
                    + "ensemble (loss of its mean, and expected loss of a random member); finite widths: seed means of actual networks",
                "activation": "relu", "depth": 2, "learning_rate": r.learningRate,
                "stability_limit": r.stabilityLimit ?? NSNull(),
                "widths": widths, "seeds_per_width": config.seeds.count,
                "final_mean_deviation_in_standard_errors": r.finiteWidth.map {
                    $0.meanDeviation.last.flatMap { $0 } ?? NSNull() as Any
                },
                "ntk_change": r.finiteWidth.map { $0.ntkChange.mean ?? NSNull() as Any },
            ])
        var series: [SVGChart.Series] = []
        func points(_ v: [Double?]) -> [(x: Double, y: Double)] {
            zip(times, v).compactMap { t, value in t > 0 ? value.map { (t, $0) } : nil }
        }
        series.append(
            SVGChart.Series(label: "infinite: expected train loss", points: points(r.expectedTrainLoss), colour: 0))
        series.append(
            SVGChart.Series(
                label: "infinite: expected test loss", points: points(r.expectedTestLoss), dashed: true, colour: 0))
        for (j, w) in r.finiteWidth.enumerated() {
            series.append(
                SVGChart.Series(
                    label: "width \(w.width): train", points: points(w.trainLoss), style: .markers, colour: j + 1))
            series.append(
                SVGChart.Series(
                    label: "width \(w.width): test", points: points(w.testLoss), dashed: true, colour: j + 1))
        }
        try directory.write(
            SVGChart(
                title: "\(set.name), split 0: 2-layer ReLU, NTK parametrisation", xLabel: "steps",
                yLabel: "loss 1/(2n) sum (f - y)^2", series: series, xScale: .log, yScale: .log
            ).svg,
            to: "\(name).svg")
    }
}
