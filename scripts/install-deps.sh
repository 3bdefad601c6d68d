#!/usr/bin/env bash
# Installs the system libraries the package links (FFTW, GSL, LAPACKE/OpenBLAS) on Debian.
# Idempotent; needs root (CI and the README commands run as root).
set -euo pipefail
packages=(libfftw3-dev libgsl-dev liblapacke-dev libopenblas-dev pkg-config make)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
fi
