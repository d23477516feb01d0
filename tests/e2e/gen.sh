#!/usr/bin/env bash
# gen.sh: end-to-end checks of the data generator assay-gen (tools/gen/).
# Generates a small period (40 days across New Year, 32 MiB) and checks, with
# standard tools only (sha256sum, wc, zcat, zstd, gzip, python3's json/csv):
# determinism at -j1 vs -j2, seed sensitivity, every truth.json file entry
# (hash, size, decompressed size, lines), gzip/zstd special files, CSV and
# JSON validity, and that every location in truth.json (line + offset) points
# at the start of that line. Needs only $GEN; when `$ASSAY scan` works, its
# counts are cross-checked too.
source "$(dirname "$0")/lib.sh"

T=$(cd "$T" && pwd)   # absolute: some checks cd into the data set
OPTS=(--start 2025-12-01 --days 40 --size 32M --seed 7)
A=$T/a B=$T/b C=$T/c

# sha256 of every file, by relative path
tree_sums() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }

check "generate -j1"            "$GEN" --out "$A" "${OPTS[@]}" -j1 --quiet
check "generate -j2"            "$GEN" --out "$B" "${OPTS[@]}" -j2
tree_sums "$A" >"$T/a.sums"; tree_sums "$B" >"$T/b.sums"
check "same seed, -j1 = -j2"    same_files "$T/a.sums" "$T/b.sums"
check "generate seed 8"         "$GEN" --out "$C" --start 2025-12-01 --days 40 --size 32M --seed 8 -j2 --quiet
tree_sums "$C" >"$T/c.sums"
check "different seed differs"  bash -c "! cmp -s '$A/truth.json' '$C/truth.json' && ! cmp -s '$T/a.sums' '$T/c.sums'"
check "refuses a non-empty dir" expect_exit 2 "$GEN" --out "$A" "${OPTS[@]}" --quiet
check "--force overwrites"      "$GEN" --out "$B" "${OPTS[@]}" --force --quiet
tree_sums "$B" >"$T/b2.sums"
check "--force run identical"   same_files "$T/a.sums" "$T/b2.sums"
check "usage: --days too small" expect_exit 2 "$GEN" --out "$T/u1" --days 3
check "usage: scale and size"   expect_exit 2 "$GEN" --out "$T/u2" --scale 2 --size 1G
check "usage: unknown option"   expect_exit 2 "$GEN" --out "$T/u3" --bogus
check "usage: no --out"         expect_exit 2 "$GEN"
check "--help"                  expect_exit 0 "$GEN" --help
check "help text"               bash -c "'$GEN' --help | grep -q -- '--size'"
check "truth.json is JSON"      python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$A/truth.json"
check "truth schema"            contains "$A/truth.json" '"schema": "assay.truth/1"'

# One TSV line per file: path compression bytes_stored bytes_decompressed sha256 lines records complete
python3 - "$A/truth.json" >"$T/files.tsv" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
for f in t["files"]:
    print("\t".join(str(f[k]) for k in ("path", "compression", "bytes_stored", "bytes_decompressed",
                                         "sha256", "lines", "records", "complete")))
EOF

# Every listed file exists with the listed sha256 (sha256sum -c) and size,
# and every file in the tree is listed.
awk -F'\t' '{print $5 "  " $1}' "$T/files.tsv" >"$T/listed.sha256"
check "sha256sum -c of every listed file" bash -c "cd '$A' && sha256sum --quiet -c '$T/listed.sha256'"
check "every file is listed" bash -c "cd '$A' && find . -type f ! -name truth.json | sed 's|^\./||' | LC_ALL=C sort >'$T/tree.txt' && cut -f1 '$T/files.tsv' | LC_ALL=C sort | diff - '$T/tree.txt'"

decompress() { # FILE COMPRESSION -> stdout (a truncated gzip still yields its complete member)
  case $2 in
    gzip) zcat -- "$1" 2>/dev/null ;;
    zstd) zstd -dcq -- "$1" ;;
    *)    cat -- "$1" ;;
  esac
}

# Few processes per file: stat for the stored size, the decompressor, one
# `wc -lc` for lines and bytes, `tail -c1` for a final line without LF. Every
# file except CloudTrail's many small ones, of which every 8th (the Python
# check below reads them all).
sizes_and_lines() {
  local bad=0 k=0 path comp stored dec sha lines rec complete src n c sz last
  while IFS=$'\t' read -r path comp stored dec sha lines rec complete; do
    if [[ $path == cloudtrail/* ]]; then k=$((k + 1)); [ $((k % 8)) -eq 1 ] || continue; fi
    sz=$(stat -c %s "$A/$path")
    [ "$sz" = "$stored" ] || { echo "$path: stored size $sz, truth $stored"; bad=1; }
    src=$A/$path
    if [ "$comp" != none ]; then decompress "$A/$path" "$comp" >"$T/dec"; src=$T/dec; fi
    read -r n c < <(wc -lc <"$src")
    [ "$c" = "$dec" ] || { echo "$path: decompressed size $c, truth $dec"; bad=1; }
    last=$(tail -c1 "$src")     # empty when the data ends with LF
    if [ "$c" -gt 0 ] && [ -n "$last" ]; then n=$((n + 1)); fi
    [ "$n" = "$lines" ] || { echo "$path: $n lines, truth $lines"; bad=1; }
  done <"$T/files.tsv"
  return $bad
}
check "sizes and line counts (wc -l, zcat, zstd -dc)" sizes_and_lines

gzip_t_only_truncated() {
  local bad=0 path comp stored dec sha lines rec complete expect got
  while IFS=$'\t' read -r path comp stored dec sha lines rec complete; do
    [ "$comp" = gzip ] || continue
    expect=ok; [ "$complete" = False ] && expect=fail
    if gzip -t -- "$A/$path" 2>/dev/null; then got=ok; else got=fail; fi
    [ "$got" = "$expect" ] || { echo "$path: gzip -t $got, expected $expect"; bad=1; }
  done <"$T/files.tsv"
  return $bad
}
check "gzip -t fails only on the truncated file" gzip_t_only_truncated
check "exactly one incomplete file" bash -c "[ \$(awk -F'\t' '\$8==\"False\"' '$T/files.tsv' | wc -l) -eq 1 ]"

special() { python3 -c "import json,sys; print(next(s['file'] for s in json.load(open(sys.argv[1]))['special_files'] if s['kind']==sys.argv[2]))" "$A/truth.json" "$1"; }
MM=$(special gzip_multi_member)
ZS=$(special zstd_skippable_two_frames)
TR=$(special gzip_truncated)
check "multi-member gzip decodes with zcat" bash -c "zcat -- '$A/$MM' >/dev/null"
check "multi-member gzip has two members" python3 - "$A/$MM" <<'EOF'
import sys, zlib
data, members = open(sys.argv[1], "rb").read(), 0
while data:
    d = zlib.decompressobj(16 + 15)
    d.decompress(data)
    assert d.eof, "member not complete"
    members += 1
    data = d.unused_data
assert members == 2, members
EOF
check "zstd file starts with a skippable frame" bash -c "[ \"\$(head -c4 '$A/$ZS' | od -An -tx1 | tr -d ' \n')\" = 502a4d18 ]"
check "zstd file decodes with zstd -dc" bash -c "zstd -dcq -- '$A/$ZS' >/dev/null"
check "zstd file has two data frames" bash -c "zstd -lv -- '$A/$ZS' 2>&1 | grep -Eq '^# Zstandard Frames: *2\$'"
check "truncated gzip: zcat fails" bash -c "! zcat -- '$A/$TR' >/dev/null 2>&1"
check "truncated gzip ends with 1f 8b 08 00" bash -c "[ \"\$(tail -c4 '$A/$TR' | od -An -tx1 | tr -d ' \n')\" = 1f8b0800 ]"

# Structural checks in Python: CSV and JSON validity, record counts, and every
# location in truth.json pointing at the start of its line.
check "records, CSV, JSON, CloudTrail and locations" python3 - "$A" <<'EOF'
import csv, io, json, re, subprocess, sys, zlib
root = sys.argv[1]
t = json.load(open(root + "/truth.json"))
files = {f["path"]: f for f in t["files"]}
cache = {}
def data(path):
    if path not in cache:
        f, raw = files[path], open(root + "/" + path, "rb").read()
        if f["compression"] == "gzip":
            d = b""
            while raw:
                o = zlib.decompressobj(31)
                d += o.decompress(raw)
                if not o.eof:
                    break
                raw = o.unused_data
            raw = d
        elif f["compression"] == "zstd":
            raw = subprocess.run(["zstd", "-dcq"], input=raw, stdout=subprocess.PIPE, check=True).stdout
        cache[path] = raw
    return cache[path]
def line_start(path, line, offset):
    d = data(path)
    assert offset == 0 or d[offset - 1:offset] == b"\n", (path, line, offset, "offset not at a line start")
    assert d.count(b"\n", 0, offset) + 1 == line, (path, line, offset, "line/offset disagree")
    return d[offset:d.find(b"\n", offset) if d.find(b"\n", offset) >= 0 else len(d)]
bad = []
mal = {}
for m in t["malformed"]:
    mal.setdefault(m["file"], []).append(m)
total = 0
for path, f in files.items():
    d = data(path)
    rej = [m for m in mal.get(path, []) if m["kind"] == "record"]
    if f["rejected"] != len(rej):
        bad.append((path, "rejected", f["rejected"], len(rej)))
    fmt = f["format"]
    if fmt == "csv":
        text = d.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header, rows = rows[0], rows[1:]
        ragged = [r for r in rows if len(r) != len(header)]
        if len(rows) != f["records"] or len(ragged) != len(rej):
            bad.append((path, "csv rows", len(rows), f["records"], len(ragged)))
    elif fmt == "cloudtrail":
        recs = json.loads(d)["Records"]
        if len(recs) != f["records"]:
            bad.append((path, "Records", len(recs), f["records"]))
        times = [r["eventTime"] for r in recs]
        name_time = path.rsplit("_", 2)[1]  # YYYYMMDDTHHmmZ
        if max(times).replace("-", "").replace(":", "")[:13] > name_time[:13]:
            bad.append((path, "record later than delivery time"))
    elif fmt == "jsonl":
        bad_lines = []
        for i, line in enumerate(d.split(b"\n")[:-1], 1):
            try:
                json.loads(line)
            except ValueError:
                bad_lines.append(i)
        if bad_lines != sorted(m["line"] for m in rej):
            bad.append((path, "invalid JSON lines", bad_lines))
        if len(d.split(b"\n")) - 1 != f["records"]:
            bad.append((path, "jsonl records"))
    else:  # one record per non-empty line
        n = sum(1 for l in d.split(b"\n") if l not in (b"", b"\r"))
        if n != f["records"]:
            bad.append((path, "line records", n, f["records"]))
        if fmt == "combined":
            stamps = re.findall(rb"\[(\d\d)/(\w\w\w)/(\d{4}):(\d\d:\d\d:\d\d) \+0000\]", d)
            mon = {m: i for i, m in enumerate([b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"])}
            keys = [(y, mon[m], dd, hms) for dd, m, y, hms in stamps]
            if keys != sorted(keys):
                bad.append((path, "web timestamps decrease"))
    total += f["records"]
if total != t["totals"]["records"]:
    bad.append(("totals.records", total, t["totals"]["records"]))
for m in t["malformed"]:
    if m["kind"] == "record":
        rec = line_start(m["file"], m["line"], m["offset"])
        r = m["reason"]
        if r == "nul_byte":
            ok = b"\0" in rec
        elif r == "too_long":
            ok = len(rec) > 1048576
        elif r == "invalid_utf8":
            try:
                rec.decode("utf-8")
                ok = False
            except UnicodeDecodeError:
                ok = b"\0" not in rec
        else:
            ok = True
        if not ok:
            bad.append(("malformed", m))
    else:
        f = files[m["file"]]
        if not (m["compressed_offset"] == f["bytes_stored"] and m["offset"] == f["bytes_decompressed"]
                and m["records_before"] == f["records"] and not f["complete"]):
            bad.append(("stream fault", m))
edges = len(t["deviations"])
for k, d in enumerate(t["deviations"] + t["edge_cases"]):
    if d["line"] is None:
        continue
    f = files[d["file"]]
    if f["format"] == "cloudtrail":
        raw = data(d["file"])
        assert raw[d["offset"]:d["offset"] + 1] == b"{", d
        assert raw.count(b"\n", 0, d["offset"]) + 1 == d["line"], d
        rec = json.loads(raw)["Records"][d["index"]]
        if k >= edges:
            continue  # an edge case: only its location is checked here
        if d["control"] == "aws-no-root" and rec["eventID"] != d["key"]:
            bad.append(("aws-no-root key", d))
        if d["control"] == "aws-console-mfa" and (rec["additionalEventData"]["MFAUsed"].lower() == "yes"
                                                    or rec["eventName"] != "ConsoleLogin"):
            bad.append(("aws-console-mfa record", d))
        continue
    rec = line_start(d["file"], d["line"], d["offset"])
    if k >= edges:
        continue
    want = {"ssh-publickey-only": b"Accepted ", "ssh-no-root": b"Accepted publickey for root ",
            "sudo-admins-only": b"COMMAND=", "okta-admin-mfa": b'"user.session.start"',
            "no-login-after-termination": b'"user.session.start"', "no-direct-push": b'"refs/heads/main"',
            "deploy-after-approved-merge": b"environment=production", "p1-ack-15min": b",P1,",
            "p1-postmortem": b",P1,", "backup-daily": b"status=failure", "pr-reviewed-by-other": b'"base_branch":"main"',
            "priv-group-change-ticket": b'"SUCCESS"', "leaver-deactivated-24h": d["key"].encode()}.get(d["control"])
    if want is not None and want not in rec:
        bad.append(("deviation record", d["control"], rec[:200]))
for h in t["hostile"]:
    rec = line_start(h["file"], h["line"], h["offset"])
    if h["raw"].encode() not in rec:
        bad.append(("hostile", h))
controls = t["totals"]["deviations_by_control"]
if any(v == 0 for v in controls.values()) or len(controls) != 17:
    bad.append(("a control without deviations", controls))
if bad:
    for b in bad[:30]:
        print(b)
    sys.exit(1)
EOF

# The documented control definitions (docs/dataset.md), re-derived from the
# data with plain Python: the deviations found must be exactly truth.json's.
check "controls re-derived from the data match truth.json" python3 - "$A" <<'EOF'
import csv, io, json, re, subprocess, sys, zlib
from datetime import datetime, timedelta, timezone
root = sys.argv[1]
t = json.load(open(root + "/truth.json"))
files = {f["path"]: f for f in t["files"]}
def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))
P0, P1 = ts(t["period"]["start"]), ts(t["period"]["end"])
def data(path):
    f, raw = files[path], open(root + "/" + path, "rb").read()
    if f["compression"] == "gzip":
        out = b""
        while raw:
            o = zlib.decompressobj(31)
            out += o.decompress(raw)
            if not o.eof:
                break
            raw = o.unused_data
        return out
    if f["compression"] == "zstd":
        return subprocess.run(["zstd", "-dcq"], input=raw, stdout=subprocess.PIPE, check=True).stdout
    return raw
def lines(path):  # (line number, text) of the non-empty lines
    for i, l in enumerate(data(path).decode("utf-8", "replace").split("\n"), 1):
        if l:
            yield i, l
def csv_rows(path):  # (first line, dict) per well-formed record
    r = csv.reader(io.StringIO(data(path).decode("utf-8-sig"), newline=""))
    header = next(r)
    prev = r.line_num
    for row in r:
        if len(row) == len(header):
            yield prev + 1, dict(zip(header, row))
        prev = r.line_num
found = set()
def dev(control, key, path, line, index=None):
    found.add((control, key, path, line, index))
def by_src(src):
    return sorted(p for p, f in files.items() if f["source"] == src)
admins = {}
for _, r in csv_rows("inventory/admins.csv"):
    admins.setdefault(r["system"], set()).add(r["user"])
hosts = {r["host"]: r for _, r in csv_rows("inventory/hosts.csv")}

# leaver-deactivated-24h, no-login-after-termination, okta-admin-mfa, priv-group-change-ticket
leavers = {}
for ln, r in csv_rows("hr/hr_export.csv"):
    if r["termination_date"]:
        term = ts(r["termination_date"] + "T" + r["termination_time"] + "Z")
        if P0 <= term < P1:
            leavers[r["email"]] = (term, ln)
okta = []
for p in by_src("okta"):
    for ln, l in lines(p):
        try:
            okta.append((p, ln, json.loads(l)))
        except ValueError:
            pass
deact, mfa_sessions = {}, set()
for p, ln, e in okta:
    if e["eventType"] in ("user.lifecycle.deactivate", "user.lifecycle.suspend") and e["outcome"]["result"] == "SUCCESS":
        for tg in e["target"] or []:
            if tg["type"] == "User":
                deact.setdefault(tg["alternateId"], []).append(ts(e["published"]))
    if e["eventType"] == "user.authentication.auth_via_mfa" and e["outcome"]["result"] == "SUCCESS":
        mfa_sessions.add(e["authenticationContext"]["externalSessionId"])
for email, (term, ln) in leavers.items():
    if not any(d <= term + timedelta(hours=24) for d in deact.get(email, [])):
        dev("leaver-deactivated-24h", email, "hr/hr_export.csv", ln)
privileged = {"Okta Admins", "AWS-Prod-Admins", "GitHub-Org-Owners", "DB-Admins"}
for p, ln, e in okta:
    et, ok, who = e["eventType"], e["outcome"]["result"] == "SUCCESS", e["actor"]["alternateId"]
    if et == "user.session.start" and ok:
        if who in leavers and ts(e["published"]) > leavers[who][0]:
            dev("no-login-after-termination", who, p, ln)
        if who in admins["okta"] and e["authenticationContext"]["externalSessionId"] not in mfa_sessions:
            dev("okta-admin-mfa", who, p, ln)
    priv = et == "user.account.privilege.grant" or (
        et == "group.user_membership.add"
        and any(g["type"] == "UserGroup" and g["displayName"] in privileged for g in e["target"] or []))
    if ok and priv and not e["debugContext"]["debugData"].get("ticket"):
        dev("priv-group-change-ticket", next(g["alternateId"] for g in e["target"] if g["type"] == "User"), p, ln)

# aws-console-mfa, aws-no-root
for p in by_src("cloudtrail"):
    for i, r in enumerate(json.loads(data(p))["Records"]):
        ui = r["userIdentity"]
        if (r["eventName"] == "ConsoleLogin" and r["responseElements"]["ConsoleLogin"] == "Success"
                and ui["type"] in ("IAMUser", "Root") and r["additionalEventData"]["MFAUsed"].lower() != "yes"):
            dev("aws-console-mfa", ui.get("userName", "root"), p, None, i)
        if ui["type"] == "Root" and r["eventType"] == "AwsApiCall":
            dev("aws-no-root", r["eventID"], p, None, i)

# sudo-admins-only, ssh-publickey-only, ssh-no-root (+ auth gaps)
MON = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
R3164 = re.compile(r"^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\S+) ([^:\[]+)(?:\[\d+\])?: (.*)$")
R5424 = re.compile(r"^<\d+>1 (\S+) (\S+) (\S+) (\S+) \S+ (?:-|\[[^\]]*\]) (.*)$")
SUDO = re.compile(r"^\s*(\S+) : (?:[^;]*; )?TTY=.*; COMMAND=")
ACC = re.compile(r"^Accepted (\S+) for (.+) from \S+ port \d+ ssh2")
auth_days = {}
for p in by_src("auth"):
    host, year, prev_mon = p.split("/")[1], P0.year, None
    days = auth_days.setdefault(host, set())
    for ln, l in lines(p):
        m = R5424.match(l)
        if m:
            when, app, msg = ts(m.group(1)), m.group(3), m.group(5)
        else:
            m = R3164.match(l)
            mon = MON[m.group(1)]
            if prev_mon is not None and mon < prev_mon - 6:
                year += 1  # a month drop of 6 or more: Dec -> Jan
            prev_mon = mon
            when = datetime(year, mon, int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)),
                            tzinfo=timezone.utc)
            app, msg = m.group(7), m.group(8)
        days.add(when.date())
        if app == "sudo":
            s = SUDO.match(msg)
            if s and s.group(1) not in admins["linux"]:
                dev("sudo-admins-only", s.group(1), p, ln)
        if app == "sshd":
            a = ACC.match(msg)
            if a and a.group(1) != "publickey":
                dev("ssh-publickey-only", a.group(2), p, ln)
            if a and a.group(2) == "root":
                dev("ssh-no-root", "root", p, ln)

# pr-reviewed-by-other, no-direct-push, deploy-after-approved-merge
approved = {}
for ln, l in lines("changes/pull_requests.jsonl"):
    e = json.loads(l)
    if e["event"] == "pull_request.merged" and e["base_branch"] == "main":
        if any(a != e["author"] for a in e["approvers"]):
            approved[e["merge_commit_sha"]] = ts(e["merged_at"])
        else:
            dev("pr-reviewed-by-other", "%s#%d" % (e["repo"], e["number"]), "changes/pull_requests.jsonl", ln)
    if e["event"] == "git.push" and e["ref"] == "refs/heads/main":
        dev("no-direct-push", "%s@%s" % (e["repo"], e["after"][:12]), "changes/pull_requests.jsonl", ln)
for ln, l in lines("changes/deploys.log"):
    kv = dict(x.split("=", 1) for x in l.split(" ")[1:])
    when = ts(l.split(" ")[0])
    if kv["environment"] == "production" and not (kv["sha"] in approved and approved[kv["sha"]] <= when):
        dev("deploy-after-approved-merge", "%s@%s" % (kv["service"], kv["sha"][:12]), "changes/deploys.log", ln)

# backup-daily (+ web gaps, auth gaps)
ok_days = {}
for p in by_src("backup"):
    for ln, l in lines(p):
        kv = dict(x.split("=", 1) for x in re.findall(r'\w+=(?:"[^"]*"|\S+)', l))
        if kv["job"] == "nightly" and kv["status"] == "success":
            ok_days.setdefault(kv["host"], set()).add(ts(l.split(" ")[0]).date())
d = P0
while d < P1:
    for host, h in hosts.items():
        if h["backup_required"] == "yes" and d.date() not in ok_days.get(host, set()):
            p = "backup/%s/backup-%s.log" % (host, d.strftime("%Y-%m"))
            fail = [ln for ln, l in lines(p) if l.startswith(str(d.date())) and "job=nightly status=failure" in l]
            dev("backup-daily", "%s/%s" % (host, d.date()), p, fail[-1] if fail else None)
    for host in auth_days:
        if d.date() not in auth_days[host]:
            found.add(("gap", "auth", host, str(d.date())))
    for vh in ("www", "api", "admin"):
        if not any(p.startswith("web/%s/access-%s.log" % (vh, d.date())) for p in files):
            found.add(("gap", "web", vh, str(d.date())))
    d += timedelta(days=1)

# p1-ack-15min, p1-postmortem
for ln, r in csv_rows("incidents/incidents.csv"):
    if r["severity"] != "P1":
        continue
    if not r["acknowledged_at"] or ts(r["acknowledged_at"]) - ts(r["created_at"]) > timedelta(minutes=15):
        dev("p1-ack-15min", r["incident_number"], "incidents/incidents.csv", ln)
    if r["status"] == "resolved" and not r["postmortem_url"]:
        dev("p1-postmortem", r["incident_number"], "incidents/incidents.csv", ln)

# access-review-quarterly
reviews = {(r["system"], ts(r["review_date"] + "T00:00:00Z")) for _, r in csv_rows("access_reviews/access_reviews.csv")}
q = datetime(P0.year, (P0.month - 1) // 3 * 3 + 1, 1, tzinfo=timezone.utc)
while q < P1:
    qe = datetime(q.year + (q.month == 10), (q.month + 2) % 12 + 1, 1, tzinfo=timezone.utc)
    lo, hi = max(q, P0), min(qe, P1)
    for system in admins:
        if not any(s == system and lo <= rd < hi for s, rd in reviews):
            dev("access-review-quarterly", "%s/%dQ%d" % (system, q.year, (q.month - 1) // 3 + 1),
                "access_reviews/access_reviews.csv", None)
    q = qe

want = {(d["control"], d["key"], d["file"], None if "index" in d else d["line"], d.get("index"))
        for d in t["deviations"]}
want |= {("gap", g["source"], g["entity"], g["day"]) for g in t["gaps"]}
if found != want:
    print("only in the data:", sorted(found - want, key=str)[:20])
    print("only in truth.json:", sorted(want - found, key=str)[:20])
    sys.exit(1)
EOF

# Cross-check with the engine when `assay scan` exists: file identity, sizes,
# lines, records and byte-level rejects must agree with truth.json. (scan does
# not parse formats, so CSV/CloudTrail records and syntax rejects are not compared.)
if "$ASSAY" scan --help >/dev/null 2>&1; then
  "$ASSAY" scan --json -q -j2 "$A" >"$T/scan.json" 2>"$T/scan.err"
  check "assay scan agrees with truth.json" python3 - "$A" "$T/scan.json" <<'EOF'
import json, os, sys
root, scan = sys.argv[1], json.load(open(sys.argv[2]))
t = json.load(open(root + "/truth.json"))
files = {f["path"]: f for f in t["files"]}
seen, bad = set(), []
for i in scan["inputs"]:
    p = os.path.relpath(i["path"], root)
    if p == "truth.json":
        continue
    f = files[p]
    seen.add(p)
    keys = ["bytes_stored", "bytes_decompressed", "sha256", "lines", "complete"]
    if f["format"] not in ("csv", "cloudtrail"):
        keys.append("records")
    bad += [(p, k, i[k], f[k]) for k in keys if i[k] != f[k]]
    byte_level = ("nul_byte", "invalid_utf8", "too_long")
    got = sorted((r["line"], r["offset"], r["reason"]) for r in i["rejects"] if r["reason"] in byte_level)
    want = sorted((m["line"], m["offset"], m["reason"]) for m in t["malformed"]
                  if m["file"] == p and m["reason"] in byte_level)
    if got != want:
        bad.append((p, "rejects", got, want))
if seen != set(files):
    bad.append(("inputs", sorted(set(files) - seen)[:5]))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
EOF
fi

check "auth log crosses New Year without a year" bash -c "grep -q '^Dec 31 ' '$A/auth/web-01/auth.log' && grep -q '^Jan  1 ' '$A/auth/web-01/auth.log'"
check "hr export starts with a BOM" bash -c "[ \"\$(head -c3 '$A/hr/hr_export.csv' | od -An -tx1 | tr -d ' \n')\" = efbbbf ]"
check "gaps: one auth host day and one web vhost day" bash -c "[ \$(python3 -c \"import json;print(len(json.load(open('$A/truth.json'))['gaps']))\") -eq 2 ]"

finish
