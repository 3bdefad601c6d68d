import Foundation

/// A small, seeded, reproducible source of standard normal numbers in pure Swift:
/// xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64, and the polar
/// Box-Muller transform. The same seed gives the same numbers on every platform.
public struct GaussianRandomSource: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spare: Double? = nil

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E3779B97F4A7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func nextBits() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on (0, 1).
    public mutating func uniform() -> Double {
        (Double(nextBits() >> 11) + 0.5) * 0x1p-53
    }

    /// Standard normal.
    public mutating func normal() -> Double {
        if let s = spare {
            spare = nil
            return s
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * log(s) / s).squareRoot()
                spare = v * f
                return u * f
            }
        }
    }
}
