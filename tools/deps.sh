#!/usr/bin/env bash
# deps.sh: install the Debian packages assay needs that are missing.
# Usage: tools/deps.sh build|bench|fuzz|browser
# Idempotent and silent when nothing is missing; installs with apt-get as root;
# when not root and something is missing, says what and exits 1.
set -euo pipefail

group=${1:-build}
case $group in
  build)   pkgs="gcc make pkg-config zlib1g-dev libzstd-dev libpcre2-dev libcsv-dev libjemalloc-dev
                 libssl-dev openssl libyaml-dev libisal-dev libcmocka-dev zstd gzip coreutils python3" ;;
  bench)   pkgs="g++ libbenchmark-dev isal pigz zstd jq mawk hyperfine time bc" ;;
  fuzz)    pkgs="clang libclang-rt-14-dev" ;;
  browser) pkgs="chromium" ;;
  lint)    pkgs="cppcheck clang-tidy" ;;
  *) echo "deps.sh: unknown group '$group' (build, bench, fuzz, browser, lint)" >&2; exit 2 ;;
esac

missing=()
for p in $pkgs; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $st == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "assay: missing Debian packages: ${missing[*]}" >&2
  echo "assay: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "assay: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
