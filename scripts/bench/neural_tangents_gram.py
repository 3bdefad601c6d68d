"""Times Neural Tangents' depth-3 NTK Gram matrix on n unit-norm points in R^10 (float64, CPU).

Run by Benchmarks/run-kernels.sh inside a throwaway virtual environment; prints lines
`BENCH nt <activation> <seconds>` that the shell script pairs with the Swift figures.
The first call of each kernel_fn is compiled by XLA; we time the second, as a user
computing many Gram matrices would see it, and report the first too.
"""
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from neural_tangents import stax  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
names = sys.argv[2:] or ["relu", "gelu", "erf"]
rng = np.random.default_rng(42)
x = rng.standard_normal((n, 10))
x /= np.linalg.norm(x, axis=1, keepdims=True)
x = jnp.asarray(x)

layers = {"relu": stax.Relu(), "gelu": stax.Gelu(approximate=False), "erf": stax.Erf()}
print(f"depth-3 NTK Gram matrix, n = {n}, d = 10, unit-norm points (Neural Tangents, jax {jax.__version__})")
for name in names:
    act = layers[name]
    _, _, kernel_fn = stax.serial(stax.Dense(512, 1.0, 1.0), act, stax.Dense(512, 1.0, 1.0), act,
                                  stax.Dense(1, 1.0, 1.0))
    kernel_fn = jax.jit(kernel_fn, static_argnames="get")
    start = time.perf_counter()
    kernel_fn(x, x, "ntk").block_until_ready()
    first = time.perf_counter() - start
    start = time.perf_counter()
    k = kernel_fn(x, x, "ntk").block_until_ready()
    second = time.perf_counter() - start
    print(f"  {name:26s} {second:8.3f} s   (first call with compilation {first:.3f} s)   K[0,1] = {float(k[0, 1]):.17g}")
    print(f"BENCH nt {name} {second}")
