import Foundation

/// A continuous colour scale: red, green and blue interpolated linearly between stops
/// (value, colour), clamped outside the first and last stop. The same stops drive the cells
/// of a heat map and the gradient of its ``SVGColourBar``, so every cell colour lies on the bar.
public struct ColourScale: Sendable {
    public struct Stop: Sendable {
        public let value: Double
        /// Components in [0, 1].
        public let red: Double, green: Double, blue: Double
        public init(_ value: Double, red: Double, green: Double, blue: Double) {
            self.value = value
            self.red = red
            self.green = green
            self.blue = blue
        }
        public var hex: String { ColourScale.hex(red, green, blue) }
    }

    /// Ascending in value, at least two.
    public let stops: [Stop]

    public init(_ stops: [Stop]) {
        precondition(stops.count >= 2 && zip(stops, stops.dropFirst()).allSatisfy { $0.value < $1.value })
        self.stops = stops
    }

    public var domain: ClosedRange<Double> { stops[0].value...stops[stops.count - 1].value }

    /// The colour at v as #rrggbb (each component rounded to the nearest 1/255).
    public func hex(_ v: Double) -> String {
        precondition(!v.isNaN, "a NaN has no colour on a continuous scale")
        let x = min(domain.upperBound, max(domain.lowerBound, v))
        let i = stops.indices.dropLast().last { stops[$0].value <= x } ?? 0
        let a = stops[i]
        let b = stops[i + 1]
        let t = (x - a.value) / (b.value - a.value)
        return Self.hex(
            a.red + t * (b.red - a.red), a.green + t * (b.green - a.green), a.blue + t * (b.blue - a.blue))
    }

    static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        func byte(_ c: Double) -> Int { Int((min(1, max(0, c)) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", byte(r), byte(g), byte(b))
    }

    /// Blue at -1, white at 0, red at +1 (the maps of signed fields and correlations).
    public static func diverging(negative: (Double, Double, Double), positive: (Double, Double, Double))
        -> ColourScale
    {
        ColourScale([
            Stop(-1, red: negative.0, green: negative.1, blue: negative.2),
            Stop(0, red: 1, green: 1, blue: 1),
            Stop(1, red: positive.0, green: positive.1, blue: positive.2),
        ])
    }
}
