# lib.sh: shared helpers for the end-to-end tests (sourced, not run).
# Every e2e script drives the real binary given in $ASSAY (and the generator in
# $GEN), works in its own scratch folder $T, counts checks, and ends with
# `finish`, which prints "e2e NAME: N passed, M failed" (tools/testrun.sh reads it).
set -u
ASSAY=${ASSAY:?ASSAY must point to the assay binary}
GEN=${GEN:-$(dirname "$ASSAY")/assay-gen}
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NAME=$(basename "${0%.sh}")
T=${T:-$(dirname "$ASSAY")/e2e-tmp/$NAME}
rm -rf "$T" && mkdir -p "$T"
export ASSAY_SEED_LEDGER="$T/seed-ledger.log"   # assay sample's seed ledger: not the user's
e2e_pass=0
e2e_fail=0

# check NAME CMD...: runs CMD; it passes when CMD exits 0.
check() {
  local name=$1; shift
  if "$@" >"$T/.out" 2>&1; then
    e2e_pass=$((e2e_pass + 1)); echo "ok    $name"
  else
    e2e_fail=$((e2e_fail + 1)); echo "FAIL  $name"; sed 's/^/      | /' "$T/.out" | head -40
  fi
}

# expect_exit CODE CMD...: CMD must exit with CODE.
expect_exit() {
  local want=$1; shift
  "$@"; local got=$?
  [ "$got" -eq "$want" ] || { echo "exit $got, expected $want: $*"; return 1; }
}

# same_files A B: byte-identical, with a diff when not.
same_files() { cmp -s "$1" "$2" || { diff "$1" "$2" | head -20; return 1; }; }

# contains FILE TEXT: FILE has TEXT (fixed string).
contains() { grep -qF -- "$2" "$1" || { echo "no '$2' in $1:"; head -20 "$1"; return 1; }; }

finish() {
  echo "e2e $NAME: $e2e_pass passed, $e2e_fail failed"
  [ "$e2e_fail" -eq 0 ]
}
