import ArgumentParser
import Foundation
import GPRegression
import NeuralKernels
import TrainingDynamics

/// Finite networks of a scaling trained on a thresholded UCI set (shared by `rkhs scaling`
/// and `rkhs reproduce golikov`).
struct ScalingSimulationOptions: ParsableArguments {
    @Option(
        help:
            "Hidden widths to simulate: a comma-separated list or pow2:A:B:N (N widths 2^A ... 2^B, log-spaced). Without it, no simulation."
    )
    var widths: String?
    @Option(help: "Seeds per width (1...100).") var seeds: Int = 3
    @Option(help: "SGD steps.") var steps: Int = 1000
    @Option(
        name: .customLong("batch-size"),
        help: "Examples per SGD step (the training-set size: full-batch gradient descent).")
    var batchSize: Int = 1
    @Option(name: .customLong("learning-rate"), help: "Normalised learning rate of both layers at the reference width.")
    var learningRate: Double = 0.5
    @Option(help: "Loss: logistic (labels +-1) or squared.") var loss: LossOption = .logistic
    @Option(help: ArgumentHelp("Activation (as in rkhs kernel).", valueName: "name")) var activation: String = "relu"
    @Option(name: .customLong("reference-width"), help: "Width d* at which every scaling is the same network.")
    var referenceWidth: Int = 128
    @Option(help: "UCI folder with data.txt and standard splits; its target is thresholded at the training median.")
    var uci: String = "../shared/data/uci/kin8nm"
    @Option(
        name: .customLong("train-size"), help: "Training points (the first of standard split 0's training indices).")
    var trainSize: Int = 1000
    @Option(name: .customLong("test-size"), help: "Test points (the first of split 0's test indices).") var testSize:
        Int = 500
    @Option(help: "Test points on which the tangent kernels are measured.") var probes: Int = 32

    var isRequested: Bool { widths != nil }

    func validate() throws {
        guard (1...100).contains(seeds) else { throw ValidationError("invalid --seeds '\(seeds)'; allowed: 1...100") }
        guard (1...10_000_000).contains(steps) else {
            throw ValidationError("invalid --steps '\(steps)'; allowed: 1...10000000")
        }
        guard batchSize >= 1 else {
            throw ValidationError("invalid --batch-size '\(batchSize)'; allowed: an integer >= 1")
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw ValidationError("invalid --learning-rate '\(learningRate)'; allowed: a finite number > 0")
        }
        guard (1...1 << 20).contains(referenceWidth) else {
            throw ValidationError("invalid --reference-width '\(referenceWidth)'; allowed: 1...1048576")
        }
        guard trainSize >= 2, testSize >= 1 else {
            throw ValidationError("invalid --train-size/--test-size '\(trainSize)/\(testSize)'; allowed: >= 2 and >= 1")
        }
        guard (1...1000).contains(probes) else {
            throw ValidationError("invalid --probes '\(probes)'; allowed: 1...1000")
        }
        if let widths { _ = try Self.parseWidths(widths) }
    }

    /// "64,256,1024" or "pow2:6:16:20".
    static func parseWidths(_ text: String) throws -> [Int] {
        let allowed =
            "a comma-separated list of integers in 1...1048576 or pow2:A:B:N with 0 <= A < B <= 20, 2 <= N <= 100"
        if text.hasPrefix("pow2:") {
            let p = text.dropFirst(5).split(separator: ":").map { Double($0) }
            guard p.count == 3, p.allSatisfy({ $0 != nil }), let a = p[0], let b = p[1], let n = p[2],
                a >= 0, b > a, b <= 20, n >= 2, n <= 100, n == n.rounded()
            else {
                throw ValidationError("invalid --widths '\(text)'; allowed: \(allowed)")
            }
            let list = (0..<Int(n)).map { Int(pow(2, a + (b - a) * Double($0) / (n - 1)).rounded()) }
            return Array(Set(list)).sorted()
        }
        let list = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 1 << 20 }) else {
            throw ValidationError("invalid --widths '\(text)'; allowed: \(allowed)")
        }
        return Array(Set(list.map { $0! })).sorted()
    }

    /// The binary task: standard split 0 of the UCI folder, the first train-size training and
    /// test-size test indices, inputs standardised on the training part, the target
    /// thresholded at its training median.
    static func task(uci: String, trainSize: Int, testSize: Int) throws -> (BinaryTask, String) {
        try UsageError.wrap {
            let set = try RegressionDataset(uci: uci)
            guard let split = set.standardSplits?.first else {
                throw UsageError("'\(uci)' has no standard splits (index_train_0.txt)")
            }
            guard split.train.count >= trainSize, split.test.count >= testSize else {
                throw UsageError(
                    "invalid --train-size/--test-size '\(trainSize)/\(testSize)'; allowed: at most \(split.train.count)/\(split.test.count) for \(uci)"
                )
            }
            let train = Array(split.train.prefix(trainSize))
            let test = Array(split.test.prefix(testSize))
            let inputs = try Standardiser(fitting: train.map { set.x[$0] }, constantColumns: .keepAtZero)
            let task = try BinaryTask(
                train: inputs.apply(train.map { set.x[$0] }), trainTargets: train.map { set.y[$0] },
                test: inputs.apply(test.map { set.x[$0] }), testTargets: test.map { set.y[$0] })
            return (task, set.name)
        }
    }

    func run(_ e: ScalingExponents, initCorrected: Bool, log: @escaping @Sendable (String) -> Void) throws
        -> ScalingSimulation
    {
        let widthList = try Self.parseWidths(widths!)
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: activation) }
        let (task, name) = try Self.task(uci: uci, trainSize: trainSize, testSize: testSize)
        let scaling = try UsageError.wrap {
            try WidthScaling(
                e, initCorrected: initCorrected, referenceWidth: referenceWidth, readoutRate: learningRate,
                inputRate: learningRate)
        }
        let sgd = try UsageError.wrap {
            try ScaledSGD(loss: loss.value, batchSize: min(batchSize, task.trainCount), steps: steps)
        }
        let study = try UsageError.wrap {
            try ScalingStudy(scaling: scaling, activation: act, sgd: sgd, probes: probes, earlySteps: min(10, steps))
        }
        let start = Date()
        let results = try UsageError.wrap {
            try study.run(widths: widthList, seeds: (1...UInt64(seeds)).map { $0 }, task: task) { done, total in
                log("\(done)/\(total) runs (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
            }
        }
        return ScalingSimulation(
            dataset: name, task: task, options: self, results: results, fits: study.fits(results),
            seconds: Date().timeIntervalSince(start))
    }
}

enum LossOption: String, ExpressibleByArgument, CaseIterable {
    case logistic, squared
    var value: ClassificationLoss { self == .logistic ? .logistic : .squared }
}

/// A simulation's results and their renderings.
struct ScalingSimulation {
    let dataset: String
    let task: BinaryTask
    let options: ScalingSimulationOptions
    let results: [ScalingStudy.WidthRuns]
    let fits: [ScalingStudy.Fit]
    let seconds: Double

    static let quantities: [(String, @Sendable (ScalingStudy.Run) -> Double)] = [
        ("initial_logit_scale", { $0.initialLogitScale }), ("initial_logit_rms", { $0.initialLogitRMS }),
        ("final_logit_scale", { $0.finalLogitScale }), ("logit_change", { $0.logitChange }),
        ("initial_kernel_scale", { $0.initialKernelScale }), ("kernel_change", { $0.kernelChange }),
        ("readout_movement", { $0.readoutMovement }), ("input_movement", { $0.inputMovement }),
        ("early_kernel_change", { $0.earlyKernelChange }), ("early_input_movement", { $0.earlyInputMovement }),
        ("final_test_accuracy", { $0.finalTestAccuracy }), ("final_test_loss", { $0.finalTestLoss }),
    ]

    var json: JSONDocument {
        let widths = results.map { w in
            JSONDocument { r in
                try r.encode(w.width, forKey: "width")
                try r.encode(w.runs.count, forKey: "seeds")
                for (key, value) in Self.quantities {
                    let s = w.summary(value)
                    try r.encodeNumber(s.mean, forKey: JSONKey(key))
                    try r.encodeNumber(s.standardError, forKey: JSONKey(key + "_standard_error"))
                }
                let steps = w.runs[0].record.steps
                try r.encode(steps, forKey: "steps")
                for (key, series) in [
                    ("test_accuracy", { (run: ScalingStudy.Run) in run.record.testAccuracy }),
                    ("test_loss", { $0.record.testLoss }), ("train_loss", { $0.record.trainLoss }),
                ] {
                    let mean = (0..<steps.count).map { k in
                        w.runs.reduce(0) { $0 + series($1)[k] } / Double(w.runs.count)
                    }
                    try r.encodeNumbers(mean, forKey: JSONKey(key))
                }
            }
        }
        let fitObjects = fits.map { f in
            JSONDocument { r in
                try r.encode(f.quantity.rawValue, forKey: "quantity")
                try r.encodeNumber(f.exponent, forKey: "exponent")
                try r.encodeNumber(f.standardError, forKey: "standard_error")
                try r.encodeNumber(f.predicted, forKey: "predicted")
                try r.encode(f.agrees, forKey: "agrees")
            }
        }
        return JSONDocument { o in
            try o.encode(dataset, forKey: "dataset")
            try o.encodeNumber(task.threshold, forKey: "threshold")
            try o.encode(task.trainCount, forKey: "train_points")
            try o.encode(task.testCount, forKey: "test_points")
            try o.encode(options.steps, forKey: "steps")
            try o.encode(min(options.batchSize, task.trainCount), forKey: "batch_size")
            try o.encodeNumber(options.learningRate, forKey: "learning_rate")
            try o.encode(options.loss.rawValue, forKey: "loss")
            try o.encode(options.activation, forKey: "activation")
            try o.encode(options.referenceWidth, forKey: "reference_width")
            try o.encodeNumber(seconds, forKey: "seconds")
            try o.encode(widths, forKey: "widths")
            try o.encode(fitObjects, forKey: "fits")
        }
    }

    var table: String {
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        var out =
            "\nsimulation: \(dataset) thresholded at its training median (\(g(task.threshold ?? .nan))), \(task.trainCount) train / "
            + "\(task.testCount) test points, \(options.steps) SGD steps of \(min(options.batchSize, task.trainCount)) examples, "
            + "\(options.loss.rawValue) loss, \(options.activation), learning rate \(g(options.learningRate)) at d* = \(options.referenceWidth) "
            + "(\(String(format: "%.1f", seconds)) s)\n"
        let header = [
            "width", "logit0", "rms f0", "logitT", "dF/F", "kernel0", "dK/K", "da/a", "dW/W", "early dK/K",
            "early dW/W", "test acc", "test loss",
        ]
        out += header.map { pad($0, 11) }.joined() + "\n"
        for w in results {
            let cells = [String(w.width)] + Self.quantities.map { g(w.summary($0.1).mean) }
            out += cells.map { pad($0, 11) }.joined() + "\n"
        }
        for f in fits {
            out +=
                "\(f.quantity.rawValue) ~ d^\(g(f.exponent)) +- \(g(f.standardError)) (predicted \(g(f.predicted))): "
                + (f.agrees.map { $0 ? "agrees" : "does not agree" } ?? "not judged (ScalingStudy.Quantity says where)")
                + "\n"
        }
        return out
    }

    var markdown: String {
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        var out =
            "| width | logit scale at init | realised RMS logit at init | final logit scale | logit change | kernel scale at init | kernel change | readout movement | input movement | early kernel change | early input movement | test accuracy | test loss |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for w in results {
            out += "| \(w.width) | " + Self.quantities.map { g(w.summary($0.1).mean) }.joined(separator: " | ") + " |\n"
        }
        out += "\n| quantity | fitted exponent | predicted | agrees |\n|---|---|---|---|\n"
        for f in fits {
            out +=
                "| \(f.quantity.rawValue) | \(g(f.exponent)) +- \(g(f.standardError)) | \(g(f.predicted)) | \(f.agrees.map { $0 ? "yes" : "no" } ?? "not judged") |\n"
        }
        return out
    }
}
