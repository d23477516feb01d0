#!/usr/bin/env bash
# threaded
# formats.sh: end-to-end tests of the parsers through the real binary: on the
# generated data set, `assay scan` must find each file's format, record
# count, rejected records (line and reason) and first/last event time exactly
# as truth.json says, and the two missing log days as gaps; `assay parse`
# output must be identical at -j1 and -j4 and account for every record; each
# format's corner cases on small hand-made inputs.
source "$(dirname "$0")/lib.sh"

A=$T/data
"$GEN" --out "$A" --seed 11 --days 40 --start 2025-12-10 --quiet
check "generator wrote the data set" test -f "$A/truth.json"
# truth.json's period end is exclusive: the last second inside it ends the --period
P=$(python3 -c '
import json, sys, datetime
p = json.load(open(sys.argv[1]))["period"]
end = datetime.datetime.fromisoformat(p["end"].replace("Z", "+00:00")) - datetime.timedelta(seconds=1)
print(p["start"] + ".." + end.strftime("%Y-%m-%dT%H:%M:%SZ"))' "$A/truth.json")
"$ASSAY" scan --json -q -j2 --period "$P" "$A" > "$T/scan.json" 2> "$T/scan.err"
check "scan exits 2 (the data set holds a truncated .gz)" test $? -eq 2

check "formats, records, rejects and times agree with truth.json" python3 - "$A" "$T/scan.json" <<'PY'
import json, os, sys
root, scan = sys.argv[1], json.load(open(sys.argv[2]))
t = json.load(open(root + "/truth.json"))
files = {f["path"]: f for f in t["files"]}
# the generator's format names -> assay's
fmt = {"syslog5424": "syslog", "backup": "logfmt", "deploy": "logfmt"}
bad = []
for i in scan["inputs"]:
    p = os.path.relpath(i["path"], root)
    if p == "truth.json":
        continue
    f = files[p]
    want_fmt = fmt.get(f["format"], f["format"])
    if i["format"] != want_fmt:
        bad.append((p, "format", i["format"], want_fmt))
    for k in ("records", "rejected", "first_time", "last_time"):
        if i[k] != f[k]:
            bad.append((p, k, i[k], f[k]))
    if i["records"] != i["accepted"] + i["rejected"]:
        bad.append((p, "read != accepted + rejected"))
    got = sorted((r["line"], r["reason"]) for r in i["rejects"])
    want = sorted((m["line"], m["reason"]) for m in t["malformed"] if m["file"] == p and m["kind"] == "record")
    if got != want:
        bad.append((p, "rejects", got, want))
for b in bad[:25]:
    print(b)
print(len(bad), "differences")
sys.exit(1 if bad else 0)
PY

check "the missing log days are gaps of their sources" python3 - "$A" "$T/scan.json" <<'PY'
import json, os, sys
root, scan = sys.argv[1], json.load(open(sys.argv[2]))
t = json.load(open(root + "/truth.json"))
src = {os.path.relpath(s["source"], root): s for s in scan["sources"]}
bad = []
for g in t["gaps"]:
    name = {"auth": "auth/", "web": "web/"}[g["source"]] + g["entity"]
    days = [x["from"][:10] for x in src[name]["coverage"]["gaps"] if x["buckets"] == 1]
    if g["day"] not in days:
        bad.append((name, g["day"], days))
for s in src.values():   # continuous sources have no other gap
    if s["source"].endswith(("/www", "/admin")) and s["coverage"]["empty_buckets"] != 0:
        bad.append((s["source"], "unexpected gaps", s["coverage"]["gaps"]))
print(bad)
sys.exit(1 if bad else 0)
PY

# determinism of parse and scan at any thread count
"$ASSAY" parse -j1 --period "$P" "$A/okta" "$A/hr" "$A/auth" "$A/changes" > "$T/p1.out" 2> "$T/p1.err"
"$ASSAY" parse -j4 --period "$P" "$A/okta" "$A/hr" "$A/auth" "$A/changes" > "$T/p4.out" 2> "$T/p4.err"
check "parse: identical stdout at -j1 and -j4" same_files "$T/p1.out" "$T/p4.out"
check "parse: identical stderr at -j1 and -j4" same_files "$T/p1.err" "$T/p4.err"
check "parse: one JSON line per accepted record" python3 - "$T/p1.out" "$T/p1.err" <<'PY'
import json, re, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line); n += 1
    assert set(d) == {"src", "line", "offset", "time", "fields"}, d.keys()
m = re.search(r"(\d+) records: (\d+) accepted, (\d+) rejected", open(sys.argv[2]).read())
assert m and int(m.group(2)) == n and int(m.group(1)) == n + int(m.group(3)), (m and m.groups(), n)
PY
"$ASSAY" scan --json -q -j1 --period "$P" "$A" > "$T/s1.json"
"$ASSAY" scan --json -q -j4 --period "$P" "$A" > "$T/s4.json"
check "scan with parsing: identical at -j1 and -j4" same_files "$T/s1.json" "$T/s4.json"

# ---- small inputs, one per format ----
D=$T/in
mkdir -p "$D"
printf '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "-" "curl/8"\n' > "$D/access.log"
"$ASSAY" parse --fields client,user,status,bytes,referer,time "$D/access.log" > "$T/clf.out" 2>/dev/null
check "combined: fields and UTC time" contains "$T/clf.out" '"fields":{"client":"127.0.0.1","user":"frank","status":200,"bytes":2326,"referer":null,"time":"2000-10-10T20:55:36Z"}'

printf 'Dec 31 23:59:58 h sshd[1]: Accepted publickey for alice from 10.0.0.1 port 2222 ssh2: ED25519 SHA256:x\nJan  1 00:00:03 h sshd[1]: Failed password for invalid user bob from 10.0.0.2 port 3333 ssh2\n' > "$D/auth.log"
"$ASSAY" parse --year 2025 --fields time,event,user,source_ip,port,method "$D/auth.log" > "$T/sys.out" 2>/dev/null
check "syslog: December then January rolls the year over" contains "$T/sys.out" '"time":"2026-01-01T00:00:03Z"'
check "syslog: sshd accepted login fields" contains "$T/sys.out" '"event":"ssh_accepted","user":"alice","source_ip":"10.0.0.1","port":2222,"method":"publickey"'

printf '\xef\xbb\xbfid,name,created_at\n1,"Smith, Ann","2026-03-01 14:05:00"\n2,"multi\nline ""quoted""",2026-03-02T00:00:00Z\n3,short\n' > "$D/export.csv"
"$ASSAY" parse --tz +01:00 "$D/export.csv" > "$T/csv.out" 2> "$T/csv.err"
check "csv: BOM header, quoted comma, naive time in --tz" contains "$T/csv.out" '"time":"2026-03-01T13:05:00Z","fields":{"id":"1","name":"Smith, Ann"'
check "csv: a field with a newline and doubled quotes, located at its first line" contains "$T/csv.out" '"line":3,"offset":'
check "csv: the decoded value" contains "$T/csv.out" '"name":"multi\nline \"quoted\""'
check "csv: a short row is rejected at its line" contains "$T/csv.err" 'export.csv:5: error: fewer fields than the header (syntax)'
check "csv: the header is not a record" contains "$T/csv.err" '3 records: 2 accepted, 1 rejected'

printf '{"Records":[\n {"eventTime":"2026-01-02T03:04:05Z","eventName":"ConsoleLogin"},\n {"eventTime":"2026-01-02T03:04:06Z","eventName":"GetObject"},\n {"eventTime":"bad\n' > "$D/ct.json"
"$ASSAY" parse --fields eventName "$D/ct.json" > "$T/ct.out" 2> "$T/ct.err"
check "cloudtrail: records before the error are kept, with their lines" contains "$T/ct.out" '"line":3,"offset":'
check "cloudtrail: the invalid rest is rejected with line and column" grep -qE 'ct.json:4:[0-9]+: error: ' "$T/ct.err"
check "cloudtrail: 3 records, 2 accepted" contains "$T/ct.err" '3 records: 2 accepted, 1 rejected'

printf '2026-01-05T02:00:00Z host=db1 job=nightly status=ok msg="all \\"good\\""\n' > "$D/backup.log"
"$ASSAY" parse "$D/backup.log" > "$T/kv.out" 2>/dev/null
check "logfmt: sniffed, quoted value decoded" contains "$T/kv.out" '"msg":"all \"good\""'

printf 'job nightly on db1 finished at 2026-01-05T02:00:00Z with 3 errors\n' > "$D/custom.log"
"$ASSAY" parse --pattern 'job (?<job>\w+) on (?<host>\S+) finished at (?<time>\S+) with (?<errors>\d+) errors' "$D/custom.log" > "$T/re.out" 2>/dev/null
check "regex: named groups are the fields, the time group the time" contains "$T/re.out" '"time":"2026-01-05T02:00:00Z","fields":{"job":"nightly","host":"db1","time":"2026-01-05T02:00:00Z","errors":"3"}'
check "regex: a bad pattern is a usage error with its column" bash -c "'$ASSAY' parse --pattern '(?<a>x' '$D/custom.log' 2>&1 >/dev/null | grep -q 'column'; test \${PIPESTATUS[0]} -eq 2"

check "formats lists every format" bash -c "'$ASSAY' formats --json | python3 -c 'import json,sys; n=[f[\"name\"] for f in json.load(sys.stdin)[\"formats\"]]; sys.exit(0 if n==[\"combined\",\"syslog\",\"jsonl\",\"cloudtrail\",\"json\",\"csv\",\"logfmt\",\"regex\"] else 1)'"
check "unknown --format is a usage error" expect_exit 2 "$ASSAY" parse --format nope "$D/access.log"

finish
