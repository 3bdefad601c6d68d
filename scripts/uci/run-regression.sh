#!/usr/bin/env bash
# The network-kernel GP regression comparison on the UCI suite (issue 7), one JSON per
# (data set, activation, depth, kernel) in notebooks-data/tsuchida/regression/, by the real
# CLI. Configurations already done are skipped, so the script can be stopped and resumed;
# scripts/uci/summarise.py turns whatever has finished into notebooks-data/tsuchida/regression.md.
#
#   bash scripts/uci/run-regression.sh [UCI_ROOT] [SPLITS] [DATASETS...]
#
# Defaults: ../shared/data/uci, the first 5 of the standard splits, the small sets.
# ACTIVATIONS, DEPTHS and KERNELS (space-separated, in the environment) narrow or widen the
# grid; defaults "relu gelu erf leaky_relu(0.2) elu", "2 3", "nngp ntk". MAX_TRAIN=N passes
# --max-train N (a seeded subsample of each training part; used for protein). RKHS=path runs
# that binary instead of building one (a copy lets a long grid run on while the tree is rebuilt).
# ARD=1 passes --ard (one first-layer sigma_w^2 per input, issue 16) and names the files *_ard.json.
# One optimiser start (--restarts 1) per split keeps the grid affordable on 2 cores. ELU costs
# most (its duals need the bivariate normal in the far tails at the variances these fits
# reach): 5-40 s a yacht split, several minutes on wine.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="${1:-../shared/data/uci}"
splits="${2:-5}"
shift 2 || true
datasets=("$@")
[ ${#datasets[@]} -eq 0 ] && datasets=(yacht bostonHousing energy concrete wine-quality-red)
out=notebooks-data/tsuchida/regression
mkdir -p "$out"
if [ -z "${RKHS:-}" ]; then
  swift build -c release -Xswiftc -enable-testing --product rkhs >/dev/null
  RKHS=.build/release/rkhs
fi
read -r -a activations <<< "${ACTIVATIONS:-relu gelu erf leaky_relu(0.2) elu}"
read -r -a depths <<< "${DEPTHS:-2 3}"
read -r -a kernels <<< "${KERNELS:-nngp ntk}"
for data in "${datasets[@]}"; do
  for depth in "${depths[@]}"; do
    for kernel in "${kernels[@]}"; do
      for act in "${activations[@]}"; do
        file="$out/${data}_${act//[()]/}_d${depth}_${kernel}${ARD:+_ard}.json"
        [ -s "$file" ] && continue
        echo "== $data $act depth $depth $kernel${ARD:+ ARD}" >&2
        OPENBLAS_NUM_THREADS=1 "$RKHS" regress --uci "$root/$data" --activation "$act" --depth "$depth" \
            --kernel "$kernel" --splits "$splits" --restarts 1 ${MAX_TRAIN:+--max-train "$MAX_TRAIN"} ${ARD:+--ard} --format json > "$file.tmp" && mv "$file.tmp" "$file" \
            || { rm -f "$file.tmp"; echo "failed: $data $act $depth $kernel" >&2; }
      done
    done
  done
done
