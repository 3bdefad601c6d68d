"""Neural Tangents' ReLU NTK/NNGP Gram matrix end to end, as a user would script it:
read the CSV (np.loadtxt), compute, np.save. Beside `rkhs gram` in Benchmarks/run-kernels.sh.

Usage: neural_tangents_gram_e2e.py data.csv depth kernel out.npy
Prints `BENCH nt-e2e <depth> <kernel> <seconds> <cold seconds> <cpu seconds>` where seconds =
load + compute + save with the kernel already compiled (the second call), cold adds the jax
import and the first (compiling) call, and cpu is the process CPU time (all threads) of the
timed load + compute + save, which a loaded machine inflates less than wall time.
"""
import sys
import time

t0 = time.perf_counter()
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import numpy as np  # noqa: E402
from neural_tangents import stax  # noqa: E402

imported = time.perf_counter() - t0
path, depth, kind, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
layers = [stax.Dense(512, 1.0, 1.0)]
for _ in range(depth - 1):
    layers += [stax.Relu(), stax.Dense(512, 1.0, 1.0)]
_, _, kernel_fn = stax.serial(*layers)
kernel_fn = jax.jit(kernel_fn, static_argnames="get")

start = time.perf_counter()
x = np.loadtxt(path, delimiter=",")
kernel_fn(x, x, kind).block_until_ready()
first = time.perf_counter() - start

start = time.perf_counter()
cpu = time.process_time()
x = np.loadtxt(path, delimiter=",")
loaded = time.perf_counter() - start
k = np.asarray(kernel_fn(x, x, kind).block_until_ready())
computed = time.perf_counter() - start
np.save(out, k)
total = time.perf_counter() - start
cpu = time.process_time() - cpu
print(f"  NT depth {depth} {kind}: load {loaded:.3f} s, compute {computed - loaded:.3f} s, save {total - computed:.3f} s,"
      f" end to end {total:.3f} s, {cpu:.3f} s CPU (jax import {imported:.2f} s, first call with compilation {first:.2f} s)")
print(f"BENCH nt-e2e {depth} {kind} {total} {imported + first + total - loaded} {cpu}")
