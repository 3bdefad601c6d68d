import Foundation
import SVGPlots
import Testing
import _TestSupport

@Suite struct ColourScaleTests {
    /// Stops are hit exactly, the midpoint of a segment is the mean of its ends, values
    /// outside the domain are clamped.
    @Test func interpolatesBetweenStops() {
        let s = ColourScale.diverging(negative: (0, 0, 1), positive: (1, 0, 0))
        #expect(s.hex(-1) == "#0000ff" && s.hex(0) == "#ffffff" && s.hex(1) == "#ff0000")
        #expect(s.hex(0.5) == "#ff8080")  // (1, 0.5, 0.5) -> 127.5 rounds to 128
        #expect(s.hex(-7) == "#0000ff" && s.hex(3) == "#ff0000")
    }

    /// The bar's gradient carries the scale's stops, so every colour of the scale lies on it;
    /// ticks are round values inside the shown range; the label is there.
    @Test func colourBarShowsTheScaleAndIsLabelled() throws {
        let s = ColourScale.diverging(negative: (0.15, 0.4, 1), positive: (1, 0.15, 0.15))
        let bar = SVGColourBar(scale: s, values: -2.7...2.7, label: "f(x) & more", id: "bar")
        let doc = try SVGDocument(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">" + bar.svg(x: 0, y: 0, height: 200) + "</svg>")
        let stops = doc.all("stop").compactMap { $0["stop-color"] }
        #expect(stops == s.stops.map(\.hex))
        for v in stride(from: -1.0, through: 1.0, by: 0.01) { #expect(colourLiesOnGradient(s.hex(v), stops: stops)) }
        #expect(!colourLiesOnGradient("#000000", stops: stops))
        #expect(doc.texts(class: "colour-tick-label") == ["-2", "-1", "0", "1", "2"])
        #expect(doc.texts(class: "colour-bar-label") == ["f(x) & more"])
    }
}
