import Foundation
import SVGPlots
import Testing
import _TestSupport

@Suite struct NiceTicksTests {
    /// Hand-computed cases of the 1-2-5 rule (raw step = span / 4, then rounded; an end within
    /// 5% of the span of the next tick is moved out to it).
    @Test(
        arguments: [
            // span 0.857: raw 0.214 -> 0.2; 0 is 0.013 below the data (< 0.043): the axis starts at 0.
            (0.013...0.87, 0.2, [0, 0.2, 0.4, 0.6, 0.8], 0.0...0.87, ["0.0", "0.2", "0.4", "0.6", "0.8"]),
            // span 5.18: raw 1.295 -> 1; 3 is 0.19 above (< 0.259): snapped; -3 is 0.63 below: not.
            (-2.37...2.81, 1, [-2, -1, 0, 1, 2, 3], -2.37...3.0, ["-2", "-1", "0", "1", "2", "3"]),
            // A circle of 256 points: span 6.2586, raw 1.56 -> 2.
            (0...(2 * Double.pi * 255 / 256), 2, [0, 2, 4, 6], 0...(2 * Double.pi * 255 / 256), ["0", "2", "4", "6"]),
            // raw 250 -> 200 (2.5 rounds to 2).
            (0...1000, 200, [0, 200, 400, 600, 800, 1000], 0...1000, ["0", "200", "400", "600", "800", "1000"]),
            // raw 2.075e-7 -> 2e-7, scientific labels.
            (1e-7...9.3e-7, 2e-7, [2e-7, 4e-7, 6e-7, 8e-7], 1e-7...9.3e-7, ["2e-07", "4e-07", "6e-07", "8e-07"]),
            // A single value 3: the window [1.5, 4.5], raw 0.75 -> 1.
            (3...3, 1, [2, 3, 4], 1.5...4.5, ["2", "3", "4"]),
            // A small span far below 1 is not taken for a single value: raw 5e-16.
            (
                1e-15...3e-15, 5e-16, [1e-15, 1.5e-15, 2e-15, 2.5e-15, 3e-15], 1e-15...3e-15,
                ["1e-15", "1.5e-15", "2e-15", "2.5e-15", "3e-15"]
            ),
            // A span that overflows a double (2e308): raw 5e307, no snapping.
            (
                -1e308...1e308, 5e307, [-1e308, -5e307, 0, 5e307, 1e308], -1e308...1e308,
                ["-1e+308", "-5e+307", "0", "5e+307", "1e+308"]
            ),
        ] as [(ClosedRange<Double>, Double, [Double], ClosedRange<Double>, [String])])
    func handComputedCases(
        range: ClosedRange<Double>, step: Double, values: [Double], axis: ClosedRange<Double>, labels: [String]
    ) {
        let t = NiceTicks(range)
        #expect(t.step == step)
        #expect(t.values == values)
        #expect(t.range == axis)
        #expect(t.labels == labels)
        // Each value is the double nearest its printed label.
        for (v, label) in zip(t.values, t.labels) { #expect(Double(label) == v, "\(label)") }
    }

    /// Over many random ranges: the step is 1, 2 or 5 x 10^e, every tick a multiple of it inside
    /// the axis, 3 to 11 ticks (count 5), and the axis contains the data.
    @Test func randomRangesGiveNiceTicksInside() {
        var g = SplitMix64(seed: 20)
        for _ in 0..<2000 {
            let a = Double.random(in: -1000...1000, using: &g) * pow(10, Double(Int.random(in: -8...3, using: &g)))
            let b = a + Double.random(in: 1e-3...10, using: &g) * pow(10, Double(Int.random(in: -8...4, using: &g)))
            let t = NiceTicks(a...b)
            #expect(t.range.lowerBound <= a && t.range.upperBound >= b)
            #expect((3...11).contains(t.values.count), "\(a)...\(b): \(t.values)")
            for (v, label) in zip(t.values, t.labels) {
                #expect(t.range.contains(v))
                #expect(isNiceMultiple(label, step: t.step) || Swift.abs(v) < 1e-300, "\(label) step \(t.step)")
            }
        }
    }
}

/// A seeded generator (SplitMix64), so a failing range can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
