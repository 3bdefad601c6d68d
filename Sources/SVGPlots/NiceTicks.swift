import Foundation

/// Axis ticks at round values ("nice numbers", Heckbert, Graphics Gems 1990): every multiple of
/// a step 1, 2 or 5 x 10^e inside a data range, never the data's own extremes.
///
/// ```
/// raw  = (hi - lo) / (count - 1),   raw = f 10^e with 1 <= f < 10
/// step = {1 if f < 1.5; 2 if f < 3; 5 if f < 7; 10 otherwise} x 10^e
/// ticks = { k step : k integer, lo <= k step <= hi }
/// ```
///
/// An end of the range is moved out to the next multiple of the step when that lies within
/// `snap` (default 5%) of the span beyond it, so [0.013, 0.87] gets the ticks 0, 0.2, ..., 0.8
/// on the axis [0, 0.87]. Tick values are computed as the integer k m divided or multiplied by
/// an exact power of ten, so they are the doubles nearest to the printed labels.
public struct NiceTicks: Sendable, Equatable {
    /// The tick spacing, 1, 2 or 5 x 10^exponent (one step further down the sequence when the
    /// rounded step would leave fewer than 3 ticks inside the range).
    public let step: Double
    public let exponent: Int
    /// Ascending tick values inside `range`.
    public let values: [Double]
    /// The axis: the data range, an end snapped out to a tick when that is close.
    public let range: ClosedRange<Double>

    /// Ticks for `range` (finite, non-empty), about `count` of them (at least 2).
    public init(_ range: ClosedRange<Double>, count: Int = 5, snap: Double = 0.05) {
        var lo = range.lowerBound
        var hi = range.upperBound
        precondition(lo.isFinite && hi.isFinite, "NiceTicks needs a finite range")
        let magnitude = max(Swift.abs(lo), Swift.abs(hi))
        if hi - lo <= 1e-12 * magnitude || hi - lo < 1e-290 {
            // A single value (to 12 digits, or below the smallest span the powers of ten below
            // reach): a window of its own size around it, or [-0.5, 0.5] around 0.
            let half = magnitude > 1e-290 ? 0.5 * magnitude : 0.5
            lo -= half
            hi += half
        }
        // A span beyond the largest double (-1e308...1e308) is measured in halves and not snapped.
        let span = hi - lo
        let raw = span.isFinite ? span / Double(max(1, count - 1)) : (hi / 2 - lo / 2) / Double(max(1, count - 1)) * 2
        var e = Int(floor(log10(raw)))
        let f = raw / pow(10, Double(e))
        // The 1-2-5 sequence as (mantissa, exponent); a step leaving fewer than 3 ticks inside
        // the range (possible when raw rounds up) steps down the sequence.
        var mantissa: Int
        if f < 1.5 {
            mantissa = 1
        } else if f < 3 {
            mantissa = 2
        } else if f < 7 {
            mantissa = 5
        } else {
            mantissa = 1
            e += 1
        }
        func value(_ k: Int, _ m: Int, _ e: Int) -> Double {
            e >= 0 ? Double(k * m) * pow(10, Double(e)) : Double(k * m) / pow(10, Double(-e))
        }
        func inside(_ m: Int, _ e: Int) -> (Int, Int) {
            // Multiples within a billionth of a step of an end count as inside.
            let step = value(1, m, e)
            let tiny = 1e-9 * step
            return (Int(((lo - tiny) / step).rounded(.up)), Int(((hi + tiny) / step).rounded(.down)))
        }
        var (kLo, kHi) = inside(mantissa, e)
        while kHi - kLo < 2 {
            switch mantissa {
            case 5: mantissa = 2
            case 2: mantissa = 1
            default:
                mantissa = 5
                e -= 1
            }
            (kLo, kHi) = inside(mantissa, e)
        }
        exponent = e
        let m = mantissa
        step = value(1, m, e)
        lo = min(lo, value(kLo, m, e))
        hi = max(hi, value(kHi, m, e))
        if span.isFinite && lo - value(kLo - 1, m, e) <= snap * span {
            kLo -= 1
            lo = value(kLo, m, e)
        }
        if span.isFinite && value(kHi + 1, m, e) - hi <= snap * span {
            kHi += 1
            hi = value(kHi, m, e)
        }
        values = (kLo...kHi).map { value($0, m, e) }
        self.range = lo...hi
    }

    /// The label of a tick value: fixed decimals matching the step (0.2 -> "0.2", 20 -> "20"),
    /// scientific notation for steps below 1e-4 or values from 1e6 on.
    public func label(_ v: Double) -> String {
        let largest = values.map { Swift.abs($0) }.max() ?? Swift.abs(v)
        if exponent >= -4 && largest < 1e6 {
            return String(format: "%.\(max(0, -exponent))f", v == 0 ? 0 : v)
        }
        let digits = max(1, min(17, Int(floor(log10(max(largest, step)))) - exponent + 1))
        return String(format: "%.\(digits)g", v == 0 ? 0 : v)
    }

    /// The labels of `values`.
    public var labels: [String] { values.map(label) }
}
