#!/usr/bin/env bash
# rules.sh (threaded): end-to-end tests of `assay run` and `assay lint` with the control
# library (controls/) on generated data: every control finds exactly the
# deviations truth.json lists (same keys, same file:line, nothing extra),
# the evidence is byte-identical at -j1 and -j4 and across runs, an
# existing --out folder is kept without --force, lint reports broken rule
# files with exact file:line:col messages and exits 2, an untestable
# instance counts as an exception, --source overrides and detection route
# inputs laid out differently. threaded: make tsan runs this script too.
source "$(dirname "$0")/lib.sh"

T=$(cd "$T" && pwd)
D=$T/data
C=$ROOT/controls
P=2025-10-01..2026-03-31
check "generate data"            "$GEN" --out "$D" --seed 3 --days 182 --scale 0.15 --quiet
check "lint the library"         "$ASSAY" lint "$C"
check "run exits 1 (exceptions)" expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" -j1 --out "$T/j1" "$D"
check "matches truth.json"       python3 "$ROOT/tests/e2e/rules_truth.py" "$T/j1" "$D"
check "run -j4"                  expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" -j4 --out "$T/j4" "$D"
X=(-x manifest.json -x report.html -x SHA256SUMS)  # times, command line, digest: tests/e2e/evidence.sh
check "-j1 = -j4 (every file)"   diff -r "${X[@]}" "$T/j1" "$T/j4"
check "again, -j2"               expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" -j2 --out "$T/j2" "$D"
check "run = run"                diff -r "${X[@]}" "$T/j1" "$T/j2"
check "results schema"           contains "$T/j1/results.json" '"schema": "assay.results/1"'
check "population header"        bash -c "head -1 '$T/j1/backup-daily/population.csv' | grep -q '^record_id,key,time,source,file,line,offset,result,reason'"
check "refuses existing --out"   expect_exit 2 "$ASSAY" run -q -r "$C" --period "$P" --out "$T/j1" "$D"
check "--force replaces"         expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" --out "$T/j1" --force "$D"
check "no temporary left"        bash -c "! ls -d '$T'/j1.assay-* 2>/dev/null"
check "summary table"            bash -c "'$ASSAY' run -r '$C' --period '$P' '$D' | grep -E '^leaver-deactivated-24h +CC6.2 CC6.3 +[0-9]+ +5 +0 +exceptions'"

# untestable = exception: a P1 without an acknowledgement time
check "p1 untestable counted"    bash -c "grep -c ',untestable,' '$T/j1/p1-ack-15min/exceptions.csv' | grep -qx 1"
check "untestable in results"    python3 -c "
import json,sys; r=json.load(open(sys.argv[1]))
c=[c for c in r['controls'] if c['id']=='p1-ack-15min'][0]
assert c['untestable']==1 and c['exceptions']==2 and c['verdict']=='exceptions', c" "$T/j1/results.json"

# inputs laid out differently: --source overrides and detection of the Okta export
mkdir -p "$T/flat"
cp "$D/hr/hr_export.csv" "$T/flat/people.csv"
for f in "$D"/okta/*; do cp "$f" "$T/flat/"; done
check "--source and detection"   expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" --source hr="$T/flat/people.csv" --out "$T/flat-out" "$T/flat"
check "flat: leavers found"      bash -c "test \$(tail -n +2 '$T/flat-out/leaver-deactivated-24h/exceptions.csv' | wc -l) -eq 5"
check "flat: logins found"       bash -c "test \$(tail -n +2 '$T/flat-out/no-login-after-termination/exceptions.csv' | wc -l) -eq 3"

# state: two shards saved separately, loaded together, equal one run over both
mkdir -p "$T/shA" "$T/shB"
cp -r "$D/okta" "$D/hr" "$D/inventory" "$D/changes" "$D/incidents" "$T/shA/"
cp -r "$D/auth" "$D/web" "$D/cloudtrail" "$D/backup" "$D/access_reviews" "$D/inventory" "$T/shB/"  # sets in both
"$ASSAY" run -q -r "$C" --period "$P" -j2 --out "$T/whole" "$T/shA" "$T/shB" 2>/dev/null
check "shard A: --state-out"      expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" -j1 --state-out "$T/a.state" "$T/shA"
check "shard B: --state-out"      bash -c "'$ASSAY' run -q -r '$C' --period '$P' -j3 --state-out '$T/b.state' '$T/shB' 2>/dev/null; test -s '$T/b.state'"
check "merge the states"          expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" --state-in "$T/a.state" --state-in "$T/b.state" --out "$T/merged"
check "merged = whole"            diff -r "${X[@]}" "$T/whole" "$T/merged"
head -c 100000 "$T/a.state" > "$T/cut.state"
"$ASSAY" run -q -r "$C" --period "$P" --state-in "$T/cut.state" >"$T/cut.out" 2>&1; echo "exit $?" >>"$T/cut.out"
check "a cut state: exit 2"       contains "$T/cut.out" "exit 2"
check "a cut state: says so"      contains "$T/cut.out" "damaged state file"
check "state of other rules"      bash -c "'$ASSAY' run -q -r '$ROOT/controls/sources.yaml' -r '$ROOT/controls/ssh-no-root.yaml' --period '$P' --state-in '$T/a.state' 2>&1 | grep -q 'other rule files'"
check "state of another period"   bash -c "'$ASSAY' run -q -r '$C' --period 2025-11-01..2026-03-31 --state-in '$T/a.state' 2>&1 | grep -q 'another --period'"

# real samples (tests/data/real, docs/controls.md): the controls that apply find what they should
R=$ROOT/tests/data/real
"$ASSAY" run -q -r "$C" --out "$T/real-p" "$R/panther-test-events"; echo "exit $?" >"$T/real-p.rc"
check "real: panther exit 1"     contains "$T/real-p.rc" "exit 1"
check "real: branch protection"  python3 -c "
import json,sys; r={c['id']: c for c in json.load(open(sys.argv[1]))['controls']}
got={k: (r[k]['population'], r[k]['exceptions'], r[k]['untestable']) for k in
     ['github-branch-protection-kept', 'priv-group-change-ticket', 'aws-console-mfa', 'aws-no-root']}
want={'github-branch-protection-kept': (15, 3, 0), 'priv-group-change-ticket': (1, 1, 0),
      'aws-console-mfa': (1, 0, 1), 'aws-no-root': (14, 0, 1)}
assert got == want, got" "$T/real-p/results.json"
"$ASSAY" run -q -r "$C" --out "$T/real-s" "$R/elastic-beats-syslog" "$R/loghub-syslog"
check "real: password logins"    python3 -c "
import csv,sys; rows=list(csv.DictReader(open(sys.argv[1], newline='')))
got=sorted((r['key'], r['file'].split('/')[-1], r['line']) for r in rows)
assert got == [('fztu', 'OpenSSH_2k.excerpt', '154'), ('vagrant', 'test.log', '2')], got" "$T/real-s/ssh-publickey-only/exceptions.csv"
"$ASSAY" run -q -r "$C" --out "$T/real-c" "$R/aws-cloudtrail-docs"
check "real: invalid CloudTrail counted" python3 -c "
import json,sys; i=[i for i in json.load(open(sys.argv[1]))['inputs'] if i['path'].endswith('06-INVALID.json')][0]
assert i['sources'] == ['cloudtrail'] and i['rejected'] == 1, i" "$T/real-c/results.json"

# lint: broken rule files, exact messages
B=$T/broken; mkdir -p "$B"
cat >"$B/a.yaml" <<'YAML'
sources:
  s: {paths: ["*.log"], format: syslog}
controls:
  - id: bad-expr
    title: t
    population: {source: s, key: user}
    test:
      each: user == "root" and
  - id: bad-field
    title: t
    population: {source: s, key: nosuchfield}
    test: {each: user != "root"}
  - id: bad-source
    title: t
    population: {source: nope, key: user}
    test: {each: "true"}
  - id: bad-regex
    title: t
    population: {source: s, key: user}
    test: {each: 'user =~ "a("'}
  - id: bad-test
    title: t
    population: {source: s, key: user}
    test: {sometimes: x}
YAML
printf 'id: x\n  title: [\n' >"$B/b.yaml"
"$ASSAY" lint "$B" >"$T/lint.out" 2>&1; echo "exit $?" >>"$T/lint.out"
check "lint exits 2"             contains "$T/lint.out" "exit 2"
check "lint: expression column"  contains "$T/lint.out" "$B/a.yaml:8:31: error: each: expected an expression, found the end of the expression"
check "lint: unknown field"      contains "$T/lint.out" "$B/a.yaml:11:34: error: population.key: unknown field 'nosuchfield' for format syslog (source 's'"
check "lint: unknown source"     contains "$T/lint.out" "$B/a.yaml:15:26: error: population: unknown source 'nope'"
check "lint: regex position"     contains "$T/lint.out" "$B/a.yaml:20:27: error: each: invalid regex: missing closing parenthesis (at offset 2 of the pattern)"
check "lint: unknown test"       contains "$T/lint.out" "$B/a.yaml:24:12: error: unknown test 'sometimes'"
check "lint: YAML error"         contains "$T/lint.out" "$B/b.yaml:2:8: error: YAML: mapping values are not allowed in this context"
check "lint: 6 errors counted"   contains "$T/lint.out" "assay lint: 6 errors in 2 rule files"
check "run refuses broken rules" expect_exit 2 "$ASSAY" run -q -r "$B" "$D"
check "lint: missing file"       expect_exit 2 "$ASSAY" lint "$T/nonexistent.yaml"
check "run: no rules"            expect_exit 2 "$ASSAY" run "$D"

# an interrupted run leaves no evidence
"$ASSAY" run -q -r "$C" --period "$P" -j1 --out "$T/killed" "$D" & pid=$!
sleep 0.2; kill -INT $pid; wait $pid; rc=$?
if [ $rc -eq 130 ]; then
  check "SIGINT: no output folder" bash -c "test ! -e '$T/killed' && ! ls -d '$T'/killed.assay-* 2>/dev/null"
else  # the run finished before the signal: then the evidence is complete
  check "SIGINT: run finished"   bash -c "[ $rc -eq 1 ] && diff -r -x manifest.json -x report.html -x SHA256SUMS '$T/j1' '$T/killed'"
fi
finish
