import Testing
import TrainingDynamics

/// Golikov's classification of scalings (Proofs/infinite-width-limits-of-classifiers.md): the
/// named points, a point in every region of the plane (the sample points of the author's
/// experiment code with the region each was chosen for), and Yang & Hu's independent theorem
/// where the two frameworks overlap.
@Suite struct ScalingClassificationTests {
    typealias Row = (
        name: NamedScaling, model: LimitModel?, stable: Bool, logitsBounded: Bool, kernelBounded: Bool,
        stationary: Bool?, features: Bool?
    )

    /// The table of the named points: limit model and the four tabulated properties.
    @Test func namedPoints() throws {
        let table: [Row] = [
            (.standard, nil, false, true, false, nil, nil),
            (.symDefault, .symDefault, true, true, false, false, true),
            (.ntk, .ntk, true, true, true, true, false),
            (.meanField, .meanField, true, true, true, false, true),
            (.initCorrectedMeanField, .initCorrectedMeanField, true, true, true, false, true),
            (.muP, .meanField, true, true, true, false, true),
        ]
        for row in table {
            let c = ScalingClassification(row.name)
            #expect(c.limitModel == row.model, "\(row.name)")
            #expect(c.stable == row.stable, "\(row.name)")
            #expect(c.logitsBoundedAtInit == row.logitsBounded, "\(row.name)")
            #expect(c.kernelBoundedAtInit == row.kernelBounded, "\(row.name)")
            #expect(c.kernelStationary == row.stationary, "\(row.name)")
            #expect(c.featureLearning == row.features, "\(row.name)")
        }
        #expect(ScalingClassification(.standard).instability == .diverging)
        // The paper's claims: MF, NTK and sym-default each miss one of the finite-width
        // network's properties (order-one logits at init, order-one kernels at init, moving
        // kernels); IC-MF has all three.
        func properties(_ c: ScalingClassification) -> [Bool] {
            [c.initialLogits == .orderOne, c.initialKernel == .orderOne, c.kernelStationary == false]
        }
        for n in [NamedScaling.meanField, .ntk, .symDefault] {
            #expect(properties(ScalingClassification(n)).filter { $0 }.count == 2, "\(n)")
        }
        #expect(properties(ScalingClassification(.initCorrectedMeanField)) == [true, true, true])
        // muP is the mean-field point for one hidden layer.
        #expect(NamedScaling.muP.exponents == NamedScaling.meanField.exponents)
    }

    /// The points of the author's experiment script (`fcnet_equiv_models_test.py`, commented
    /// list of (q_sigma, q~) with the region each represents), one per region, some far out.
    @Test(arguments: [
        (-0.75, 0.5, "MF-NTK"), (-0.5, 0.25, "NTK-sym-default"), (-0.75, 0.75, "sym-default-MF"),
        (-1.5, 1.5, "post-MF"), (-10, 10, "post-MF"), (0, 0, "pre-sym-default"), (10, -10, "pre-sym-default"),
        (-1, 0.5, "post-NTK"), (-10, 9.5, "post-NTK"), (0, -0.5, "pre-NTK"), (10, -10.5, "pre-NTK"),
        (-0.66, 0.5, "barycentre"), (-1, 0.75, "post-MF-NTK"), (-10, 9.75, "post-MF-NTK"),
        (0, -0.25, "pre-NTK-sym-default"), (10, -10.25, "pre-NTK-sym-default"),
        (-1, 1, "MF"), (-0.5, 0, "NTK"), (-0.5, 0.5, "sym-default"),
        (1, 1, "diverging"), (-1, -1, "stagnating"),
    ])
    func regionOfEachSamplePoint(qSigma: Double, qTilde: Double, expected: String) throws {
        let c = try ScalingClassification(ScalingExponents(qSigma: qSigma, qTilde: qTilde))
        #expect((c.limitModel?.rawValue ?? c.instability!.rawValue) == expected, "(\(qSigma), \(qTilde))")
    }

    /// Every limit model of the plane occurs; a generic point (off the four lines) lands in a
    /// two-dimensional region or an unstable one; the properties follow the signs of u, v, s.
    @Test func everyRegionOnAGrid() throws {
        var seen = Set<LimitModel>()
        var generic = Set<String>()
        // Steps of 1/16 reach every line and point exactly.
        for i in 0...40 {
            for j in 0...56 {
                let qs = -2 + Double(i) / 16
                let qt = -1 + Double(j) / 16
                let e = try ScalingExponents(qSigma: qs, qTilde: qt)
                let c = try ScalingClassification(e)
                if let m = c.limitModel { seen.insert(m) }
                let onLine = [e.initialLogits, e.initialKernel, e.step, e.step + 0.5].contains { Swift.abs($0) < 1e-9 }
                if !onLine { generic.insert(c.limitModel.map { "\($0.dimension)" } ?? c.instability!.rawValue) }
                #expect(c.stable == (e.step <= 1e-9 && e.step >= -0.5 - 1e-9))
                #expect(c.logitsBoundedAtInit == (qs <= -0.5 + 1e-9))
                #expect(c.kernelBoundedAtInit == (qt + 2 * qs + 1 <= 1e-9))
                if c.stable { #expect(c.featureLearning == (Swift.abs(qt + qs) < 1e-9)) }
            }
        }
        #expect(seen == Set(LimitModel.allCases.filter { $0 != .initCorrectedMeanField }))
        #expect(generic == ["2", "diverging", "stagnating"])
    }

    /// The phase diagram's polygons and segments: the centroid of each region and the
    /// midpoint of each segment classify to its label; every label appears once.
    @Test func planeGeometryMatchesTheClassification() throws {
        let plane = ScalingPlane(qSigma: -2...0.5, qTilde: -1...2.5)
        func label(_ qs: Double, _ qt: Double) throws -> String {
            let c = try ScalingClassification(ScalingExponents(qSigma: qs, qTilde: qt))
            return c.limitModel?.rawValue ?? c.instability!.rawValue
        }
        for r in plane.regions {
            let n = Double(r.polygon.count)
            let cx = r.polygon.reduce(0) { $0 + $1.qSigma } / n
            let cy = r.polygon.reduce(0) { $0 + $1.qTilde } / n
            #expect(try label(cx, cy) == r.label)
        }
        for seg in plane.segments {
            #expect(
                try label(0.5 * (seg.from.qSigma + seg.to.qSigma), 0.5 * (seg.from.qTilde + seg.to.qTilde)) == seg.label
            )
        }
        for p in ScalingPlane.points { #expect(try label(p.point.qSigma, p.point.qTilde) == p.label) }
        let labels = plane.regions.map(\.label) + plane.segments.map(\.label) + ScalingPlane.points.map(\.label)
        #expect(Set(labels).count == labels.count && labels.count == 15)
    }

    /// Off the plane the slower layer freezes: the standard parametrisation with learning
    /// rate ~ 1/d trains only its readout (the NNGP kernel), at the NTK's signs.
    @Test func layersOffThePlane() throws {
        let sp = try ScalingExponents(qSigma: -0.5, readoutLearningRate: -1, inputLearningRate: -1)
        let c = try ScalingClassification(sp)
        #expect(c.limitModel == .ntk && c.trainedLayers == .readoutOnly && c.kernelStationary == true)
        let inputOnly = try ScalingClassification(ScalingExponents(qSigma: -1, qTildeA: 0.5, qTildeW: 1))
        #expect(
            inputOnly.limitModel == .meanField && inputOnly.trainedLayers == .inputOnly
                && inputOnly.featureLearning == true)
        let readoutOnlyMF = try ScalingClassification(ScalingExponents(qSigma: -1, qTildeA: 1, qTildeW: 0.5))
        #expect(readoutOnlyMF.trainedLayers == .readoutOnly && readoutOnlyMF.featureLearning == false)
    }

    /// The correction is defined on the line v = 0 only; there it gives IC-MF at s = 0 and
    /// the NTK model elsewhere.
    @Test func initialisationCorrection() throws {
        #expect(
            try ScalingClassification(ScalingExponents(qSigma: -0.75, qTilde: 0.5), initCorrected: true).limitModel
                == .ntk)
        #expect(
            try ScalingClassification(ScalingExponents(qSigma: -0.5, qTilde: 0), initCorrected: true).limitModel == .ntk
        )
        #expect(throws: TrainingError.self) {
            try ScalingClassification(ScalingExponents(qSigma: -0.66, qTilde: 0.5), initCorrected: true)
        }
        let scaling = try WidthScaling(.initCorrectedMeanField, learningRate: 1)
        #expect(Swift.abs(scaling.initialCorrection(width: 512) - 1) < 1e-15)  // (512/128)^(1/2) - 1
        #expect(scaling.initialCorrection(width: 128) == 0)
    }

    /// Yang & Hu's Theorem 3.3 (one hidden layer), coded from their r, agrees with this
    /// classification wherever the readout's steps stay within its scale (s_a <= 0):
    /// Yang-stable iff logits and kernels bounded at init and s <= 0; stable and nontrivial
    /// iff, in addition, the kernels are of order one (the segment NTK ... MF); feature
    /// learning (r = 0) iff s_w = 0; kernel regime (r > 0) iff the kernel is stationary.
    @Test func agreesWithYangAndHu() throws {
        var compared = 0
        var nontrivial = Set<LimitModel>()
        let values = stride(from: -1.0, through: 1.5, by: 0.25).map { $0 }
        for a1 in values {
            for a2 in values {
                for b2 in values {
                    for c in values {
                        let p = AbcParametrisation(a1: a1, b1: -a1, a2: a2, b2: b2, c: c)
                        let e = try ScalingExponents(abc: p)
                        guard e.readoutStep <= 1e-9 else { continue }
                        let g = try ScalingClassification(e)
                        compared += 1
                        let bounded = g.logitsBoundedAtInit && g.kernelBoundedAtInit && e.step <= 1e-9
                        #expect(p.isStable == bounded, "\(p)")
                        let yangNontrivial = p.isStable && p.isNontrivial
                        #expect(yangNontrivial == (bounded && g.initialKernel == .orderOne), "\(p)")
                        if yangNontrivial {
                            #expect(g.stable)
                            #expect(p.learnsFeatures == (g.featureLearning == true), "\(p)")
                            #expect(p.isKernelRegime == (g.kernelStationary == true), "\(p)")
                            nontrivial.insert(g.limitModel!)
                        }
                    }
                }
            }
        }
        #expect(compared > 1000)
        #expect(nontrivial == [.ntk, .meanFieldToNTK, .meanField])
        #expect(try ScalingExponents(abc: .neuralTangent) == NamedScaling.ntk.exponents)
        #expect(try ScalingExponents(abc: .standard) == NamedScaling.standard.exponents)
        #expect(AbcParametrisation.maximalUpdate.learnsFeatures && AbcParametrisation.neuralTangent.isKernelRegime)
        #expect(!AbcParametrisation.standard.isStable)
    }
}
