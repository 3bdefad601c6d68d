#!/usr/bin/env bash
# Bottleneck training benchmark of issue 18. Target: one bottleneck training run on 1000 points for
# 10^4 steps in under a minute. Infinitely wide ReLU encoder and decoder (depth 2), k = 4, learning
# rate 0.2, Gaussian points in R^8 (n training, n/2 test); Proofs/bottleneck-dynamics.md, "Cost".
#
# Prints: (1) the throughput of the decoder's kernel evaluations (the whole cost: every step
# evaluates the closed-form decoder NTK and its input gradient at every training point against
# every history entry) at n = 1000, in-process (BottleneckBenchmark), wall and CPU time, and the
# operation count of the exact history and of any history with one entry per training point;
# (2) the merged history (--bottleneck-merge TOL) at n = 1000: entries and time against steps, the
# extrapolation to 10^4 steps; (3) the merged history's accuracy against the exact one at n = 200,
# 300 steps; (4) the CLI process end to end (rkhs train --bottleneck 4) on the n = 1000 data.
# Every figure is printed with its ratio to the target (time / 60 s). On a shared machine the wall
# times depend on the load; the CPU-time figures (ns per evaluation per core) do not much.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/rkhs-bench-bottleneck.XXXXXX)
trap 'rm -rf "$work"' EXIT
swift build -c release -Xswiftc -enable-testing --product rkhs >/dev/null
swift build -c release -Xswiftc -enable-testing --product BottleneckBenchmark >/dev/null
data() {  # data N: N training and N/2 test points
    python3 - "$work" "$1" <<'PY'
import sys, random
work, n = sys.argv[1], int(sys.argv[2])
random.seed(18)
for name, count in [("train", n), ("test", n // 2)]:
    with open(f"{work}/{name}{n}.csv", "w") as f:
        f.write(",".join([f"x{k}" for k in range(8)] + ["y"]) + "\n")
        for _ in range(count):
            x = [random.gauss(0, 1) for _ in range(8)]
            f.write(",".join(repr(v) for v in x + [sum(x[:3]) / 3 + 0.3 * x[3] * x[4]]) + "\n")
PY
}
data 1000; data 200
inproc() {  # inproc N STEPS [MERGE]: "wall cpu evaluations entries loss movement"
    local out
    out=$( { /usr/bin/time -f "CPU %U %S" .build/release/BottleneckBenchmark "$work/train$1.csv" "$work/test$1.csv" 4 "$2" ${3:-}; } 2>&1 )
    echo "$out" | python3 -c "
import sys
lines = sys.stdin.read().splitlines()
bench = next(l for l in lines if l.startswith('BENCH')).split()
check = next(l for l in lines if 'check:' in l).replace(',', '').split()
cpu = next(l for l in lines if l.startswith('CPU')).split()
print(bench[5], float(cpu[1]) + float(cpu[2]), bench[7], bench[9], check[4], check[7])"
}
echo "1. decoder throughput, exact history, n = 1000 (+ 500 test), k = 4, 20 steps (in-process):"
read -r wall cpu evals entries loss moved <<<"$(inproc 1000 20)"
python3 - "$wall" "$cpu" "$evals" <<'PY'
import sys
wall, cpu, evals = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
ns_wall, ns_cpu = 1e9 * wall / evals, 1e9 * cpu / evals
n, m, S = 1000, 500, 10**4
exact = n * n * S * (S - 1) / 2          # sum over steps s of n points x s n entries
floor = n * n * S                        # one history entry per training point, test points once
print(f"   {evals:.3g} evaluations in {wall:.2f} s wall, {cpu:.2f} s CPU: {ns_wall:.1f} ns each (wall), {ns_cpu:.1f} ns per core")
print(f"   exact history, n = 1000, 10^4 steps: {exact:.3g} evaluations -> {exact * ns_cpu / 2e9:.3g} s on 2 free cores "
      f"({exact * ns_cpu / 2e9 / 86400:.3g} days; ratio to the 60 s target {exact * ns_cpu / 2e9 / 60:.3g})")
print(f"   any history with one entry per training point: {floor:.3g} evaluations -> {floor * ns_cpu / 2e9:.0f} s on 2 free cores "
      f"(ratio to the target {floor * ns_cpu / 2e9 / 60:.2f})")
print(f"BENCH bottleneck throughput {ns_cpu:.2f} ns per evaluation per core")
PY
echo "2. merged history, n = 1000, k = 4 (in-process): entries and time at 150 and 300 steps"
rows=""
for tol in 0.03 0.3 10; do
    for s in 150 300; do
        read -r wall cpu evals entries loss moved <<<"$(inproc 1000 "$s" "$tol")"
        rows+="$tol $s $wall $cpu $evals $entries"$'\n'
        if [ "$tol" = 10 ] && [ "$s" = 300 ]; then inproc10=$wall; fi
        printf '   tolerance %5s, %3d steps: %7.2f s wall, %7.2f s CPU, %6d entries, %.3g evaluations\n' "$tol" "$s" "$wall" "$cpu" "$entries" "$evals"
    done
done
extrapolated=$(python3 - "$rows" <<'PY'
import sys, math
rows = [l.split() for l in sys.argv[1].strip().splitlines()]
by = {}
for tol, s, wall, cpu, evals, entries in rows:
    by.setdefault(tol, {})[int(s)] = (float(wall), float(cpu), float(evals), int(entries))
S = 10**4
for tol, r in by.items():
    (w1, c1, e1, h1), (w2, c2, e2, h2) = r[150], r[300]
    b = math.log(h2 / h1) / math.log(2)          # entries ~ steps^b
    ns = 1e9 * c2 / e2
    # Evaluations sum_s n E(s) with E(s) = h2 (s/300)^b beyond step 300.
    rest = 1000 * h2 * sum((s / 300) ** b for s in range(300, S))
    t = (rest + e2) * ns / 2e9
    print(f"   tolerance {tol}: entries ~ steps^{b:.2f}; extrapolated to 10^4 steps: {t:.0f} s on 2 free cores "
          f"(ratio to the 60 s target {t / 60:.1f})")
    print(f"BENCH bottleneck merged {tol} n=1000 steps=10000 extrapolated {t:.1f} s ratio {t / 60:.2f}")
PY
)
echo "$extrapolated"
echo "3. merged against exact history, n = 200 (+ 100 test), 300 steps (in-process):"
read -r wall cpu evals entries loss moved <<<"$(inproc 200 300)"
printf '   exact: %.2f s wall, %d entries, final train loss %s, feature movement %s\n' "$wall" "$entries" "$loss" "$moved"
for tol in 0.03 0.3 10; do
    read -r mwall mcpu mevals mentries mloss mmoved <<<"$(inproc 200 300 "$tol")"
    python3 -c "
l, ml, f, mf = $loss, $mloss, $moved, $mmoved
print(f'   tolerance {\"$tol\":>5}: {$mwall:.2f} s wall ({$wall / $mwall:.1f}x faster), {$mentries} entries; final train loss off by '
      f'{abs(ml - l) / l:.2e}, feature movement by {abs(mf - f) / f:.2e} (relative)')"
done
echo "4. rkhs train --bottleneck 4 --bottleneck-merge 10 (CLI process end to end: CSV input, kernels, k = 4 and k = infinity, JSON), n = 1000, 300 steps:"
start=$(date +%s.%N)
.build/release/rkhs train --data "$work/train1000.csv" --target y --test "$work/test1000.csv" --bottleneck 4 --steps \
    --times 0,300 --learning-rate 0.2 --bottleneck-merge 10 --format json > "$work/cli.json" 2>/dev/null
end=$(date +%s.%N)
full=$(echo "$extrapolated" | awk '$3=="merged" && $4=="10" {print $8}')
python3 -c "
t, inproc, full = $end - $start, $inproc10, $full
print(f'   {t:.2f} s wall against {inproc:.2f} s in-process for the same run (CLI / in-process {t / inproc:.2f}); '
      f'extrapolated to 10^4 steps: {full * t / inproc:.0f} s, ratio to the 60 s target {full * t / inproc / 60:.1f}')
print(f'BENCH bottleneck cli merged 10 n=1000 steps=300 {t:.2f} s; extrapolated 10^4 steps {full * t / inproc:.1f} s ratio {full * t / inproc / 60:.2f}')"
