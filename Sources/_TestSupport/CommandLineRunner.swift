import Foundation

/// Runs the built `rkhs` binary (next to the test bundle) and captures its output.
public struct CommandLineRunner {
    public struct Result {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidate = bundle.appendingPathComponent("rkhs")
        // The test bundle may be a directory (…/X.xctest/…); walk up until the binary appears.
        var directory = bundle
        for _ in 0..<4 where !FileManager.default.isExecutableFile(atPath: candidate.path) {
            directory = directory.deletingLastPathComponent()
            candidate = directory.appendingPathComponent("rkhs")
        }
        return candidate
    }

    public static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
