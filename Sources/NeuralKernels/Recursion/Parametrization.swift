/// How the weights of a dense layer are scaled (Neural Tangents' two conventions).
///
/// * `ntk`: W = sigma_w / sqrt(n_in) * omega, b = sigma_b * beta with omega, beta standard
///   normal (Jacot et al. 2018). The kernel does not depend on the widths.
/// * `standard`: W ~ N(0, sigma_w^2 / n_in), b ~ N(0, sigma_b^2) trained directly. The NNGP is
///   the same, but each layer adds n_in * K_in + 1 to the NTK, so the NTK depends on the
///   input dimension and the hidden widths (Neural Tangents, stax.Dense).
public enum Parametrization: String, Sendable, CaseIterable {
    case ntk
    case standard
}
