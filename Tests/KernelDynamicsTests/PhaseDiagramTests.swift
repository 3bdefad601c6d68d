import Foundation
import Testing
import NeuralKernels
import _TestSupport
@testable import KernelDynamics

@Suite struct PhaseDiagramTests {
    /// Each cell is the single-point analysis, in the documented row-major order; the CSV has
    /// one row per cell and the SVG one cell rectangle per cell.
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
        #expect(try SVGDocument(diagram.svg).all("rect", class: "cell").count == 6)
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

    /// Every colour a cell uses is explained: it has a legend row or lies on the gradient of the
    /// labelled colour bar (whose ticks are round values in [-1, 1]); the outcomes off the bar
    /// (rho* = 1, nothing attracts, no q*) each have a row; cells are drawn with crisp edges and
    /// overlap their neighbours (no seams); axis ticks are round values inside the grid.
    @Test func everyColourHasALegendRowOrLiesOnTheBar() throws {
        let ws = (0..<9).map { 0.5 + 0.25 * Double($0) }
        let bs = (0..<5).map { 0.25 * Double($0) }
        let diagram = PhaseDiagram(activation: .erf, sigmaWs: ws, sigmaBs: bs)
        let doc = try SVGDocument(diagram.svg)
        let cells = doc.all("rect", class: "cell")
        #expect(cells.count == ws.count * bs.count)
        let stops = doc.all("stop").compactMap { $0["stop-color"] }
        let keys = Set(doc.elements.filter { $0.within(class: "legend") }.compactMap { $0["fill"] })
        var kinds = Set<String>()
        for cell in cells {
            let fill = try #require(cell["fill"])
            let onBar = colourLiesOnGradient(fill, stops: stops)
            #expect(keys.contains(fill) || onBar, "cell colour \(fill) is neither in the legend nor on the bar")
            kinds.insert(keys.contains(fill) ? fill : "bar")
        }
        // This grid shows the bar, the ordered phase and cells without q* (erf without bias, small sigma_w).
        #expect(kinds.contains("bar") && kinds.contains(PhaseDiagram.orderedColour), "\(kinds)")
        for limit in [nil, Double.nan, 1] as [Double?] {
            let c = PhaseDiagram.colour(limit: limit)
            #expect(keys.contains(c) && !colourLiesOnGradient(c, stops: stops), "\(String(describing: limit))")
        }
        #expect(doc.texts(class: "colour-bar-label") == ["attracting rho* < 1"])
        #expect(doc.texts(class: "colour-tick-label") == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
        #expect(cells.allSatisfy { $0.ancestors.last?.attributes["shape-rendering"] == "crispEdges" })
        for (k, cell) in cells.enumerated() where k % ws.count + 1 < ws.count {
            #expect(cell.number("x")! + cell.number("width")! > cells[k + 1].number("x")!)
        }
        #expect(doc.texts(class: "x-tick") == ["0.5", "1.0", "1.5", "2.0", "2.5"])
        #expect(doc.texts(class: "y-tick") == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }
}
