/// Relative error |a - b| / |b| (absolute when b = 0).
public func relativeError(_ a: Double, _ b: Double) -> Double {
    b == 0 ? Swift.abs(a) : Swift.abs(a - b) / Swift.abs(b)
}
