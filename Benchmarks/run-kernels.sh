#!/usr/bin/env bash
# Gram-matrix benchmark of issue 3: rkhs vs Neural Tangents in the same run.
# Neural Tangents is installed into a throwaway virtual environment (not the project's).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-4000}"
venv="${NT_VENV:-/tmp/rkhs-bench-nt-venv}"
swift build -c release -Xswiftc -enable-testing --product KernelBenchmark >/dev/null
swift build -c release -Xswiftc -enable-testing --product rkhs >/dev/null
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
    a=$(echo "$ours" | awk -v n="$name" '$1=="BENCH" && $2!="rkhs-gaussian" && $3==n {print $4}')
    b=$(echo "$peer" | awk -v n="$name" '$1=="BENCH" && $2!="rkhs-gaussian" && $3==n {print $4}')
    [ -n "$a" ] && [ -n "$b" ] && python3 -c "print(f'  {\"$name\":10s} {float($b)/float($a):6.1f}x faster')"
done
elu=$(echo "$ours" | awk '$1=="BENCH" && $2=="rkhs" && $3=="elu(1)" {print $4}')
relu=$(echo "$ours" | awk '$1=="BENCH" && $2=="rkhs" && $3=="relu" {print $4}')
python3 -c "print(f'  elu(1) / relu time within rkhs: {float($elu)/float($relu):.2f} (target <= 2)')"

# The CLI process as a user runs it (issue 16): `rkhs gram` on Gaussian points in R^10 read
# from CSV, .npy written atomically (fsync before the rename); wall time, CPU time (user +
# sys) and max RSS from /usr/bin/time. Beside it, Neural Tangents end to end (np.loadtxt +
# compute + np.save, no fsync, kernel already compiled; the jax import and the compiling
# first call are printed separately). On a shared machine the wall times follow the load;
# the CPU-time ratio is the steadier figure. Unit-norm points take the sphere table route,
# Gaussian points (unequal norms) the homogeneous route.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "rkhs gram end to end (ReLU NTK, Gaussian points in R^10, .npy output):"
for m in 1000 4000; do
    python3 -c "
import random; random.seed(1)
with open('$work/x$m.csv', 'w') as f:
    for i in range($m): f.write(','.join(repr(random.gauss(0, 1)) for _ in range(10)) + '\\n')"
    python3 -c "
import math
with open('$work/x$m.csv') as f, open('$work/u$m.csv', 'w') as g:
    for line in f:
        x = [float(v) for v in line.split(',')]; r = math.sqrt(sum(v * v for v in x))
        g.write(','.join(repr(v / r) for v in x) + '\\n')"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" .build/release/rkhs gram --data "$work/u$m.csv" --depth 3 \
        --kernel ntk --out "$work/k.npy" 2>/dev/null
    read -r wall user sys rss < "$work/time"
    printf '  n = %4d depth 3, unit-norm points: rkhs %6.2f s wall, %5.2f s CPU, %7d KB max RSS\n' "$m" "$wall" \
        "$(python3 -c "print($user + $sys)")" "$rss"
    for depth in 1 3; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" .build/release/rkhs gram --data "$work/x$m.csv" --depth "$depth" \
            --kernel ntk --out "$work/k.npy" 2>/dev/null
        read -r wall user sys rss < "$work/time"
        cpu=$(python3 -c "print($user + $sys)")
        nt=$("$venv/bin/python" scripts/bench/neural_tangents_gram_e2e.py "$work/x$m.csv" "$depth" ntk "$work/nt.npy" 2>/dev/null || true)
        line=$(echo "$nt" | grep -v '^BENCH' || true)
        ntwall=$(echo "$nt" | awk '$1=="BENCH" {print $5}')
        ntcold=$(echo "$nt" | awk '$1=="BENCH" {print $6}')
        ntcpu=$(echo "$nt" | awk '$1=="BENCH" {print $7}')
        printf '  n = %4d depth %d, Gaussian points: rkhs %6.2f s wall, %5.2f s CPU, %7d KB max RSS (matrix %d KB)\n' \
            "$m" "$depth" "$wall" "$cpu" "$rss" $((m * m * 8 / 1024))
        [ -n "$line" ] && echo "$line"
        [ -n "$ntwall" ] && python3 -c "print(f'    Neural Tangents end to end / rkhs process: {float($ntwall)/float($wall):5.1f}x wall, {float($ntcpu)/float($cpu):5.1f}x CPU (target >= 5)')"
        [ -n "$ntcold" ] && python3 -c "print(f'    Neural Tangents fresh script (import + compile + compute + save) / rkhs process: {float($ntcold)/float($wall):5.1f}x')"
    done
done

# Activations with costly duals (quadrature, the ELU family) on Gaussian points (unequal norms):
# the Hermite series route (per point and layer a Hermite expansion, per entry a Mehler series;
# Proofs/hermite-series-duals.md). Before it, 200 points with tanh at depth 3 took more than
# 10 minutes (a 2-D quadrature per entry and layer); entries the series cannot certify (|rho|
# near 1 for hardtanh's and ELU's derivative duals) take the direct duals, for hardtanh the
# closed form of piecewise-affine activations (Proofs/piecewise-linear-duals.md; with the
# breakpoint quadrature before it, n = 1000 took 160 s of CPU).
echo "rkhs gram end to end, costly duals on Gaussian points in R^10 (depth 3 NTK, sigma_w 1, sigma_b 1):"
for m in 200 1000 4000; do
    python3 -c "
import random; random.seed(1)
with open('$work/g$m.csv', 'w') as f:
    for i in range($m): f.write(','.join(repr(random.gauss(0, 1)) for _ in range(10)) + '\\n')"
    for act in tanh 'elu(1)' 'softplus(1)' hardtanh; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" .build/release/rkhs gram --data "$work/g$m.csv" --depth 3 \
            --activation "$act" --kernel ntk --out "$work/k.npy" 2>/dev/null
        read -r wall user sys rss < "$work/time"
        printf '  n = %4d %-12s rkhs %6.2f s wall, %6.2f s CPU, %7d KB max RSS\n' "$m" "$act" "$wall" \
            "$(python3 -c "print($user + $sys)")" "$rss"
    done
done

# `rkhs kernel` at up to 256 t evaluates the duals directly (costly ones by one Hermite
# expansion per layer), at more it tabulates each layer (before: tables always, tanh depth 50 at
# one t took 25 s).
echo "rkhs kernel end to end, tanh, one t, 9 t and 300 t (tables):"
for depth in 50 1000; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" .build/release/rkhs kernel --activation tanh --depth "$depth" \
        --t 0.5 --format csv >/dev/null
    read -r wall user sys rss < "$work/time"
    printf '  depth %4d, 1 t: %6.2f s wall, %6.2f s CPU\n' "$depth" "$wall" "$(python3 -c "print($user + $sys)")"
done
for ts in 0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9 "$(python3 -c "print(','.join(repr(-1 + 2 * i / 299) for i in range(300)))")"; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" .build/release/rkhs kernel --activation tanh --depth 50 \
        --t="$ts" --format csv >/dev/null
    read -r wall user sys rss < "$work/time"
    printf '  depth   50, %3d t: %6.2f s wall, %6.2f s CPU\n' "$(echo "$ts" | tr ',' '\n' | wc -l)" "$wall" \
        "$(python3 -c "print($user + $sys)")"
done
