/// The regions of the paper's plane (q_sigma, q~) within a rectangular window, as the phase
/// diagram draws them: the stable band -1/2 <= q~ + q_sigma <= 0 between the unstable
/// half-planes, cut by the lines q_sigma = -1/2 (logits of order one at init) and
/// q~ + 2 q_sigma + 1 = 0 (kernels of order one at init) into three open regions, seven
/// segments or rays and three points (``LimitModel``). Each region is the intersection of
/// half-planes, so a convex polygon once clipped to the window.
public struct ScalingPlane: Sendable {
    public let qSigma: ClosedRange<Double>
    public let qTilde: ClosedRange<Double>

    public init(qSigma: ClosedRange<Double>, qTilde: ClosedRange<Double>) {
        self.qSigma = qSigma
        self.qTilde = qTilde
    }

    public typealias Point = (qSigma: Double, qTilde: Double)

    /// a qs + b qt + c >= 0.
    struct HalfPlane { let a: Double, b: Double, c: Double }

    /// An open region (a stable limit model or an instability) as a clipped polygon.
    public struct Region: Sendable {
        public let label: String
        public let polygon: [Point]
    }

    /// A one-dimensional region as a clipped segment.
    public struct Segment: Sendable {
        public let label: String
        public let from: Point
        public let to: Point
    }

    static let band = [HalfPlane(a: -1, b: -1, c: 0), HalfPlane(a: 1, b: 1, c: 0.5)]  // s <= 0, s >= -1/2
    static let logitsBelow = HalfPlane(a: -1, b: 0, c: -0.5)  // q_sigma <= -1/2
    static let logitsAbove = HalfPlane(a: 1, b: 0, c: 0.5)
    static let kernelsBelow = HalfPlane(a: -2, b: -1, c: -1)  // q~ + 2 q_sigma + 1 <= 0
    static let kernelsAbove = HalfPlane(a: 2, b: 1, c: 1)

    /// The three open stable regions and the two unstable ones.
    public var regions: [Region] {
        let parts: [(String, [HalfPlane])] = [
            (LimitModel.preNTKSymDefault.rawValue, Self.band + [Self.logitsAbove]),
            (LimitModel.barycentre.rawValue, Self.band + [Self.logitsBelow, Self.kernelsAbove]),
            (LimitModel.postMeanFieldNTK.rawValue, Self.band + [Self.kernelsBelow]),
            (ScalingClassification.Instability.diverging.rawValue, [HalfPlane(a: 1, b: 1, c: 0)]),
            (ScalingClassification.Instability.stagnating.rawValue, [HalfPlane(a: -1, b: -1, c: -0.5)]),
        ]
        return parts.compactMap { label, planes in
            let p = clip(planes)
            return p.count >= 3 ? Region(label: label, polygon: p) : nil
        }
    }

    /// The seven one-dimensional regions, clipped to the window.
    public var segments: [Segment] {
        // Lines as a point and a direction; each piece is the line cut by half-planes.
        let upper: (Point, Point) = ((0, 0), (-1, 1))
        let lower: (Point, Point) = ((-0.5, 0), (-1, 1))
        let logits: (Point, Point) = ((-0.5, 0), (0, 1))
        let kernels: (Point, Point) = ((-0.5, 0), (-1, 2))
        let pieces: [(LimitModel, (Point, Point), [HalfPlane])] = [
            (.preSymDefault, upper, [Self.logitsAbove]),
            (.symDefaultToMeanField, upper, [Self.logitsBelow, Self.kernelsAbove]),
            (.postMeanField, upper, [Self.kernelsBelow]),
            (.preNTK, lower, [Self.logitsAbove]),
            (.postNTK, lower, [Self.logitsBelow]),
            (.ntkToSymDefault, logits, Self.band),
            (.meanFieldToNTK, kernels, Self.band),
        ]
        return pieces.compactMap { model, line, planes in
            guard let (a, b) = cut(line, planes + windowPlanes) else { return nil }
            return Segment(label: model.rawValue, from: a, to: b)
        }
    }

    /// The three points MF, NTK and sym-default.
    public static let points: [(label: String, point: Point)] = [
        (LimitModel.meanField.rawValue, (-1, 1)), (LimitModel.ntk.rawValue, (-0.5, 0)),
        (LimitModel.symDefault.rawValue, (-0.5, 0.5)),
    ]

    var windowPlanes: [HalfPlane] {
        [
            HalfPlane(a: 1, b: 0, c: -qSigma.lowerBound), HalfPlane(a: -1, b: 0, c: qSigma.upperBound),
            HalfPlane(a: 0, b: 1, c: -qTilde.lowerBound), HalfPlane(a: 0, b: -1, c: qTilde.upperBound),
        ]
    }

    /// The window clipped by half-planes (Sutherland-Hodgman, one plane at a time).
    func clip(_ planes: [HalfPlane]) -> [Point] {
        var polygon: [Point] = [
            (qSigma.lowerBound, qTilde.lowerBound), (qSigma.upperBound, qTilde.lowerBound),
            (qSigma.upperBound, qTilde.upperBound), (qSigma.lowerBound, qTilde.upperBound),
        ]
        for h in planes {
            guard !polygon.isEmpty else { break }
            func value(_ p: Point) -> Double { h.a * p.qSigma + h.b * p.qTilde + h.c }
            var out: [Point] = []
            for k in 0..<polygon.count {
                let p = polygon[k]
                let q = polygon[(k + 1) % polygon.count]
                let vp = value(p)
                let vq = value(q)
                if vp >= 0 { out.append(p) }
                if (vp >= 0) != (vq >= 0) {
                    let t = vp / (vp - vq)
                    out.append((p.qSigma + t * (q.qSigma - p.qSigma), p.qTilde + t * (q.qTilde - p.qTilde)))
                }
            }
            polygon = out
        }
        return polygon
    }

    /// The part of the line p + t d with every half-plane >= 0, or nil if it is empty or a point.
    func cut(_ line: (Point, Point), _ planes: [HalfPlane]) -> (Point, Point)? {
        let (p, d) = line
        var low = -Double.infinity
        var high = Double.infinity
        for h in planes {
            let slope = h.a * d.qSigma + h.b * d.qTilde
            let offset = h.a * p.qSigma + h.b * p.qTilde + h.c
            if slope == 0 {
                if offset < 0 { return nil }
            } else if slope > 0 {
                low = max(low, -offset / slope)
            } else {
                high = min(high, -offset / slope)
            }
        }
        guard low.isFinite, high.isFinite, high > low + 1e-12 else { return nil }
        return (
            (p.qSigma + low * d.qSigma, p.qTilde + low * d.qTilde),
            (p.qSigma + high * d.qSigma, p.qTilde + high * d.qTilde)
        )
    }
}
