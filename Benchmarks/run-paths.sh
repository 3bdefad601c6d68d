#!/usr/bin/env bash
# Sample-path benchmark of issue 6: one exact circulant path at n = 2^16 ... 2^22 (kernel
# evaluation included; target < 0.5 s at 2^20), beside Cholesky sampling at n = 1024, 2048,
# 4096 by LAPACK and by scikit-learn's GaussianProcessRegressor.sample_y (installed into a
# throwaway virtual environment under /tmp), with the fitted cost growth of each.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${SKLEARN_VENV:-/tmp/rkhs-bench-sklearn-venv}"
swift build -c release -Xswiftc -enable-testing --product PathBenchmark >/dev/null
ours=$(.build/release/PathBenchmark)
echo "$ours" | grep -v '^BENCH'
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "scikit-learn==1.5.2" "numpy<2.2" || "$venv/bin/pip" install -q scikit-learn
fi
peer=$("$venv/bin/python" Benchmarks/sklearn_paths.py 1024 2048 4096 2>/dev/null || true)
if [ -z "$peer" ]; then echo "scikit-learn could not be run; no comparison printed"; exit 0; fi
echo "$peer" | grep -v '^BENCH'
echo "ratios at n = 4096 (time / rkhs circulant time at n = 2^20, 256x more points):"
c20=$(echo "$ours" | awk '$1=="BENCH" && $2=="circulant" && $3==1048576 {print $4}')
for who in cholesky sklearn; do
    t=$(echo "$ours"$'\n'"$peer" | awk -v w="$who" '$1=="BENCH" && $2==w && $3==4096 {print $4}')
    [ -n "$t" ] && python3 -c "print(f'  {\"$who\":10s} n=4096: {float($t):.3f} s = {float($t)/float($c20):.1f}x one circulant path of 2^20 points')"
done
python3 -c "print('  target: circulant n = 2^20 in < 0.5 s:', 'met' if float($c20) < 0.5 else 'NOT met', f'({float($c20):.3f} s)')"
