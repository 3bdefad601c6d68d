import Foundation

extension PhaseDiagram {
    /// A heat map of the limit correlation over (sigma_w, sigma_b): colour = the attracting
    /// rho* (blue -1 ... white 0 ... red 1, dark red = the trivial fixed point rho* = 1),
    /// grey = no variance fixed point; cells in the chaotic phase (chi_1 > 1) carry a dot.
    public var svg: String {
        let nW = sigmaWs.count
        let nB = sigmaBs.count
        let left = 64.0
        let top = 36.0
        let size = 420.0
        let legend = 120.0
        let cw = size / Double(max(nW, 1))
        let ch = size / Double(max(nB, 1))
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(left + size + legend + 20))" height="\(Int(top + size + 56))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="14">\(escape(activation.name)): attracting correlation rho* (dot: chi_1 &gt; 1)</text>

            """
        for (k, cell) in cells.enumerated() {
            let iW = k % nW
            let iB = k / nW
            let x = left + Double(iW) * cw
            let y = top + Double(nB - 1 - iB) * ch
            let colour = cell.limitCorrelation.map(PhaseDiagram.colour) ?? "#bbbbbb"
            out +=
                "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cw + 0.3))\" height=\"\(f(ch + 0.3))\" fill=\"\(colour)\"/>\n"
            if let chi = cell.analysis.chi1, chi > 1 {
                out +=
                    "<circle cx=\"\(f(x + cw / 2))\" cy=\"\(f(y + ch / 2))\" r=\"\(f(min(cw, ch) * 0.12))\" fill=\"black\"/>\n"
            }
        }
        out +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"black\"/>\n"
        for k in 0...4 {
            let w = sigmaWs[(nW - 1) * k / 4]
            let b = sigmaBs[(nB - 1) * k / 4]
            let xw = left + (Double((nW - 1) * k / 4) + 0.5) * cw
            let yb = top + (Double(nB - 1 - (nB - 1) * k / 4) + 0.5) * ch
            out += "<text x=\"\(f(xw))\" y=\"\(f(top + size + 16))\" text-anchor=\"middle\">\(tick(w))</text>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(yb + 4))\" text-anchor=\"end\">\(tick(b))</text>\n"
        }
        out += "<text x=\"\(f(left + size / 2))\" y=\"\(f(top + size + 40))\" text-anchor=\"middle\">sigma_w</text>\n"
        out +=
            "<text transform=\"translate(16,\(f(top + size / 2))) rotate(-90)\" text-anchor=\"middle\">sigma_b</text>\n"
        for k in 0...10 {
            let v = 1 - 0.2 * Double(k)
            let y = top + Double(k) * 24
            out +=
                "<rect x=\"\(f(left + size + 20))\" y=\"\(f(y))\" width=\"20\" height=\"24\" fill=\"\(PhaseDiagram.colour(v))\"/>\n"
            out += "<text x=\"\(f(left + size + 46))\" y=\"\(f(y + 16))\">\(tick(v))</text>\n"
        }
        out +=
            "<rect x=\"\(f(left + size + 20))\" y=\"\(f(top + 11 * 24 + 8))\" width=\"20\" height=\"16\" fill=\"#bbbbbb\"/>\n"
        out += "<text x=\"\(f(left + size + 46))\" y=\"\(f(top + 11 * 24 + 21))\">no q*</text>\n"
        return out + "</svg>\n"
    }

    /// Diverging colour scale on [-1, 1]; rho* = 1 exactly is dark red; NaN (nothing attracts) black.
    static func colour(_ rho: Double) -> String {
        if rho.isNaN { return "#000000" }
        if rho >= 1 { return "#67001f" }
        let t = max(-1, min(1, rho))
        let (r, g, b): (Double, Double, Double) =
            t >= 0
            ? (1, 1 - 0.85 * t, 1 - 0.85 * t)
            : (1 + 0.85 * t, 1 + 0.6 * t, 1)
        return String(format: "#%02x%02x%02x", Int(r * 255), Int(g * 255), Int(b * 255))
    }
}

private func f(_ x: Double) -> String { String(format: "%.2f", x) }
private func tick(_ x: Double) -> String { String(format: "%.3g", x) }
private func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
        of: ">", with: "&gt;")
}
