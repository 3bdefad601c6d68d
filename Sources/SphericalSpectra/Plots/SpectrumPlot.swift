import Foundation
import SVGPlots

/// The log-log picture of one or more spectra: |mu_k| against k + 1 for the resolved
/// non-zero values (even and odd k as separate marker series when `byParity`), with the
/// fitted power law of each parity drawn over its fit window.
public enum SpectrumPlot {
    public static func svg(
        title: String, spectra: [(label: String, spectrum: GegenbauerSpectrum)],
        byParity: Bool = true, fits: Bool = true, references: [(label: String, exponent: Double)] = []
    ) -> String {
        var series: [SVGChart.Series] = []
        var anchor: (x: Double, y: Double)? = nil
        for (label, s) in spectra {
            func points(_ parity: Int?) -> [(x: Double, y: Double)] { Self.points(s, parity: parity) }
            if byParity {
                series.append(.init(label: "\(label), even k", points: points(0), style: .markers))
                series.append(.init(label: "\(label), odd k", points: points(1), style: .markers))
            } else {
                series.append(.init(label: label, points: points(nil), style: .line))
            }
            if anchor == nil, let p = points(nil).first(where: { $0.x >= 2 }) { anchor = p }
            guard fits else { continue }
            for fit in [DecayFit(s, even: true), DecayFit(s, even: false)] {
                guard let p = fit.exponent, let w = fit.window else { continue }
                let k0 = Double(w.lowerBound)
                let k1 = Double(w.upperBound)
                let y0 = Swift.abs(s.mu[w.lowerBound])
                let line = [(x: k0 + 1, y: y0), (x: k1 + 1, y: y0 * pow((k1 + 1) / (k0 + 1), -p))]
                series.append(
                    .init(
                        label: "fit \(fit.even ? "even" : "odd"): k^-\(String(format: "%.2f", p))", points: line,
                        style: .dashed))
            }
        }
        if let a = anchor {
            for (label, p) in references {
                let x1 = a.x * 100
                series.append(.init(label: label, points: [(a.x, a.y), (x1, a.y * pow(100, -p))], style: .dashed))
            }
        }
        return SVGChart(title: title, xLabel: "k + 1", yLabel: "|mu_k|", series: series, xScale: .log, yScale: .log).svg
    }

    /// (k + 1, |mu_k|) for the resolved values above a tenth of the noise floor, of one parity
    /// (0 even, 1 odd) or all (nil).
    static func points(_ s: GegenbauerSpectrum, parity: Int?) -> [(x: Double, y: Double)] {
        (0...s.kmax).filter { k in
            (parity == nil || k % 2 == parity!) && s.resolved[k] && Swift.abs(s.mu[k]) > 0.1 * s.noiseFloor
        }.map { (Double($0 + 1), Swift.abs(s.mu[$0])) }
    }
}
