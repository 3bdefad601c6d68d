import Foundation

extension SampledPaths {
    /// The dyadic scales j of `analysis` that the data do not resolve: those the sampler's
    /// round-off floor swamps (``ScaleSelection``: the exact and the sampled variogram differ by
    /// more than 1%, Gaussian-process paths drawn here) and those within 100x of the noise floor
    /// read from the paths themselves (``NoiseFloor``), ascending. A fit there reports the floor.
    public func unresolvedScales(_ analysis: RegularityAnalysis) -> [Int] {
        analysis.scales.filter { s in
            let bySampler = s.resolved == false
            let byFloor =
                floor.flatMap { f in
                    f.scales.first { $0.j == s.j }.map {
                        !$0.resolvedIgnoringLowest(level: f.level, roundOff: f.roundOffLevel)
                    }
                } ?? false
            return bySampler || byFloor
        }.map(\.j)
    }
}
