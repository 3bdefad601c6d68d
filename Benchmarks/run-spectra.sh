#!/usr/bin/env bash
# Spectrum benchmark of issue 4: rkhs against the straightforward route (scipy
# Gauss-Gegenbauer + recurrence, run here in a throwaway virtual environment), same run.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${SPECTRUM_VENV:-/tmp/rkhs-bench-scipy-venv}"
swift build -c release -Xswiftc -enable-testing --product SpectrumBenchmark | grep -v "^\[\|^Building\|^Build complete" || true
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q numpy scipy
fi
echo "Mercer eigenvalues on S^2, kmax = 1000"
peer=$("$venv/bin/python" scripts/bench/straightforward_spectrum.py 1000 3 5000)
ours=$(.build/release/SpectrumBenchmark small)
echo "$peer" | grep -v '^BENCH'
echo "$ours" | grep -v '^BENCH'
large=$(.build/release/SpectrumBenchmark large)
echo "$large" | grep -v '^BENCH'
b=$(echo "$peer" | awk '$1=="BENCH" {print $4}')
for name in relu-ntk-2 elu-ntk-4; do
    a=$(echo "$ours" | awk -v n="$name" '$1=="BENCH" && $3==n {print $4}')
    python3 -c "print(f'  straightforward (closed-form ReLU NTK) / rkhs $name: {float($b)/float($a):7.1f}x   (target >= 50x for elu-ntk-4)')"
done
big=$(echo "$large" | awk '$1=="BENCH" {print $4}')
python3 -c "print(f'  kmax = 100000: {float($big):.2f} s (target < 2 s)')"
