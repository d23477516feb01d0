#!/usr/bin/env bash
# check_real_clf.sh: runs the access-log tokenizer (parsers/psr_clf) over the
# whole real samples in ../shared/data/real/, which may not be copied whole into
# tests/ (the unit tests use excerpts: tests/data/real/).
#
# Checks, on elastic-examples-apache-logs/apache_logs (10,000 lines):
#   1. exactly the 14 known malformed lines are rejected (docs/domain.md 4.3),
#      each with its error and column (4031, 4192, 9064, 9952-9957, 9996, 9997:
#      syntax at 46; 8897-8899: syntax at 49), and the 9,986 others accepted;
#   2. when python3 is there, every field of every accepted line equals what a
#      strict combined regular expression reads (independent implementation);
# and that every line of the Filebeat access fixtures is accepted.
# Usage: tools/check_real_clf.sh [SHARED_DIR]   (default ../shared next to the repo)
# Needs build/release/libassay.a (make build/release/libassay.a). Prints one
# line per check and exits 1 when one fails; exits 0 with a note when the
# shared folder is missing (nothing to check).
set -u
cd "$(dirname "$0")/.."
shared=${1:-../shared}
real="$shared/data/real"
logs="$real/elastic-examples-apache-logs/apache_logs"
if [ ! -f "$logs" ]; then
  echo "check_real_clf: $logs not found: nothing to check"
  exit 0
fi
lib=build/release/libassay.a
if [ ! -f "$lib" ]; then
  echo "check_real_clf: $lib missing (make build/release/libassay.a)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the same flags as the Makefile's C code
${CC:-cc} -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
  -Wvla -Wformat=2 -O2 -I. tools/check_real_clf.c "$lib" -lm -o "$work/check" || exit 1

status=0
report() { # name ok(0/1) detail
  if [ "$2" -eq 0 ]; then printf 'ok    %s\n' "$1"; else printf 'FAIL  %s: %s\n' "$1" "$3"; status=1; fi
}

# 1. the rejected lines, with error and column
"$work/check" -f "$logs" > "$work/out" || exit 1
grep ': error: ' "$work/out" | sed "s|^$logs:||" > "$work/rejected"
cat > "$work/expected" <<'EOF'
4031:46: error: syntax
4192:46: error: syntax
8897:49: error: syntax
8898:49: error: syntax
8899:49: error: syntax
9064:46: error: syntax
9952:46: error: syntax
9953:46: error: syntax
9954:46: error: syntax
9955:46: error: syntax
9956:46: error: syntax
9957:46: error: syntax
9996:46: error: syntax
9997:46: error: syntax
EOF
if diff "$work/expected" "$work/rejected" > "$work/diff"; then d=0; else d=1; fi
report "apache_logs: exactly the 14 known malformed lines rejected" $d "$(head -20 "$work/diff")"
summary=$(grep -F "$logs: " "$work/out" | sed "s|^$logs: ||")
[ "$summary" = "10000 lines, 9986 accepted, 14 rejected" ]
report "apache_logs: $summary" $? "expected 10000 lines, 9986 accepted, 14 rejected"

# 2. fields against an independent reading
if command -v python3 > /dev/null; then
  python3 - "$logs" "$work/out" > "$work/py" 2>&1 <<'EOF'
import datetime, re, sys
rx = re.compile(r'^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-) '
                r'"((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$')
lines = open(sys.argv[1], encoding='latin-1').read().split('\n')[:-1]
got = {}
for l in open(sys.argv[2], encoding='latin-1'):
    f = l.rstrip('\n').split('\t')
    if len(f) > 5:
        got[int(f[0].rsplit(':', 1)[1])] = f
bad = 0
for i, l in enumerate(lines, 1):
    m = rx.match(l)
    if not m:
        if i in got:
            print('accepted but not combined:', i); bad += 1
        continue
    g = got.get(i)
    if g is None:
        print('rejected but combined:', i); bad += 1; continue
    t = datetime.datetime.strptime(m[4], '%d/%b/%Y:%H:%M:%S %z')
    utc = t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    off = int(t.utcoffset().total_seconds() // 60)
    parts = m[5].split(' ')
    split = parts if len(parts) == 3 and re.match(r'^HTTP/\d(\.\d)?$', parts[2]) else ['', '', '']
    want = ['', m[1], m[2], m[3], utc, str(off), m[5]] + split + \
           [m[6], '-1' if m[7] == '-' else m[7], m[8], m[9], '']
    if g[2:] != want:
        print('fields differ on line', i, g[2:], want); bad += 1
print('checked', len(lines), 'lines,', bad, 'differences')
sys.exit(1 if bad else 0)
EOF
  report "apache_logs: fields equal a strict combined regex's ($(tail -1 "$work/py"))" $? "$(head -5 "$work/py")"
else
  echo "skip  apache_logs: fields against a regex (no python3)"
fi

# 3. the Filebeat access fixtures: every line accepted
fixtures=("$real"/elastic-beats-filebeat-tests/{apache,nginx}_access/*.log)
"$work/check" "${fixtures[@]}" > "$work/fb" || exit 1
n_bad=$(grep -c ': error: ' "$work/fb")
n_lines=$(grep -E ': [0-9]+ lines, ' "$work/fb" | awk '{s += $2} END {print s + 0}')
[ "$n_bad" -eq 0 ]
report "Filebeat access fixtures: $n_lines lines, $n_bad rejected" $? "$(grep ': error: ' "$work/fb" | head -5)"
exit $status
