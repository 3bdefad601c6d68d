import ArgumentParser
import NeuralKernels
import SphericalSpectra

/// The dot-product kernel whose spectrum is wanted: a network's NNGP/NTK, or a standard,
/// expression or tabulated kernel (shared by `spectrum` and `classify`).
struct SpectralKernelOptions: ParsableArguments {
    @OptionGroup(title: "Network") var network: NetworkOptions

    @Option(
        help:
            "Which kernel of the network: nngp or ntk (default ntk, as in gram and train; the commands that use the kernel as a covariance, sample, regularity and regress, default to nngp)."
    )
    var kernel: KernelOption = .ntk

    @Option(help: ArgumentHelp("A standard kernel instead of a network: \(Self.standardForms)."))
    var standard: String?

    /// The standard kernels' forms, from their registry: 'laplace(c)', 'gaussian(c)', ...
    static var standardForms: String { StandardKernel.usages.map { "'\($0)'" }.joined(separator: ", ") }

    @Option(help: "A kernel given as an expression in t (written with x for t), e.g. 'exp(x - 1)'.")
    var expression: String?

    @Option(help: "A kernel tabulated in a CSV file with columns t,kappa.")
    var tabulated: String?

    /// The kernel on S^{d-1}, and the network when it is one; usage errors name the bad value.
    func make(dimension d: Int) throws -> (kernel: any DotProductKernel, network: NetworkKernel?) {
        let sources = [standard, expression, tabulated].compactMap { $0 }
        guard sources.count <= 1 else { throw UsageError("give at most one of --standard, --expression, --tabulated") }
        return try UsageError.wrap {
            if let standard { return (try StandardKernel.parse(standard), nil) }
            if let expression { return (try ExpressionKernel(expression), nil) }
            if let tabulated { return (try TabulatedKernel(contentsOf: tabulated), nil) }
            let net = try network.network(inputDimension: d)
            return (try NetworkSphereKernel(net, kind: kernel.value), net)
        }
    }

    /// A user kernel must be a number everywhere on [-1, 1] (sqrt(x), log(x) are not): checked
    /// on 2001 equispaced t and both ends before any quadrature, so the error names a t.
    static func requireFiniteValues(_ kernel: any DotProductKernel) throws {
        for i in 0...2000 {
            let t = -1 + Double(i) / 1000
            let v = kernel.value(t, oneMinusT: 1 - t, onePlusT: 1 + t)
            guard v.isFinite else {
                throw UsageError(
                    "the kernel '\(kernel.name)' is not a finite number at t = \(full(t)) (\(v)); allowed: a kernel finite on all of [-1, 1]"
                )
            }
        }
    }

    /// The spectrum of that kernel through kmax (d and kmax are checked by ``SphereOptions``).
    func spectrum(dimension d: Int, kmax: Int) throws -> (spectrum: GegenbauerSpectrum, network: NetworkKernel?) {
        let (kernel, net) = try make(dimension: d)
        if net == nil { try Self.requireFiniteValues(kernel) }
        return (try UsageError.wrap { try GegenbauerSpectrum(kernel: kernel, dimension: d, kmax: kmax) }, net)
    }
}
