/// The decoder of ``BottleneckDynamics`` as its history: f_s(z) = -sum_e C_e Theta_f(z, Z_e) over
/// entries e (one per training point and step, or merged blocks of them), with Z_e in R^k.
///
/// Stored twice: row-major (E x k, with |Z_e|^2 / k and C_e) for the generic recursion and the
/// merge centroids, and in blocks of four entries, coordinate by coordinate
/// (lanes[(b k + a) 4 + l] = Z_{4b + l, a}), so that the closed-form ReLU kernel
/// (``TwoLayerReLUTangentKernel/accumulate(point:q1:history:gradient:into:)``) loads four
/// entries' coordinate a as one SIMD vector. Padding lanes have C = 0 and contribute nothing.
struct BottleneckDecoderHistory: Sendable {
    let width: Int
    private(set) var count = 0
    private(set) var features: [Double] = []
    private(set) var norms: [Double] = []
    private(set) var coefficients: [Double] = []
    /// Blocks of four entries: coordinate-major features, then their |Z|^2 / k and C.
    private(set) var lanes: [Double] = []
    private(set) var laneNorms: [Double] = []
    private(set) var laneCoefficients: [Double] = []

    init(width: Int, capacity: Int) {
        self.width = width
        features.reserveCapacity(capacity * width)
        norms.reserveCapacity(capacity)
        coefficients.reserveCapacity(capacity)
    }

    /// The number of four-entry blocks.
    var blocks: Int { laneCoefficients.count / 4 }

    /// A new entry C Theta_f(., z), z = point[base ..< base + k].
    mutating func append(_ point: [Double], at base: Int, coefficient: Double) {
        let k = width
        if count % 4 == 0 {
            lanes.append(contentsOf: repeatElement(0, count: 4 * k))
            laneNorms.append(contentsOf: [1, 1, 1, 1])
            laneCoefficients.append(contentsOf: [0, 0, 0, 0])
        }
        features.append(contentsOf: point[base..<(base + k)])
        norms.append(0)
        coefficients.append(0)
        count += 1
        update(count - 1, coefficient: coefficient)
    }

    /// Replaces entry e's coefficient (its features are features[e k ..< e k + k], which the
    /// caller may have changed through `setFeature`), recomputing |Z_e|^2 / k and the lanes.
    mutating func update(_ e: Int, coefficient: Double) {
        let k = width
        var norm = 0.0
        for a in 0..<k { norm += features[e * k + a] * features[e * k + a] }
        norms[e] = norm / Double(k)
        coefficients[e] = coefficient
        let b = e / 4
        let l = e % 4
        for a in 0..<k { lanes[(b * k + a) * 4 + l] = features[e * k + a] }
        laneNorms[b * 4 + l] = norms[e]
        laneCoefficients[b * 4 + l] = coefficient
    }

    mutating func setFeature(_ e: Int, _ a: Int, _ value: Double) { features[e * width + a] = value }
}
