import ArgumentParser
import Foundation
import NeuralKernels

/// `rkhs reproduce NAME`: regenerate a paper's figures' data and plots into notebooks-data/.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Regenerate the data (CSV + JSON) and SVG plots of a paper's figures into notebooks-data/.",
        subcommands: [
            ReproduceBeyondReLUCommand.self, ReproduceRKHSTableCommand.self, ReproduceTsuchidaCommand.self,
            ReproduceLearningCurvesCommand.self, ReproduceTrainingCommand.self, ReproduceGolikovCommand.self,
            ReproduceLittwinCommand.self,
        ])
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

    /// The JSON sidecar of a data file: `fields` plus the file's name and the command line
    /// that wrote it, as FILE.json beside FILE.csv.
    func writeSidecar(of file: String, _ fields: [String: Any]) throws {
        var object = fields
        object["file"] = file
        object["command"] = commandLineText
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        try write(
            String(decoding: data, as: UTF8.self) + "\n", to: file.replacingOccurrences(of: ".csv", with: ".json"))
    }
}

/// The exact command line, for JSON sidecars.
var commandLineText: String {
    CommandLine.arguments.map { $0.contains(" ") || $0.contains(";") ? "'\($0)'" : $0 }.joined(separator: " ")
}
