#!/usr/bin/env python3
"""Latencies with a heavier tail than regression-bench's: log-normal noise of SIGMA with a share TAIL of the values
multiplied by a Pareto factor (shape 1.5: no variance), a daily cycle of 5% to 20%, NSERIES series over three days,
one CSV. With STEP, the even-numbered series step up by that share on the third day at 10:00 (the odd ones are
unchanged throughout); without it every series is unchanged. REGRESSION.md, "Heavy tails and the sequential test's
confirmation".

    python3 heavy_tail.py OUT_DIR NSERIES SPACING_SECONDS SIGMA TAIL SEED [STEP=0]
    ./perfwatch monitor OUT_DIR -o OUT
"""
import datetime as dt, math, os, random, sys
if not 7 <= len(sys.argv) <= 8:
    sys.exit(__doc__)
try:
    out, n, spacing, sigma, tail, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    step = float(sys.argv[7]) if len(sys.argv) > 7 else 0.0
except ValueError as e:
    sys.exit(f'{e}\n{__doc__}')
if n < 1 or spacing < 1 or sigma < 0 or not 0 <= tail <= 1 or step <= -1:
    sys.exit(f'NSERIES and SPACING_SECONDS must be at least 1, SIGMA at least 0, TAIL between 0 and 1 and STEP over -1; got '
             f'NSERIES {n}, SPACING_SECONDS {spacing}, SIGMA {sigma}, TAIL {tail}, STEP {step}')
rnd = random.Random(seed)
os.makedirs(out, exist_ok=True)
t0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
params = [(50 + 200 * rnd.random(), 0.05 + 0.15 * rnd.random(), rnd.random() * 24) for _ in range(n)]
with open(os.path.join(out, 'latencies.csv'), 'w') as f:
    f.write('timestamp,metric,component,value\n')
    for i in range(3 * 86400 // spacing):
        hours = i * spacing / 3600
        stamp = (t0 + dt.timedelta(seconds=i * spacing)).strftime('%Y-%m-%dT%H:%M:%SZ')
        for s, (base, amplitude, phase) in enumerate(params):
            v = base * (1 + amplitude * math.sin(2 * math.pi * (hours + phase) / 24)) * math.exp(sigma * rnd.gauss(0, 1))
            if s % 2 == 0 and hours >= 58:
                v *= 1 + step
            if rnd.random() < tail:
                v *= (1 - rnd.random()) ** (-1 / 1.5)
            f.write('%s,response_time,svc-%03d,%.4f\n' % (stamp, s, v))
