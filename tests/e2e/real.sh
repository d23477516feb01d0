#!/usr/bin/env bash
# real.sh: end-to-end test on the attributed real samples in tests/data/real/
# (public logs nobody here wrote; each folder's README gives provenance and
# licence): every file's detected format, records, accepted records, rejects
# by reason and first/last event time must equal tests/e2e/real.expected.
# Each reject there is explained in docs/real-data.md. --year 2005 makes the
# RFC 3164 years independent of file times (loghub's logs are from 2005).
source "$(dirname "$0")/lib.sh"

"$ASSAY" scan --progress=never -q --json --year 2005 "$ROOT/tests/data/real" > "$T/real.json"
check "scan of the real samples exits 0" test $? -eq 0
python3 - "$T/real.json" "$ROOT/tests/data/real/" > "$T/real.got" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i in d["inputs"]:
    print(i["path"][len(sys.argv[2]):], i["format"], i["records"], i["accepted"],
          ",".join("%s=%d" % kv for kv in sorted(i["rejected_by"].items())) or "-",
          i["first_time"] or "-", i["last_time"] or "-")
PY
check "formats, counts, rejects and times equal real.expected" same_files "$ROOT/tests/e2e/real.expected" "$T/real.got"
check "read = accepted + rejected on every real file" python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(0 if all(i["records"] == i["accepted"] + i["rejected"] for i in d["inputs"]) else 1)' "$T/real.json"
"$ASSAY" parse --year 2005 "$ROOT/tests/data/real/elastic-apache/apache_logs.excerpt" > /dev/null 2> "$T/apache.err"
check "the 14 malformed Apache lines are reported with line and column" test "$(grep -cE '^.*apache_logs.excerpt:[0-9]+:[0-9]+: error: ' "$T/apache.err")" -eq 14
finish
