#!/usr/bin/env bash
# Records 17-digit CLI outputs that the layer-recursion engine and the parallel fill must
# leave bit-identical (issue 15 items 1 and 2).
#
#   scripts/engine-identity.sh record  FILE   # write the outputs to FILE (plus FILE.d/*.npy)
#   scripts/engine-identity.sh compare FILE   # recompute and diff against FILE; exit 1 on change
#
# Covers: NetworkKernel (kernel, standard parametrisation), SphereKernel values and its
# signed-angle continuation (spectrum with asymptotic tails), GramMatrix on the table route
# (unit-norm rows) and the per-entry route (unequal norms), NetworkCovariance with its
# gradient (regress), TrainingKernels (train), KernelFixedPoints and NormalisedNTKDynamics.
set -euo pipefail
mode=${1:?record|compare}; ref=${2:?file}
here=$(cd "$(dirname "$0")/.." && pwd)
rkhs=${RKHS:-$here/.build/release/rkhs}
uci=${UCI:-/work/shared/data/uci/yacht}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
out=$work/out.txt; npy=$work/npy; mkdir -p "$npy"

# Deterministic data: 40 rows in R^5 of unequal norms, and the same rows normalised.
awk 'BEGIN { s = 12345; for (i = 0; i < 40; i++) { line = ""; for (k = 0; k < 5; k++) {
  s = (s * 1103515245 + 12345) % 2147483648; v = s / 2147483648 * 2 - 1
  line = line (k ? "," : "") sprintf("%.17g", v) } print line } }' > "$work/X.csv"
awk -F, '{ n = 0; for (k = 1; k <= NF; k++) n += $k * $k; n = sqrt(n); line = ""
  for (k = 1; k <= NF; k++) line = line (k > 1 ? "," : "") sprintf("%.17g", $k / n); print line }' \
  "$work/X.csv" > "$work/U.csv"

run() { echo "### $*" >> "$out"; "$rkhs" "$@" >> "$out" 2>&1 || echo "exit $?" >> "$out"; }
gram() { local name=$1; shift; run gram "$@" --out "$npy/$name.npy"; }

run kernel --activation 'elu(1)' --depth 4 --t -0.7,0.3,0.9,0.999,0.999999 --format csv
run kernel --activation relu --depth 3 --no-bias --t -1,-0.2,0.5,0.9999999 --format csv
run kernel --activation gelu --depth 3 --sigma-w 1.3 --sigma-b 0.4 --sigma-i 0.5 --t -0.5,0.1,0.99 --format csv
run kernel --activation tanh --depth 3 --parametrization standard --width 16 --dim 4 --t -0.3,0.4,0.95 --format csv
run kernel --activation 'piecewise(0.5*x^2; x)' --depth 3 --sigma-b 0 --t -0.4,0.5,0.9 --format csv
gram relu_ntk   --data "$work/X.csv" --activation relu --depth 3 --kernel ntk
gram gelu_nngp  --data "$work/X.csv" --activation gelu --depth 3 --kernel nngp
gram elu_std    --data "$work/X.csv" --activation 'elu(1)' --depth 3 --kernel ntk --parametrization standard --width 8
gram sphere_ntk --data "$work/U.csv" --activation 'elu(1)' --depth 3 --kernel ntk
gram erf_unit   --data "$work/U.csv" --activation erf --depth 4 --kernel nngp --sigma-b 0.3
run spectrum --activation relu --depth 2 --kernel ntk --dim 3 --kmax 60 --format csv
run spectrum --activation 'elu(1)' --depth 3 --kernel nngp --no-bias --dim 4 --kmax 60 --format json
run spectrum --activation gelu --depth 3 --kernel ntk --dim 3 --kmax 40 --format csv
run spectrum --activation relu --depth 4 --kernel ntk --no-bias --dim 3 --kmax 80 --format json
run fixedpoints --activation 'elu(1)' --sigma-w 1.2 --sigma-b 0 --format json
run fixedpoints --activation gelu --sigma-w 1.5 --sigma-b 0.2 --kernel ntk --rho0 -0.5 --format json
run fixedpoints --activation tanh --sigma-w 2 --sigma-b 0.1 --q0 2 --depth 10 --format json
run regress --uci "$uci" --splits 1 --restarts 1 --fit-points 60 --max-train 80 --activation relu --depth 3 --kernel ntk --format json
run regress --uci "$uci" --splits 1 --restarts 1 --fit-points 60 --max-train 80 --activation gelu --depth 2 --kernel nngp --format json
run train --uci "$uci" --split 0 --activation relu --depth 3 --times 0,1,10,100,inf --format csv
run train --uci "$uci" --split 0 --activation erf --depth 2 --ensemble nngp --ridge 1e-6 --times 0,10,inf --format csv
for f in "$npy"/*.npy; do echo "### npy $(basename "$f") $(sha256sum < "$f" | cut -c1-64)" >> "$out"; done
# Timings and progress lines are not results.
sed -i -E -e 's/"seconds":[0-9.e+-]+/"seconds":_/g' -e '/^regress: split/d' -e 's/ in [0-9.]+ s$//' -e "s#$work#WORK#g" "$out"

case $mode in
  record) cp "$out" "$ref"; mkdir -p "$ref.d"; cp "$npy"/*.npy "$ref.d/"; echo "recorded $(grep -c '^###' "$ref") outputs in $ref" ;;
  compare)
    status=0
    for f in "$ref.d"/*.npy; do cmp -s "$f" "$npy/$(basename "$f")" || { echo "differs: $(basename "$f")"; status=1; }; done
    diff "$ref" "$out" > "$work/diff" || { echo "outputs differ:"; head -40 "$work/diff"; status=1; }
    [ $status = 0 ] && echo "identical: $(grep -c '^###' "$ref") outputs"; exit $status ;;
  *) echo "mode must be record or compare, not '$mode'" >&2; exit 64 ;;
esac
