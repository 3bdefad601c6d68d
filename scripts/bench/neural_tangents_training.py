"""Neural Tangents' trained-ensemble prediction on the benchmark data of
Benchmarks/run-training.sh: predict.gradient_descent_mse_ensemble with the depth-3 ReLU NTK
(NTK parametrisation, W_std = b_std = 1, as rkhs's defaults), mean and covariance
(compute_cov=True; NT has no variance-only mode) at the same log-spaced times, float64.
The kernel computation is included; jit warm-up is excluded by running once on 16 points.
Prints the stages and a BENCH line with the seconds.
"""
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)
import numpy as np  # noqa: E402
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax  # noqa: E402

train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100
x, y, xs = train[:, :-1], train[:, -1:], test[:, :-1]
times = 0.01 * 1e6 ** (np.arange(count) / (count - 1))
_, _, kernel_fn = stax.serial(stax.Dense(512, W_std=1.0, b_std=1.0), stax.Relu(),
                              stax.Dense(512, W_std=1.0, b_std=1.0), stax.Relu(),
                              stax.Dense(1, W_std=1.0, b_std=1.0))
kernel_fn = jax.jit(kernel_fn, static_argnames="get")


def run(x, y, xs, times):
    predict = nt.predict.gradient_descent_mse_ensemble(kernel_fn, x, y, learning_rate=1.0)
    out = predict(t=times, x_test=xs, get="ntk", compute_cov=True)
    return np.asarray(out.mean), np.asarray(out.covariance)


run(x[:16], y[:16], xs[:4], times[:3])  # jit warm-up
start = time.time()
mean, cov = run(x, y, xs, times)
seconds = time.time() - start
print(f"Neural Tangents {nt.__version__ if hasattr(nt, '__version__') else ''} (jax {jax.__version__}, float64), "
      f"n = {len(x)}, m = {len(xs)}, {count} times: {seconds:.2f} s")
print(f"  check: mean[last][0] = {mean[-1, 0, 0]:.17g}, variance[last][0] = {cov[-1, 0, 0]:.17g}")
print(f"BENCH nt {seconds}")
