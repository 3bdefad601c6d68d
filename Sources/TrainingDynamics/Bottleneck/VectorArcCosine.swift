/// arccos on four lanes at once, branch-free, for the vectorised decoder kernel of
/// ``TwoLayerReLUTangentKernel`` (the scalar `acos` call per pair was the largest single cost
/// of a bottleneck step).
///
/// The algorithm and constants are fdlibm's `e_acos.c` (Sun Microsystems, 1993), with its three
/// branches evaluated on every lane and selected by masks:
///
///     |x| < 1/2:  acos x = pi/2 - (x + x R(x^2))
///     x >= 1/2:   acos x = 2 (s + s R(z)),        z = (1 - x)/2, s = sqrt z (split for accuracy)
///     x <= -1/2:  acos x = pi - 2 (s + s R(z)),   z = (1 + x)/2
///
/// with R = P/Q fdlibm's rational minimax approximation of (asin t - t)/t at t^2 = z. fdlibm
/// states an error below 1 ulp; `BottleneckReLUDecoderTests` checks < 2 ulp of pi against the
/// platform's `acos` on [-1, 1]. Inputs must lie in [-1, 1] (callers clamp).
enum VectorArcCosine {
    private static let pio2Hi = 1.57079632679489655800e+00
    private static let pio2Lo = 6.12323399573676603587e-17
    private static let pi = 3.14159265358979311600e+00
    private static let pS0 = 1.66666666666666657415e-01
    private static let pS1 = -3.25565818622400915405e-01
    private static let pS2 = 2.01212532134862925881e-01
    private static let pS3 = -4.00555345006794114027e-02
    private static let pS4 = 7.91534994289814532176e-04
    private static let pS5 = 3.47933107596021167570e-05
    private static let qS1 = -2.40339491173441421878e+00
    private static let qS2 = 2.02094576023350569471e+00
    private static let qS3 = -6.88283971605453293030e-01
    private static let qS4 = 7.70381505559019352791e-02

    @inline(__always)
    static func acos(_ x: SIMD4<Double>) -> SIMD4<Double> {
        typealias V = SIMD4<Double>
        let zero = V.zero
        let half = V(repeating: 0.5)
        let negative = x .< zero
        let ax = unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt64>.self) & 0x7fff_ffff_ffff_ffff, to: V.self)
        let small = ax .< half
        let one = V(repeating: 1)
        let zBig: V = (one - ax) * 0.5
        let z: V = select(small, x * x, zBig)
        // Horner, one operation per line (the type checker gives up on the nested form).
        var p: V = z * pS5
        p += V(repeating: pS4)
        p *= z
        p += V(repeating: pS3)
        p *= z
        p += V(repeating: pS2)
        p *= z
        p += V(repeating: pS1)
        p *= z
        p += V(repeating: pS0)
        p *= z
        var q: V = z * qS4
        q += V(repeating: qS3)
        q *= z
        q += V(repeating: qS2)
        q *= z
        q += V(repeating: qS1)
        q *= z
        q += one
        let r: V = p / q
        let s: V = zBig.squareRoot()
        // x >= 1/2: s split into a 26-bit head df and the correction c = (z - df^2)/(s + df).
        let bits = unsafeBitCast(s, to: SIMD4<UInt64>.self) & 0xffff_ffff_0000_0000
        let head = unsafeBitCast(bits, to: V.self)
        let denominator: V = select(s .== zero, one, s + head)
        let c: V = (zBig - head * head) / denominator
        let rs: V = r * s
        let positiveBig: V = 2 * (head + (rs + c))
        let negativeInner: V = s + (rs - V(repeating: pio2Lo))
        let negativeBig: V = V(repeating: pi) - 2 * negativeInner
        let smallInner: V = x - (V(repeating: pio2Lo) - x * r)
        let smallResult: V = V(repeating: pio2Hi) - smallInner
        return select(small, smallResult, select(negative, negativeBig, positiveBig))
    }

    /// a where mask, else b, by bit operations (SIMD's replacing(with:where:) is not lowered to a blend).
    @inline(__always)
    static func select(_ mask: SIMDMask<SIMD4<Int64>>, _ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
        let m = unsafeBitCast(mask, to: SIMD4<UInt64>.self)
        let bb = unsafeBitCast(b, to: SIMD4<UInt64>.self)
        return unsafeBitCast(bb ^ ((bb ^ unsafeBitCast(a, to: SIMD4<UInt64>.self)) & m), to: SIMD4<Double>.self)
    }
}
