import NeuralKernels

/// How fast a finite network of width n approaches its infinite-width (lazy) training
/// dynamics, as exponents p of n^p for the quantities ``FiniteWidthStudy`` measures
/// (Proofs/lazy-training.md, where the scaling arguments are given):
///
/// * Lee et al. (2019, Theorem 2.1) prove the upper bound O(n^-1/2) for the change of the
///   empirical NTK and for the distance to the linearised network.
/// * The rates are faster. With phi' continuous (smooth activations, ELU(1), ReLU^p for
///   p >= 2) every first-order change of the NTK has mean zero over the neurons, leaving
///   O(1/n) (Dyer & Gur-Ari 2019; Huang & Yau 2020): exponent -1.
/// * With a jump in phi' (ReLU, LeakyReLU, abs, SELU: non-smoothness degree 1) about
///   sqrt(n) neurons cross the kink during training, each changing the NTK by O(1/n) with a
///   random sign: O(n^-3/4).
/// * The distance to the linearised network follows the NTK's change for smooth activations
///   (-1). With a kink it decays more slowly than the NTK's change: measured n^-0.59 (+-0.02)
///   at widths 512 ... 16384 for one-hidden-layer ReLU networks, close to the bound, which is
///   therefore its theory value here.
/// * The weights move by O(1) in norm, so relative to ||theta_0|| ~ sqrt(#parameters):
///   n^-1/2 for one hidden layer (#parameters ~ n), n^-1 for more (#parameters ~ n^2).
public enum LazyTrainingRates {
    /// Lee et al.'s bound for the NTK change and the linearisation gap.
    public static let bound = -0.5

    /// The exponent of ||Theta_T - Theta_0||_F / ||Theta_0||_F in the width.
    public static func ntkChange(_ activation: Activation) -> Double {
        activation.regularity.nonSmoothnessDegree == 1 ? -0.75 : -1
    }

    /// The exponent of ||f_T - f_lin,T|| / ||f_lin,T - f_0||: the NTK's rate for smooth
    /// activations, the bound -1/2 with a kink in phi'.
    public static func linearisationGap(_ activation: Activation) -> Double {
        activation.regularity.nonSmoothnessDegree == 1 ? bound : -1
    }

    /// The exponent of ||theta_T - theta_0|| / ||theta_0||.
    public static func weightChange(depth: Int) -> Double { depth <= 2 ? -0.5 : -1 }
}
