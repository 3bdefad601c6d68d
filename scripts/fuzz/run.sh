#!/usr/bin/env bash
# Builds the libFuzzer harnesses with the package's own parser/reader sources and runs each
# for the given number of seconds (default 600) on its committed seed corpus.
#   bash scripts/fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"
out="${FUZZ_BUILD:-.build-fuzz}"
mkdir -p "$out"
src=Sources/NeuralKernels
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzExpression \
    scripts/fuzz/fuzz_expression.swift $src/Expressions/*.swift $src/KernelError.swift -o "$out/fuzz_expression"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzTable \
    scripts/fuzz/fuzz_table.swift $src/DataIO/NumericTable.swift $src/DataIO/NPYFile.swift $src/KernelError.swift -o "$out/fuzz_table"
for target in expression table; do
    work="$out/corpus-$target"
    mkdir -p "$work"
    cp -n scripts/fuzz/corpus/$target/* "$work/" 2>/dev/null || true
    echo "fuzzing $target for $seconds s"
    "$out/fuzz_$target" -max_total_time="$seconds" -max_len=512 -print_final_stats=1 "$work" 2>&1 | tail -12
done
