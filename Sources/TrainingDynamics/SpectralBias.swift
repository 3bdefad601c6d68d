import _ParallelFill
import Foundation
import NeuralKernels
import SphericalSpectra
import _NumericalBackends

/// Spectral bias of kernel gradient descent on the sphere: with n points uniform on S^{d-1}
/// and a target made of zonal spherical harmonics P_k(<x, e_k>) of several degrees k, the part
/// of the residual along degree k decays by the factor (1 - eta mu_k) per step of gradient
/// descent (exp(-eta mu_k t) for the flow), mu_k the Mercer eigenvalue of the NTK on S^{d-1}
/// (``GegenbauerSpectrum``), because the Gram matrix Theta(X, X) acts on degree-k harmonics
/// as about n mu_k (Proofs/spectral-bias-on-the-sphere.md).
///
/// The points lie on the sphere of radius sqrt(d), so that Neural Tangents' input kernel
/// <x, x'>/d is the sphere's t = <x/|x|, x'/|x'|> and the spectral module's mu_k apply as they
/// are. The networks are centred (trained on y + f_0(X), so f - f_0 starts at 0): the residual
/// starts at -y for every seed, and its decay is measured without the initial function's noise.
public struct SpectralBias: Sendable {
    public struct Configuration: Sendable {
        public var network: NetworkKernel
        public var dimension: Int
        public var points: Int
        public var degrees: [Int]
        /// The learning rate as a fraction of the stability limit 2n / lambda_max.
        public var stepFraction: Double
        public var widths: [Int]
        public var seeds: Int
        public var seed: UInt64
        public init(
            network: NetworkKernel, dimension: Int, points: Int, degrees: [Int], stepFraction: Double = 0.5,
            widths: [Int] = [], seeds: Int = 4, seed: UInt64 = 1
        ) {
            self.network = network
            self.dimension = dimension
            self.points = points
            self.degrees = degrees
            self.stepFraction = stepFraction
            self.widths = widths
            self.seeds = seeds
            self.seed = seed
        }
    }

    /// One degree's predicted and measured decay rates per step.
    public struct Degree: Sendable, Codable {
        public var k: Int
        /// Mercer eigenvalue of the NTK on S^{d-1} (uniform probability measure) and multiplicity N(d, k).
        public var mu: Double
        public var multiplicity: Double
        /// -log(1 - eta mu_k): the predicted decay rate of the degree-k residual per step.
        public var predictedRate: Double
        /// The rate measured on the infinitely wide network (the exact Gram matrix of the n points).
        public var infiniteRate: Double?
        /// Per width, the rate measured on finite networks: mean and standard error over seeds.
        public var finiteRates: [FiniteRate]
        /// The steps over which the rates were fitted (the residual decays to about e^-1.5).
        public var fittedSteps: Int
    }

    public struct FiniteRate: Sendable, Codable {
        public var width: Int
        public var mean: Double?
        public var standardError: Double?
        /// The same networks linearised at initialisation (kernel gradient descent with their
        /// empirical NTK at init): separates the kernel's randomness at init from its change
        /// during training.
        public var linearisedMean: Double?
        public var linearisedStandardError: Double?
    }

    public struct Report: Sendable, Codable {
        public var activation: String
        public var depth: Int
        public var dimension: Int
        public var points: Int
        public var learningRate: Double
        public var degrees: [Degree]
    }

    /// n points uniform on the sphere of radius sqrt(d), seeded.
    static func spherePoints(_ n: Int, dimension d: Int, random: inout GaussianRandomSource) -> [[Double]] {
        UniformSpherePoints.draw(count: n, dimension: d, random: &random).map { $0.map { $0 * Double(d).squareRoot() } }
    }

    /// Least-squares coefficients of r on the columns of basis (n x K, row-major), by the
    /// normal equations (K is a handful of near-orthogonal harmonics).
    static func coefficients(_ r: [Double], basis: [Double], columns kCount: Int) throws -> [Double] {
        let n = r.count
        var gram = [Double](repeating: 0, count: kCount * kCount)
        var rhs = [Double](repeating: 0, count: kCount)
        BLAS.gemm(.transpose, .none, m: kCount, n: kCount, k: n, basis, basis, &gram)
        BLAS.gemm(.transpose, .none, m: kCount, n: 1, k: n, basis, r, &rhs)
        try LAPACK.cholesky(&gram, n: kCount)
        try LAPACK.choleskySolve(factor: gram, n: kCount, &rhs, nrhs: 1)
        return rhs
    }

    /// The decay rate per step of |c(s)| from a least-squares line through log|c| over the
    /// recorded steps (the intercept is free, so a leak of other degrees into c(0) does not bias it).
    static func rate(_ c: [Double], steps: [Int]) -> Double? {
        let points = zip(steps, c).compactMap { s, v -> (Double, Double)? in
            Swift.abs(v) > 0 ? (Double(s), log(Swift.abs(v))) : nil
        }
        guard points.count >= 3 else { return nil }
        let m = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.0 } / m
        let my = points.reduce(0) { $0 + $1.1 } / m
        var sxy = 0.0
        var sxx = 0.0
        for p in points {
            sxy += (p.0 - mx) * (p.1 - my)
            sxx += (p.0 - mx) * (p.0 - mx)
        }
        return sxx > 0 ? -sxy / sxx : nil
    }

    public static func run(_ config: Configuration, progress: (@Sendable (String) -> Void)? = nil) throws -> Report {
        let d = config.dimension
        let n = config.points
        guard d >= 2, n >= 2, !config.degrees.isEmpty, config.degrees.allSatisfy({ $0 >= 1 }) else {
            throw TrainingError.invalidParameter(
                name: "spectral bias set-up", value: "d = \(d), n = \(n), degrees \(config.degrees)",
                allowed: "d >= 2, n >= 2, degrees >= 1")
        }
        var random = GaussianRandomSource(seed: config.seed)
        let x = spherePoints(n, dimension: d, random: &random)
        // One random direction per degree; the target is the sum of the harmonics.
        let directions = config.degrees.map { _ in
            spherePoints(1, dimension: d, random: &random)[0].map { $0 / Double(d).squareRoot() }
        }
        let kCount = config.degrees.count
        var basis = [Double](repeating: 0, count: n * kCount)
        for i in 0..<n {
            for (j, k) in config.degrees.enumerated() {
                let t = zip(x[i], directions[j]).reduce(0) { $0 + $1.0 * $1.1 } / Double(d).squareRoot()
                basis[i * kCount + j] = NormalisedGegenbauer.value(k, dimension: d, at: min(1, max(-1, t)))
            }
        }
        let y = (0..<n).map { i in (0..<kCount).reduce(0) { $0 + basis[i * kCount + $1] } }

        progress?("spectrum of the NTK on S^\(d - 1)")
        var adjusted = config.network
        adjusted.inputDimension = d
        let sphereNetwork = adjusted
        let spectrum = try GegenbauerSpectrum(
            kernel: NetworkSphereKernel(sphereNetwork, kind: .ntk), dimension: d,
            kmax: config.degrees.max()!)
        progress?("Gram matrix of the NTK on \(n) points")
        let gram = try GramMatrix(points: x, network: sphereNetwork, kind: .ntk).values
        let basisOfGram = try KernelEigenbasis(kernel: gram, count: n)
        let limit = TrainingSchedule.stabilityLimit(largestEigenvalue: basisOfGram.largest, trainingPoints: n)
        let eta = config.stepFraction * limit
        let schedule = try TrainingSchedule(kind: .steps, learningRate: eta, trainingPoints: n)
        // Steps to fit per degree: until the predicted residual is e^-1.5, 12 points.
        let predicted = config.degrees.map { -log1p(-eta * spectrum.mu[$0]) }
        let horizons = predicted.map { max(4, Int((1.5 / $0).rounded(.up))) }
        let grids = horizons.map { h in
            Array(Set((0...11).map { Int((Double($0) * Double(h) / 11).rounded()) })).sorted()
        }
        let allSteps = Array(Set(grids.flatMap { $0 })).sorted()
        let fixedBasis = basis

        // The infinite network: r_s = -V D_s V^T y from the exact Gram matrix.
        let dynamics = try FunctionSpaceDynamics(kernel: gram, targets: y, schedule: schedule)
        let path = try dynamics.trajectory(
            times: allSteps.map(Double.init), trainInitial: [Double](repeating: 0, count: n))
        @Sendable func rates(_ residuals: [[Double]]) throws -> [Double?] {
            let c = try residuals.map { try coefficients($0, basis: fixedBasis, columns: kCount) }
            return (0..<kCount).map { j in
                let indices = grids[j].map { allSteps.firstIndex(of: $0)! }
                return rate(indices.map { c[$0][j] }, steps: grids[j])
            }
        }
        let infinite = try rates(path.train.map { zip($0, y).map { $0 - $1 } })

        var finiteRates: [[FiniteRate]] = Array(repeating: [], count: kCount)
        for width in config.widths {
            progress?("training \(config.seeds) centred networks of width \(width) for \(allSteps.last!) steps")
            let seeds = (0..<UInt64(config.seeds)).map { config.seed &+ 1000 &+ $0 }
            let perSeed: [(trained: [Double?], linearised: [Double?])] = try BLAS.singleThreaded {
                try SlotArray<(trained: [Double?], linearised: [Double?])>.map(seeds.count) { s in
                    var net = TrainableNetwork(sphereNetwork, inputDimension: d, width: width, seed: seeds[s])
                    let flat = x.flatMap { $0 }
                    let f0 = net.outputs(flat, count: n)
                    let centred = zip(y, f0).map { $0 + $1 }
                    let linear = try FunctionSpaceDynamics(
                        kernel: net.empiricalNTK(flat, count: n), targets: centred, schedule: schedule
                    )
                    .trajectory(times: allSteps.map(Double.init), trainInitial: f0)
                    let record = try GradientDescentTrainer(learningRate: eta)
                        .train(&net, x: flat, y: centred, test: [], testCount: 0, recordAt: allSteps)
                    return (
                        try rates(record.train.map { zip($0, centred).map { $0 - $1 } }),
                        try rates(linear.train.map { zip($0, centred).map { $0 - $1 } })
                    )
                }
            }
            func summary(_ values: [Double]) -> (mean: Double?, standardError: Double?) {
                let s = Double(values.count)
                guard s > 0 else { return (nil, nil) }
                let mean = values.reduce(0, +) / s
                let variance = s > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (s - 1) : .nan
                return (finite(mean), finite((variance / s).squareRoot()))
            }
            for j in 0..<kCount {
                let trained = summary(perSeed.compactMap { $0.trained[j] })
                let linearised = summary(perSeed.compactMap { $0.linearised[j] })
                finiteRates[j].append(
                    FiniteRate(
                        width: width, mean: trained.mean, standardError: trained.standardError,
                        linearisedMean: linearised.mean, linearisedStandardError: linearised.standardError))
            }
        }
        let degrees = config.degrees.enumerated().map { j, k in
            Degree(
                k: k, mu: spectrum.mu[k], multiplicity: spectrum.multiplicity[k], predictedRate: predicted[j],
                infiniteRate: infinite[j].flatMap(finite), finiteRates: finiteRates[j], fittedSteps: horizons[j])
        }
        return Report(
            activation: config.network.activation.name, depth: config.network.depth, dimension: d, points: n,
            learningRate: eta, degrees: degrees)
    }
}
