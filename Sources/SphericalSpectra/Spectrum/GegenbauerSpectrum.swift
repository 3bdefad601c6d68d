import Foundation

/// Mercer eigenvalues mu_k, k = 0...kmax, of a dot-product kernel on S^{d-1}, each with an
/// error estimate and a resolved flag, plus multiplicities and the sum check.
///
/// Normalisation (design.md §2): kappa(t) = sum_k mu_k N(d, k) P_k(t), P_k(1) = 1.
///
/// Route (Proofs/spectral-quadrature.md):
/// 1. k <= min(kmax, quadratureLimit): Funk-Hecke quadrature in u (t = 1 - 2u^2, -1 + 2u^2)
///    at two rule sizes; error = |fine - coarse| + rounding bound. If the values are already
///    all unresolved (past the rounding floor) at k = 225...256, quadrature stops there.
/// 2. The large-k expansion in closed-form Gegenbauer coefficients of the singular terms
///    (``AsymptoticTail``), with coefficients fitted to the kernel next to t = +-1 for
///    half-integer leading exponents (``EndpointExpansion``, Proofs/endpoint-expansion.md) and
///    fitted on the accurate quadrature range; at each k the value with the smallest error
///    estimate is kept, a model replacing a quadrature value only where its estimate is 4x
///    smaller (past the rounding floor, and for k > quadratureLimit), so
///    kmax = 10^5 costs O(quadratureLimit^2 + kmax).
/// 3. Polynomial kernels of degree p: mu_k = 0 exactly for k > p.
///
/// A value is `resolved` when its error estimate is at most `resolvedTolerance` |mu_k|;
/// unresolved values keep their best estimate and error but must not be read as digits.
public struct GegenbauerSpectrum: Sendable {
    public enum Method: String, Sendable { case quadrature, asymptotic, exactZero, bound, maclaurinSeries }

    public struct Options: Sendable {
        /// Largest k computed by quadrature (the rest by the asymptotic expansion).
        public var quadratureLimit: Int = 3000
        /// Relative error at which a value counts as resolved.
        public var resolvedTolerance: Double = 1e-6
        public init(quadratureLimit: Int = 3000, resolvedTolerance: Double = 1e-6) {
            self.quadratureLimit = quadratureLimit; self.resolvedTolerance = resolvedTolerance
        }
    }

    public let kernelName: String
    public let dimension: Int
    public let mu: [Double]
    public let error: [Double]
    public let resolved: [Bool]
    public let method: [Method]
    public let multiplicity: [Double]
    public let predictedDecay: PredictedDecay
    /// The prediction for even and odd k separately.
    public let parityDecay: ParityDecay
    public let tail: AsymptoticTail?
    public let sumRule: SumRule
    /// Gauss-Legendre nodes per half in u of the finer rule, and the largest quadrature k.
    public let nodesPerHalf: Int
    public let quadratureDegree: Int
    /// The values and error estimates computed by quadrature, k = 0...quadratureDegree, before
    /// the asymptotic expansion took over anywhere: the measurement ``DecayFit`` uses, which
    /// no model has touched (zeros past a finite rank are set as in `mu`).
    public let measuredMu: [Double]
    public let measuredError: [Double]

    public var kmax: Int { mu.count - 1 }

    /// 1e-14 max |mu_k|: double precision's noise floor for these eigenvalues at d = 2.
    public let noiseFloor: Double

    /// log of 1e-14 max_j |mu_j| sqrt(N(d, j)) over the resolved j (see ``noiseFloor(at:)``).
    let logFloorScale: Double

    /// Double precision's noise floor for mu_k: 1e-14 max_j |mu_j| sqrt(N(d, j)) / sqrt(N(d, k)),
    /// max over resolved j. Rounding in the Funk-Hecke sum is eps sum |w kappa P_k|, and
    /// E|P_k| <= (E P_k^2)^{1/2} = N(d, k)^{-1/2}, so the floor falls with the multiplicity:
    /// at d = 2 it is ``noiseFloor`` (N = 2 for k >= 1), at d = 4096 it is 1e-21 at k = 4, where
    /// a single floor of 1e-14 mu_0 declared mu_4 = 1.6e-15 (resolved to 1e-5) "zero".
    public func noiseFloor(at k: Int) -> Double {
        exp(logFloorScale - 0.5 * GegenbauerSpectrum.logMultiplicity(multiplicity, dimension, k))
    }

    /// log N(d, k): from the stored N where it is finite, else ``Multiplicity/logValue(dimension:degree:)``.
    static func logMultiplicity(_ multiplicity: [Double], _ d: Int, _ k: Int) -> Double {
        multiplicity[k].isFinite ? log(multiplicity[k]) : Multiplicity.logValue(dimension: d, degree: k)
    }

    /// Whether mu_k is zero to within its error estimate and the noise floor (a value, not
    /// a verdict on structure: ``DecayFit`` tells an abrupt zero from a decay into the floor).
    public func isNegligible(_ k: Int) -> Bool {
        Swift.abs(mu[k]) <= 4 * error[k] + noiseFloor(at: k)
    }

    public init(kernel: some DotProductKernel, dimension d: Int, kmax: Int, options: Options = Options()) throws {
        guard d >= 2, d <= 4096 else {
            throw SpectralError.invalidParameter(name: "dimension d", value: "\(d)", allowed: "an integer 2...4096")
        }
        guard kmax >= 0, kmax <= 10_000_000 else {
            throw SpectralError.invalidParameter(name: "kmax", value: "\(kmax)", allowed: "an integer 0...10000000")
        }
        kernelName = kernel.name
        dimension = d
        predictedDecay = kernel.predictedDecay
        parityDecay = kernel.parityDecay
        var rank: Int? = nil
        if case .finiteRank(let p) = predictedDecay { rank = p }
        // Finite rank p: quadrature through p + 24 as well, so that the zeros past p are measured
        // (and checked by DecayFit), not only declared.
        let eps = Double.ulpOfOne, acc = kernel.valueAccuracy
        func quadrature(through kq: Int) throws -> (fine: FunkHeckeQuadrature, coarse: FunkHeckeQuadrature) {
            // The weight (1 - t^2)^{(d-3)/2} is a bump of width ~ d^{-1/2} at t = 0 (the end of each
            // half in u), which needs ~ 8 sqrt(d) nodes whatever kq is (at d = 4096 and kq = 30 the
            // old 48 + kq/8 margin left mu_0 off by 1e-8).
            let extra = max(48 + kq / 8, Int((8 * Double(d).squareRoot()).rounded(.up))) + min(rank ?? 0, 4096)
            return (try FunkHeckeQuadrature(kernel: kernel, dimension: d, kmax: kq, nodesPerHalf: kq + extra),
                    try FunkHeckeQuadrature(kernel: kernel, dimension: d, kmax: kq, nodesPerHalf: kq + extra / 2 + 8))
        }
        func unresolved(_ q: (fine: FunkHeckeQuadrature, coarse: FunkHeckeQuadrature), _ k: Int) -> Bool {
            let e = Swift.abs(q.fine.mu[k] - q.coarse.mu[k]) + (acc + (8 + Double(k).squareRoot()) * eps) * q.fine.magnitude[k] + q.fine.weightRounding[k]
            return e > options.resolvedTolerance * Swift.abs(q.fine.mu[k])
        }
        var kq = min(kmax, rank.map { $0 + 24 } ?? options.quadratureLimit)
        var q: (fine: FunkHeckeQuadrature, coarse: FunkHeckeQuadrature)
        // Quadrature cannot resolve values below its rounding floor, so when the eigenvalues
        // have already sunk into it by k = 256 (fast decays: deep ELU kernels, large d), the
        // rest is left to the asymptotic expansion instead of computing noise to k = 3000.
        let probe = 256
        if rank == nil && kq > 2 * probe {
            let first = try quadrature(through: probe)
            if ((probe - 31)...probe).allSatisfy({ unresolved(first, $0) }) {
                kq = probe; q = first
            } else {
                q = try quadrature(through: kq)
            }
        } else {
            q = try quadrature(through: kq)
        }
        let fine = q.fine, coarse = q.coarse
        nodesPerHalf = fine.nodesPerHalf
        quadratureDegree = kq
        var mu = [Double](repeating: 0, count: kmax + 1)
        var err = [Double](repeating: 0, count: kmax + 1)
        var method = [Method](repeating: .quadrature, count: kmax + 1)
        for k in 0...kq {
            mu[k] = fine.mu[k]
            err[k] = Swift.abs(fine.mu[k] - coarse.mu[k]) + (acc + (8 + Double(k).squareRoot()) * eps) * fine.magnitude[k] + fine.weightRounding[k]
        }
        var tail: AsymptoticTail? = nil
        let quadratureValues = Array(mu[0...kq]), quadratureErrors = Array(err[0...kq])
        if let p = rank {
            // Past p: zero by structure; where measured (k <= kq) the bound is what was measured.
            for k in (p + 1)..<(kmax + 1) where p < kmax && (k > kq || Swift.abs(mu[k]) <= err[k]) {
                err[k] = k > kq ? 0 : Swift.abs(mu[k]) + err[k]
                mu[k] = 0; method[k] = .exactZero
            }
        } else {
            // Two models of the tail, each with its own error estimate; at every k the value
            // with the smallest estimate (quadrature or either model) is kept.
            // (a) Half-integer leading exponent (activations non-smooth at 0, Laplace): the
            //     singular terms' coefficients from the kernel next to t = +-1 (``EndpointExpansion``).
            var models: [AsymptoticTail] = []
            //     Where the kernel continues to signed angles (arc-cosine and ELU-family networks)
            //     the coefficients at t = +1 are exact and several truncations compete, each with
            //     its validated remainder bound; otherwise they are fitted in t-space.
            if case .algebraic(let a) = predictedDecay, a > 0, (2 * a).rounded() == 2 * a, Int(2 * a) % 2 == 1 {
                let continued = ContinuedEndpointTail.truncations(kernel: kernel, exponent: a, dimension: d,
                                                                  mu: quadratureValues, error: quadratureErrors)
                if !continued.isEmpty {
                    models.append(contentsOf: continued)
                } else if let endpoint = EndpointTail(kernel: kernel, exponent: a, dimension: d,
                                                      mu: quadratureValues, error: quadratureErrors) {
                    models.append(endpoint)
                }
            }
            // (b) The expansion fitted to the eigenvalues: on data accurate to 1e-9; kernels
            //     whose eigenvalues reach the rounding floor early (deep ELU NTKs: k^-5 from
            //     mu_0 ~ 4) leave too short a window there, so fall back to 1e-7 ... 1e-3 (the fit
            //     weights each value by its error, and the model's error estimate carries the
            //     data's through the least-squares covariance).
            var fitted: FittedTail? = nil
            for accuracy in [1e-9, 1e-7, 1e-5, 1e-4, 1e-3] where fitted == nil {
                fitted = FittedTail(fitting: quadratureValues, error: quadratureErrors, dimension: d, accuracy: accuracy)
            }
            if let fitted { models.append(fitted) }
            tail = models.first
            if kq < kmax { for k in (kq + 1)...kmax { err[k] = .infinity } }
            // A model replaces a quadrature value only where its estimate is clearly (4x) smaller:
            // quadrature values are measurements, the models extrapolate under the assumption that
            // their remainder does not grow past the validation window, and where both estimates
            // are close the measurement is usually far better than its rounding bound (the
            // 3-layer ELU NNGP on S^9 at k = 17: quadrature 3.6e-8 actual / 3.3e-5 estimated, the
            // J = 3 truncation 7.1e-6 / 2.6e-5). Among models the smallest estimate wins.
            // Models that contradict each other cannot both be within their estimates: where
            // |m_A - m_B| > e_A + e_B, the true error of A is at most |m_A - m_B| + e_B if B's bound
            // holds, and the other way round. Each model's estimates are scaled up by the largest
            // such factor over the first 256 k they share, on its whole range, which keeps every
            // estimate a bound as long as one of the two was. (The 3-layer ELU NTK on the circle:
            // a model fitted on k <= 51 claimed 4.5e-15 at k = 52 and was 8.8e-15 off, 4.1x below
            // quadrature's estimate, which the 4x margin let through, issue 20; from k = 65 a
            // truncation accurate to 1e-21 contradicts it.) Only those first k are evaluated for the
            // check; each model's full range once, below, one model at a time (kmax may be 10^7).
            var factor = [Double](repeating: 1, count: models.count)
            if models.count > 1, let latest = models.map(\.window.lowerBound).max(), latest <= kmax {
                let through = min(kmax, latest + 255)
                let head = models.map { $0.values(from: $0.window.lowerBound, through: through) }
                for a in models.indices {
                    for b in models.indices where b != a {
                        let sa = models[a].window.lowerBound, sb = models[b].window.lowerBound
                        for k in max(sa, sb)...through where k - max(sa, sb) < 256 {
                            let ma = head[a].mu[k - sa], ea = head[a].error[k - sa]
                            let mb = head[b].mu[k - sb], eb = head[b].error[k - sb]
                            let gap = Swift.abs(ma - mb)
                            if gap.isFinite, ea > 0, gap > ea + eb { factor[a] = max(factor[a], (gap + eb) / ea) }
                        }
                    }
                }
            }
            for (model, scale) in zip(models, factor) {
                let start = model.window.lowerBound
                let (m, e) = model.values(from: start, through: kmax)
                for k in start...kmax {
                    let margin = method[k] == .quadrature && k <= kq ? 4.0 : 1.0
                    let estimate = scale * e[k - start]
                    if margin * estimate < err[k] {
                        mu[k] = m[k - start]; err[k] = estimate; method[k] = .asymptotic
                    }
                }
            }
            if kq < kmax {
                // No (finite) model: beyond the quadrature only a bound (assumes |mu_k| does not grow).
                let bound = (max(kq / 2, 0)...kq).map { Swift.abs(mu[$0]) + err[$0] }.max() ?? 0
                for k in (kq + 1)...kmax where !err[k].isFinite { mu[k] = 0; err[k] = bound; method[k] = .bound }
            }
        }
        if let series = kernel.maclaurinSeries {
            // Entire kernels: positive sums, accurate far below quadrature's floor.
            let (m, e) = series.eigenvalues(dimension: d, kmax: kmax)
            for k in 0...kmax where e[k] < err[k] && method[k] != .exactZero {
                mu[k] = m[k]; err[k] = e[k]; method[k] = .maclaurinSeries
            }
        }
        self.tail = tail
        var measuredMu = Array(mu[0...kq]), measuredError = Array(err[0...kq])
        for k in 0...kq where method[k] == .asymptotic || method[k] == .maclaurinSeries {
            measuredMu[k] = quadratureValues[k]; measuredError[k] = quadratureErrors[k]
        }
        self.measuredMu = measuredMu
        self.measuredError = measuredError
        self.mu = mu
        self.error = err
        noiseFloor = 1e-14 * (mu.map { Swift.abs($0) }.max() ?? 0)
        self.method = method
        let resolved = (0...kmax).map { method[$0] == .exactZero || err[$0] <= options.resolvedTolerance * Swift.abs(mu[$0]) }
        self.resolved = resolved
        let multiplicity = Multiplicity.values(dimension: d, upTo: kmax)
        self.multiplicity = multiplicity
        // One pass, no per-k arrays (kmax may be 10^7): the largest log |mu_k| + log N / 2 over
        // the resolved k, log N from N itself where it is finite.
        var scale = -Double.infinity, largest = 0.0
        for k in 0...kmax {
            largest = max(largest, Swift.abs(mu[k]))
            if resolved[k] && mu[k] != 0 {
                scale = max(scale, log(Swift.abs(mu[k])) + 0.5 * GegenbauerSpectrum.logMultiplicity(multiplicity, d, k))
            }
        }
        logFloorScale = log(1e-14) + (scale.isFinite ? scale : log(largest))
        // N(d, k) x (a value) through logarithms where N overflows (d = 4096, k >= 90): the
        // products are representable (or 0) even when N is not, and 0 x inf must not be NaN.
        func weighted(_ k: Int, _ x: Double) -> Double {
            if x == 0 { return 0 }
            if multiplicity[k].isFinite { return multiplicity[k] * x }
            return (x < 0 ? -1 : 1) * exp(Multiplicity.logValue(dimension: d, degree: k) + log(Swift.abs(x)))
        }
        var partial = 0.0, errorSum = 0.0
        for k in stride(from: kmax, through: 0, by: -1) {
            partial += weighted(k, mu[k])
            errorSum += weighted(k, err[k])
        }
        let kappa1 = kernel(1)
        let last = weighted(kmax, Swift.abs(mu[kmax]))
        let tailEstimate: Double
        if rank != nil {
            tailEstimate = 0
        } else if let tail, let a = tail.expansion.upper.first?.exponent ?? tail.expansion.lower.first?.exponent {
            tailEstimate = last * Double(kmax) / (2 * a)
        } else {
            tailEstimate = last + (method[kmax] == .bound ? .infinity : 0)
        }
        sumRule = SumRule(kernelAtOne: kappa1, partialSum: partial, tailEstimate: tailEstimate, errorSum: errorSum)
    }
}
