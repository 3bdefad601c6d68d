import ArgumentParser
import Foundation
import GPRegression
import NeuralKernels
import TrainingDynamics

/// `rkhs scaling`: Golikov's classification of how a one-hidden-layer classifier's
/// hyperparameters scale with its width, and optionally actual networks of that scaling
/// trained at several widths with the classified properties measured.
struct ScalingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaling",
        abstract:
            "Infinite-width limit of a scaling of a one-hidden-layer classifier (Golikov 2020): stability, limit model, properties.",
        discussion: """
            Exponents (Golikov, arXiv 2006.06574): the readout's initial standard deviation ~ d^q_sigma, the learning rates \
            over the initial variances eta_a / sigma_a^2 ~ d^q~_a and eta_w / sigma_w^2 ~ d^q~_w (input weights' scale \
            width independent); --exponents QS,QT is a point (q_sigma, q~) of the paper's plane, QS,QA,QW any vector. \
            Dynamically stable iff -1/2 <= max(q~_a, q~_w) + q_sigma <= 0. Named points: standard (PyTorch default, \
            constant learning rates), sym-default, ntk, mf, ic-mf (mean field with the initialisation correction), mup \
            (Yang & Hu, = mf for one hidden layer). JSON fields: limit_model (null when unstable), stable, instability, \
            logits_bounded_at_init, kernel_bounded_at_init, kernel_stationary, feature_learning, initial_logits, \
            initial_kernel, first_step_loss, later_loss, trained_layers, predicted exponents; with --widths, per width the \
            seed means of the measured quantities and their fitted width exponents against the predictions. Simulated \
            networks: f(x) = sigma sum_r a_r phi(sigma_w w_r . x / sqrt(d_in)), SGD with --batch-size examples per step, \
            normalised learning rate --learning-rate for both layers at the reference width; data: a UCI regression set \
            (standard split 0) whose target is thresholded at its training median, inputs standardised on the training part.
            """)

    @Option(
        parsing: .unconditional,
        help:
            "Exponents q_sigma,q~ (the paper's plane) or q_sigma,q~_a,q~_w (negative values allowed: --exponents -1,1)."
    )
    var exponents: String?
    @Option(help: "A named point: \(NamedScaling.allCases.map(\.rawValue).joined(separator: ", ")).") var named:
        NamedScalingOption?
    @Flag(
        name: .customLong("init-corrected"),
        help: "Add the initialisation correction (defined where the kernels are order one at init).")
    var initCorrected = false
    @Option(help: "Output format: table, json or markdown.") var format: ScalingFormat = .table

    @OptionGroup(title: "Simulation") var simulation: ScalingSimulationOptions

    func validate() throws {
        guard (exponents == nil) != (named == nil) else {
            throw ValidationError("give exactly one of --exponents QS,QT (or QS,QA,QW) and --named NAME")
        }
        if initCorrected, named != nil {
            throw ValidationError("--init-corrected goes with --exponents (ic-mf is a named point)")
        }
    }

    func run() throws {
        let (e, corrected) = try Self.point(exponents: exponents, named: named?.value, initCorrected: initCorrected)
        let classification = try Self.classify(e, initCorrected: corrected)
        var simulated: ScalingSimulation? = nil
        if simulation.isRequested {
            simulated = try simulation.run(
                e, initCorrected: corrected,
                log: { line in
                    FileHandle.standardError.write(Data("scaling: \(line)\n".utf8))
                })
        }
        switch format {
        case .json: print(try JSONOutput.text(Self.json(classification, simulated)))
        case .table: print(Self.table(classification, simulated), terminator: "")
        case .markdown: print(Self.markdown(classification, simulated), terminator: "")
        }
    }

    /// The exponent vector from --exponents or --named.
    static func point(exponents text: String?, named: NamedScaling?, initCorrected: Bool) throws -> (
        ScalingExponents, Bool
    ) {
        if let named { return (named.exponents, named.initCorrected) }
        let pieces = text!.split(separator: ",", omittingEmptySubsequences: false).map {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        guard pieces.count == 2 || pieces.count == 3, pieces.allSatisfy({ $0 != nil && $0!.isFinite }) else {
            throw UsageError(
                "invalid --exponents '\(text!)'; allowed: two or three finite numbers q_sigma,q~ or q_sigma,q~_a,q~_w")
        }
        let v = pieces.map { $0! }
        let e = try UsageError.wrap {
            v.count == 2
                ? try ScalingExponents(qSigma: v[0], qTilde: v[1])
                : try ScalingExponents(qSigma: v[0], qTildeA: v[1], qTildeW: v[2])
        }
        return (e, initCorrected)
    }

    static func classify(_ e: ScalingExponents, initCorrected: Bool) throws -> ScalingClassification {
        try UsageError.wrap { try ScalingClassification(e, initCorrected: initCorrected) }
    }

    // MARK: - Output

    static func json(_ c: ScalingClassification, _ s: ScalingSimulation?) -> JSONDocument {
        let e = c.exponents
        let pr = c.predicted
        let predicted = JSONDocument { p in
            try p.encodeNumber(pr.initialLogitScale, forKey: "initial_logit_scale")
            try p.encodeNumber(pr.initialKernelScale, forKey: "initial_kernel_scale")
            try p.encodeNumber(pr.finalLogitScale, forKey: "final_logit_scale")
            try p.encodeNumber(pr.readoutMovement, forKey: "readout_movement")
            try p.encodeNumber(pr.inputMovement, forKey: "input_movement")
            try p.encodeNumber(pr.kernelChangeBound, forKey: "kernel_change_bound")
        }
        return JSONDocument { o in
            try o.encodeNumber(e.qSigma, forKey: "q_sigma")
            try o.encodeNumber(e.qTildeA, forKey: "q_tilde_a")
            try o.encodeNumber(e.qTildeW, forKey: "q_tilde_w")
            try o.encodeNumber(e.readoutLearningRate, forKey: "readout_learning_rate_exponent")
            try o.encodeNumber(e.inputLearningRate, forKey: "input_learning_rate_exponent")
            try o.encode(c.initCorrected, forKey: "init_corrected")
            try o.encode(c.limitModel?.rawValue, forKey: "limit_model")
            try o.encode(c.stable, forKey: "stable")
            try o.encode(c.instability?.rawValue, forKey: "instability")
            try o.encode(c.logitsBoundedAtInit, forKey: "logits_bounded_at_init")
            try o.encode(c.kernelBoundedAtInit, forKey: "kernel_bounded_at_init")
            try o.encode(c.kernelStationary, forKey: "kernel_stationary")
            try o.encode(c.featureLearning, forKey: "feature_learning")
            try o.encode(c.initialLogits.rawValue, forKey: "initial_logits")
            try o.encode(c.initialKernel.rawValue, forKey: "initial_kernel")
            try o.encode(c.stable ? c.firstStepLoss.rawValue : nil, forKey: "first_step_loss")
            try o.encode(c.stable ? c.laterLoss.rawValue : nil, forKey: "later_loss")
            try o.encode(c.initialLogitsInLimit, forKey: "initial_logits_in_limit")
            try o.encode(c.stable ? c.trainedLayers.rawValue : nil, forKey: "trained_layers")
            try o.encode(c.limitModel?.summary, forKey: "summary")
            try o.encode(predicted, forKey: "predicted_exponents")
            if let s { try o.encode(s.json, forKey: "simulation") }
        }
    }

    static func yesNo(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "-" }

    static func lines(_ c: ScalingClassification) -> [(String, String)] {
        let e = c.exponents
        let p = c.predicted
        func g(_ x: Double) -> String { String(format: "%g", x) }
        var rows: [(String, String)] = [
            ("exponents", "\(e)\(c.initCorrected ? " with the initialisation correction" : "")"),
            ("raw learning rates", "eta_a ~ d^\(g(e.readoutLearningRate)), eta_w ~ d^\(g(e.inputLearningRate))"),
            (
                "dynamically stable",
                c.stable
                    ? "yes"
                    : "no (\(c.instability!.rawValue): s = \(g(e.step)) \(c.instability! == .diverging ? "> 0" : "< -1/2"))"
            ),
            ("limit model", c.limitModel.map { "\($0.rawValue): \($0.summary)" } ?? "none"),
            (
                "logits bounded at init",
                "\(yesNo(c.logitsBoundedAtInit)) (\(c.initialLogits.rawValue), d^\(g(p.initialLogitScale)))"
            ),
            (
                "tangent kernels bounded at init",
                "\(yesNo(c.kernelBoundedAtInit)) (\(c.initialKernel.rawValue), d^\(g(p.initialKernelScale)))"
            ),
            ("kernels stationary", yesNo(c.kernelStationary)),
            ("feature learning", yesNo(c.featureLearning)),
        ]
        if c.stable {
            rows.append(
                ("loss in the limit", "first step \(c.firstStepLoss.rawValue), later steps \(c.laterLoss.rawValue)"))
            rows.append(("initial logits in the limit", yesNo(c.initialLogitsInLimit)))
            rows.append(("trained layers", c.trainedLayers.rawValue))
            rows.append(("weight steps", "a^ ~ d^\(g(e.readoutStep)), w^ ~ d^\(g(e.inputStep)) per step"))
        }
        return rows
    }

    static func table(_ c: ScalingClassification, _ s: ScalingSimulation?) -> String {
        var out = lines(c).map { pad($0.0 + ":", 33) + $0.1 }.joined(separator: "\n") + "\n"
        if let s { out += s.table }
        return out
    }

    static func markdown(_ c: ScalingClassification, _ s: ScalingSimulation?) -> String {
        var out = "| property | value |\n|---|---|\n"
        out +=
            lines(c).map { "| \($0.0) | \($0.1.replacingOccurrences(of: "|", with: "\\|")) |" }.joined(separator: "\n")
            + "\n"
        if let s { out += "\n" + s.markdown }
        return out
    }
}

enum ScalingFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}

enum NamedScalingOption: String, ExpressibleByArgument, CaseIterable {
    case standard, symDefault = "sym-default", ntk, mf, icMF = "ic-mf", mup
    var value: NamedScaling { NamedScaling(rawValue: rawValue)! }
}
