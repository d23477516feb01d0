#!/usr/bin/env bash
# threaded
# sample.sh: end-to-end tests of assay plan, sample, evaluate and verify on
# the fixtures in tests/data/smp: sampling.md vectors through the command
# line, the openssl re-performance recipes of docs/reperform.md run with the
# real openssl binary, -j1 / -j4 and input-order identity, seed governance,
# every method, bad rows with file:line, verify's first difference, and the
# usage errors (exit 2).
source "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/smp
P=$D/population.csv
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[int(k)] if k.isdigit() else d[k]
print(json.dumps(d) if isinstance(d,(dict,list,bool)) or d is None else d)' "$@"; }

# ---- plan ----
"$ASSAY" plan --tolerable 5 --json > "$T/p1.json"
check "plan P1: 95/5/0 is 59" test "$(jget "$T/p1.json" sample_size)" = 59
check "plan schema assay.plan/1" test "$(jget "$T/p1.json" schema)" = assay.plan/1
check "plan is verified at n and n-1" test "$(jget "$T/p1.json" verification.verified)" = true
"$ASSAY" plan --confidence 90 --tolerable 5 --expected 3.5 --json > "$T/p17.json"
check "plan P17: 400 with 14 allowed (not jfa's 423)" test "$(jget "$T/p17.json" sample_size)/$(jget "$T/p17.json" allowed_deviations)" = 400/14
"$ASSAY" plan --confidence 90% --tolerable 7% --expected 3.25% --json > "$T/p16.json"
check "plan P16: 113, where the AICPA table prints 112" test "$(jget "$T/p16.json" sample_size)" = 113
"$ASSAY" plan --confidence 90 --tolerable 10 --expected 8.5 --population 100 --json > "$T/h12.json"
check "plan H12: the exact tie passes at 99" test "$(jget "$T/h12.json" sample_size)/$(jget "$T/h12.json" model)" = 99/hypergeometric
"$ASSAY" plan --tolerable 5 --population 150 --tolerable-count-rounding floor --json > "$T/h11.json"
check "plan H11: floor K gives 52" test "$(jget "$T/h11.json" sample_size)" = 52
"$ASSAY" plan --tolerable 5 --stages 2 --json > "$T/s1.json"
check "plan S1: two-stage 61 per stage" test "$(jget "$T/s1.json" sample_size)/$(jget "$T/s1.json" total_sample_size)" = 61/122
"$ASSAY" plan --materiality 5 --book-value 100 --json > "$T/m1.json"
check "plan M1: MUS 60" test "$(jget "$T/m1.json" sample_size)/$(jget "$T/m1.json" model)" = 60/poisson
"$ASSAY" plan --model poisson --tolerable 5 --expected 2.5 --json > "$T/m3.json"
check "plan M3: 231 with the taint 5.775 unrounded" test "$(jget "$T/m3.json" sample_size)/$(jget "$T/m3.json" allowed_deviations)" = 231/5.775
"$ASSAY" plan --frequency monthly --confidence 90 --json > "$T/f.json"
check "plan --frequency monthly: 2 of 12 only shows a rate below 58.3% (F8)" test "$(jget "$T/f.json" upper_limit_at_zero.0.upper_limit)" = 0.583333
"$ASSAY" plan --frequency weekly --confidence 90 --size 15 > "$T/f.txt"
check "plan --frequency weekly --size 15: 11.54% (6/52)" contains "$T/f.txt" "below 11.54%"
"$ASSAY" plan --tolerable 5 --population 40 --model binomial > "$T/full.txt"
check "plan: a population smaller than the sample is tested 100%" contains "$T/full.txt" "test all 40 items (100% testing"
"$ASSAY" plan --tolerable 5 --expected 1 > "$T/p6.txt"
check "plan terminal paragraph names n, k and the check" contains "$T/p6.txt" "test 93 items and allow 1 deviation"
check "plan: expected >= tolerable is a usage error" expect_exit 2 "$ASSAY" plan --tolerable 5 --expected 5
check "plan: three decimals is a usage error" expect_exit 2 "$ASSAY" plan --tolerable 5.123
check "plan: no tolerable rate is a usage error" expect_exit 2 "$ASSAY" plan --confidence 95
check "plan: an unknown model is a usage error" expect_exit 2 "$ASSAY" plan --tolerable 5 --model normal
"$ASSAY" plan --tolerable 5 --expected 9 2> "$T/err.txt"
check "plan: the message says why" contains "$T/err.txt" "must be below the tolerable rate"

# ---- evaluate ----
"$ASSAY" evaluate --size 60 --deviations 0 --tolerable 5 --json > "$T/e1.json"
check "evaluate E1: 4.870291%, table 4.9, supports" test "$(jget "$T/e1.json" upper_limit_pct)/$(jget "$T/e1.json" upper_limit_table_pct)/$(jget "$T/e1.json" conclusion)" = 4.870291/4.9/supports
check "evaluate E2: 1 in 60 does not support 5% (exit 1)" expect_exit 1 "$ASSAY" evaluate --size 60 --deviations 1 --tolerable 5
"$ASSAY" evaluate --size 100 --deviations 5 --json > "$T/e3.json"
check "evaluate E3: table value rounds up to 10.3" test "$(jget "$T/e3.json" upper_limit_table_pct)" = 10.3
"$ASSAY" evaluate --size 102 --deviations 3 --population 1200 --confidence 90 --json > "$T/h7.json"
check "evaluate H7: 75 of 1200" test "$(jget "$T/h7.json" upper_limit_count)" = 75
"$ASSAY" evaluate --model poisson --size 60 --deviations 0 --json > "$T/m1e.json"
check "evaluate M1: Poisson 0.04992887" test "$(jget "$T/m1e.json" upper_limit_pct)" = 4.992887
printf 'ordinal,record_id,result\r\n1,a,pass\r\n2,b,exception\r\n3,c,untestable\r\n4,d,pass\r\n' > "$T/res.csv"
"$ASSAY" evaluate --results "$T/res.csv" --json > "$T/res.json"
check "evaluate --results: 2 deviations in 4, untestable counted" test "$(jget "$T/res.json" deviations)/$(jget "$T/res.json" sample_size)/$(jget "$T/res.json" untestable)" = 2/4/1
printf 'ordinal,record_id,result\r\n1,a,pass\r\n2,b,\r\n' > "$T/res2.csv"
"$ASSAY" evaluate --results "$T/res2.csv" 2> "$T/err2.txt"; rc=$?
check "evaluate --results: an untested item is an error with file:line" test $rc = 2
check "evaluate --results: names res2.csv:3" contains "$T/err2.txt" "res2.csv:3: the result is empty"
printf 'ordinal,record_id,result\r\n1,a,pass\r\n\r\n2,"b\nc",exception\r\n3,c,\r\n' > "$T/res3.csv"
"$ASSAY" evaluate --results "$T/res3.csv" 2> "$T/err3.txt"
check "evaluate --results: lines counted through a blank line and a quoted line feed (res3.csv:6)" contains "$T/err3.txt" "res3.csv:6: the result is empty"
printf 'ordinal,record_id,result\n1,a,pass\n2,b"x,exception\n' > "$T/res4.csv"
check "evaluate --results: a stray quote is an error with its line, exit 2" expect_exit 2 "$ASSAY" evaluate --results "$T/res4.csv"
"$ASSAY" evaluate --results "$T/res4.csv" 2> "$T/err4.txt"
check "evaluate --results: res4.csv:3: not valid CSV" contains "$T/err4.txt" "res4.csv:3: not valid CSV"
printf 'ordinal,record_id,result\n1,a,pass\n2,"b,exception\n' > "$T/res5.csv"
check "evaluate --results: a quote never closed is an error" expect_exit 2 "$ASSAY" evaluate --results "$T/res5.csv"
check "evaluate: more deviations than items is a usage error" expect_exit 2 "$ASSAY" evaluate --size 5 --deviations 6

# ---- sample: random, and its openssl re-performance ----
S=$T/s
"$ASSAY" sample --population "$P" --size 10 --seed audit-2025 --out "$S" -q
check "sample writes sample.csv, sample.json, seeds.log" test -s "$S/sample.csv" -a -s "$S/sample.json" -a -s "$S/seeds.log"
check "sample.json schema and N" test "$(jget "$S/sample.json" schema)/$(jget "$S/sample.json" population.N)" = assay.sample/1/55
check "sample.json population digest = sha256sum" test "$(jget "$S/sample.json" population.digest)" = "$(sha256sum "$P" | cut -d' ' -f1)"
# docs/reperform.md, recipe 1: keys of every record id with openssl, the 10 smallest
SEED=audit-2025
tail -n +2 "$P" | cut -d, -f1 | tr -d '\r' | while read -r id; do
  printf '%s %s\n' "$(printf '%s' "$id" | openssl dgst -sha256 -mac HMAC -macopt key:"$SEED" | awk '{print substr($NF,1,16)}')" "$id"
done | LC_ALL=C sort | head -n 10 > "$T/openssl.txt"
tail -n +2 "$S/sample.csv" | cut -d, -f7,2 | awk -F, '{print $2" "$1}' > "$T/assay.txt"
check "openssl recipe gives the same items and keys, in order" same_files "$T/openssl.txt" "$T/assay.txt"
# recipe 2: records of a log file: id = sha16 of the file : byte offset of each non-empty line
L=$ROOT/tests/data/real/loghub-syslog/OpenSSH_2k.excerpt
"$ASSAY" sample --population "$L" --size 7 --seed hex:000102030405060708090a0b0c0d0e0f --out "$T/log" -q
SHA16=$(sha256sum "$L" | cut -c1-16)
LC_ALL=C awk -v s="$SHA16" '{ if (length($0) > 0) print s ":" o; o += length($0) + 1 }' "$L" | while read -r id; do
  printf '%s %s\n' "$(printf '%s' "$id" | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f | awk '{print substr($NF,1,16)}')" "$id"
done | LC_ALL=C sort | head -n 7 > "$T/openssl_log.txt"
tail -n +2 "$T/log/sample.csv" | cut -d, -f7,2 | awk -F, '{print $2" "$1}' > "$T/assay_log.txt"
check "openssl recipe on a log file (hex seed, byte offsets)" same_files "$T/openssl_log.txt" "$T/assay_log.txt"

# ---- identity at any -j and input order ----
for j in 1 4; do "$ASSAY" sample --population "$P" --size 10 --seed audit-2025 --out "$T/j$j" -j$j -q; done
check "sample.csv identical at -j1 and -j4" same_files "$T/j1/sample.csv" "$T/j4/sample.csv"
LOGS=$ROOT/tests/data/real/loghub-syslog
A=$LOGS/Linux_2k.excerpt; B=$LOGS/OpenSSH_2k.excerpt
"$ASSAY" sample --population "$A" --population "$B" --size 12 --seed order --out "$T/ab" -q -j1
"$ASSAY" sample --population "$B" --population "$A" --size 12 --seed order --out "$T/ba" -q -j4
check "sample.csv identical for either input order (logs)" same_files "$T/ab/sample.csv" "$T/ba/sample.csv"
for m in systematic cell; do
  "$ASSAY" sample --population "$LOGS" --size 9 --method $m --seed s --out "$T/$m-1" -q -j1
  "$ASSAY" sample --population "$LOGS" --size 9 --method $m --seed s --out "$T/$m-4" -q -j4
  check "$m: identical at -j1 and -j4" same_files "$T/$m-1/sample.csv" "$T/$m-4/sample.csv"
done

# ---- a population of many blocks (> 4 MiB): -j and the parsers' CSV names ----
BIG=$T/big.csv
LC_ALL=C awk 'BEGIN { srand(11); print "record_id,key,time,source,file,line,offset,result,reason\r"; off = 0
  for (i = 1; i <= 60000; i++) { off += 80 + int(rand() * 300)
    printf "9f86d081884c7d65:%d,user%04d,2025-%02d-%02dT10:00:00Z,sshd,logs/auth.log,%d,%d,%s,\r\n", off, i % 5000,
           10 + i % 3, 1 + i % 28, i, off, rand() < 0.01 ? "exception" : "pass" } }' > "$BIG"
check "the big population is over 4 MiB" test "$(stat -c %s "$BIG")" -gt 4194304
"$ASSAY" sample --population "$BIG" --size 25 --seed big --out "$T/big1" -q -j1
"$ASSAY" sample --population "$BIG" --size 25 --seed big --out "$T/big4" -q -j4
check "many blocks: sample.csv identical at -j1 and -j4" same_files "$T/big1/sample.csv" "$T/big4/sample.csv"
check "many blocks: all 60000 rows are items, none rejected" test "$(jget "$T/big1/sample.json" population.N)/$(jget "$T/big1/sample.json" population.inputs.0.rejected)" = 60000/0
python3 -c '
import hmac, hashlib, sys
ids = [l.split(",")[0] for l in open(sys.argv[1], newline="").read().split("\r\n")[1:] if l]
ks = sorted((hmac.new(b"big", i.encode(), hashlib.sha256).hexdigest()[:16], i) for i in ids)[:25]
print("\n".join(k + " " + i for k, i in ks))' "$BIG" > "$T/hmac_big.txt"
tail -n +2 "$T/big1/sample.csv" | cut -d, -f7,2 | awk -F, '{print $2" "$1}' > "$T/assay_big.txt"
check "many blocks: an independent HMAC (python hmac) agrees on 60000 keys" same_files "$T/hmac_big.txt" "$T/assay_big.txt"
for m in "--method systematic --seed big" "--method stratified --strata month --seed big"; do
  "$ASSAY" sample --population "$BIG" --size 30 $m --out "$T/bm1" -q -j1
  "$ASSAY" sample --population "$BIG" --size 30 $m --out "$T/bm4" -q -j4
  check "many blocks: $m identical at -j1 and -j4" same_files "$T/bm1/sample.csv" "$T/bm4/sample.csv"
done

# ---- population.csv compressed: the same population (its record_id column), the same sample ----
gzip -c "$BIG" > "$T/big.csv.gz"
zstd -qc "$BIG" > "$T/big.csv.zst"
for z in gz zst; do
  "$ASSAY" sample --population "$T/big.csv.$z" --size 25 --seed big --out "$T/big-$z" -q
  check "population.csv.$z: read as population.csv, the same sample.csv" same_files "$T/big1/sample.csv" "$T/big-$z/sample.csv"
done
check "population.csv.gz: verify re-performs it" expect_exit 0 "$ASSAY" verify -q "$T/big-gz/sample.json"

# ---- a CSV export of many blocks (not population.csv): fields by the parsers' header names ----
EXP=$T/export.csv
LC_ALL=C awk 'BEGIN { print "id,user,when,amount"
  for (i = 1; i <= 120000; i++) printf "E%06d,u%02d,2025-11-%02dT08:00:00Z,%d.%02d\n", i, i % 97, 1 + i % 28, i * 3, i % 100 }' > "$EXP"
check "the export is over 4 MiB" test "$(stat -c %s "$EXP")" -gt 4194304
"$ASSAY" sample --population "$EXP" --size 40 --seed exp --out "$T/exp" -q
python3 -c '
import csv, sys
src = open(sys.argv[1]).read().split("\n")
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(rows) == 40, len(rows)
far = 0
for r in rows:
    line = int(r["location"].rsplit(":", 1)[1])
    want = src[line - 1].split(",")
    got = [r["id"], r["user"], r["when"], r["amount"]]
    assert got == want, (line, got, want)
    far += line > 50000
assert far > 0, "no item past the first blocks"
' "$EXP" "$T/exp/sample.csv" > "$T/exp.txt" 2>&1
check "export: every sampled row carries its own named fields, past the first 4 MiB too" test -z "$(cat "$T/exp.txt")"

# ---- verify ----
"$ASSAY" verify "$S/sample.json" > "$T/v.txt"; rc=$?
check "verify: identical, exit 0" test $rc = 0
check "verify says identical" contains "$T/v.txt" "identical: 10 items re-performed"
cp "$P" "$T/pop.csv"
"$ASSAY" sample --population "$T/pop.csv" --size 10 --seed audit-2025 --out "$T/vt" -q
sed -i 's/user05/user5/' "$T/pop.csv"
"$ASSAY" verify "$T/vt/sample.json" > "$T/v2.txt"; rc=$?
check "verify: a changed population exits 1" test $rc = 1
check "verify names the changed input" contains "$T/v2.txt" "has SHA-256"
"$ASSAY" sample --population "$P" --size 10 --seed audit-2025 --out "$T/vc" -q
sed -i '4s/^3,[^,]*,/3,xx:1,/' "$T/vc/sample.csv"
"$ASSAY" verify "$T/vc/sample.json" > "$T/v3.txt"; rc=$?
check "verify: an edited sample.csv item exits 1 and names the line" test $rc = 1 -a -n "$(grep 'sample.csv line 4: record_id xx:1' "$T/v3.txt")"
"$ASSAY" verify "$T" 2> "$T/v4.txt"; rc=$?
check "verify DIR without a manifest: exit 2" test $rc = 2
check "verify DIR says why" contains "$T/v4.txt" "cannot read the manifest"
for m in "--method systematic --seed q" "--method cell --seed q" "--method stratified --strata month --seed q" "--method systematic --start 2"; do
  "$ASSAY" sample --population "$P" --size 7 $m --out "$T/vm" -q
  check "verify re-performs: $m" expect_exit 0 "$ASSAY" verify -q "$T/vm/sample.json"
done

# ---- seeds: required, random, and every draw logged ----
check "sample without --seed is a usage error" expect_exit 2 "$ASSAY" sample --population "$P" --size 5 --out "$T/x"
"$ASSAY" sample --population "$P" --size 5 --out "$T/x" 2> "$T/seed.txt"
check "the message says how to give one" contains "$T/seed.txt" "--seed random"
"$ASSAY" sample --population "$P" --size 5 --seed random --out "$T/r" -q
check "--seed random is recorded as drawn from the OS" test "$(jget "$T/r/sample.json" seed.form)" = random
check "--seed random: verify re-performs from the recorded seed" expect_exit 0 "$ASSAY" verify -q "$T/r/sample.json"
"$ASSAY" sample --population "$P" --size 5 --seed first --out "$T/g" -q
"$ASSAY" sample --population "$P" --size 5 --seed second --out "$T/g" -q
check "seeds.log keeps both draws" test "$(grep -c "population=$(sha256sum "$P" | cut -d' ' -f1)" "$T/g/seeds.log")" = 2
check "sample.json lists every seed tried on the population" test "$(jget "$T/g/sample.json" seed_log.seeds)" = '["seed=first", "seed=second"]'

# ---- methods ----
"$ASSAY" sample --population "$P" --size 5 --method systematic --start 3 --out "$T/sy" -q
check "systematic --start 3 over 55 items (I = 11): 3,14,25,36,47" test "$(tail -n +2 "$T/sy/sample.csv" | cut -d, -f7 | tr '\n' ,)" = "3,14,25,36,47,"
"$ASSAY" sample --population "$D/invoices.csv" --method mus --value amount --start 2 --size 5 --out "$T/mus" -q
check "MUS SEL2: items A, C, D, G, I" test "$(tail -n +2 "$T/mus/sample.csv" | cut -d, -f11 | tr '\n' ,)" = "INV-A,INV-C,INV-D,INV-G,INV-I,"
check "MUS: the zero value is excluded and counted" test "$(jget "$T/mus/sample.json" population.excluded_nonpositive)" = 1
"$ASSAY" sample --population "$P" --size 12 --method stratified --strata month --seed q --out "$T/st" -q
check "stratified month: every stratum has an item, n adds up" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); s=d["strata"]
sys.exit(0 if all(x["n"]>=1 for x in s) and sum(x["n"] for x in s)==12 and [x["label"] for x in s]==["(no time)","2025-10","2025-11","2025-12"] else 1)' "$T/st/sample.json"
"$ASSAY" sample --population "$P" --size 100 --seed q --out "$T/all" -q
check "a population smaller than the sample is taken whole" test "$(jget "$T/all/sample.json" full_testing)/$(jget "$T/all/sample.json" size)" = true/55
check "formula cells stay neutralised in sample.csv" contains "$T/all/sample.csv" "\"'=HYPERLINK(\"\"x\"\")\""

# ---- bad rows: reported with file:line, counted, never fatal ----
"$ASSAY" sample --population "$D/population_bad.csv" --size 3 --seed b --out "$T/bad" 2> "$T/bad.txt"; rc=$?
check "bad rows: the sample is still drawn (exit 0)" test $rc = 0
check "bad rows: empty record_id at line 4" contains "$T/bad.txt" "population_bad.csv:4: record_id is empty"
check "bad rows: bad result at line 6" contains "$T/bad.txt" "population_bad.csv:6: result is not pass, exception or untestable"
check "bad rows: bad time at line 8" contains "$T/bad.txt" "population_bad.csv:8: the time column is not a timestamp"
check "bad rows: extra field at line 10" contains "$T/bad.txt" "population_bad.csv:10: more fields than the header"
check "bad rows: 4 counted, 6 items left" test "$(jget "$T/bad/sample.json" population.inputs.0.rejected)/$(jget "$T/bad/sample.json" population.N)" = 4/6

# ---- the population.csv files of a real `assay run` ----
"$GEN" --out "$T/gen" --seed 3 --days 40 --scale 0.05 --quiet
"$ASSAY" run -q -r "$ROOT/controls" --period 2025-10-01..2025-11-09 --out "$T/ev" "$T/gen" 2>/dev/null
check "assay run wrote a population.csv per control" test -s "$T/ev/backup-daily/population.csv" -a -s "$T/ev/aws-no-root/population.csv"
for c in backup-daily aws-no-root; do
  "$ASSAY" sample --population "$T/ev/$c/population.csv" --size 25 --seed FY25 --out "$T/run-$c" -q
  check "run's $c population: sampled and re-performed" expect_exit 0 "$ASSAY" verify -q "$T/run-$c/sample.json"
  check "run's $c population: no row rejected" test "$(jget "$T/run-$c/sample.json" population.inputs.0.rejected)" = 0
done
"$ASSAY" sample --population "$T/ev/backup-daily/population.csv" --size 20 --method stratified --strata month --seed FY25 --out "$T/run-st" -q
check "run's cadence cells stratify by month" test "$(jget "$T/run-st/sample.json" strata.0.label)" = 2025-10
"$ASSAY" evaluate --results "$T/run-backup-daily/sample.csv" --tolerable 15 --json > "$T/run-ev.json"
check "evaluate reads the sample's result column" test "$(jget "$T/run-ev.json" sample_size)" = 25

# ---- evaluating a stratified sample: per stratum, the stratified bound, which one concludes ----
"$ASSAY" sample --population "$BIG" --size 30 --method stratified --strata month --seed big --out "$T/se" -q
python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for i, r in enumerate(rows):
    r["result"] = "exception" if i in (3, 17) else "pass"
w = csv.DictWriter(open(sys.argv[1], "w", newline=""), fieldnames=list(rows[0].keys())); w.writeheader(); w.writerows(rows)' "$T/se/sample.csv"
"$ASSAY" evaluate --results "$T/se/sample.csv" --tolerable 20 --json > "$T/se.json"; rc=$?
check "stratified evaluation: proportional (20000 a month, 10 each): the pooled one concludes" test "$rc/$(jget "$T/se.json" conclusion_from)/$(jget "$T/se.json" stratified_bound.allocation)" = 0/pooled/proportional
check "stratified evaluation: N_h from sample.json, n_h and x_h from the rows" test "$(jget "$T/se.json" strata.0.N)/$(jget "$T/se.json" strata.0.sample_size)/$(python3 -c 'import json,sys; print(sum(s["deviations"] for s in json.load(open(sys.argv[1]))["strata"]))' "$T/se.json")" = 20000/10/2
check "stratified evaluation: the bound is the strata's limits added up" test "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(s["upper_limit_count"] for s in d["strata"]) == d["stratified_bound"]["upper_limit_count"])' "$T/se.json")" = True
python3 -c '
rows = ["record_id,key,time,source,file,line,offset,result,reason"]
i = 0
for m, cnt in ((10, 1000), (11, 1000), (12, 60)):
    for k in range(cnt):
        i += 1
        rows.append("9f86d081884c7d65:%d,u%d,2025-%02d-%02dT10:00:00Z,sshd,logs/auth.log,%d,%d,pass," % (i * 100, i % 50, m, 1 + k % 28, i, i * 100))
open("'"$T/popd.csv"'", "w", newline="").write("\r\n".join(rows) + "\r\n")'
"$ASSAY" sample --population "$T/popd.csv" --size 25 --method stratified --strata month --min-per-stratum 6 --seed d --out "$T/sd" -q
"$ASSAY" evaluate --results "$T/sd/sample.csv" --tolerable 30 --json > "$T/sd.json"; rc=$?
check "disproportionate (a minimum of 6 for a month of 60): the stratified bound concludes, exit 1" test "$rc/$(jget "$T/sd.json" conclusion_from)/$(jget "$T/sd.json" stratified_bound.allocation)/$(jget "$T/sd.json" conclusion)" = 1/stratified_bound/disproportionate/does_not_support
"$ASSAY" evaluate --results "$T/sd/sample.csv" --tolerable 30 --pooled --json > "$T/sdp.json"; rc=$?
check "--pooled: the pooled sample concludes (supports, exit 0)" test "$rc/$(jget "$T/sdp.json" conclusion_from)" = 0/pooled
mkdir -p "$T/alone" && cp "$T/se/sample.csv" "$T/alone/"
"$ASSAY" evaluate --results "$T/alone/sample.csv" --json > "$T/alone.json"
check "without sample.json: per-stratum counts, no bound, and why" test "$(jget "$T/alone.json" strata.1.sample_size)/$(jget "$T/alone.json" stratified_bound)/$(jget "$T/alone.json" stratified_bound_missing | grep -c 'no sample.json beside')" = 10/null/1
"$ASSAY" evaluate --results "$T/alone/sample.csv" --sample "$T/se/sample.json" --json > "$T/alone2.json"
check "--sample names the sample.json" test "$(jget "$T/alone2.json" stratified_bound.population)" = 60000
"$ASSAY" evaluate --results "$T/alone/sample.csv" --sample "$T/sd/sample.json" --json > "$T/alone3.json"
check "another selection's sample.json is not used" test "$(jget "$T/alone3.json" stratified_bound)" = null

# ---- the seed ledger: draws into fresh folders still leave their trail ----
L=$T/ledger-test.log
ASSAY_SEED_LEDGER=$L "$ASSAY" sample --population "$P" --size 5 --seed first --out "$T/lg1" -q
ASSAY_SEED_LEDGER=$L "$ASSAY" sample --population "$P" --size 5 --seed second --out "$T/lg2" 2> "$T/lg2.txt"
check "ledger: the second draw (another folder) lists both seeds in sample.json" test "$(jget "$T/lg2/sample.json" seed_log.ledger.seeds)" = '["seed=first", "seed=second"]'
check "ledger: the folder's own seeds.log has only its draw" test "$(jget "$T/lg2/sample.json" seed_log.draws_for_population)" = 1
check "ledger: a warning names the earlier draw with another seed" contains "$T/lg2.txt" "drawn 1 time before with another seed"
check "ledger: each line records the output folder" test "$(grep -c "out=$(cd "$T/lg1" && pwd)" "$L")" = 1
ASSAY_SEED_LEDGER=$L "$ASSAY" sample --population "$P" --size 5 --seed second --out "$T/lg3" 2> "$T/lg3.txt"
check "ledger: re-drawing with the same seed still warns about the other one" contains "$T/lg3.txt" "drawn 1 time before"
check "ledger: verify is not affected by it" expect_exit 0 "$ASSAY" verify -q "$T/lg2/sample.json"
ASSAY_SEED_LEDGER=/nonexistent/dir/ledger.log "$ASSAY" sample --population "$P" --size 5 --seed x --out "$T/lg4" 2> "$T/lg4.txt"; rc=$?
check "ledger: an unwritable ledger warns, the sample is still written" test $rc = 0 -a -s "$T/lg4/sample.csv" -a -n "$(grep 'cannot be written' "$T/lg4.txt")"
check "ledger: sample.json says there was none" test "$(jget "$T/lg4/sample.json" seed_log.ledger)" = null

# ---- cell MUS: one random unit per cell, recomputed independently ----
for n in 4 7; do
  "$ASSAY" sample --population "$D/invoices.csv" --method mus --value amount --cells --size $n --seed cellseed --out "$T/mc$n" -q
  python3 -c '
import hmac, hashlib, csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
vals = [(r["invoice"], round(float(r["amount"]) * 10**6)) for r in rows]
T = sum(v for _, v in vals if v > 0); n = int(sys.argv[2]); sel = {}
for j in range(1, n + 1):
    h = int(hmac.new(b"cellseed", ("assay-mus-cell-%d" % j).encode(), hashlib.sha256).hexdigest()[:16], 16)
    u = ((j - 1) * 2**64 + h) * T // (n * 2**64) + 1; c = 0
    for inv, v in vals:
        if v <= 0: continue
        c += v
        if c >= u: sel[inv] = sel.get(inv, 0) + 1; break
print(",".join("%s:%d" % (k, sel[k]) for k in sorted(sel)))' "$D/invoices.csv" $n > "$T/mc$n.want"
  python3 -c '
import csv, sys
print(",".join("%s:%s" % (r["invoice"], r["times"]) for r in sorted(csv.DictReader(open(sys.argv[1], newline="")), key=lambda r: r["invoice"])))' "$T/mc$n/sample.csv" > "$T/mc$n.got"
  check "cell MUS n=$n: the items and times python's hmac gives" same_files "$T/mc$n.want" "$T/mc$n.got"
done
check "cell MUS: verify re-performs it" expect_exit 0 "$ASSAY" verify -q "$T/mc7/sample.json"
check "cell MUS: sample.json records options.cells" test "$(jget "$T/mc7/sample.json" options.cells)" = true
check "--cells without mus is a usage error" expect_exit 2 "$ASSAY" sample --population "$P" --size 5 --seed x --cells
check "--cells with --start is a usage error" expect_exit 2 "$ASSAY" sample --population "$D/invoices.csv" --method mus --value amount --cells --start 2 --size 3

# ---- usage errors ----
check "no population" expect_exit 2 "$ASSAY" sample --size 5 --seed x
check "stdin is refused" expect_exit 2 "$ASSAY" sample --population - --size 5 --seed x
check "--start with random" expect_exit 2 "$ASSAY" sample --population "$P" --size 5 --start 2
check "--strata without stratified" expect_exit 2 "$ASSAY" sample --population "$P" --size 5 --seed x --strata month
check "mus without --value" expect_exit 2 "$ASSAY" sample --population "$P" --size 5 --seed x --method mus
check "a bad seed" expect_exit 2 "$ASSAY" sample --population "$P" --size 5 --seed hex:xyz
check "--start beyond the interval" expect_exit 2 "$ASSAY" sample --population "$P" --size 5 --method systematic --start 12 --out "$T/x"
"$ASSAY" plan --tolerable 10 --json > "$T/plan.json"
"$ASSAY" sample --population "$P" --plan "$T/plan.json" --seed p --out "$T/pl" -q
check "sample --plan takes the plan's size (29)" test "$(jget "$T/pl/sample.json" size)" = 29
finish
