import Foundation
import Testing
import _TestSupport

@testable import SamplePaths

@Suite struct SVGSphereMapTests {
    /// A known field on an 8 x 16 grid: the axes carry degree ticks at their true positions
    /// (longitude 0 and 360 at the map's edges, each column centred on its sample longitude);
    /// the colour bar is labelled, its ticks are round values within +- max|f|, and every cell
    /// colour lies on its gradient; cells are crisp, overlap and are clipped to the map.
    @Test func ticksColourBarAndCells() throws {
        let rows = 8
        let columns = 16
        let values = (0..<(rows * columns)).map { a -> Double in
            let theta = (Double(a / columns) + 0.5) * Double.pi / Double(rows)
            let phi = 2 * Double.pi * Double(a % columns) / Double(columns)
            return 2.7 * sin(theta) * cos(phi)
        }
        let largest = values.map { Swift.abs($0) }.max()!
        let map = SVGSphereMap(title: "test <&>", rows: rows, columns: columns, values: values, valueLabel: "f(x)")
        let doc = try SVGDocument(map.svg)
        #expect(doc.texts(class: "title") == ["test <&>"])
        #expect(doc.texts(class: "x-tick") == ["0", "90", "180", "270", "360"])
        #expect(doc.texts(class: "y-tick") == ["0", "45", "90", "135", "180"])
        let frame = try #require(doc.all("rect").first { $0["fill"] == "none" })
        let x0 = frame.number("x")!
        let w = frame.number("width")!
        let xs = doc.all("text", class: "x-tick").map { $0.number("x")! }
        #expect(
            Swift.abs(xs[0] - x0) < 0.01 && Swift.abs(xs[4] - (x0 + w)) < 0.01 && Swift.abs(xs[2] - (x0 + w / 2)) < 0.01
        )
        let cells = doc.all("rect", class: "cell")
        #expect(cells.count == rows * (columns + 1))
        // Row 0, column 4 (longitude 90 degrees) is centred on the 90-degree tick.
        let c = cells[4]
        #expect(Swift.abs(c.number("x")! + (c.number("width")! - 0.3) / 2 - xs[1]) < 0.01)
        #expect(doc.texts(class: "colour-bar-label") == ["f(x)"])
        let ticks = doc.texts(class: "colour-tick-label")
        #expect(ticks == ["-2", "-1", "0", "1", "2"], "\(ticks)")
        #expect(ticks.compactMap(Double.init).allSatisfy { Swift.abs($0) <= largest })
        let stops = doc.all("stop").compactMap { $0["stop-color"] }
        for cell in cells { #expect(colourLiesOnGradient(cell["fill"]!, stops: stops), "\(cell["fill"]!)") }
        #expect(cells.allSatisfy { $0.ancestors.last?.attributes["shape-rendering"] == "crispEdges" })
        #expect(cells.allSatisfy { $0.ancestors.last?.attributes["clip-path"] == "url(#sphere-map)" })
        #expect(cells[0].number("x")! + cells[0].number("width")! > cells[1].number("x")!)
    }
}
