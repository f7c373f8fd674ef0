#!/usr/bin/env python3
"""Two hand-made series sampled at irregular times, for `./perfwatch monitor` (jobs/REGRESSION.md,
"Irregular sparse series"): response times on a daily cycle of +-15% with 10% log-normal noise, each with a
+35% step that holds to the end.

- poisson-10m: samples at random times, 10 minutes apart on average; the step at 70 h (2025-11-29T06:00Z).
- burst: 10 samples a minute apart at the start of each hour; the step at 66 h (2025-11-29T02:00Z).

Usage: python3 irregular_series.py DIR   (writes DIR/irregular.jsonl; the same file every run)
"""
import datetime
import json
import math
import os
import random
import sys

START = 1764144000  # 2025-11-26T08:00:00Z


def main(out_dir):
    random.seed(9)
    rows = []
    for component, mean_gap, step_h in (("poisson-10m", 600, 70), ("burst", None, 66)):
        t = START
        while t < START + 4 * 86400:
            h = (t - START) / 3600
            v = 100 * (1 + 0.15 * math.sin(2 * math.pi * h / 24)) * (1.35 if h >= step_h else 1) * math.exp(random.gauss(0, 0.1))
            rows.append((t, component, v))
            if mean_gap:
                t += max(1, int(random.expovariate(1 / mean_gap)))
            else:
                t += 60 if (t - START) % 3600 < 540 else 3600 - (t - START) % 3600
    rows.sort()
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "irregular.jsonl"), "w") as f:
        for t, component, v in rows:
            ts = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            f.write(json.dumps({"timestamp": ts, "component": component, "metric": "response_time", "value": round(v, 3)}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "irregular")
