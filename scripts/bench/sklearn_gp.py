"""Times scikit-learn's GaussianProcessRegressor: one log-marginal-likelihood evaluation with
its gradient at n training points in R^8, on exactly the data of Benchmarks/Regression (a
deterministic formula, no RNG, so both sides build identical arrays).

Run by Benchmarks/run-regression.sh inside a throwaway virtual environment; prints lines
`BENCH sklearn <kernel> <seconds>` (best of 3). Kernels:
  rbf: ConstantKernel * RBF(isotropic) + WhiteKernel   (3 hyperparameters, like ours)
  ard: ConstantKernel * RBF(one length per input) + WhiteKernel   (10 hyperparameters)
The regressor is fitted once with optimizer=None (a single factorisation), then
log_marginal_likelihood(theta, eval_gradient=True) is timed: exactly what one step of its
optimiser costs.
"""
import sys
import time

import numpy as np
import sklearn
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
d = 8
i = np.arange(n)[:, None]
j = np.arange(d)[None, :]
x = 1.5 * np.sin(0.37 * i * (j + 1) + j)
y = np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] + 0.1 * np.sin(17.0 * np.arange(n))
print(f"log marginal likelihood + gradient, n = {n}, d = {d} (scikit-learn {sklearn.__version__}, numpy {np.__version__})")
kernels = {
    "rbf": ConstantKernel(1.0) * RBF(1.0) + WhiteKernel(0.1),
    "ard": ConstantKernel(1.0) * RBF(np.ones(d)) + WhiteKernel(0.1),
}
for name, kernel in kernels.items():
    gp = GaussianProcessRegressor(kernel=kernel, optimizer=None).fit(x, y)
    theta = gp.kernel_.theta
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        value, grad = gp.log_marginal_likelihood(theta, eval_gradient=True)
        best = min(best, time.perf_counter() - start)
    print(f"  {name:4s} ({len(theta):2d} hyperparameters) {best:8.3f} s   log p = {value:.10g}")
    print(f"BENCH sklearn {name} {best}")
