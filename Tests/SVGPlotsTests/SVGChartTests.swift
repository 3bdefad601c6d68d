import Foundation
import SVGPlots
import Testing
import _TestSupport

@Suite struct SVGChartTests {
    /// A path plot (linear axes): tick labels are round numbers (multiples of a 1-2-5 step)
    /// inside the drawn range, not the data's extremes; the title is escaped (valid XML).
    @Test func linearTicksAreNiceNumbersNotDataExtremes() throws {
        let n = 256
        let points = (0..<n).map { j -> (x: Double, y: Double) in
            let t = 2 * Double.pi * Double(j) / Double(n)
            return (t, 0.97 * sin(t) - 0.03 * cos(3 * t))
        }
        let chart = SVGChart(
            title: "paths <a & b>", xLabel: "theta", yLabel: "f", series: [.init(label: "path 1", points: points)])
        let doc = try SVGDocument(chart.svg)
        #expect(doc.texts(class: "title") == ["paths <a & b>"])
        let xs = points.map(\.x)
        let ys = points.map(\.y)
        for (cls, data) in [("x-tick", xs), ("y-tick", ys)] {
            let labels = doc.texts(class: cls)
            #expect(labels.count >= 3, "\(cls): \(labels)")
            let values = labels.compactMap(Double.init)
            #expect(values.count == labels.count)
            let step = values[1] - values[0]
            for label in labels { #expect(isNiceMultiple(label, step: step), "\(cls) \(label)") }
            // Inside the data range up to the 5% snap, and the extremes themselves are no ticks.
            let span = data.max()! - data.min()!
            #expect(values.allSatisfy { $0 >= data.min()! - 0.05 * span && $0 <= data.max()! + 0.05 * span })
            #expect(!labels.contains(String(format: "%.3g", data.max()!)))
        }
        #expect(doc.texts(class: "x-tick") == ["0", "2", "4", "6"])
    }

    /// Bands are shaded over their x range and named in the legend with their own colour;
    /// series in a group get a heading; a custom dash pattern is drawn and shown in the legend.
    @Test func bandsGroupsAndDashesReachTheLegend() throws {
        let line = (0...10).map { (x: Double($0), y: Double($0 * $0)) }
        var chart = SVGChart(
            title: "t", xLabel: "x", yLabel: "y",
            series: [
                .init(label: "a", points: line, colour: 1, group: "class 1"),
                .init(label: "b", points: line, colour: 1, dash: "6,3", group: "class 1"),
                .init(label: "c", points: line, colour: 2, group: "class 2"),
            ])
        chart.bands = [.init(x: 2...5, fill: "#2ca02c", label: "fitted")]
        let doc = try SVGDocument(chart.svg)
        let band = try #require(doc.all("rect", class: "band").first)
        let frame = try #require(doc.all("rect").first { $0["fill"] == "none" })
        // x axis 0...10 over the frame's width: the band spans 2...5 of it.
        let scale = frame.number("width")! / 10
        #expect(Swift.abs(band.number("x")! - (frame.number("x")! + 2 * scale)) < 0.01)
        #expect(Swift.abs(band.number("width")! - 3 * scale) < 0.01)
        let legend = doc.elements.filter { $0.within(class: "legend") }
        #expect(legend.filter { $0.name == "text" }.map(\.text) == ["fitted", "class 1", "a", "b", "class 2", "c"])
        #expect(legend.contains { $0["class"] == "legend-key" && $0["fill"] == "#2ca02c" })
        let dashes = doc.all("polyline", class: "series").map { $0["stroke-dasharray"] }
        #expect(dashes == [nil, "6,3", nil])
        #expect(legend.filter { $0.name == "line" }.map { $0["stroke-dasharray"] } == [nil, "6,3", nil])
    }

    /// A legend longer than the plot makes the picture taller instead of running off it.
    @Test func longLegendsFit() throws {
        let series = (0..<40).map { k in SVGChart.Series(label: "s\(k)", points: [(0, 0), (1, Double(k))]) }
        let doc = try SVGDocument(SVGChart(title: "t", xLabel: "x", yLabel: "y", series: series).svg)
        let height = try #require(doc.all("svg").first?.number("height"))
        let last = try #require(doc.texts(class: "legend-label").last)
        #expect(last == "s39")
        let y = try #require(doc.all("text", class: "legend-label").last?.number("y"))
        #expect(y < height)
    }

    /// A long legend row widens the picture instead of running past its right edge (at 6 px a
    /// character, a lower bound on 12 px sans-serif text).
    @Test func longLabelsFit() throws {
        let label = "class 4 (same RKHS): smooth (super-polynomial decay), and more"
        let series = [SVGChart.Series(label: label, points: [(0, 0), (1, 1)], group: label)]
        let doc = try SVGDocument(SVGChart(title: "t", xLabel: "x", yLabel: "y", series: series).svg)
        let width = try #require(doc.all("svg").first?.number("width"))
        for text in doc.all("text", class: "legend-label") {
            #expect(text.number("x")! + 6 * Double(text.text.count) < width, "\(text.text)")
        }
    }
}
