import ArgumentParser

@main
struct RKHSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkhs",
        abstract: "Kernels, spectra, RKHS classes and sample paths of infinitely wide networks.",
        subcommands: [KernelCommand.self])
}
