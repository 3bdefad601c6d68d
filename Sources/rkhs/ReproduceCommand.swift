import ArgumentParser
import Foundation
import NeuralKernels

/// `rkhs reproduce NAME`: regenerate a paper's figures' data and plots into notebooks-data/.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Regenerate the data (CSV + JSON) and SVG plots of a paper's figures into notebooks-data/.",
        subcommands: [ReproduceBeyondReLUCommand.self, ReproduceRKHSTableCommand.self, ReproduceTsuchidaCommand.self,
                      ReproduceLearningCurvesCommand.self, ReproduceTrainingCommand.self, ReproduceGolikovCommand.self,
                      ReproduceLittwinCommand.self])
}

/// Where reproduced data go: a directory created if missing; every file written atomically.
struct OutputDirectory {
    let path: String

    init(_ path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create output directory '\(path)': \(error.localizedDescription)")
        }
    }

    func write(_ text: String, to name: String) throws {
        let file = (path as NSString).appendingPathComponent(name)
        try UsageError.wrap { try AtomicFile.write(text, to: file) }
        FileHandle.standardError.write(Data("wrote \(file)\n".utf8))
    }
}

/// The exact command line, for JSON sidecars.
var commandLineText: String {
    CommandLine.arguments.map { $0.contains(" ") || $0.contains(";") ? "'\($0)'" : $0 }.joined(separator: " ")
}
