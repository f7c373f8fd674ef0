#!/usr/bin/env python3
"""Series shaped like NAB's artificial categories (not NAB's files, which are not in this repository: the shapes
their names describe), 5-minute spacing, 14 days, a random start within a day, with NAB-style labels: one anomaly
per series with an anomaly, its window 10% of the file's length centred on it.

    python3 artificial_shapes.py OUT_DIR [SEED]
    ./perfwatch nab --dataset OUT_DIR

artificialNoAnomaly: a flat line, a daily trapezoid (20 at night, 80 for ten hours) with and without noise, a daily
square wave with noise, uniform noise. artificialWithAnomaly, one day after the first week: the day's plateau twice as
high (jumpsup), halved (jumpsdown), never reached (nojump), a flat middle at 50 from 5 to 17 hours into the day
(flatmiddle); spikes on a flat noisy base at 1% of samples, 12% for a day (increase_spike_density).
"""
import numpy as np, json, os, sys, datetime as dt
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
out = sys.argv[1]
rng = np.random.default_rng(seed)
N = 4032; step = 300
t0 = dt.datetime(2014, 4, 1) + dt.timedelta(minutes=5 * int(rng.integers(0, 288)))
ts = [t0 + dt.timedelta(seconds=step * i) for i in range(N)]
per = 288
def daily(lo=20, hi=80):
    # a trapezoid day: low at night, ramps up over an hour, high for 10 hours, ramps down
    x = np.zeros(N)
    for i in range(N):
        p = i % per
        if p < 96: v = lo
        elif p < 108: v = lo + (hi - lo) * (p - 96) / 12
        elif p < 228: v = hi
        elif p < 240: v = hi - (hi - lo) * (p - 228) / 12
        else: v = lo
        x[i] = v
    return x
series = {}; anomalies = {}
d = int(rng.integers(9, 12))  # the anomalous day (after a week)
a = d * per
series['artificialNoAnomaly/art_flatline.csv'] = np.full(N, 50.0); anomalies['artificialNoAnomaly/art_flatline.csv'] = []
series['artificialNoAnomaly/art_daily_no_noise.csv'] = daily(); anomalies['artificialNoAnomaly/art_daily_no_noise.csv'] = []
series['artificialNoAnomaly/art_daily_small_noise.csv'] = daily() + rng.normal(0, 2.5, N); anomalies['artificialNoAnomaly/art_daily_small_noise.csv'] = []
series['artificialNoAnomaly/art_noisy.csv'] = rng.uniform(0, 100, N) ; anomalies['artificialNoAnomaly/art_noisy.csv'] = []
sq = np.where((np.arange(N) % per) < 144, 20.0, 80.0) + rng.normal(0, 2.5, N)
series['artificialNoAnomaly/art_daily_perfectsquare_noise.csv'] = sq; anomalies['artificialNoAnomaly/art_daily_perfectsquare_noise.csv'] = []
x = daily() + rng.normal(0, 2.5, N); x[a + 96:a + 240] += 60 * (daily()[a + 96:a + 240] - 20) / 60 * 1.0
series['artificialWithAnomaly/art_daily_jumpsup.csv'] = x; anomalies['artificialWithAnomaly/art_daily_jumpsup.csv'] = [a + 100]
x = daily() + rng.normal(0, 2.5, N); x[a + 96:a + 240] -= 0.5 * (daily()[a + 96:a + 240] - 20)
series['artificialWithAnomaly/art_daily_jumpsdown.csv'] = x; anomalies['artificialWithAnomaly/art_daily_jumpsdown.csv'] = [a + 100]
x = daily() + rng.normal(0, 2.5, N); x[a + 96:a + 240] = 20 + rng.normal(0, 2.5, 144)
series['artificialWithAnomaly/art_daily_nojump.csv'] = x; anomalies['artificialWithAnomaly/art_daily_nojump.csv'] = [a + 100]
x = daily() + rng.normal(0, 2.5, N); x[a + 60:a + 200] = 50.0
series['artificialWithAnomaly/art_daily_flatmiddle.csv'] = x; anomalies['artificialWithAnomaly/art_daily_flatmiddle.csv'] = [a + 60]
base = 20 + rng.normal(0, 1.5, N)
sp = rng.random(N) < 0.01; sp[a:a + 288] = rng.random(288) < 0.12
x = base + sp * rng.uniform(40, 80, N)
series['artificialWithAnomaly/art_increase_spike_density.csv'] = x; anomalies['artificialWithAnomaly/art_increase_spike_density.csv'] = [a]
windows = {}
for k, v in series.items():
    os.makedirs(os.path.join(out, os.path.dirname(k)), exist_ok=True)
    with open(os.path.join(out, k), 'w') as f:
        f.write('timestamp,value\n')
        for t, val in zip(ts, v):
            f.write('%s,%s\n' % (t.strftime('%Y-%m-%d %H:%M:%S'), repr(round(float(val), 3))))
    an = anomalies[k]
    w = []
    if an:
        half = int(0.1 * N / len(an) / 2)
        for i in an:
            w.append([ts[max(0, i - half)].strftime('%Y-%m-%d %H:%M:%S.000000'), ts[min(N - 1, i + half)].strftime('%Y-%m-%d %H:%M:%S.000000')])
    windows[k] = w
json.dump(windows, open(os.path.join(out, 'combined_windows.json'), 'w'), indent=1)
