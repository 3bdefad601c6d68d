import ArgumentParser

/// `rkhs reproduce PAPER`: regenerates a paper's figures' data (CSV + JSON) and SVG plots.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Regenerate the data and plots of a paper's figures into notebooks-data/.",
        subcommands: [ReproduceTsuchidaCommand.self])
}
