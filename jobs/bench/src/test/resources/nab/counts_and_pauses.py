#!/usr/bin/env python3
"""Unchanged series of metrics that sit at one value most of the time, or move in whole steps, one sample a
minute with a daily cycle (amplitude 5% to 30%), as JSON lines for `./perfwatch monitor`:
  queue_low  queue_depth, Poisson with mean 0.3 (three minutes in four at 0)
  queue_mid  queue_depth, Poisson with mean 4
  errors     error_rate, binomial 0.5% of about 200 requests a minute (a third of the minutes at 0)
  cache      cache_hit_rate, binomial 97% of about 500 requests
  gc         gc_time, 0 in 70% of the minutes, else log-normal around 20 ms (sigma 0.5)
  cpu_int    cpu_usage, normal around 35% (sd 4), rounded to whole percent
Series take the kinds in turn (component '<kind>-<n>'). Nothing changes: every alert on them is a false one.
  python3 counts_and_pauses.py OUT_DIR SEED SERIES [SPACING_S=60] [DAYS=3]   -> OUT_DIR/s.jsonl
"""
import numpy as np, json, sys, math, datetime as dt
out, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
spacing = int(sys.argv[4]) if len(sys.argv) > 4 else 60
days = int(sys.argv[5]) if len(sys.argv) > 5 else 3
rng = np.random.default_rng(seed)
t0 = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
N = days * 86400 // spacing
import os; os.makedirs(out, exist_ok=True)
kinds = ['queue_low', 'queue_mid', 'errors', 'cache', 'gc', 'cpu_int']
with open(f'{out}/s.jsonl', 'w') as f:
    for s in range(n):
        k = kinds[s % len(kinds)]
        amp = rng.uniform(0.05, 0.3); ph = rng.uniform(0, 2*math.pi)
        comp = f'{k}-{s}'
        for i in range(N):
            t = t0 + dt.timedelta(seconds=i*spacing)
            c = 1 + amp * math.sin(2*math.pi*i*spacing/86400 + ph)
            if k == 'queue_low': m, v = 'queue_depth', float(rng.poisson(0.3*c))
            elif k == 'queue_mid': m, v = 'queue_depth', float(rng.poisson(4*c))
            elif k == 'errors':
                req = max(1, rng.poisson(200*c)); m, v = 'error_rate', round(rng.binomial(req, 0.005)/req, 4)
            elif k == 'cache':
                req = max(1, rng.poisson(500*c)); m, v = 'cache_hit_rate', round(rng.binomial(req, 0.97)/req, 4)
            elif k == 'gc': m, v = 'gc_time', float(0 if rng.random() < 0.7 else round(rng.lognormal(math.log(20), 0.5)*c, 1))
            else: m, v = 'cpu_usage', float(min(100, max(0, round(rng.normal(35*c, 4)))))
            f.write(json.dumps({'timestamp': t.strftime('%Y-%m-%dT%H:%M:%SZ'), 'metric': m, 'value': v, 'component': comp}) + '\n')
