import Foundation
import NeuralKernels
import _ParallelFill

/// The fixed-point picture of an activation over a grid of weight and bias scales
/// (the phase diagrams of Poole et al. 2016 and Tsuchida et al. 2021, Figure 3).
///
/// Each cell is a ``KernelFixedPoints`` analysis: the variance fixed point q* (or divergence),
/// chi_1 = f'(1), and the attracting non-trivial correlation fixed point rho* < 1 when there
/// is one. Cells are computed in parallel over all cores; the result does not depend on
/// the number of cores.
public struct PhaseDiagram: Sendable {
    public struct Cell: Sendable {
        public let sigmaW: Double
        public let sigmaB: Double
        public let analysis: KernelFixedPoints

        /// The stable fixed point rho* < 1 with the largest basin side (the largest one), if any.
        public var nonTrivial: KernelFixedPoints.FixedPoint? {
            analysis.fixedPoints.filter { $0.rho < 1 && $0.stable }.max { $0.rho < $1.rho }
        }

        /// The correlation every generic pair of inputs converges to: rho* < 1 when one
        /// attracts, 1 in the ordered phase, nil when q* does not exist.
        public var limitCorrelation: Double? {
            guard analysis.qStar != nil else { return nil }
            if let p = nonTrivial { return p.rho }
            return analysis.fixedPoints.last.map { $0.stable ? 1 : Double.nan }
        }
    }

    public let activation: Activation
    public let sigmaWs: [Double]
    public let sigmaBs: [Double]
    /// Row-major: cells[iB * sigmaWs.count + iW].
    public let cells: [Cell]

    /// Analyses every (sigma_w, sigma_b) of the grid; `progress` gets the fraction done.
    public init(
        activation: Activation, sigmaWs: [Double], sigmaBs: [Double],
        progress: (@Sendable (Double) -> Void)? = nil
    ) {
        self.activation = activation
        self.sigmaWs = sigmaWs
        self.sigmaBs = sigmaBs
        let nW = sigmaWs.count
        let total = nW * sigmaBs.count
        let slots = SlotArray<Cell>(count: total)
        ParallelFill.forEach(total) { k in
            let w = sigmaWs[k % nW]
            let b = sigmaBs[k / nW]
            let cell = Cell(
                sigmaW: w, sigmaB: b, analysis: KernelFixedPoints(activation: activation, sigmaW: w, sigmaB: b))
            let n = slots.store(cell, at: k)
            progress?(Double(n) / Double(total))
        }
        cells = slots.values
    }

    /// CSV with a header: one row per cell.
    public var csv: String {
        var text =
            "sigma_w,sigma_b,sigma_w2,sigma_b2,variance,q_star,q_star_stable,chi1,rho_star,rho_star_slope,fixed_points\n"
        for cell in cells {
            let a = cell.analysis
            let status: String
            switch a.variance {
            case .fixedPoint: status = "fixed_point"
            case .diverges: status = "diverges"
            case .vanishes: status = "vanishes"
            }
            let p = cell.nonTrivial
            let fields: [String] = [
                g(cell.sigmaW), g(cell.sigmaB), g(cell.sigmaW * cell.sigmaW), g(cell.sigmaB * cell.sigmaB), status,
                a.qStar.map(g) ?? "", a.qStar == nil ? "" : "\(!a.varianceIsUnstable)", a.chi1.map(g) ?? "",
                p.map { g($0.rho) } ?? "", p.map { g($0.slope) } ?? "", "\(a.fixedPoints.count)",
            ]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    private func g(_ x: Double) -> String { String(format: "%.17g", x) }
}
