#!/usr/bin/env python3
# report_dom.py: checks the DOM Chromium rendered from an evidence folder's
# report.html against its results.json: every control has its summary row
# and its section, and the row's population, exceptions and untestable equal
# results.json. Exits 1 with the first mismatch.
import json, re, sys

res = json.load(open(sys.argv[1]))
dom = open(sys.argv[2], encoding='utf-8').read()
for c in res['controls']:
    m = re.search(r'<tr data-control="%s">(.*?)</tr>' % re.escape(c['id']), dom, re.S)
    if not m:
        sys.exit('no summary row for ' + c['id'])
    got = {k: int(v.replace(',', '')) for k, v in re.findall(r'data-k="(\w+)">([0-9,]+)<', m.group(1))}
    for k in ('population', 'exceptions', 'untestable'):
        if got.get(k) != c[k]:
            sys.exit('%s: %s is %s in the report, %s in results.json' % (c['id'], k, got.get(k), c[k]))
    if 'id="%s"' % c['id'] not in dom:
        sys.exit('no section for ' + c['id'])
print('%d controls: rows, sections and counts match' % len(res['controls']))
