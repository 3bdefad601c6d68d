#!/usr/bin/env bash
# GP-regression benchmark of issue 7: one log marginal likelihood with its gradient at
# n = 2000, rkhs (network kernels, analytic gradient) vs scikit-learn's
# GaussianProcessRegressor (RBF kernels) on the same data, in the same run.
# scikit-learn is installed into a throwaway virtual environment (not the project's).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
venv="${SKLEARN_VENV:-/tmp/rkhs-bench-sklearn-venv}"
swift build -c release -Xswiftc -enable-testing --product RegressionBenchmark >/dev/null
ours=$(.build/release/RegressionBenchmark "$n" relu gelu erf)
echo "$ours" | grep -v '^BENCH'
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q scikit-learn numpy scipy
fi
peer=$("$venv/bin/python" scripts/bench/sklearn_gp.py "$n" 2>/dev/null || true)
if [ -z "$peer" ]; then echo "scikit-learn could not be run; no ratio printed"; exit 0; fi
echo "$peer" | grep -v '^BENCH'
echo "ratios (scikit-learn time / rkhs time; target >= 2):"
for mine in relu-nngp relu-ntk gelu-ntk erf-ntk; do
  for theirs in rbf ard; do
    a=$(echo "$ours" | awk -v n="$mine" '$1=="BENCH" && $3==n {print $4}')
    b=$(echo "$peer" | awk -v n="$theirs" '$1=="BENCH" && $3==n {print $4}')
    [ -n "$a" ] && [ -n "$b" ] && python3 -c "print(f'  depth-3 {\"$mine\":10s} vs sklearn {\"$theirs\":4s} {float($b)/float($a):6.1f}x')"
  done
done
