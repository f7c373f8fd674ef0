#!/usr/bin/env python3
"""Copies NAB's AWS CloudWatch series with a silence cut into each: the rows of `hours` hours (default 30) removed,
starting at the first of 30%, 35%, ... of the file's rows where the silence stays `clear` hours (default 12) away from
every labelled window. The copy keeps the repository's layout, so `./perfwatch nab --dataset OUT` scores it.

  python3 jobs/bench/src/test/resources/nab/cut_gaps.py jobs/bench/nab OUT [hours] [clear]

jobs/NAB.md, "Series back from an outage", was measured on its output with the defaults.
"""
import datetime as dt, glob, json, os, shutil, sys

src, out = sys.argv[1], sys.argv[2]
hours = float(sys.argv[3]) if len(sys.argv) > 3 else 30
clear = float(sys.argv[4]) if len(sys.argv) > 4 else 12
windows = json.load(open(os.path.join(src, "combined_windows.json")))
os.makedirs(out, exist_ok=True)
shutil.copy(os.path.join(src, "combined_windows.json"), out)
for f in sorted(glob.glob(os.path.join(src, "*", "*.csv"))):
    key = os.path.relpath(f, src)
    rows = open(f).read().splitlines()
    header, data = rows[0], rows[1:]
    times = [dt.datetime.fromisoformat(r.split(",")[0]) for r in data]
    labelled = [(dt.datetime.fromisoformat(a[:19]), dt.datetime.fromisoformat(b[:19])) for a, b in windows.get(key, [])]
    gap, margin = dt.timedelta(hours=hours), dt.timedelta(hours=clear)
    cut = None
    for share in [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.25, 0.65, 0.7]:
        start = times[int(len(times) * share)]
        if all(start + gap + margin < a or start > b + margin for a, b in labelled):
            cut = (start, start + gap)
            break
    kept = [r for r, t in zip(data, times) if cut is None or not (cut[0] <= t < cut[1])]
    os.makedirs(os.path.join(out, os.path.dirname(key)), exist_ok=True)
    with open(os.path.join(out, key), "w") as w:
        w.write("\n".join([header] + kept) + "\n")
    print(f"{key}: {'no room' if cut is None else f'{cut[0]} to {cut[1]}'}, {len(data) - len(kept)} rows removed")
