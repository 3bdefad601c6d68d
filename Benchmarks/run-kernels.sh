#!/usr/bin/env bash
# Gram-matrix benchmark of issue 3: rkhs vs Neural Tangents in the same run.
# Neural Tangents is installed into a throwaway virtual environment (not the project's).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-4000}"
venv="${NT_VENV:-/tmp/rkhs-bench-nt-venv}"
swift build -c release -Xswiftc -enable-testing --product KernelBenchmark >/dev/null
ours=$(.build/release/KernelBenchmark "$n" relu gelu erf 'elu(1)' selu 'piecewise(exp(x)-1; x)')
echo "$ours" | grep -v '^BENCH'
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "jax[cpu]==0.4.30" "jaxlib==0.4.30" "neural-tangents==0.6.5" "numpy<2" \
        || "$venv/bin/pip" install -q "jax[cpu]" neural-tangents
fi
peer=$("$venv/bin/python" scripts/bench/neural_tangents_gram.py "$n" relu gelu erf 2>/dev/null || true)
if [ -z "$peer" ]; then echo "Neural Tangents could not be run; no ratio printed"; exit 0; fi
echo "$peer" | grep -v '^BENCH'
echo "ratios (Neural Tangents time / rkhs time):"
for name in relu gelu erf; do
    a=$(echo "$ours" | awk -v n="$name" '$1=="BENCH" && $3==n {print $4}')
    b=$(echo "$peer" | awk -v n="$name" '$1=="BENCH" && $3==n {print $4}')
    [ -n "$a" ] && [ -n "$b" ] && python3 -c "print(f'  {\"$name\":10s} {float($b)/float($a):6.1f}x faster')"
done
elu=$(echo "$ours" | awk '$1=="BENCH" && $3=="elu(1)" {print $4}')
relu=$(echo "$ours" | awk '$1=="BENCH" && $3=="relu" {print $4}')
python3 -c "print(f'  elu(1) / relu time within rkhs: {float($elu)/float($relu):.2f} (target <= 2)')"
