import Foundation
import SVGPlots

extension PhaseDiagram {
    /// A heat map of the limit correlation over (sigma_w, sigma_b), each cell centred on its grid
    /// point: an attracting rho* < 1 on a blue (-1) - white (0) - red (1) scale shown by a labelled
    /// colour bar; the other outcomes in their own colours, each with a legend row (rho* = 1,
    /// nothing attracts, no q*); a dot marks the chaotic phase chi_1 > 1. Cells overlap by 0.3 px
    /// and are drawn with crisp edges, so no seams show between them.
    public var svg: String {
        let nW = sigmaWs.count
        let nB = sigmaBs.count
        let left = 64.0
        let top = 36.0
        let size = 420.0
        let cw = size / Double(max(nW, 1))
        let ch = size / Double(max(nB, 1))
        let barX = left + size + 24
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(barX + 300))" height="\(Int(top + size + 56))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text class="title" x="\(left)" y="22" font-size="14">\(svgEscape(activation.name)): the correlation every pair of inputs converges to through depth</text>
            <g class="cells" shape-rendering="crispEdges">

            """
        for (k, cell) in cells.enumerated() {
            let iW = k % nW
            let iB = k / nW
            let x = left + Double(iW) * cw
            let y = top + Double(nB - 1 - iB) * ch
            out +=
                "<rect class=\"cell\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cw + 0.3))\" height=\"\(f(ch + 0.3))\" fill=\"\(PhaseDiagram.colour(limit: cell.limitCorrelation))\"/>\n"
        }
        out += "</g>\n"
        for (k, cell) in cells.enumerated() {
            if let chi = cell.analysis.chi1, chi > 1 {
                let x = left + (Double(k % nW) + 0.5) * cw
                let y = top + (Double(nB - 1 - k / nW) + 0.5) * ch
                out += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(min(cw, ch) * 0.12))\" fill=\"black\"/>\n"
            }
        }
        out +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"black\"/>\n"
        // Ticks at round values inside the grid; cell i spans its grid value +- half a step.
        func position(_ v: Double, _ grid: [Double], _ extent: Double) -> Double {
            guard grid.count > 1 else { return extent / 2 }
            let step = (grid[grid.count - 1] - grid[0]) / Double(grid.count - 1)
            return (v - grid[0] + step / 2) / (step * Double(grid.count)) * extent
        }
        if let w0 = sigmaWs.first, let w1 = sigmaWs.last, w1 > w0 {
            let t = NiceTicks(w0...w1, snap: 0)
            for v in t.values {
                let x = left + position(v, sigmaWs, size)
                out +=
                    "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(top + size))\" y2=\"\(f(top + size + 4))\" stroke=\"black\"/>\n"
                out +=
                    "<text class=\"x-tick\" x=\"\(f(x))\" y=\"\(f(top + size + 16))\" text-anchor=\"middle\">\(t.label(v))</text>\n"
            }
        }
        if let b0 = sigmaBs.first, let b1 = sigmaBs.last, b1 > b0 {
            let t = NiceTicks(b0...b1, snap: 0)
            for v in t.values {
                let y = top + size - position(v, sigmaBs, size)
                out +=
                    "<line x1=\"\(f(left - 4))\" x2=\"\(f(left))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"black\"/>\n"
                out +=
                    "<text class=\"y-tick\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(t.label(v))</text>\n"
            }
        }
        out += "<text x=\"\(f(left + size / 2))\" y=\"\(f(top + size + 40))\" text-anchor=\"middle\">sigma_w</text>\n"
        out +=
            "<text transform=\"translate(16,\(f(top + size / 2))) rotate(-90)\" text-anchor=\"middle\">sigma_b</text>\n"
        let bar = SVGColourBar(scale: PhaseDiagram.scale, label: "attracting rho* < 1", id: "rho-star")
        out += bar.svg(x: barX, y: top, height: 220)
        out += PhaseDiagram.legend.svg(x: barX, y: top + 236)
        return out + "</svg>\n"
    }

    /// The colours of an attracting rho* < 1: blue at -1, white at 0, red towards 1.
    static let scale = ColourScale.diverging(negative: (0.15, 0.4, 1), positive: (1, 0.15, 0.15))
    /// rho* = 1 attracts (the ordered phase: every pair of inputs becomes perfectly correlated).
    static let orderedColour = "#67001f"
    /// q* exists but no correlation fixed point attracts (rho = 1 repels and none below it does).
    static let nothingAttractsColour = "#000000"
    /// No variance fixed point q* (the variance diverges or vanishes through depth).
    static let noVarianceColour = "#bbbbbb"

    /// The legend rows beside the colour bar: one per colour not on the bar, and the dot.
    static var legend: SVGLegend {
        SVGLegend([
            .init(.swatch(fill: orderedColour), "rho* = 1 attracts (ordered)"),
            .init(.swatch(fill: nothingAttractsColour), "nothing attracts (rho = 1 repels)"),
            .init(.swatch(fill: noVarianceColour), "no q* (variance diverges or vanishes)"),
            .init(.marker(fill: "black"), "chi_1 > 1 (chaotic phase)"),
        ])
    }

    /// A cell's colour from its ``Cell/limitCorrelation``: nil (no q*) grey, NaN (nothing
    /// attracts) black, 1 dark red, rho* < 1 on ``scale``.
    static func colour(limit: Double?) -> String {
        guard let rho = limit else { return noVarianceColour }
        if rho.isNaN { return nothingAttractsColour }
        if rho >= 1 { return orderedColour }
        return scale.hex(rho)
    }
}

private func f(_ x: Double) -> String { String(format: "%.2f", x) }
