#!/usr/bin/env bash
# Fills in per-split log marginal likelihoods of result files that predate them (issue 16 item 6),
# so that regression.md's summary can choose each data set's configuration by training log p
# instead of test RMSE: `rkhs regress --rescore FILE --uci FOLDER` evaluates log p at each split's
# stored hyperparameters, on the rows of the run (seed 0, as scripts/uci/run-regression.sh ran),
# without fitting again. Files that already carry the value on every split are left alone.
# Usage: bash scripts/uci/rescore.sh [UCI root, default ../shared/data/uci]
set -euo pipefail
cd "$(dirname "$0")/../.."
root="${1:-../shared/data/uci}"
RKHS="${RKHS:-.build/release/rkhs}"
# One file per job, two jobs at a time (ELU rows are the slow ones: their duals at unequal
# variances are evaluated per entry).
rescore_one() {
  file=$1; root=$2; RKHS=$3
  case "$(basename "$file")" in sklearn-*) return 0 ;; esac
  if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(s.get('log_marginal_likelihood') is not None for s in d['per_split']) else 1)" "$file"; then
    return 0
  fi
  data=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['dataset'])" "$file")
  echo "== $(basename "$file")" >&2
  OPENBLAS_NUM_THREADS=1 "$RKHS" regress --rescore "$file" --uci "$root/$data" > "$file.tmp" 2>/dev/null && mv "$file.tmp" "$file" \
    || { rm -f "$file.tmp"; echo "failed: $file" >&2; }
}
export -f rescore_one
ls notebooks-data/tsuchida/regression/*.json | xargs -P "${JOBS:-2}" -I{} bash -c 'rescore_one "$@"' _ {} "$root" "$RKHS"
