import ArgumentParser
import Foundation
import KernelDynamics
import NeuralKernels

/// `rkhs fixedpoints`: variance and correlation fixed points of the NNGP through depth.
struct FixedPointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixedpoints",
        abstract: "Fixed points of the NNGP's variance and correlation maps (Tsuchida et al. 2021).",
        discussion: """
            JSON fields: q_star, chi1 (= f'(1)), fixed_points [{rho, slope, stable, depth_scale}], trajectory. \
            With --kernel ntk the fixed points are those of the normalised NTK r = Theta(x,x')/Theta(x,x) at q* \
            (rho is r*, nngp_rho the NNGP fixed point under it, slope its per-layer rate) and the trajectory is r_l \
            (Proofs/fixed-points-of-the-correlation-map.md). variance_trajectory [{layer, q, rho}]: both inputs \
            from variance --q0 and correlation --rho0 through the joint maps, also where the variance has no \
            fixed point (then the CSV columns are layer,q,rho and the table lists it). No --sigma-i: the maps \
            are those of sigma_i = 1 (the whole bias in the NNGP), the only case KernelFixedPoints computes.
            """)

    @Option(help: "Activation (as in rkhs kernel).")
    var activation: String = "relu"
    @OptionGroup(title: "Scales") var scales: WeightBiasOptions
    var sigmaW: Double { scales.sigmaW }
    var sigmaB: Double { scales.bias }
    @Option(
        parsing: .unconditional,
        help: "Starting correlation of the trajectory, in [-1, 1] (negative values as --rho0 -0.5).")
    var rho0: Double = 0
    @Option(help: "Starting variance q_0 > 0 of the joint (q_l, rho_l) trajectory.")
    var q0: Double = 1
    @Option(help: "Number of layers of the trajectory.")
    var depth: Int = 20
    @Option(help: "Which kernel: nngp (correlation map) or ntk (normalised NTK at q*).")
    var kernel: KernelOption = .nngp
    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        guard rho0.isFinite, rho0 >= -1, rho0 <= 1 else {
            throw UsageError("invalid --rho0 '\(rho0)'; allowed: a number in [-1, 1]")
        }
        guard depth >= 0, depth <= 100_000 else { throw UsageError("invalid --depth '\(depth)'; allowed: 0...100000") }
        guard q0.isFinite, q0 > 0 else { throw UsageError("invalid --q0 '\(q0)'; allowed: a finite number > 0") }
        let act = try UsageError.wrap { try ActivationCatalogue.activation(named: activation) }
        let fp = KernelFixedPoints(activation: act, sigmaW: sigmaW, sigmaB: sigmaB)
        let ntk = kernel == .ntk ? NormalisedNTKDynamics(fp) : nil
        let path = ntk?.trajectory(from: rho0, depth: depth) ?? fp.trajectory(from: rho0, depth: depth)
        let joint = fp.jointTrajectory(q0: q0, rho0: rho0, depth: depth)
        let settled = fp.qStar != nil
        // (value, slope, stable, depth scale, NNGP rho* underneath for the NTK)
        let rows: [(Double, Double, Bool, Double, Double?)] =
            ntk.map {
                $0.fixedPoints.map { ($0.ratio, $0.slope, $0.stable, $0.depthScale, $0.rho) }
            } ?? fp.fixedPoints.map { ($0.rho, $0.slope, $0.stable, $0.depthScale, nil) }
        switch format {
        case .json:
            let points = rows.map { p in
                JSONDocument { o in
                    try o.encodeNumber(p.0, forKey: "rho")
                    try o.encodeNumber(p.1, forKey: "slope")
                    try o.encode(p.2, forKey: "stable")
                    try o.encodeNumber(p.3, forKey: "depth_scale")
                    if let rho = p.4 { try o.encodeNumber(rho, forKey: "nngp_rho") }
                }
            }
            let status: String
            switch fp.variance {
            case .fixedPoint: status = "fixed_point"
            case .diverges: status = "diverges"
            case .vanishes: status = "vanishes"
            }
            let layers = joint.enumerated().map { l, p in
                JSONDocument { o in
                    try o.encode(l, forKey: "layer")
                    try o.encodeNumber(p.q, forKey: "q")
                    try o.encodeNumber(p.rho, forKey: "rho")
                }
            }
            print(
                try JSONOutput.text(
                    JSONDocument { o in
                        try o.encode(act.name, forKey: "activation")
                        try o.encode(kernel.rawValue, forKey: "kernel")
                        try o.encodeNumber(sigmaW, forKey: "sigma_w")
                        try o.encodeNumber(sigmaB, forKey: "sigma_b")
                        try o.encode(status, forKey: "variance")
                        try o.encodeNumber(fp.qStar, forKey: "q_star")
                        try o.encode(fp.qStar == nil ? nil : !fp.varianceIsUnstable, forKey: "q_star_stable")
                        try o.encodeNumber(fp.chi1, forKey: "chi1")
                        try o.encode(points, forKey: "fixed_points")
                        try o.encodeNumbers(path, forKey: "trajectory")
                        try o.encode(layers, forKey: "variance_trajectory")
                    }))
        case .csv where !settled:
            print("layer,q,rho")
            for (l, p) in joint.enumerated() { print("\(l),\(full(p.q)),\(full(p.rho))") }
        case .csv:
            print(kernel == .ntk ? "layer,ratio" : "layer,rho")
            for (l, r) in path.enumerated() { print("\(l),\(full(r))") }
        case .table:
            print("\(act.name), sigma_w \(sigmaW), sigma_b \(sigmaB)")
            switch fp.variance {
            case .fixedPoint(let q):
                print(
                    "variance fixed point q* = \(full(q))"
                        + (fp.varianceIsUnstable ? " (repelling: the variance moves away from it)" : ""))
            case .diverges: print("variance map diverges: no fixed point q*")
            case .vanishes: print("variance map collapses to 0: no fixed point q*")
            }
            if let chi = fp.chi1 {
                print(
                    "chi_1 = f'(1) = \(full(chi)) (\(chi < 1 ? "ordered: rho = 1 attracts" : "chaotic: rho = 1 repels"))"
                )
            }
            for p in rows {
                let name =
                    p.4.map { "normalised NTK fixed point r* = \(full(p.0)) over rho* = \(full($0))" }
                    ?? "fixed point rho* = \(full(p.0))"
                print("\(name), slope \(full(p.1)), \(p.2 ? "stable" : "unstable"), depth scale \(full(p.3))")
            }
            if !settled {
                print(
                    "trajectory (q_l, rho_l) from q0 = \(q0), rho0 = \(rho0)"
                        + (joint.count <= depth ? " (stops where q_l leaves 1e-300...1e300)" : "") + ":")
                print(pad("layer", 8) + pad("q", 26) + "rho")
                for (l, p) in joint.enumerated() { print(pad("\(l)", 8) + pad(full(p.q), 26) + full(p.rho)) }
            }
            if !path.isEmpty {
                print(
                    "trajectory from rho0 = \(rho0): "
                        + path.suffix(5).map { String(format: "%.12f", $0) }.joined(separator: " ") + " (last 5)")
            }
        }
    }
}
