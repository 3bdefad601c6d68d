"""Dense-covariance sampling of the depth-3 ReLU NNGP on a great circle with scikit-learn's
GaussianProcessRegressor.sample_y (prior, unfitted; numpy's multivariate_normal, which
factors the covariance by SVD), kernel evaluation included, at the
sizes given on the command line. Prints `BENCH sklearn n seconds` lines and the fitted growth."""
import sys
import time

import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Kernel


def relu_layer(k, q):
    """One ReLU layer of the NNGP on the sphere (arc-cosine kernel of order 1, Cho & Saul),
    sigma_w = sigma_b = 1: Sigma' = q/(2 pi) (sin th + (pi - th) cos th) + 1, cos th = k/q."""
    rho = np.clip(k / q, -1.0, 1.0)
    th = np.arccos(rho)
    return q / (2 * np.pi) * (np.sin(th) + (np.pi - th) * rho) + 1.0


class ReLUNNGP(Kernel):
    """Depth-3 ReLU NNGP of unit-norm inputs (Sigma_1 = t + 1), as rkhs defines it."""

    def __call__(self, X, Y=None, eval_gradient=False):
        Y = X if Y is None else Y
        k = X @ Y.T + 1.0
        q = 2.0
        # Best of two below 4096 points; one run at 4096 (minutes on a shared machine).
        for _ in range(2 if n < 4096 else 1):
            k = relu_layer(k, q)
            q = q / 2 + 1.0
        return k

    def diag(self, X):
        return np.diag(self(X))

    def is_stationary(self):
        return False

    @property
    def hyperparameters(self):
        return []


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1024, 2048, 4096]
    times = []
    for n in sizes:
        theta = 2 * np.pi * np.arange(n) / n
        X = np.stack([np.cos(theta), np.sin(theta)], axis=1)
        gp = GaussianProcessRegressor(kernel=ReLUNNGP(), optimizer=None)
        best = float("inf")
        # Best of two below 4096 points; one run at 4096 (minutes on a shared machine).
        for _ in range(2 if n < 4096 else 1):
            t0 = time.perf_counter()
            y = gp.sample_y(X, n_samples=1, random_state=1)
            best = min(best, time.perf_counter() - t0)
        times.append(best)
        print(f"  scikit-learn sample_y, n = {n:8d}: {best:8.3f} s   (value[1] = {float(y[1, 0]):.6f})")
        print(f"BENCH sklearn {n} {best}")
    slope = np.polyfit(np.log2(sizes), np.log2(times), 1)[0]
    print(f"  scikit-learn cost growth: n^{slope:.2f}")


if __name__ == "__main__":
    main()
