import ArgumentParser
import Foundation
import GPRegression
import NeuralKernels

/// `rkhs regress`: exact GP regression with an NNGP/NTK covariance over repeated splits.
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Exact GP regression with the NNGP or NTK as covariance; test RMSE and NLL over splits.",
        discussion: """
            Inputs standardised on each training part; (sigma_w^2, sigma_b^2, noise) maximise the log marginal \
            likelihood (analytic gradient, L-BFGS in log-parameters, 3 restarts) on at most --fit-points training \
            points (a seeded subset when there are more); predictions use every training point (no --sigma-w, \
            --sigma-b, --no-bias or --sigma-i: the scales are fitted, and NetworkCovariance has sigma_i = 1). RMSE and NLL \
            are in the target's original units; summaries are mean and standard error over splits. \
            JSON fields: rmse_mean, rmse_stderr, nll_mean, nll_stderr, splits, per_split (each with the \
            hyperparameters, evaluations, converged, at_bound (a list of {parameter, bound: lower|upper, value}) and log_marginal_likelihood, that of the \
            standardised targets on the fit points: with one start, compare it across runs to see which \
            local maximum a split reached). A split whose optimiser stops short of its \
            convergence test, or whose hyperparameters end on the box, is reported on standard error.
            """)

    @Option(help: "CSV (or whitespace-separated) file with a header row or numbered columns.") var data: String?
    @Option(help: "Target column of --data: its header name or 1-based number.") var target: String?
    @Option(help: "UCI benchmark folder with data.txt and standard splits (e.g. ../shared/data/uci/concrete).") var uci:
        String?
    @Option(help: "Activation (as in rkhs kernel).") var activation: String = "relu"
    @Option(help: "Number of weight layers L >= 1.") var depth: Int = 2
    @Option(
        help:
            "Which kernel as covariance: nngp or ntk (default nngp, the network's prior covariance, as in every command that uses the kernel as a covariance: sample, regularity, regress; spectra, gram and train default to ntk)."
    ) var kernel: KernelOption = .nngp
    @Option(help: "Number of random splits (CSV), or the first N standard splits (UCI; default all).") var splits: Int?
    @Option(name: .customLong("test-fraction"), help: "Test fraction of the random splits, in (0, 1).")
    var testFraction: Double = 0.1
    @Option(help: "Seed of the random splits and subsets.") var seed: UInt64 = 0
    @Option(
        name: .customLong("fit-points"), help: "At most this many training points for the hyperparameter fit (>= 3).")
    var fitPoints: Int = 2000
    @Option(
        name: .customLong("max-train"),
        help: "Use at most this many training points of each split (a seeded subset; for very large sets).")
    var maxTrain: Int?
    @Option(help: "Restarts of the optimiser (1...3).") var restarts: Int = 3
    @Flag(
        help:
            "ARD: one first-layer sigma_w^2 per input (fitted by ML-II with the rest; deeper layers keep one sigma_w^2). JSON gains sigma_w2_ard per split; sigma_w2 is then the deeper layers' (null at depth 1)."
    )
    var ard = false
    @Option(help: "Output format: table (summary), csv (one row per split) or json (summary and splits).") var format:
        OutputFormat = .table
    @Option(
        help: ArgumentHelp(
            "Re-score an earlier `--format json` result: evaluate each split's log marginal likelihood at its stored hyperparameters (no fitting) and print the JSON with per_split log_marginal_likelihood filled in. Activation, depth, kernel, fit points and max-train come from the file; give the same --uci/--data and --seed as the run.",
            valueName: "result.json"))
    var rescore: String?

    func run() throws {
        if let rescore {
            if ard {
                throw UsageError(
                    "--ard cannot be combined with --rescore; allowed: --rescore on a result of a run without --ard")
            }
            return try rescoreResult(rescore)
        }
        guard (data == nil) != (uci == nil) else {
            throw UsageError("give exactly one of --data FILE.csv (with --target) or --uci FOLDER")
        }
        if data != nil, target == nil {
            throw UsageError("--data needs --target COLUMN (a header name or 1-based number)")
        }
        guard depth >= 1, depth <= 20 else { throw UsageError("invalid --depth '\(depth)'; allowed: 1...20") }
        guard testFraction > 0, testFraction < 1 else {
            throw UsageError("invalid --test-fraction '\(testFraction)'; allowed: a number in (0, 1)")
        }
        if let splits, splits < 1 || splits > 1000 {
            throw UsageError("invalid --splits '\(splits)'; allowed: 1...1000")
        }
        guard fitPoints >= 3 else { throw UsageError("invalid --fit-points '\(fitPoints)'; allowed: an integer >= 3") }
        if let maxTrain, maxTrain < 3 {
            throw UsageError("invalid --max-train '\(maxTrain)'; allowed: an integer >= 3")
        }
        guard (1...3).contains(restarts) else { throw UsageError("invalid --restarts '\(restarts)'; allowed: 1...3") }
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: activation) }
        let dataset = try loadDataset()
        let splitList: [(train: [Int], test: [Int])]
        if let standard = dataset.standardSplits {
            if let splits, splits > standard.count {
                throw UsageError(
                    "invalid --splits '\(splits)'; allowed: 1...\(standard.count) (the UCI folder has \(standard.count) standard splits)"
                )
            }
            splitList = Array(standard.prefix(splits ?? standard.count))
        } else {
            splitList = RegressionExperiment.randomSplits(
                count: dataset.y.count, splits: splits ?? 20, testFraction: testFraction, seed: seed)
        }
        // The n >= 3 rule holds for the points actually fitted, after the test rows are taken out.
        if let short = splitList.first(where: { $0.train.count < 3 || $0.test.isEmpty }) {
            throw UsageError(
                "\(dataset.y.count) rows with --test-fraction \(testFraction) leave \(short.train.count) training and \(short.test.count) test rows; "
                    + "allowed: at least 3 training rows and 1 test row (a smaller --test-fraction or more rows)")
        }
        // Evaluations can be slow (costly duals at variances their series cannot serve): say so.
        let heartbeat = ProgressHeartbeat(label: "regress")
        var covariance = NetworkCovariance(activation: act, depth: depth, kind: kernel.value)
        covariance.progress = { heartbeat.report(fraction: $0) }
        var experiment = RegressionExperiment(gp: ExactGP(covariance: covariance))
        experiment.fitPoints = fitPoints
        experiment.restarts = restarts
        experiment.ard = ard
        experiment.featureNames = dataset.featureNames
        // UCI folders keep the benchmark's convention for constant inputs (naval): they map to 0.
        experiment.constantColumns = uci == nil ? .reject : .keepAtZero
        var results: [RegressionExperiment.SplitResult] = []
        let start = Date()
        for (k, split) in splitList.enumerated() {
            heartbeat.begin("split \(k + 1)/\(splitList.count)")
            let train = RegressCommand.trainingRows(split.train, maxTrain: maxTrain, seed: seed &+ UInt64(k))
            let r: RegressionExperiment.SplitResult
            do {
                r = try experiment.run(
                    x: dataset.x, y: dataset.y, train: train, test: split.test, seed: seed &+ UInt64(k))
            } catch let e as RegressionError { throw UsageError("split \(k): \(e.description)") }
            results.append(r)
            FileHandle.standardError.write(
                Data(
                    String(
                        format:
                            "regress: split %d/%d  rmse %.4g  nll %.4g  (sigma_w^2 %.3g, sigma_b^2 %.3g, noise %.3g; %d evaluations, %.1f s, %.0f s total)\n",
                        k + 1, splitList.count, r.rmse, r.nll, r.hyperparameters.sigmaW2, r.hyperparameters.sigmaB2,
                        r.hyperparameters.noise,
                        r.evaluations, r.seconds, Date().timeIntervalSince(start)
                    ).utf8))
            if let w = r.sigmaW2ARD {
                FileHandle.standardError.write(
                    Data(
                        "regress: split \(k + 1): sigma_w^2 per input \(w.map { String(format: "%.3g", $0) }.joined(separator: " "))\n"
                            .utf8))
            }
            // Numerical trouble is reported, not hidden: a fit that stopped short, or on the box.
            if !r.converged {
                FileHandle.standardError.write(
                    Data(
                        "regress: warning: split \(k + 1): the optimiser stopped before its convergence test (iteration limit, or no acceptable step with the gradient still large); the hyperparameters are the best found\n"
                            .utf8))
            }
            for bound in r.atBound {
                FileHandle.standardError.write(
                    Data(
                        "regress: note: split \(k + 1): \(bound) (the marginal likelihood still rises beyond it)\n".utf8
                    ))
            }
        }
        try printResults(results, dataset: dataset, activation: act, start: start)
    }

    func printResults(
        _ results: [RegressionExperiment.SplitResult], dataset: RegressionDataset, activation act: Activation,
        start: Date
    ) throws {
        let summary = RegressionExperiment.Summary(splits: results)
        func num(_ x: Double) -> String { x.isFinite ? full(x) : "null" }
        switch format {
        case .json:
            let per = results.map { r in
                JSONDocument { o in
                    try o.encodeNumber(r.rmse, forKey: "rmse")
                    try o.encodeNumber(r.nll, forKey: "nll")
                    try o.encodeNumber(r.hyperparameters.sigmaW2, forKey: "sigma_w2")
                    try o.encodeNumber(r.hyperparameters.sigmaB2, forKey: "sigma_b2")
                    try o.encodeNumber(r.hyperparameters.noise, forKey: "noise")
                    try o.encode(r.fitPoints, forKey: "fit_points")
                    try o.encode(r.evaluations, forKey: "evaluations")
                    try o.encode(r.converged, forKey: "converged")
                    try o.encodeNumber(r.logMarginalLikelihood, forKey: "log_marginal_likelihood")
                    if let ard = r.sigmaW2ARD { try o.encodeNumbers(ard, forKey: "sigma_w2_ard") }
                    try o.encode(
                        r.boundHits.map { hit in
                            JSONDocument { b in
                                try b.encode(hit.parameter, forKey: "parameter")
                                try b.encode(hit.upper ? "upper" : "lower", forKey: "bound")
                                try b.encodeNumber(hit.value, forKey: "value")
                            }
                        }, forKey: "at_bound")
                    try o.encodeNumber(r.seconds, forKey: "seconds")
                }
            }
            print(
                try JSONOutput.text(
                    JSONDocument { o in
                        try o.encode(dataset.name, forKey: "dataset")
                        try o.encode(act.name, forKey: "activation")
                        try o.encode(depth, forKey: "depth")
                        try o.encode(kernel.rawValue, forKey: "kernel")
                        try o.encode(ard, forKey: "ard")
                        try o.encodeNumber(summary.rmseMean, forKey: "rmse_mean")
                        try o.encodeNumber(summary.rmseStderr, forKey: "rmse_stderr")
                        try o.encodeNumber(summary.nllMean, forKey: "nll_mean")
                        try o.encodeNumber(summary.nllStderr, forKey: "nll_stderr")
                        try o.encode(results.count, forKey: "splits")
                        try o.encode(maxTrain, forKey: "max_train")
                        try o.encode(fitPoints, forKey: "fit_points")
                        try o.encodeNumber(Date().timeIntervalSince(start), forKey: "seconds")
                        try o.encode(per, forKey: "per_split")
                    }))
        case .csv:
            print(
                "split,rmse,nll,sigma_w2,sigma_b2,noise,fit_points,evaluations,converged,log_marginal_likelihood,seconds"
            )
            for (k, r) in results.enumerated() {
                print(
                    [
                        String(k + 1), num(r.rmse), num(r.nll), num(r.hyperparameters.sigmaW2),
                        num(r.hyperparameters.sigmaB2),
                        num(r.hyperparameters.noise), String(r.fitPoints), String(r.evaluations), String(r.converged),
                        num(r.logMarginalLikelihood), num(r.seconds),
                    ].joined(separator: ","))
            }
        case .table:
            print(
                "\(dataset.name): \(act.name) \(kernel.rawValue)\(ard ? " ARD" : ""), depth \(depth), \(results.count) splits"
            )
            print(
                String(
                    format: "test RMSE %.4g +- %.2g   test NLL %.4g +- %.2g", summary.rmseMean, summary.rmseStderr,
                    summary.nllMean, summary.nllStderr))
        }
    }

    /// `--rescore`: log p at each split's stored hyperparameters, on the same rows as the run
    /// (same standardisation, fit subset and max-train subset for the same --seed).
    func rescoreResult(_ path: String) throws {
        guard (data == nil) != (uci == nil) else {
            throw UsageError(
                "--rescore needs exactly one of --data FILE.csv (with --target) or --uci FOLDER, the data of the run")
        }
        let raw: Data
        do { raw = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw UsageError("cannot read --rescore '\(path)': \(error.localizedDescription)")
        }
        guard var object = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any],
            let name = object["activation"] as? String, let depth = object["depth"] as? Int,
            let kernelName = object["kernel"] as? String, let kind = KernelKind(rawValue: kernelName),
            var perSplit = object["per_split"] as? [[String: Any]]
        else {
            throw UsageError(
                "invalid --rescore '\(path)'; allowed: the JSON written by rkhs regress --format json (activation, depth, kernel, per_split)"
            )
        }
        if object["ard"] as? Bool == true {
            throw UsageError("--rescore '\(path)' is an --ard result; allowed: a result of a run without --ard")
        }
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: name) }
        let dataset = try loadDataset()
        if let recorded = object["dataset"] as? String, recorded != dataset.name {
            throw UsageError(
                "--rescore '\(path)' is a result on '\(recorded)', not on '\(dataset.name)'; allowed: the data of the run"
            )
        }
        let fit = object["fit_points"] as? Int ?? 2000
        let maxTrain = object["max_train"] as? Int
        let splitList =
            dataset.standardSplits.map { Array($0.prefix(perSplit.count)) }
            ?? RegressionExperiment.randomSplits(
                count: dataset.y.count, splits: perSplit.count, testFraction: testFraction, seed: seed)
        guard splitList.count == perSplit.count else {
            throw UsageError(
                "--rescore '\(path)' has \(perSplit.count) splits, the data \(splitList.count); allowed: the data of the run"
            )
        }
        var experiment = RegressionExperiment(
            gp: ExactGP(covariance: NetworkCovariance(activation: act, depth: depth, kind: kind)))
        experiment.fitPoints = fit
        experiment.featureNames = dataset.featureNames
        experiment.constantColumns = uci == nil ? .reject : .keepAtZero
        for (k, split) in splitList.enumerated() {
            guard let w2 = perSplit[k]["sigma_w2"] as? Double, let b2 = perSplit[k]["sigma_b2"] as? Double,
                let noise = perSplit[k]["noise"] as? Double
            else {
                throw UsageError("--rescore '\(path)': split \(k + 1) has no sigma_w2, sigma_b2 and noise")
            }
            let train = RegressCommand.trainingRows(split.train, maxTrain: maxTrain, seed: seed &+ UInt64(k))
            let value: Double
            do {
                value = try experiment.logMarginalLikelihood(
                    x: dataset.x, y: dataset.y, train: train, seed: seed &+ UInt64(k),
                    at: ExactGP.Hyperparameters(sigmaW2: w2, sigmaB2: b2, noise: noise))
            } catch let e as RegressionError { throw UsageError("split \(k + 1): \(e.description)") }
            guard value.isFinite else {
                throw UsageError("--rescore '\(path)': split \(k + 1): log p is not finite (\(value))")
            }
            perSplit[k]["log_marginal_likelihood"] = value
            FileHandle.standardError.write(
                Data(
                    String(format: "regress: rescored split %d/%d: log p = %.10g\n", k + 1, splitList.count, value).utf8
                ))
        }
        object["per_split"] = perSplit
        object["log_marginal_likelihood_source"] =
            "rescored at the stored hyperparameters by rkhs regress --rescore (seed \(seed))"
        let out = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        FileHandle.standardOutput.write(out + Data("\n".utf8))
    }

    /// The data of --uci or --data/--target (their errors as usage errors).
    func loadDataset() throws -> RegressionDataset {
        do {
            return try uci.map { try RegressionDataset(uci: $0) } ?? RegressionDataset(csv: data!, target: target!)
        } catch let e as RegressionError { throw UsageError(e.description) }
    }

    /// A split's training rows, or a seeded subset of `maxTrain` of them (--max-train).
    static func trainingRows(_ train: [Int], maxTrain: Int?, seed: UInt64) -> [Int] {
        guard let maxTrain, train.count > maxTrain else { return train }
        let keep = RegressionExperiment.randomSplits(
            count: train.count, splits: 1,
            testFraction: Double(train.count - maxTrain) / Double(train.count), seed: seed)[0].train
        return keep.map { train[$0] }
    }
}
