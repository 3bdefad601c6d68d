import Foundation
import SVGPlots
import TrainingDynamics

/// The phase diagram of ``ScalingPlane`` as SVG: regions filled and labelled by limit model,
/// the one-dimensional regions as thick segments, the three points, and markers at the
/// simulated grid points (fill: measured per-step movement not decaying; ring colour: the
/// judged fits agree with the classification or not; a cross: the simulation diverged).
struct ScalingPhaseDiagramSVG {
    let plane: ScalingPlane
    /// Simulated grid points.
    struct Marker {
        let qSigma: Double
        let qTilde: Double
        /// Measured per-step input movement not decaying (fitted exponent >= -0.1).
        let orderOneSteps: Bool?
        /// All judged fits agree (nil: none judged).
        let agrees: Bool?
        let diverged: Bool
    }
    let markers: [Marker]
    let title: String

    static let palette = ["#cfe3f7", "#f7e0c4", "#d5efd0", "#f4cccc", "#e6e6e6"]
    static let agreeColour = "#2ca02c"
    static let disagreeColour = "#d62728"
    static let unjudgedColour = "#888888"
    static let movingColour = "#333333"
    static let divergedColour = "#d62728"
    static let lineColours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]

    var svg: String {
        let width = 760.0
        let height = 660.0
        let left = 70.0
        let right = 20.0
        let top = 40.0
        let bottom = 128.0
        let xs = plane.qSigma
        let ys = plane.qTilde
        func px(_ x: Double) -> Double {
            left + (x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * (width - left - right)
        }
        func py(_ y: Double) -> Double {
            height - bottom - (y - ys.lowerBound) / (ys.upperBound - ys.lowerBound) * (height - top - bottom)
        }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">\(esc(title))</text>\n"
        for (k, r) in plane.regions.enumerated() {
            let pts = r.polygon.map { "\(f(px($0.qSigma))),\(f(py($0.qTilde)))" }.joined(separator: " ")
            out += "<polygon points=\"\(pts)\" fill=\"\(Self.palette[k % Self.palette.count])\" stroke=\"none\"/>\n"
            let n = Double(r.polygon.count)
            let cx = r.polygon.reduce(0) { $0 + $1.qSigma } / n
            let cy = r.polygon.reduce(0) { $0 + $1.qTilde } / n
            out +=
                "<text x=\"\(f(px(cx)))\" y=\"\(f(py(cy)))\" text-anchor=\"middle\" fill=\"#333\">\(esc(r.label))</text>\n"
        }
        for (k, s) in plane.segments.enumerated() {
            let colour = Self.lineColours[k % Self.lineColours.count]
            out +=
                "<line x1=\"\(f(px(s.from.qSigma)))\" y1=\"\(f(py(s.from.qTilde)))\" x2=\"\(f(px(s.to.qSigma)))\" y2=\"\(f(py(s.to.qTilde)))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            // Labels a third of the way along, nudged off the line (the MF-NTK segment's to its
            // left, clear of the small barycentre triangle).
            let left = s.label == "MF-NTK"
            let t = left ? 0.5 : 1.0 / 3
            let lx = s.from.qSigma + (s.to.qSigma - s.from.qSigma) * t
            let ly = s.from.qTilde + (s.to.qTilde - s.from.qTilde) * t
            out +=
                "<text x=\"\(f(px(lx) + (left ? -8 : 6)))\" y=\"\(f(py(ly) + (left ? 14 : -6)))\" fill=\"\(colour)\" font-size=\"11\""
                + (left ? " text-anchor=\"end\"" : "") + ">\(esc(s.label))</text>\n"
        }
        for p in ScalingPlane.points {
            out += "<circle cx=\"\(f(px(p.point.qSigma)))\" cy=\"\(f(py(p.point.qTilde)))\" r=\"6\" fill=\"black\"/>\n"
            out +=
                "<text x=\"\(f(px(p.point.qSigma) + 9))\" y=\"\(f(py(p.point.qTilde) + 14))\" font-weight=\"bold\">\(esc(p.label))</text>\n"
        }
        for m in markers {
            let x = px(m.qSigma)
            let y = py(m.qTilde)
            if m.diverged {
                out +=
                    "<path class=\"marker\" d=\"M\(f(x - 5)),\(f(y - 5)) L\(f(x + 5)),\(f(y + 5)) M\(f(x - 5)),\(f(y + 5)) L\(f(x + 5)),\(f(y - 5))\" stroke=\"\(Self.divergedColour)\" stroke-width=\"2\"/>\n"
                continue
            }
            let ring = m.agrees.map { $0 ? Self.agreeColour : Self.disagreeColour } ?? Self.unjudgedColour
            let fill = (m.orderOneSteps ?? false) ? Self.movingColour : "white"
            out +=
                "<circle class=\"marker\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"\(fill)\" stroke=\"\(ring)\" stroke-width=\"2\"/>\n"
        }
        // Axes and ticks.
        out +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"none\" stroke=\"black\"/>\n"
        for t in stride(from: xs.lowerBound, through: xs.upperBound + 1e-9, by: 0.5) {
            out +=
                "<text x=\"\(f(px(t)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(String(format: "%g", t))</text>\n"
        }
        for t in stride(from: ys.lowerBound, through: ys.upperBound + 1e-9, by: 0.5) {
            out +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(String(format: "%g", t))</text>\n"
        }
        out +=
            "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - bottom + 34))\" text-anchor=\"middle\">q_sigma (readout init std ~ d^q_sigma)</text>\n"
        out +=
            "<text x=\"18\" y=\"\(f((top + height - bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f((top + height - bottom) / 2)))\">q~ (learning rates / init variances ~ d^q~)</text>\n"
        let notes = [
            "Stable band: -1/2 <= q~ + q_sigma <= 0. Lines inside it: q_sigma = -1/2 (logits of order one at init),",
            "q~ + 2 q_sigma + 1 = 0 (kernels of order one at init). Markers: simulated grid points.",
        ]
        for (k, line) in notes.enumerated() {
            out +=
                "<text x=\"\(f(left))\" y=\"\(f(height - bottom + 50 + 14 * Double(k)))\" font-size=\"11\">\(esc(line))</text>\n"
        }
        // Every marker colour has a legend row.
        let rings = SVGLegend([
            .init(.ring(fill: "white", stroke: Self.agreeColour), "every judged fitted exponent agrees"),
            .init(.ring(fill: "white", stroke: Self.disagreeColour), "a judged fitted exponent disagrees"),
            .init(.ring(fill: "white", stroke: Self.unjudgedColour), "no fitted exponent judged"),
        ])
        let kinds = SVGLegend([
            .init(
                .ring(fill: Self.movingColour, stroke: Self.unjudgedColour), "filled: per-step movement not decaying"),
            .init(.cross(stroke: Self.divergedColour), "SGD diverged (non-finite logits)"),
        ])
        out += rings.svg(x: left, y: height - bottom + 70)
        out += kinds.svg(x: left + 330, y: height - bottom + 70)
        out += "</svg>\n"
        return out
    }
}
