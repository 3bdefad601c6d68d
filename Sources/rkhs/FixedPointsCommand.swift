import ArgumentParser
import Foundation
import KernelDynamics
import NeuralKernels

/// `rkhs fixedpoints`: variance and correlation fixed points of the NNGP through depth.
struct FixedPointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixedpoints",
        abstract: "Fixed points of the NNGP's variance and correlation maps (Tsuchida et al. 2021).",
        discussion: "JSON fields: q_star, chi1 (= f'(1)), fixed_points [{rho, slope, stable, depth_scale}], trajectory.")

    @Option(help: "Activation (as in rkhs kernel).")
    var activation: String = "relu"
    @Option(name: .customLong("sigma-w"), help: "Weight scale sigma_w >= 0.")
    var sigmaW: Double = 1
    @Option(name: .customLong("sigma-b"), help: "Bias scale sigma_b >= 0.")
    var sigmaB: Double = 1
    @Option(help: "Starting correlation of the trajectory, in [-1, 1].")
    var rho0: Double = 0
    @Option(help: "Number of layers of the trajectory.")
    var depth: Int = 20
    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        for (name, v) in [("--sigma-w", sigmaW), ("--sigma-b", sigmaB)] where !(v.isFinite && v >= 0) {
            throw UsageError("invalid \(name) '\(v)'; allowed: a finite number >= 0")
        }
        guard rho0.isFinite, rho0 >= -1, rho0 <= 1 else { throw UsageError("invalid --rho0 '\(rho0)'; allowed: a number in [-1, 1]") }
        guard depth >= 0, depth <= 100_000 else { throw UsageError("invalid --depth '\(depth)'; allowed: 0...100000") }
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: activation) }
        let fp = KernelFixedPoints(activation: act, sigmaW: sigmaW, sigmaB: sigmaB)
        let path = fp.trajectory(from: rho0, depth: depth)
        switch format {
        case .json:
            let points = fp.fixedPoints.map {
                "{\"rho\":\(full($0.rho)),\"slope\":\(full($0.slope)),\"stable\":\($0.stable),\"depth_scale\":\($0.depthScale.isFinite ? full($0.depthScale) : "null")}"
            }
            let q = fp.qStar.map(full) ?? "null"
            let status: String
            switch fp.variance { case .fixedPoint: status = "fixed_point"; case .diverges: status = "diverges"; case .vanishes: status = "vanishes" }
            print("{\"activation\":\"\(jsonEscape(act.name))\",\"sigma_w\":\(full(sigmaW)),\"sigma_b\":\(full(sigmaB)),"
                  + "\"variance\":\"\(status)\",\"q_star\":\(q),\"q_star_stable\":\(!fp.varianceIsUnstable),\"chi1\":\(fp.chi1.map(full) ?? "null"),"
                  + "\"fixed_points\":[\(points.joined(separator: ","))],"
                  + "\"trajectory\":[\(path.map(full).joined(separator: ","))]}")
        case .csv:
            print("layer,rho")
            for (l, r) in path.enumerated() { print("\(l),\(full(r))") }
        case .table:
            print("\(act.name), sigma_w \(sigmaW), sigma_b \(sigmaB)")
            switch fp.variance {
            case .fixedPoint(let q): print("variance fixed point q* = \(full(q))" + (fp.varianceIsUnstable ? " (repelling: the variance moves away from it)" : ""))
            case .diverges: print("variance map diverges: no fixed point q*")
            case .vanishes: print("variance map collapses to 0: no fixed point q*")
            }
            if let chi = fp.chi1 { print("chi_1 = f'(1) = \(full(chi)) (\(chi < 1 ? "ordered: rho = 1 attracts" : "chaotic: rho = 1 repels"))") }
            for p in fp.fixedPoints {
                print("fixed point rho* = \(full(p.rho)), slope \(full(p.slope)), \(p.stable ? "stable" : "unstable"), depth scale \(full(p.depthScale))")
            }
            if !path.isEmpty { print("trajectory from rho0 = \(rho0): " + path.suffix(5).map { String(format: "%.12f", $0) }.joined(separator: " ") + " (last 5)") }
        }
    }
}
