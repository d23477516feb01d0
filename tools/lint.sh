#!/usr/bin/env bash
# lint.sh: static analysis with the checked-in configuration (`make lint`).
#   cppcheck   --enable=warning,performance,portability, suppressions in
#              tools/cppcheck.supp, inline `// cppcheck-suppress id` allowed
#   clang-tidy the checks in .clang-tidy (every finding is an error), with the
#              compile flags of the Makefile after `--`
# Usage: tools/lint.sh [DIR...]   (default: every library part, cli and tools/gen;
#                                  folders that do not exist yet are skipped)
# Prints one status line per tool, then "lint: ok" or "lint: FAILED"; exit 1 on
# any finding, 2 when a tool is missing.
set -u
cd "$(dirname "$0")/.."

dirs=()
for d in "${@:-core engine parsers rules samplers report cli tools/gen}"; do
  for x in $d; do [ -d "$x" ] && dirs+=("$x"); done
done
if [ ${#dirs[@]} -eq 0 ]; then echo "lint: nothing to check"; exit 0; fi

for tool in cppcheck clang-tidy pkg-config; do
  command -v "$tool" >/dev/null || { echo "lint: $tool is missing (apt-get install cppcheck clang-tidy)" >&2; exit 2; }
done

jobs=${LINT_JOBS:-2}   # the machine is shared: two at a time
status=0

# ---- cppcheck: whole folders at once (it follows includes through -I.) ----
if cppcheck --enable=warning,performance,portability --std=c11 --inline-suppr \
     --error-exitcode=1 --quiet -I. --suppressions-list=tools/cppcheck.supp \
     -j "$jobs" "${dirs[@]}"; then
  echo "lint: cppcheck   ok (${dirs[*]})"
else
  echo "lint: cppcheck   FAILED"; status=1
fi

# ---- clang-tidy: one translation unit per .c file, in parallel ----
# the Makefile's CSTD, include path, package flags and the version macros it defines
TIDY_FLAGS="-std=c17 -D_GNU_SOURCE -I. $(pkg-config --cflags zlib libzstd libpcre2-8 libcrypto yaml-0.1 libisal 2>/dev/null)"
TIDY_FLAGS+=" -DASSAY_VERSION=\"0.0.0\" -DASSAY_GITDESC=\"lint\" -DASSAY_VARIANT=\"lint\""
export TIDY_FLAGS
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mapfile -t files < <(find "${dirs[@]}" -name '*.c' | sort)
# shellcheck disable=SC2016  # expanded by the inner bash
printf '%s\n' "${files[@]}" | xargs -r -P "$jobs" -I{} bash -c \
  'log="$1/$(echo "$2" | tr / _).log"
   clang-tidy --quiet "$2" -- $TIDY_FLAGS >"$log" 2>&1 || echo "$2" >>"$1/failed"' _ "$out" {}
for f in "$out"/*.log; do   # without clang's "N warnings generated." (system headers, filtered)
  [ -s "$f" ] && grep -v '^[0-9]* warnings\? generated\.$' "$f"
done
if [ -s "$out/failed" ]; then
  echo "lint: clang-tidy FAILED in $(wc -l <"$out/failed") of ${#files[@]} files: $(sort "$out/failed" | tr '\n' ' ')"
  status=1
else
  echo "lint: clang-tidy ok (${#files[@]} files)"
fi

if [ $status -eq 0 ]; then echo "lint: ok"; else echo "lint: FAILED"; fi
exit $status
