#!/usr/bin/env bash
# Simulation benchmark of issue 17: 20 widths 2^6 ... 2^16 x 5 seeds, one-hidden-layer ReLU networks at the MF
# point, 10^4 SGD steps of one example on 1000 training points. Times the library in-process (per width, wall and
# CPU) and `rkhs scaling` as a user runs it on kin8nm thresholded at its median (the whole process: data, training,
# fits, JSON). Arguments: [steps] [batch size] [largest width exponent] [seeds] [UCI folder].
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-10000}"; batch="${2:-1}"; top="${3:-16}"; seeds="${4:-5}"; uci="${5:-../shared/data/uci/kin8nm}"
swift build -c release -Xswiftc -enable-testing --product ScalingBenchmark >/dev/null
swift build -c release -Xswiftc -enable-testing --product rkhs >/dev/null
.build/release/ScalingBenchmark "$steps" "$batch" "$top" "$seeds"
if [ -d "$uci" ]; then
    work=$(mktemp -d /tmp/rkhs-bench-scaling.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    /usr/bin/time -f "%e s wall, %U s user, %M KB peak" -o "$work/time" .build/release/rkhs scaling --named mf \
        --widths "pow2:6:$top:20" --seeds "$seeds" --steps "$steps" --batch-size "$batch" --uci "$uci" --format json > "$work/out.json" 2>/dev/null
    echo "rkhs scaling (CLI process, end to end, kin8nm 1000 train / 500 test): $(cat "$work/time")"
else
    echo "no UCI folder at $uci: CLI timing skipped"
fi
