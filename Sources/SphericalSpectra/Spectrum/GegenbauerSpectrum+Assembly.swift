import Foundation

extension GegenbauerSpectrum {
    /// Step 4: resolved flags, multiplicities, the noise floors and the sum check of the
    /// selected values.
    struct Assembly {
        let resolved: [Bool]
        let multiplicity: [Double]
        let noiseFloor: Double
        let logFloorScale: Double
        private let estimates: [Estimate]
        private let method: [Method]
        private let dimension: Int

        init(estimates: [Estimate], method: [Method], dimension d: Int, tolerance: Double) {
            self.estimates = estimates
            self.method = method
            dimension = d
            let kmax = estimates.count - 1
            let resolved = (0...kmax).map {
                method[$0] == .exactZero || estimates[$0].error <= tolerance * Swift.abs(estimates[$0].value)
            }
            self.resolved = resolved
            let multiplicity = Multiplicity.values(dimension: d, upTo: kmax)
            self.multiplicity = multiplicity
            // One pass, no per-k arrays (kmax may be 10^7): the largest log |mu_k| + log N / 2 over
            // the resolved k, log N from N itself where it is finite.
            var scale = -Double.infinity
            var largest = 0.0
            for k in 0...kmax {
                let mu = estimates[k].value
                largest = max(largest, Swift.abs(mu))
                if resolved[k] && mu != 0 {
                    let logN = GegenbauerSpectrum.logMultiplicity(multiplicity, d, k)
                    scale = max(scale, log(Swift.abs(mu)) + 0.5 * logN)
                }
            }
            noiseFloor = GegenbauerSpectrum.relativeNoiseFloor * (estimates.map { Swift.abs($0.value) }.max() ?? 0)
            logFloorScale = log(GegenbauerSpectrum.relativeNoiseFloor) + (scale.isFinite ? scale : log(largest))
        }

        /// N(d, k) x (a value) through logarithms where N overflows (d = 4096, k >= 90): the
        /// products are representable (or 0) even when N is not, and 0 x inf must not be NaN.
        private func weighted(_ k: Int, _ x: Double) -> Double {
            if x == 0 { return 0 }
            if multiplicity[k].isFinite { return multiplicity[k] * x }
            return (x < 0 ? -1 : 1) * exp(Multiplicity.logValue(dimension: dimension, degree: k) + log(Swift.abs(x)))
        }

        /// kappa(1) = sum_k N(d, k) mu_k, with the tail past kmax estimated from the leading
        /// exponent of `tail` (N mu_k ~ k^{-1-2a} sums to about kmax N mu_kmax / (2a)), zero for
        /// a finite rank, and unbounded when the last value is only a bound.
        func sumRule(kernelAtOne kappa1: Double, rank: Int?, tail: AsymptoticTail?) -> SumRule {
            let kmax = estimates.count - 1
            var partial = 0.0
            var errorSum = 0.0
            for k in stride(from: kmax, through: 0, by: -1) {
                partial += weighted(k, estimates[k].value)
                errorSum += weighted(k, estimates[k].error)
            }
            let last = weighted(kmax, Swift.abs(estimates[kmax].value))
            let tailEstimate: Double
            if rank != nil {
                tailEstimate = 0
            } else if let tail, let a = tail.expansion.upper.first?.exponent ?? tail.expansion.lower.first?.exponent {
                tailEstimate = last * Double(kmax) / (2 * a)
            } else {
                tailEstimate = last + (method[kmax] == .bound ? .infinity : 0)
            }
            return SumRule(kernelAtOne: kappa1, partialSum: partial, tailEstimate: tailEstimate, errorSum: errorSum)
        }
    }
}
