import Foundation

extension GegenbauerSpectrum {
    /// Step 1 of the route: the finite rank, the quadrature range and the rule sizes.
    struct Plan {
        let dimension: Int
        let kmax: Int
        /// The degree p of a polynomial kernel (mu_k = 0 for k > p), else nil.
        let rank: Int?
        /// Quadrature through this k, unless the probe stops it at ``probeDegree``.
        let quadratureLimit: Int
        let resolvedTolerance: Double
        let valueAccuracy: Double

        /// Finite rank p: quadrature through p + 24 as well, so that the zeros past p are
        /// measured (and checked by DecayFit), not only declared.
        static let measuredZeros = 24
        /// Quadrature cannot resolve values below its rounding floor, so when the eigenvalues
        /// have already sunk into it at the last `probeWidth` k through k = 256 (fast decays: deep
        /// ELU kernels, large d), the rest is left to the asymptotic expansion instead of
        /// computing noise to k = 3000. Probed only when the range is over twice as long.
        static let probeDegree = 256
        static let probeWidth = 32
        /// Nodes per half beyond kq of the finer rule: 48 + kq/8 ...
        static let baseMargin = 48
        static let degreesPerMarginNode = 8
        /// ... but at least 8 sqrt(d): the weight (1 - t^2)^{(d-3)/2} is a bump of width ~ d^{-1/2}
        /// at t = 0 (the end of each half in u), which needs ~ 8 sqrt(d) nodes whatever kq is (at
        /// d = 4096 and kq = 30 the old 48 + kq/8 margin left mu_0 off by 1e-8) ...
        static let bumpNodesPerSqrtDimension = 8.0
        /// ... plus the rank p of a polynomial kernel (its kappa has degree p in t), at most 4096.
        static let largestRankMargin = 4096
        /// The coarser rule has half the finer rule's margin plus 8 nodes.
        static let coarseMarginOffset = 8

        init(kernel: some DotProductKernel, dimension d: Int, kmax: Int, options: Options) {
            dimension = d
            self.kmax = kmax
            var rank: Int? = nil
            if case .finiteRank(let p) = kernel.predictedDecay { rank = p }
            self.rank = rank
            quadratureLimit = min(kmax, rank.map { $0 + Self.measuredZeros } ?? options.quadratureLimit)
            resolvedTolerance = options.resolvedTolerance
            valueAccuracy = kernel.valueAccuracy
        }

        /// Whether to probe at ``probeDegree`` first.
        var probes: Bool { rank == nil && quadratureLimit > 2 * Self.probeDegree }

        /// Nodes per half in u of the finer and the coarser rule for quadrature through kq.
        func nodesPerHalf(through kq: Int) -> (fine: Int, coarse: Int) {
            let bump = Int((Self.bumpNodesPerSqrtDimension * Double(dimension).squareRoot()).rounded(.up))
            let extra =
                max(Self.baseMargin + kq / Self.degreesPerMarginNode, bump)
                + min(rank ?? 0, Self.largestRankMargin)
            return (kq + extra, kq + extra / 2 + Self.coarseMarginOffset)
        }
    }

    /// Step 2: Funk-Hecke quadrature at two rule sizes, each value with the estimate
    /// |fine - coarse| + (valueAccuracy + (8 + sqrt(k)) eps) magnitude_k + weightRounding_k
    /// (the rounding bound of ``FunkHeckeQuadrature``).
    struct Measurement {
        /// The largest k computed.
        let degree: Int
        /// Nodes per half of the finer rule.
        let nodesPerHalf: Int
        /// mu_k and its estimate, k = 0...degree.
        let values: [Estimate]

        /// The base of FunkHeckeQuadrature's rounding bound, (8 + sqrt(k)) eps.
        static let roundingUlps = 8.0

        init(kernel: some DotProductKernel, plan: Plan) throws {
            typealias Rules = (fine: FunkHeckeQuadrature, coarse: FunkHeckeQuadrature)
            let d = plan.dimension
            func quadrature(through kq: Int) throws -> Rules {
                let n = plan.nodesPerHalf(through: kq)
                return (
                    try FunkHeckeQuadrature(kernel: kernel, dimension: d, kmax: kq, nodesPerHalf: n.fine),
                    try FunkHeckeQuadrature(kernel: kernel, dimension: d, kmax: kq, nodesPerHalf: n.coarse)
                )
            }
            let eps = Double.ulpOfOne
            func estimate(_ q: Rules, _ k: Int) -> Estimate {
                let rounding =
                    (plan.valueAccuracy + (Self.roundingUlps + Double(k).squareRoot()) * eps)
                    * q.fine.magnitude[k]
                return Estimate(
                    value: q.fine.mu[k],
                    error: Swift.abs(q.fine.mu[k] - q.coarse.mu[k]) + rounding + q.fine.weightRounding[k])
            }
            func unresolved(_ q: Rules, _ k: Int) -> Bool {
                let e = estimate(q, k)
                return e.error > plan.resolvedTolerance * Swift.abs(e.value)
            }
            var kq = plan.quadratureLimit
            var q: Rules
            let probe = Plan.probeDegree
            if plan.probes {
                let first = try quadrature(through: probe)
                if ((probe - Plan.probeWidth + 1)...probe).allSatisfy({ unresolved(first, $0) }) {
                    kq = probe
                    q = first
                } else {
                    q = try quadrature(through: kq)
                }
            } else {
                q = try quadrature(through: kq)
            }
            degree = kq
            nodesPerHalf = q.fine.nodesPerHalf
            values = (0...kq).map { estimate(q, $0) }
        }
    }
}
