#!/usr/bin/env python3
"""Series with autocorrelated noise and no change: AR(1) noise with coefficient PHI (0: independent values),
a daily cycle of 5% to 20% amplitude, one CSV per series. Metrics sampled often carry much of each value into
the next (a CPU, a queue, a latency under load): any regression finding after the first day is a false one
(REGRESSION.md, "Autocorrelated series").

    python3 ar_noise.py OUT_DIR PHI NSERIES SEED [DAYS=3] [SPACING_SECONDS=60]
    ./perfwatch monitor OUT_DIR -o OUT
"""
import numpy as np, datetime as dt, sys, os
if not 5 <= len(sys.argv) <= 7:
    sys.exit(__doc__)
try:
    out, phi, nseries, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    days = float(sys.argv[5]) if len(sys.argv) > 5 else 3
    spacing = int(sys.argv[6]) if len(sys.argv) > 6 else 60
except ValueError as e:
    sys.exit(f'{e}\n{__doc__}')
if not -1 < phi < 1 or nseries < 1 or days <= 0 or spacing < 1:
    sys.exit(f'PHI must lie strictly between -1 and 1, NSERIES and SPACING_SECONDS be at least 1 and DAYS over 0; got '
             f'PHI {phi}, NSERIES {nseries}, DAYS {days}, SPACING_SECONDS {spacing}')
rng = np.random.default_rng(seed)
os.makedirs(out, exist_ok=True)
t0 = dt.datetime(2024, 5, 6)
n = int(days * 86400 / spacing)
metrics = [('response_time', 120.0), ('cpu_usage', 40.0), ('queue_depth', 300.0), ('custom_load', 1000.0)]
for s in range(nseries):
    metric, level = metrics[s % len(metrics)]
    amplitude = rng.uniform(0.05, 0.20)
    noise = rng.uniform(0.03, 0.08)
    phase = rng.uniform(0, 24)
    e = np.empty(n)
    e[0] = rng.normal(0, noise)
    innovations = rng.normal(0, noise * np.sqrt(1 - phi * phi), n)
    for i in range(1, n):
        e[i] = phi * e[i - 1] + innovations[i]
    with open(f'{out}/series_{s:03d}.csv', 'w') as f:
        f.write('timestamp,metric,component,value\n')
        for i in range(n):
            t = t0 + dt.timedelta(seconds=spacing * i)
            h = t.hour + t.minute / 60 + t.second / 3600
            v = level * (1 + amplitude * np.sin((h - phase) / 24 * 2 * np.pi)) * (1 + e[i])
            f.write('%s,%s,svc-%03d,%.4f\n' % (t.strftime('%Y-%m-%dT%H:%M:%SZ'), metric, s, max(v, 0.0)))
