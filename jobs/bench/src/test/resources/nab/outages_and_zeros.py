#!/usr/bin/env python3
"""Series that the regression benchmark does not generate, one sample a minute for three days from 2026-11-01, as JSON
lines for `./perfwatch monitor` (jobs/REGRESSION.md, "Outages" and "From zero"):
  python3 outages_and_zeros.py outage OUT_DIR HOURS SEED
      40 series (CPU with 5% noise, latencies log-normal with sigma 0.3; daily cycles of 5% to 20%) with no data for
      HOURS from 10:00 on the second day; series 20 to 39 are 20% higher from when the data comes back, 0 to 19 unchanged.
  python3 outages_and_zeros.py score RUN_OUTPUT HOURS
      the unchanged series with a regression finding, the changed ones found, and the median and longest delay (minutes).
  python3 outages_and_zeros.py zero OUT_DIR SEED
      10 components: error_rate and queue_depth exactly 0, memory_usage exactly 60; from 10:00 on the third day the odd
      ones have errors (binomial 2% of 200 requests a minute), a queue (Poisson, mean 2) and memory at 66.
  python3 outages_and_zeros.py blips OUT_DIR SEED
      20 components: error_rate and queue_depth exactly 0 but for one or two minutes about every five hours; nothing
      changes (every finding is a false one).
  python3 outages_and_zeros.py shift OUT_DIR SEED [HOURS]
      20 series (CPU with 5% noise, latencies log-normal with sigma 0.3) with a daily cycle of 10% to 30% that comes
      HOURS (default 1; -1: an hour later) earlier from the third day on, as a daylight-saving change moves a service
      that follows local time; nothing else changes (every finding is a false one; jobs/REGRESSION.md "Daylight saving").
"""
import datetime
import glob
import json
import math
import os
import random
import sys

T0 = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
DAY = 1440


def ts(i):
    return (T0 + datetime.timedelta(minutes=i)).strftime('%Y-%m-%dT%H:%M:%SZ')


def poisson(lam):
    k, p = 0, math.exp(-lam)
    u, cum = random.random(), p
    while u > cum:
        k += 1
        p *= lam / k
        cum += p
    return k


def write(out, rows):
    os.makedirs(out, exist_ok=True)
    rows.sort(key=lambda r: r[0])
    with open(os.path.join(out, 'metrics.jsonl'), 'w') as f:
        f.write('\n'.join(json.dumps(r[1]) for r in rows) + '\n')


def outage(out, hours, seed):
    random.seed(seed)
    g0 = DAY + 600
    g1 = g0 + int(hours * 60)
    rows = []
    for s in range(40):
        ph, amp = random.random() * 6.28, random.uniform(0.05, 0.2)
        metric = 'cpu_usage' if s % 2 == 0 else 'response_time'
        base = random.uniform(30, 60) if metric == 'cpu_usage' else random.uniform(100, 300)
        for i in range(3 * DAY):
            if g0 <= i < g1:
                continue
            c = base * (1 + amp * math.sin(2 * math.pi * i / DAY + ph)) * (1.2 if s >= 20 and i >= g1 else 1)
            v = c * (1 + 0.05 * random.gauss(0, 1)) if metric == 'cpu_usage' else c * math.exp(0.3 * random.gauss(0, 1))
            rows.append((i, {'timestamp': ts(i), 'metric': metric, 'value': round(v, 3), 'component': 's%02d' % s}))
    write(out, rows)


def score(run, hours):
    back = T0 + datetime.timedelta(minutes=DAY + 600 + hours * 60)
    first = {}
    for fn in glob.glob(os.path.join(run, 'regressions', '*', '*', '*.jsonl')):
        for line in open(fn):
            r = json.loads(line)
            if r['direction'] != 'regression':
                continue
            t = datetime.datetime.fromisoformat(r['detected_at'].replace('Z', '+00:00'))
            c = int(r['component'][1:])
            first[c] = min(first.get(c, t), t)
    delays = sorted((first[c] - back).total_seconds() / 60 for c in first if c >= 20 and first[c] >= back)
    print('outage %gh: unchanged series with a finding %d / 20; changed found %d / 20; delay median %s, longest %s (minutes)'
          % (hours, sum(1 for c in first if c < 20), len(delays), delays[len(delays) // 2] if delays else '-', max(delays) if delays else '-'))


def zero(out, seed):
    random.seed(seed)
    rows = []
    for s in range(10):
        for i in range(3 * DAY):
            up = i >= 2 * DAY + 600 and s % 2 == 1
            c = 'c%d' % s
            errors = sum(random.random() < 0.02 for _ in range(200)) / 200 if up else 0.0
            rows.append((i, {'timestamp': ts(i), 'metric': 'error_rate', 'value': errors, 'component': c}))
            rows.append((i, {'timestamp': ts(i), 'metric': 'queue_depth', 'value': poisson(2) if up else 0, 'component': c}))
            rows.append((i, {'timestamp': ts(i), 'metric': 'memory_usage', 'value': 66.0 if up else 60.0, 'component': c}))
    write(out, rows)


def blips(out, seed):
    random.seed(seed)
    rows = []
    for s in range(20):
        left = 0
        for i in range(3 * DAY):
            if left == 0 and random.random() < 1 / 300:
                left = random.choice([1, 1, 2])
            on = left > 0
            left -= 1 if on else 0
            c = 'c%02d' % s
            rows.append((i, {'timestamp': ts(i), 'metric': 'error_rate', 'value': round(random.uniform(0.005, 0.03), 4) if on else 0.0, 'component': c}))
            rows.append((i, {'timestamp': ts(i), 'metric': 'queue_depth', 'value': random.randint(1, 5) if on else 0, 'component': c}))
    write(out, rows)


def shift(out, seed, hours=1.0):
    random.seed(seed)
    rows = []
    for s in range(20):
        amp, base = random.uniform(0.1, 0.3), random.uniform(30, 60)
        metric = 'cpu_usage' if s % 2 == 0 else 'response_time'
        if metric == 'response_time':
            base *= 5
        for i in range(3 * DAY):
            x = (i + (60 * hours if i >= 2 * DAY else 0)) / DAY
            c = base * (1 + amp * math.sin(2 * math.pi * (x - 0.3)))
            v = c * (1 + 0.05 * random.gauss(0, 1)) if metric == 'cpu_usage' else c * math.exp(0.3 * random.gauss(0, 1))
            rows.append((i, {'timestamp': ts(i), 'metric': metric, 'value': round(v, 3), 'component': 's%02d' % s}))
    write(out, rows)


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[:1] == ['outage'] and len(a) == 4:
        outage(a[1], float(a[2]), int(a[3]))
    elif a[:1] == ['score'] and len(a) == 3:
        score(a[1], float(a[2]))
    elif a[:1] == ['zero'] and len(a) == 3:
        zero(a[1], int(a[2]))
    elif a[:1] == ['blips'] and len(a) == 3:
        blips(a[1], int(a[2]))
    elif a[:1] == ['shift'] and len(a) in (3, 4):
        shift(a[1], int(a[2]), float(a[3]) if len(a) == 4 else 1.0)
    else:
        sys.exit(__doc__)
