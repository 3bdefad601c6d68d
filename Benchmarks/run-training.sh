#!/usr/bin/env bash
# Training-dynamics benchmark of issue 14: n = 4000 training and 1000 test points in R^10,
# 100 times, depth-3 ReLU NTK ensemble, mean and variance. Times `rkhs train` as a user runs it
# (the whole process: CSV input, kernels, eigendecomposition, all times, JSON and .npy output),
# the in-process figure, and Neural Tangents' gradient_descent_mse_ensemble on the same data in
# the same run (its kernel computation included, jit warm-up excluded).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-4000}"; m="${2:-1000}"; times="${3:-100}"
venv="${NT_VENV:-/tmp/rkhs-bench-nt-venv}"
work=$(mktemp -d /tmp/rkhs-bench-training.XXXXXX)
trap 'rm -rf "$work"' EXIT
swift build -c release -Xswiftc -enable-testing --product TrainingBenchmark >/dev/null
swift build -c release -Xswiftc -enable-testing --product rkhs >/dev/null
python3 - "$work" "$n" "$m" <<'PY'
import sys, numpy as np
work, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(14)
x = rng.standard_normal((n + m, 10))
y = np.sin(x @ rng.standard_normal(10) / 3) + 0.1 * rng.standard_normal(n + m)
for name, rows in [("train", slice(0, n)), ("test", slice(n, n + m))]:
    np.savetxt(f"{work}/{name}.csv", np.column_stack([x[rows], y[rows]]), delimiter=",",
               header=",".join([f"x{k}" for k in range(10)] + ["y"]), comments="", fmt="%.17g")
PY
echo "data: $n training and $m test points in R^10 (standard normal), $times times"
inproc=$(.build/release/TrainingBenchmark "$work/train.csv" "$work/test.csv" "$times")
echo "$inproc" | grep -v '^BENCH'
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" .build/release/rkhs train --data "$work/train.csv" --target y --test "$work/test.csv" \
    --activation relu --depth 3 --no-standardise --times "log:0.01:10000:$times" --format json \
    --predictions "$work/P.npy" --covariance > "$work/out.json" 2> "$work/err"
end=$(date +%s.%N)
cli=$(python3 -c "print($end - $start)")
rss=$(cat "$work/rss")
python3 -c "print(f'rkhs train (CLI process, end to end, json + .npy written): {float($cli):.2f} s, peak memory {int($rss)/1024:.0f} MB '
             f'(the n x n kernels: {8*$n*$n/2**20:.0f} MB each)')"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "jax[cpu]==0.4.30" "jaxlib==0.4.30" "neural-tangents==0.6.5" "numpy<2" \
        || "$venv/bin/pip" install -q "jax[cpu]" neural-tangents
fi
peer=$("$venv/bin/python" scripts/bench/neural_tangents_training.py "$work/train.csv" "$work/test.csv" "$times" 2>/dev/null || true)
if [ -z "$peer" ]; then echo "Neural Tangents could not be run; no ratio printed"; exit 0; fi
echo "$peer" | grep -v '^BENCH'
nt=$(echo "$peer" | awk '$1=="BENCH" {print $3}')
ours=$(echo "$inproc" | awk '$1=="BENCH" {print $4}')
python3 -c "print(f'ratios (Neural Tangents / rkhs; target >= 3): CLI end to end {float($nt)/float($cli):.1f}x, in-process {float($nt)/float($ours):.1f}x')"
