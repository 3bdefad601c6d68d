import ArgumentParser
import Foundation

@main
struct RKHSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkhs",
        abstract: "Kernels, spectra, RKHS classes and sample paths of infinitely wide networks.",
        discussion: """
            Exact NNGP and NTK kernels of deep fully connected networks, the Mercer eigenvalues of \
            those kernels on spheres, the Sobolev class of their RKHS, and the regularity of the \
            random functions they describe.
            """,
        version: RKHSCommand.version,
        subcommands: [
            KernelCommand.self, GramCommand.self, SpectrumCommand.self, FixedPointsCommand.self, SampleCommand.self,
            RegularityCommand.self, PhaseDiagramCommand.self, ClassifyCommand.self, CompareCommand.self,
            ReproduceCommand.self, RegressCommand.self, LearningCurveCommand.self, TrainCommand.self,
            ScalingCommand.self,
        ])

    /// The version `rkhs --version` prints.
    static let version = "0.9.0"

    /// Errors print as one line on stderr; input errors (``UsageError``) exit with 64, never a trap.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("rkhs: error: \(message)\n".utf8))
            // ArgumentParser's code: 64 (EX_USAGE) for the input error, ValidationError.
            Foundation.exit(code.rawValue)
        }
    }
}
