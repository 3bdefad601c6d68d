#!/usr/bin/env bash
# Regenerates the data of this folder (finite-width ReLU networks against the NNGP, both
# regularity estimators against scale). Run from the repository root after `make build`.
set -euo pipefail
cd "$(dirname "$0")/../.."
rkhs=.build/release/rkhs
out=notebooks-data/paths
for depth in 2 3; do
    paths=$([ "$depth" = 2 ] && echo 8 || echo 4)
    args=(regularity --activation relu --depth "$depth" --widths 64,256,1024,4096 --points 8192 --paths "$paths" --seed 1)
    "$rkhs" "${args[@]}" --format csv --plot "$out/finite-width-depth$depth.svg" > "$out/finite-width-depth$depth.csv.tmp"
    mv "$out/finite-width-depth$depth.csv.tmp" "$out/finite-width-depth$depth.csv"
    "$rkhs" "${args[@]}" --format table > "$out/finite-width-depth$depth.txt.tmp"
    mv "$out/finite-width-depth$depth.txt.tmp" "$out/finite-width-depth$depth.txt"
done
"$rkhs" sample --activation relu --depth 3 --width 64 --points 8192 --paths 3 --seed 1 --plot "$out/width64-paths.svg" > /dev/null
"$rkhs" sample --activation relu --depth 3 --points 8192 --paths 3 --seed 1 --plot "$out/nngp-paths.svg" > /dev/null
