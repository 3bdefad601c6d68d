/// Panels placed on a local scale 1/rate (a slope, a curvature, a ratio of spreads) floor the
/// rate at `smallestRate`, so that the width stays finite (below 1e300, wider than any range
/// integrated here) where the rate vanishes.
enum PanelScale {
    static let smallestRate = 1e-300
}
