import Foundation
import Testing
import NeuralKernels
@testable import KernelDynamics

@Suite struct PhaseDiagramTests {
    /// Each cell is the single-point analysis, in the documented row-major order; the CSV has
    /// one row per cell and the SVG one rectangle per cell (+ frame, background and legend).
    @Test func cellsMatchSinglePointAnalysis() throws {
        let ws = [1.1, 1.3, 1.6]
        let bs = [0.0, 0.3]
        let diagram = PhaseDiagram(activation: .erf, sigmaWs: ws, sigmaBs: bs)
        #expect(diagram.cells.count == 6)
        for (k, cell) in diagram.cells.enumerated() {
            #expect(cell.sigmaW == ws[k % 3] && cell.sigmaB == bs[k / 3])
            let single = KernelFixedPoints(activation: .erf, sigmaW: cell.sigmaW, sigmaB: cell.sigmaB)
            #expect(cell.analysis.fixedPoints == single.fixedPoints)
        }
        let lines = diagram.csv.split(separator: "\n")
        #expect(lines.count == 7 && lines[0].hasPrefix("sigma_w,sigma_b,sigma_w2,sigma_b2,variance,q_star"))
        #expect(diagram.svg.components(separatedBy: "<rect").count - 1 == 6 + 2 + 11 + 1)
    }

    /// Without bias erf is odd, so rho = 0 is a fixed point; in the chaotic phase (chi_1 > 1)
    /// it attracts and the diagram reports it; in the ordered phase (with a bias, so that q*
    /// exists) the limit is 1.
    @Test func erfWithoutBiasHasZeroAsAttractorInTheChaoticPhase() throws {
        let ordered = PhaseDiagram(activation: .erf, sigmaWs: [0.8], sigmaBs: [0.3]).cells[0]
        let chaotic = PhaseDiagram(activation: .erf, sigmaWs: [2.0], sigmaBs: [0]).cells[0]
        #expect(ordered.analysis.chi1! < 1 && ordered.limitCorrelation == 1)
        #expect(chaotic.analysis.chi1! > 1)
        #expect(Swift.abs(try #require(chaotic.nonTrivial).rho) < 1e-12)
    }
}
