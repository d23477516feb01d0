#!/usr/bin/env python3
# rules_truth.py: compares an `assay run --out DIR` evidence folder with the
# generator's truth.json: for every control in truth.json, the exceptions
# (key, file relative to the data folder, line) must be exactly the listed
# deviations (absences have no line); log-source-gaps must be exactly the
# listed gaps; every other control must have no exception; edge cases must
# not be flagged. Prints one line per control and exits 1 on a mismatch.
import csv, json, os, sys
from collections import Counter

out, data = sys.argv[1], sys.argv[2].rstrip('/') + '/'
truth = json.load(open(os.path.join(data, 'truth.json')))
res = json.load(open(os.path.join(out, 'results.json')))
ids = [c['id'] for c in res['controls']]

def rel(p):
    return p[len(data):] if p.startswith(data) else p

def exceptions(cid):
    with open(os.path.join(out, cid, 'exceptions.csv'), newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))

want = {}
for d in truth['deviations']:
    want.setdefault(d['control'], Counter())[(d['key'], d['file'], d['line'])] += 1
gaps = Counter((g['entity'] + '/' + g['day']) for g in truth['gaps'])
# the hostile user agents (truth.json hostile[]) are what web-script-payloads-triaged must flag
for h in truth['hostile']:
    if h['field'] == 'user_agent' and '<script' in h['value'].lower():
        want.setdefault('web-script-payloads-triaged', Counter())[(h['value'], h['file'], h['line'])] += 1
edge = {}
for e in truth['edge_cases']:
    edge.setdefault(e['control'], set()).add((e['file'], e['line']))

bad = 0
for cid in sorted(set(ids) | set(want) | {'log-source-gaps'}):
    if cid not in ids:
        print(f'FAIL {cid}: not in the run'); bad += 1; continue
    rows = exceptions(cid)
    if cid == 'log-source-gaps':
        got = Counter(r['key'] for r in rows)
        ok = got == gaps
        print(('ok  ' if ok else 'FAIL') + f' {cid}: {sum(got.values())} exceptions, truth {sum(gaps.values())} gaps')
        if not ok:
            bad += 1
            print('     missing', dict(gaps - got), 'extra', dict(got - gaps))
        continue
    got = Counter((r['key'], rel(r['file']), int(r['line']) if r['line'] else None) for r in rows)
    exp = want.get(cid, Counter())
    flagged_edges = [(f, l) for (k, f, l) in got if (f, l) in edge.get(cid, set())]
    ok = got == exp and not flagged_edges
    print(('ok  ' if ok else 'FAIL') + f' {cid}: {sum(got.values())} exceptions, truth {sum(exp.values())}')
    if not ok:
        bad += 1
        for k in sorted(exp - got, key=str): print('     missing', k)
        for k in sorted(got - exp, key=str): print('     extra  ', k)
        for k in flagged_edges: print('     edge case flagged', k)
sys.exit(1 if bad else 0)
