"""High-dimension reference spectra for SphericalSpectraTests (HighDimensionTests), independent of
the Swift code's quadrature: the Maclaurin series of the kernel and the Funk-Hecke moments of t^n.

    kappa(t) = sum_n a_n t^n,   mu_k = sum_{j >= 0} a_{k+2j} m(k + 2j, k),
    m(n, k) = n! Gamma(d/2) / (2^n ((n - k)/2)! Gamma((n + k + d)/2))

(P_k(1) = 1, probability measure on S^{d-1}; Proofs/spectral-quadrature.md, "Entire kernels").
The network kernels here are analytic in |t| < 1 with a_n >= 0, so every term is positive.
a_n comes from the Cauchy integral on |t| = r = 0.9 (M = 1024 equispaced points, mp.dps = 50):
aliasing a_{n+M} r^M ~ 1e-47, rounding 1e-50 max|kappa| / r^n. The series is truncated at n = N;
the neglected terms are bounded by m(N', k) (kappa(1) - sum_{n <= N} a_n), m decreasing in n
past k (ratio (n+1)(n+2) / ((n-k+2)(n+k+d)) < 1): that bound is the reference_error column.

Run: python3 scripts/spectral/generate_high_dimension.py   (about a minute; needs mpmath)
Writes Tests/SphericalSpectraTests/Fixtures/spectra-high-dimension.csv: kernel,d,k,mu,reference_error.
"""
import csv
import os
from mpmath import mp

mp.dps = 50
N, M, R = 400, 1024, mp.mpf("0.9")


def relu_dual(rho):
    """E[relu(u) relu(v)] / (q/2) and E[relu'(u) relu'(v)] for unit-variance correlation rho, complex-safe."""
    a = mp.acos(rho)
    return (mp.sqrt(1 - rho * rho) + (mp.pi - a) * rho) / mp.pi, (mp.pi - a) / (2 * mp.pi)


def relu_network(depth, kind, sigma_b=1):
    """kappa(t) of the depth-L ReLU network on the unit sphere, sigma_w = sigma_i = 1 (design.md §1)."""
    sb2 = mp.mpf(sigma_b) ** 2

    def kernel(t):
        sigma, theta, q = t + sb2, t + sb2, 1 + sb2
        for _ in range(depth - 1):
            e, ed = relu_dual(sigma / q)
            sigma_next = (q / 2) * e + sb2
            theta = sigma_next + ed * theta
            sigma, q = sigma_next, q / 2 + sb2
        return theta if kind == "ntk" else sigma

    return kernel


def coefficients(kernel):
    values = [kernel(R * mp.expjpi(2 * mp.mpf(j) / M)) for j in range(M)]
    out = []
    for n in range(N + 1):
        s = mp.fsum(values[j] * mp.expjpi(-2 * mp.mpf(n * j % M) / M) for j in range(M))
        out.append(mp.re(s) / M / R ** n)
    return out


def log_moment(n, k, d):
    return (mp.loggamma(n + 1) + mp.loggamma(mp.mpf(d) / 2) - n * mp.log(2)
            - mp.loggamma(mp.mpf(n - k) / 2 + 1) - mp.loggamma(mp.mpf(n + k + d) / 2))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out_path = os.path.join(root, "Tests", "SphericalSpectraTests", "Fixtures", "spectra-high-dimension.csv")
    kernels = [("relu_ntk_depth2_bias", relu_network(2, "ntk")), ("relu_nngp_depth3_bias", relu_network(3, "nngp"))]
    rows = []
    for name, kernel in kernels:
        a = coefficients(kernel)
        assert all(x > -mp.mpf(10) ** -30 for x in a), f"{name}: a negative Maclaurin coefficient"
        rest = kernel(mp.mpf(1)) - mp.fsum(a)
        for d in (64, 512, 4096):
            for k in range(0, 21):
                mu = mp.fsum(a[n] * mp.exp(log_moment(n, k, d)) for n in range(k, N + 1, 2))
                last = N - (N - k) % 2 + 2
                bound = max(rest, 0) * mp.exp(log_moment(last, k, d)) + mp.mpf(10) ** -45 * mu
                rows.append((name, d, k, mu, bound))
    tmp = out_path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kernel", "d", "k", "mu", "reference_error"])
        for name, d, k, mu, err in rows:
            w.writerow([name, d, k, mp.nstr(mu, 25, min_fixed=1, max_fixed=0), mp.nstr(err, 3, min_fixed=1, max_fixed=0)])
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main()
