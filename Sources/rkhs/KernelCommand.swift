import ArgumentParser
import NeuralKernels

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernel", abstract: "NNGP and NTK on the unit sphere as functions of t = <x, x'>.")
    func run() throws {}
}
