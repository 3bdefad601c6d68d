import ArgumentParser
import NeuralKernels

/// The network whose kernels are computed: activation, depth, scales and parametrisation.
struct NetworkOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            ActivationCatalogue.helpText,
            discussion: """
                A user activation gives one expression in x for x < 0 and one for x >= 0, e.g. \
                'piecewise(0.5*x^2; x)'. Expressions use + - * / ^, parentheses, numbers, pi, and \
                exp, log, log1p, expm1, sqrt, tanh, erf, sin, cos, abs.
                """, valueName: "name"))
    var activation: String = "relu"

    @Option(help: "Number of weight layers L >= 1 (L - 1 hidden layers).")
    var depth: Int = 2

    @OptionGroup var scales: ScaleOptions

    @Option(help: "Parametrization: ntk or standard (Neural Tangents' conventions).")
    var parametrization: ParametrizationOption = .ntk

    @Option(help: "Hidden width n (the standard parametrization's NTK depends on it).")
    var width: Int?

    func validate() throws {
        guard depth >= 1 else { throw UsageError("invalid --depth '\(depth)'; allowed: an integer >= 1") }
        if let width, width < 1 { throw UsageError("invalid --width '\(width)'; allowed: an integer >= 1") }
        if parametrization == .standard && width == nil {
            throw UsageError("--parametrization standard needs --width N (the hidden width)")
        }
    }

    /// The network these options describe, or a usage error naming the bad value.
    func network(inputDimension: Int? = nil) throws -> NetworkKernel {
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: activation) }
        return try UsageError.wrap {
            try NetworkKernel(
                activation: act, depth: depth, sigmaW: scales.sigmaW, sigmaB: scales.bias,
                sigmaI: scales.sigmaI, parametrization: parametrization.value, width: width,
                inputDimension: inputDimension)
        }
    }
}

/// Weight and bias scales of a network (shared by every command that builds networks).
struct ScaleOptions: ParsableArguments {
    @OptionGroup var weightAndBias: WeightBiasOptions

    @Option(
        name: .customLong("sigma-i"), parsing: .unconditional,
        help:
            "Bias initialisation scale sigma_i in [0, 1] of the 'Beyond ReLU' code: the NNGP uses sigma_b^2 sigma_i^2, the NTK adds sigma_b^2 (1 - sigma_i^2) (so sigma_i > 1 would make the NTK smaller than the NNGP)."
    )
    var sigmaI: Double = 1

    var sigmaW: Double { weightAndBias.sigmaW }
    var sigmaB: Double { weightAndBias.sigmaB }
    var bias: Double { weightAndBias.bias }

    /// A usage error when sigma_i is not a number in [0, 1].
    func validate() throws {
        guard sigmaI.isFinite, sigmaI >= 0 else {
            throw UsageError("invalid --sigma-i '\(sigmaI)'; allowed: a finite number >= 0")
        }
        guard sigmaI <= 1 else {
            throw UsageError(
                "invalid --sigma-i '\(sigmaI)'; allowed: a number in [0, 1] (the NTK's bias term sigma_b^2 (1 - sigma_i^2) must not be negative)"
            )
        }
    }
}

/// sigma_w, sigma_b and --no-bias: every network's scales, and all of them for the commands
/// whose library maps have sigma_i = 1 (fixedpoints).
struct WeightBiasOptions: ParsableArguments {
    @Option(name: .customLong("sigma-w"), parsing: .unconditional, help: "Weight scale sigma_w >= 0.")
    var sigmaW: Double = 1

    @Option(
        name: .customLong("sigma-b"), parsing: .unconditional,
        help: "Bias scale sigma_b >= 0 (0 means no bias; default 1).")
    var sigmaBValue: Double?

    @Flag(name: .customLong("no-bias"), help: "No bias (same as --sigma-b 0).")
    var noBias = false

    /// sigma_b as given (default 1).
    var sigmaB: Double { sigmaBValue ?? 1 }

    /// sigma_b, or 0 with --no-bias.
    var bias: Double { noBias ? 0 : sigmaB }

    /// A usage error naming the first scale that is negative or not finite, or --no-bias
    /// beside --sigma-b.
    func validate() throws {
        for (name, value) in [("--sigma-w", sigmaW), ("--sigma-b", sigmaB)] {
            guard value.isFinite, value >= 0 else {
                throw UsageError("invalid \(name) '\(value)'; allowed: a finite number >= 0")
            }
        }
        if noBias, let given = sigmaBValue {
            throw UsageError("--no-bias conflicts with --sigma-b \(given); allowed: one of them")
        }
    }
}

enum ParametrizationOption: String, ExpressibleByArgument, CaseIterable {
    case ntk, standard
    var value: Parametrization { self == .ntk ? .ntk : .standard }
}

enum KernelOption: String, ExpressibleByArgument, CaseIterable {
    case nngp, ntk
    var value: KernelKind { self == .nngp ? .nngp : .ntk }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}
