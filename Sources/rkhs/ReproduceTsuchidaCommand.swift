import ArgumentParser
import Foundation
import KernelDynamics
import NeuralKernels
import SVGPlots

/// `rkhs reproduce tsuchida`: the fixed-point figures of Tsuchida, Pearce, van der Heide,
/// Roosta & Gallagher (2021), "Avoiding kernel fixed points: computing with ELU and GELU
/// infinite networks" (AAAI), from the KernelDynamics API:
///
/// * correlation maps f(rho) = (sigma_w^2 E[phi(u)phi(v)] + sigma_b^2)/q* at the variance fixed
///   point q*, for ReLU, ELU, GELU and erf (their fixed points are the crossings with rho);
/// * trajectories rho_l over 40 layers from several rho_0 (ReLU: to 1; ELU, GELU: to rho* < 1);
/// * the fixed points with slopes and depth scales;
/// * phase diagrams over (sigma_w, sigma_b).
///
/// Each data file is CSV with a JSON sidecar (parameters, the exact command); plots are SVG;
/// every file is written atomically.
struct ReproduceTsuchidaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsuchida",
        abstract: "Fixed-point figures of Tsuchida et al. (2021): correlation maps, trajectories, phase diagrams.")

    @Option(help: "Output folder.") var out: String = "notebooks-data/tsuchida"
    @Option(name: .customLong("sigma-w-range"), help: "Phase-diagram sigma_w grid LO:HI:N.") var sigmaWRange: String =
        "0.5:2.5:21"
    @Option(name: .customLong("sigma-b-range"), help: "Phase-diagram sigma_b grid LO:HI:N.") var sigmaBRange: String =
        "0:1:11"

    /// The settings of the maps and trajectories: each activation at a (sigma_w, sigma_b) where
    /// its fixed-point structure is the paper's point (ReLU ordered with rho = 1 the only fixed
    /// point; ELU and GELU without bias slightly chaotic with a stable rho* < 1; erf chaotic).
    static let settings: [(name: String, sigmaW: Double, sigmaB: Double)] = [
        ("relu", 1.2, 0.1), ("elu(1)", 1.2, 0), ("gelu", 1.5, 0), ("erf", 1.5, 0.05),
    ]
    static let starts: [Double] = [-0.5, 0, 0.5, 0.9, 0.99]
    static let depth = 40

    func run() throws {
        let ws = try PhaseDiagramCommand.grid(sigmaWRange, name: "--sigma-w-range")
        let bs = try PhaseDiagramCommand.grid(sigmaBRange, name: "--sigma-b-range")
        try UsageError.wrap { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
        let command = "rkhs " + CommandLine.arguments.dropFirst().joined(separator: " ")
        func path(_ file: String) -> String { (out as NSString).appendingPathComponent(file) }
        func write(_ text: String, _ file: String) throws {
            try UsageError.wrap { try AtomicFile.write(text, to: path(file)) }
        }
        func sidecar(_ file: String, _ description: String, ranges: (String, String)? = nil) throws {
            let settings = Self.settings.map { s in
                JSONDocument { o in
                    try o.encode(s.name, forKey: "activation")
                    try o.encode(s.sigmaW, forKey: "sigma_w")
                    try o.encode(s.sigmaB, forKey: "sigma_b")
                }
            }
            let json = try JSONOutput.text(
                JSONDocument { o in
                    try o.encode(file, forKey: "file")
                    try o.encode(description, forKey: "description")
                    try o.encode(command, forKey: "command")
                    try o.encode(
                        "Tsuchida et al. 2021, Avoiding kernel fixed points: computing with ELU and GELU infinite networks",
                        forKey: "paper")
                    try o.encode(settings, forKey: "settings")
                    if let ranges {
                        try o.encode(ranges.0, forKey: "sigma_w_range")
                        try o.encode(ranges.1, forKey: "sigma_b_range")
                    }
                })
            try write(json + "\n", file.replacingOccurrences(of: ".csv", with: ".json"))
        }
        func log(_ s: String) { FileHandle.standardError.write(Data("reproduce tsuchida: \(s)\n".utf8)) }

        let analyses = try Self.settings.map { s in
            KernelFixedPoints(
                activation: try UsageError.wrap { try ActivationCatalogue.activation(named: s.name) },
                sigmaW: s.sigmaW, sigmaB: s.sigmaB)
        }
        // 1. Correlation maps f(rho) on [-1, 1].
        let grid = (0...200).map { -1 + 2 * Double($0) / 200 }
        var maps = "rho," + Self.settings.map(\.name).joined(separator: ",") + "\n"
        let values = analyses.map { a in grid.map { a.trajectory(from: $0, depth: 1).last ?? .nan } }
        for (k, rho) in grid.enumerated() {
            maps += ([full(rho)] + values.map { full($0[k]) }).joined(separator: ",") + "\n"
        }
        try write(maps, "correlation-maps.csv")
        try sidecar(
            "correlation-maps.csv",
            "normalised correlation map f(rho) at the variance fixed point q*, one column per activation")
        var series = zip(Self.settings, values).map { s, v in
            SVGChart.Series(label: "\(s.name) (\(s.sigmaW), \(s.sigmaB))", points: zip(grid, v).map { ($0, $1) })
        }
        series.append(SVGChart.Series(label: "identity", points: [(-1, -1), (1, 1)], dashed: true))
        try write(
            SVGChart(
                title: "Correlation maps f(rho) at q* (Tsuchida et al. 2021)", xLabel: "rho", yLabel: "f(rho)",
                series: series
            ).svg, "correlation-maps.svg")
        log("correlation maps written")

        // 2. Trajectories rho_l.
        var trajectories = "activation,sigma_w,sigma_b,rho0,layer,rho\n"
        for (s, a) in zip(Self.settings, analyses) {
            var plotted: [SVGChart.Series] = []
            for rho0 in Self.starts {
                let path = a.trajectory(from: rho0, depth: Self.depth)
                for (l, rho) in path.enumerated() {
                    trajectories += "\(s.name),\(full(s.sigmaW)),\(full(s.sigmaB)),\(full(rho0)),\(l),\(full(rho))\n"
                }
                plotted.append(
                    SVGChart.Series(
                        label: "rho0 = \(rho0)", points: path.enumerated().map { (Double($0.offset), $0.element) }))
            }
            let slug = s.name.replacingOccurrences(of: "(1)", with: "")
            try write(
                SVGChart(
                    title: "rho_l through depth: \(s.name), sigma_w \(s.sigmaW), sigma_b \(s.sigmaB)",
                    xLabel: "layer l",
                    yLabel: "rho_l", series: plotted, yRange: -0.6...1
                ).svg, "trajectories-\(slug).svg")
        }
        try write(trajectories, "trajectories.csv")
        try sidecar("trajectories.csv", "rho_l = f^l(rho0) for \(Self.depth) layers at q*")
        // Where the variance has no fixed point (the paper's figure 2, GELU at sigma_w = 1.2 without
        // bias: q_l -> 0) the pair's joint (q_l, rho_l) from q_0 = 1.
        let gelu = KernelFixedPoints(activation: .gelu, sigmaW: 1.2, sigmaB: 0)
        var joint = "activation,sigma_w,sigma_b,q0,rho0,layer,q,rho\n"
        var jointSeries: [SVGChart.Series] = []
        for rho0 in Self.starts {
            let path = gelu.jointTrajectory(q0: 1, rho0: rho0, depth: Self.depth)
            for (l, p) in path.enumerated() { joint += "gelu,1.2,0,1,\(full(rho0)),\(l),\(full(p.q)),\(full(p.rho))\n" }
            jointSeries.append(
                SVGChart.Series(
                    label: "rho0 = \(rho0)", points: path.enumerated().map { (Double($0.offset), $0.element.rho) }))
        }
        try write(joint, "variance-trajectories.csv")
        try sidecar(
            "variance-trajectories.csv",
            "(q_l, rho_l) through \(Self.depth) layers from q0 = 1 for GELU at sigma_w 1.2, sigma_b 0, where q_l -> 0 (no q*)"
        )
        try write(
            SVGChart(
                title: "rho_l through depth while q_l -> 0: gelu, sigma_w 1.2, sigma_b 0", xLabel: "layer l",
                yLabel: "rho_l", series: jointSeries, yRange: -0.6...1
            ).svg, "variance-trajectories.svg")
        log("trajectories written")

        // 3. Fixed points.
        var fixed = "activation,sigma_w,sigma_b,q_star,chi1,rho_star,slope,stable,depth_scale\n"
        for (s, a) in zip(Self.settings, analyses) {
            for p in a.fixedPoints {
                fixed +=
                    "\(s.name),\(full(s.sigmaW)),\(full(s.sigmaB)),\(a.qStar.map(full) ?? ""),\(a.chi1.map(full) ?? ""),"
                    + "\(full(p.rho)),\(full(p.slope)),\(p.stable),\(full(p.depthScale))\n"
            }
        }
        try write(fixed, "fixed-points.csv")
        try sidecar(
            "fixed-points.csv",
            "fixed points rho* of f with slope f'(rho*) (stable if |slope| < 1) and depth scale -1/log|slope|")
        log("fixed points written")

        // 4. Phase diagrams.
        for s in Self.settings {
            let act = try UsageError.wrap { try ActivationCatalogue.activation(named: s.name) }
            let started = Date()
            let diagram = PhaseDiagram(activation: act, sigmaWs: ws, sigmaBs: bs)
            let slug = s.name.replacingOccurrences(of: "(1)", with: "")
            try write(diagram.csv, "phase-\(slug).csv")
            try write(diagram.svg, "phase-\(slug).svg")
            try sidecar(
                "phase-\(slug).csv",
                "phase diagram of \(s.name) over sigma_w \(sigmaWRange), sigma_b \(sigmaBRange): q*, chi1, attracting rho* < 1",
                ranges: (sigmaWRange, sigmaBRange))
            log(String(format: "phase diagram of %@ written (%.0f s)", s.name, Date().timeIntervalSince(started)))
        }
        print(
            "wrote correlation maps, trajectories, fixed points and \(Self.settings.count) phase diagrams (CSV + JSON + SVG) to \(out)"
        )
    }
}
