#!/usr/bin/env bash
# threaded
# scan.sh: end-to-end tests of `assay scan` on small hand-made inputs: hashes
# against sha256sum, counts against wc, compression by magic bytes, every fault
# with its exit code, -j1 vs -j4 identity, stdin and --files-from.
source "$(dirname "$0")/lib.sh"

D=$T/in
mkdir -p "$D"
# plain, CRLF, no final newline, blank lines
printf 'alpha one\nbeta two\ngamma three\n' > "$D/a.log"
printf 'crlf one\r\ncrlf two\r\n\r\nlast without newline' > "$D/b.log"
seq 1 20000 | sed 's/^/line number /' > "$D/c.log"
gzip -c "$D/c.log" > "$D/c.gz.bin"                 # compression is found by magic, not by name
zstd -q -c "$D/c.log" > "$D/c.zst"
cat "$D/c.gz.bin" "$D/c.gz.bin" > "$D/multi.gz"    # two gzip members
cat "$D/c.zst" "$D/c.zst" > "$D/multi.zst"         # two zstd frames
printf '\x50\x2a\x4d\x18\x04\x00\x00\x00skip' > "$D/skip.bin"
cat "$D/skip.bin" "$D/c.zst" > "$D/skippable.zst"  # a skippable frame first

json() { "$ASSAY" scan --json --progress=never "$@"; }
field() { # field FILE INDEX KEY
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["inputs"][int(sys.argv[2])][sys.argv[3]])' "$@"
}

json "$D/a.log" "$D/b.log" "$D/c.log" "$D/c.gz.bin" "$D/c.zst" "$D/multi.gz" "$D/multi.zst" "$D/skippable.zst" > "$T/s.json"
check "scan exits 0 on good inputs" test $? -eq 0
check "schema is assay.scan/1" contains "$T/s.json" '"schema": "assay.scan/1"'
i=0
for f in a.log b.log c.log c.gz.bin c.zst multi.gz multi.zst skippable.zst; do
  want=$(sha256sum "$D/$f" | cut -d' ' -f1)
  check "sha256 of $f equals sha256sum" test "$(field "$T/s.json" $i sha256)" = "$want"
  check "bytes_stored of $f equals its size" test "$(field "$T/s.json" $i bytes_stored)" = "$(stat -c %s "$D/$f")"
  i=$((i + 1))
done
check "a.log: 3 records" test "$(field "$T/s.json" 0 records)" = 3
check "b.log: 3 records, 1 blank line, 4 lines" test "$(field "$T/s.json" 1 records)/$(field "$T/s.json" 1 blank_lines)/$(field "$T/s.json" 1 lines)" = "3/1/4"
check "c.log records = wc -l" test "$(field "$T/s.json" 2 records)" = "$(wc -l < "$D/c.log")"
check "gzip detected by magic" test "$(field "$T/s.json" 3 compression)" = gzip
check "gzip decompressed size = plain size" test "$(field "$T/s.json" 3 bytes_decompressed)" = "$(stat -c %s "$D/c.log")"
check "zstd detected" test "$(field "$T/s.json" 4 compression)" = zstd
check "multi-member gzip: both members" test "$(field "$T/s.json" 5 records)" = 40000
check "multi-frame zstd: both frames" test "$(field "$T/s.json" 6 records)" = 40000
check "skippable zstd frame is skipped" test "$(field "$T/s.json" 7 records)" = 20000
check "all complete" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(i["complete"] for i in d["inputs"]) and d["totals"]["incomplete"]==0 else 1)' "$T/s.json"
check "read = accepted + rejected everywhere" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
ok = all(i["records"] == i["accepted"] + i["rejected"] for i in d["inputs"])
t = d["totals"]; sys.exit(0 if ok and t["records"] == t["accepted"] + t["rejected"] else 1)' "$T/s.json"

# determinism: -j1 and -j4 print the same bytes, in every output mode
for mode in --json --csv ""; do
  "$ASSAY" scan $mode -j1 --progress=never "$D" > "$T/j1.out"
  "$ASSAY" scan $mode -j4 --progress=never "$D" > "$T/j4.out"
  check "identical output at -j1 and -j4 (${mode:-table})" same_files "$T/j1.out" "$T/j4.out"
done

# stdin and --files-from
cat "$D/c.gz.bin" | json - > "$T/stdin.json"
check "stdin: gzip records" test "$(field "$T/stdin.json" 0 records)" = 20000
check "stdin: sha256" test "$(field "$T/stdin.json" 0 sha256)" = "$(sha256sum < "$D/c.gz.bin" | cut -d' ' -f1)"
printf '%s\n' "$D/a.log" "$D/c.zst" > "$T/list"
json --files-from "$T/list" > "$T/list.json"
check "--files-from: two inputs in order" test "$(field "$T/list.json" 1 path)" = "$D/c.zst"

# rejected records: over-long, NUL, invalid UTF-8, all located
python3 - "$D/bad.log" <<'EOF'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"good line\n")
    f.write(b"x" * (2 * 1024 * 1024) + b"\n")     # line 2: longer than 1 MiB
    f.write(b"nul \x00 inside\n")                  # line 3
    f.write(b"bad \xff utf8\n")                    # line 4
    f.write(b"fine \xc3\xa9\n")                    # line 5: valid UTF-8
EOF
json "$D/bad.log" > "$T/bad.json"
check "bad.log: 5 records, 3 rejected" test "$(field "$T/bad.json" 0 records)/$(field "$T/bad.json" 0 rejected)" = "5/3"
check "bad.log: reject locations and reasons" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))["inputs"][0]["rejects"]
want=[(2,10,"too_long"),(3,2097163,"nul_byte"),(4,2097176,"invalid_utf8")]
got=[(r["line"],r["offset"],r["reason"]) for r in d]
print(got); sys.exit(0 if got==want else 1)' "$T/bad.json"
check "--max-record 9 rejects the longer line" test "$("$ASSAY" scan --json --max-record 9 "$D/a.log" | python3 -c 'import json,sys; print(json.load(sys.stdin)["inputs"][0]["rejected"])')" = 1
"$ASSAY" scan --progress=never "$D/bad.log" > "$T/bad.txt"
check "table lists reject locations" contains "$T/bad.txt" "$D/bad.log:2: record longer than --max-record"

# faults: truncated gzip, corrupt zstd, missing file: exit 2, others still processed
head -c 20000 "$D/c.gz.bin" > "$D/trunc.gz"
cp "$D/c.zst" "$D/corrupt.zst"
python3 -c '
import sys; b = bytearray(open(sys.argv[1], "rb").read())
for i in range(100, 140): b[i] ^= 0x55                 # garble the compressed blocks
open(sys.argv[1], "wb").write(b)' "$D/corrupt.zst"
json "$D/trunc.gz" "$D/corrupt.zst" "$D/missing.log" "$D/a.log" > "$T/f.json" 2> "$T/f.err"
rc=$?
check "faults exit 2" test $rc -eq 2
check "truncated gzip: incomplete, records before the fault kept" python3 -c '
import json,sys; i=json.load(open(sys.argv[1]))["inputs"][0]
sys.exit(0 if not i["complete"] and i["fault"]["reason"]=="truncated" and i["records"]>1000 and i["records"]==i["accepted"]+i["rejected"] else 1)' "$T/f.json"
check "truncated gzip: the cut line is rejected as partial" python3 -c '
import json,sys; i=json.load(open(sys.argv[1]))["inputs"][0]
sys.exit(0 if i["rejected_by"].get("partial",0) in (0,1) and i["rejected"]==i["rejected_by"].get("partial",0) else 1)' "$T/f.json"
check "truncated gzip: sha256 of what is stored" test "$(field "$T/f.json" 0 sha256)" = "$(sha256sum "$D/trunc.gz" | cut -d' ' -f1)"
check "corrupt zstd: incomplete, reason corrupt" test "$(field "$T/f.json" 1 complete)/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["inputs"][1]["fault"]["reason"])' "$T/f.json")" = "False/corrupt"
check "missing file: incomplete, open error" test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["inputs"][2]["fault"]["reason"])' "$T/f.json")" = open
check "the good input after the faults is processed" test "$(field "$T/f.json" 3 records)" = 3
check "fault messages name the file" contains "$T/f.err" "$D/trunc.gz: error:"
check "missing file message" contains "$T/f.err" "$D/missing.log: error: cannot open"

# CLI contract
check "no input: exit 2" expect_exit 2 "$ASSAY" scan --progress=never
check "unknown option: exit 2" expect_exit 2 "$ASSAY" scan --nope "$D/a.log"
check "bad -j: exit 2" expect_exit 2 "$ASSAY" scan -j 0 "$D/a.log"
check "glob without match: exit 2" expect_exit 2 "$ASSAY" scan "$D/*.nomatch"
check "scan --help: exit 0" expect_exit 0 "$ASSAY" scan --help
for c in run lint plan sample evaluate verify; do
  check "$c without arguments: exit 2" expect_exit 2 "$ASSAY" "$c"
done
"$ASSAY" --version > "$T/v.txt"
check "--version names the libraries" contains "$T/v.txt" "zstd"
check "unknown command: exit 2" expect_exit 2 "$ASSAY" frobnicate
check "--help: exit 0" expect_exit 0 "$ASSAY" --help
finish
