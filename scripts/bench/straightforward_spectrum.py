"""The straightforward route to Mercer eigenvalues on S^{d-1} (the "Beyond ReLU" reference
code's method), timed for the spectrum benchmark of issue 4: Gauss-Gegenbauer quadrature with
5000 nodes (scipy) and the three-term recurrence for P_k, on the 2-layer ReLU NTK with bias in
closed form, kmax = 1000, d = 3. Prints 'BENCH straightforward relu-ntk-2 SECONDS'.

    python3 scripts/bench/straightforward_spectrum.py [kmax] [d] [nodes]
"""
import sys
import time

import numpy as np
from scipy.special import roots_gegenbauer, gammaln


def relu_ntk_2layer(t):
    # sigma_w = sigma_b = sigma_i = 1, unit inputs: Sigma_1 = t + 1, q = 2 (design.md section 2).
    q = 2.0
    rho = np.clip((t + 1.0) / q, -1.0, 1.0)
    theta = np.arccos(rho)
    nngp = q / (2 * np.pi) * (np.sin(theta) + (np.pi - theta) * rho) + 1.0
    deriv = (np.pi - theta) / (2 * np.pi)
    return nngp + (t + 1.0) * deriv


def spectrum(kernel, kmax, d, nodes):
    alpha = (d - 2) / 2.0
    t, w = roots_gegenbauer(nodes, alpha) if alpha > 0 else np.polynomial.chebyshev.chebgauss(nodes)
    values = kernel(t) * w
    # omega_{d-2} / omega_{d-1} = Gamma(d/2) / (sqrt(pi) Gamma((d-1)/2))
    c = np.exp(gammaln(d / 2.0) - gammaln((d - 1) / 2.0)) / np.sqrt(np.pi)
    mu = np.empty(kmax + 1)
    p_prev, p = np.ones_like(t), t.copy()
    mu[0] = c * values.sum()
    if kmax >= 1:
        mu[1] = c * (values * p).sum()
    for k in range(1, kmax):
        # P_{k+1} = ((2k + d - 2) t P_k - k P_{k-1}) / (k + d - 2), P_k(1) = 1.
        p_prev, p = p, ((2 * k + d - 2) * t * p - k * p_prev) / (k + d - 2)
        mu[k + 1] = c * (values * p).sum()
    return mu


def main():
    kmax = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    d = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    nodes = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    start = time.perf_counter()
    mu = spectrum(relu_ntk_2layer, kmax, d, nodes)
    seconds = time.perf_counter() - start
    print(f"  straightforward relu-ntk-2 kmax = {kmax}, d = {d}, {nodes} Gauss-Gegenbauer nodes: {seconds:8.3f} s   (mu_{kmax} = {mu[kmax]:.6e})")
    print(f"BENCH straightforward relu-ntk-2 {seconds}")


if __name__ == "__main__":
    main()
