#!/usr/bin/env python3
"""Reference values for perfwatch's statistics, computed with scipy/numpy.

Run from this folder: python3 make_fixtures.py  (writes fixtures.json; deterministic for its seeds).
Java tests (udfs/src/test/java/dev/perfwatch/stats/ScipyReferenceTest.java) check against it to 1e-9.
"""
import json
import math

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261127)


def clean(v):
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    v = float(v)
    return None if math.isnan(v) else v


def mwu_z(u1, nb, nc, pooled):
    """Signed, continuity-corrected standardized U of the comparison (perfwatch's z)."""
    n = nb + nc
    _, counts = np.unique(pooled, return_counts=True)
    tie = float(np.sum(counts.astype(float) ** 3 - counts))
    s = math.sqrt(nb * nc / 12.0 * ((n + 1) - tie / (n * (n - 1))))
    mu = nb * nc / 2.0
    dev = max(abs(u1 - mu) - 0.5, 0.0)
    return math.copysign(dev, u1 - mu) / s if u1 != mu else 0.0


def two_sample(name, baseline, comparison):
    baseline = np.asarray(baseline, dtype=float)
    comparison = np.asarray(comparison, dtype=float)
    w = stats.ttest_ind(comparison, baseline, equal_var=False)
    m = stats.mannwhitneyu(comparison, baseline, alternative='two-sided', method='auto')
    nb, nc = len(baseline), len(comparison)
    pooled_sd = math.sqrt(((nb - 1) * baseline.var(ddof=1) + (nc - 1) * comparison.var(ddof=1)) / (nb + nc - 2))
    d = (comparison.mean() - baseline.mean()) / pooled_sd if pooled_sd > 0 else float('nan')
    return {
        'name': name,
        'baseline': baseline.tolist(),
        'comparison': comparison.tolist(),
        'welch': {'t': clean(w.statistic), 'df': clean(w.df), 'p': clean(w.pvalue)},
        'mann_whitney': {'u': clean(m.statistic), 'p': clean(m.pvalue),
                         'z': mwu_z(float(m.statistic), nb, nc, np.concatenate([comparison, baseline]))},
        'cohens_d': clean(d),
        'common_language': clean(float(m.statistic) / (nb * nc)),
        'inflated': [inflated(v, w, m, nb, nc, np.concatenate([comparison, baseline])) for v in INFLATIONS],
    }


INFLATIONS = [1.0, 1.7, 4.0, 30.0]


def inflated(v, w, m, nb, nc, pooled):
    """The tests allowing for values that are not independent: each mean's variance v times larger.

    Welch: t / sqrt(v) on df / v degrees of freedom (at least 1), the design effect's usual correction.
    Mann-Whitney: the standardized U over sqrt(v), a normal p (never below the test's own p); when the test's p is
    exact (perfwatch's rule: at most 8 values in the smaller sample, no ties, nb nc <= 200,000 and nb nc min <=
    4,000,000), the standardized U is the normal deviate of that exact p (sign of U's deviation), so an inflation
    just over 1 leaves the exact p about as it was instead of replacing it by the normal approximation's.
    v <= 1 leaves both as they are.
    """
    if v <= 1:
        return {'v': v, 'welch': {'t': clean(w.statistic), 'df': clean(w.df), 'p': clean(w.pvalue)},
                'mann_whitney': {'z': mwu_z(float(m.statistic), nb, nc, pooled), 'p': clean(m.pvalue)}}
    t = float(w.statistic) / math.sqrt(v)
    df = max(1.0, float(w.df) / v)
    z0 = mwu_z(float(m.statistic), nb, nc, pooled)
    ties = len(np.unique(pooled)) < len(pooled)
    small = min(nb, nc)
    if small <= 8 and not ties and nb * nc <= 200_000 and nb * nc * small <= 4_000_000:
        z0 = math.copysign(stats.norm.isf(float(m.pvalue) / 2), z0) if z0 != 0 else 0.0
    z = z0 / math.sqrt(v)
    return {'v': v,
            'welch': {'t': clean(t), 'df': clean(df), 'p': clean(2 * stats.t.sf(abs(t), df))},
            'mann_whitney': {'z': clean(z), 'p': clean(max(2 * stats.norm.sf(abs(z)), float(m.pvalue)))}}


cases = []
# Small exact samples, no ties (exact null distribution).
for i, (nb, nc) in enumerate([(3, 3), (4, 5), (5, 4), (6, 7), (8, 8), (3, 8), (8, 12), (5, 40), (7, 200), (2, 9)]):
    shift = [0.0, 0.5, 1.5, 3.0][i % 4]
    cases.append(two_sample(f'exact-{nb}x{nc}', rng.normal(10, 2, nb), rng.normal(10 + shift, 2, nc)))
# Completely separated small samples: the smallest exact p.
cases.append(two_sample('exact-separated-8x8', np.arange(1, 9) + 0.1, np.arange(20, 28) + 0.3))
# Ties: latencies rounded to whole ms, integer percentages.
for i, (nb, nc) in enumerate([(5, 6), (8, 8), (30, 25), (200, 150), (1000, 800), (7, 300)]):
    cases.append(two_sample(f'ties-ms-{nb}x{nc}', np.round(rng.lognormal(4, 0.3, nb)),
                            np.round(rng.lognormal(4 + 0.1 * i, 0.3, nc))))
for i, (nb, nc) in enumerate([(20, 20), (100, 60), (500, 500)]):
    cases.append(two_sample(f'ties-percent-{nb}x{nc}', np.round(rng.normal(50, 8, nb)),
                            np.round(rng.normal(50 + 2 * i, 12, nc))))
# Large samples with unequal variances and sizes.
for i, (nb, nc) in enumerate([(2000, 300), (300, 2000), (5000, 5000), (10000, 1000)]):
    cases.append(two_sample(f'unequal-var-{nb}x{nc}', rng.normal(100, 5, nb), rng.normal(100 + i * 0.3, 25, nc)))
# Identical distributions.
for i, n in enumerate([10, 50, 400, 3000]):
    cases.append(two_sample(f'identical-{n}', rng.normal(7, 1, n), rng.normal(7, 1, n + i)))
# Heavy tails: Pareto and log-normal latencies with outliers.
for i, (nb, nc) in enumerate([(40, 40), (300, 200), (2000, 2000), (9, 9)]):
    b = (rng.pareto(1.5, nb) + 1) * 50
    c = (rng.pareto(1.5, nc) + 1) * 50 * (1 + 0.2 * i)
    cases.append(two_sample(f'pareto-{nb}x{nc}', b, c))
for i, (nb, nc) in enumerate([(100, 100), (1500, 900), (12, 30)]):
    cases.append(two_sample(f'lognormal-outliers-{nb}x{nc}', rng.lognormal(5, 1, nb), rng.lognormal(5.2, 1.2, nc)))
# Regressions of typical sizes on latency-like data.
for i, rel in enumerate([0.05, 0.10, 0.25, 0.5, 1.0]):
    cases.append(two_sample(f'regression-{int(rel * 100)}pct', rng.gamma(4, 25, 720), rng.gamma(4, 25 * (1 + rel), 60)))
# Many ties at one value plus a few distinct.
cases.append(two_sample('mostly-zero', np.concatenate([np.zeros(50), rng.exponential(1, 5)]),
                        np.concatenate([np.zeros(40), rng.exponential(2, 15)])))

trends = []
for i, (n, slope, noise) in enumerate([(3, 1.0, 0.1), (10, 2.5, 1.0), (60, -0.7, 2.0), (500, 0.01, 1.0),
                                       (1440, 0.3, 5.0), (200, 0.0, 1.0), (25, 40.0, 0.5), (100, 1e-3, 10.0)]):
    hours = np.sort(rng.uniform(0, 48, n))
    y = 100 + slope * hours + rng.normal(0, noise, n)
    r = stats.linregress(hours, y)
    trends.append({'name': f'trend-{i}', 'x': hours.tolist(), 'y': y.tolist(), 'slope': r.slope,
                   'intercept': r.intercept, 'r2': r.rvalue ** 2, 'p': r.pvalue, 'stderr': r.stderr})


def change_point(x):
    x = np.asarray(x, dtype=float)
    n = len(x)
    s = np.cumsum(x - x.mean())[:-1]  # S_1..S_{n-1}
    k = int(np.argmax(np.abs(s))) + 1
    best = abs(s[k - 1])
    sigma = 1.4826 * np.median(np.abs(np.diff(x))) / math.sqrt(2)
    if not sigma > 0:
        sigma = x.std(ddof=1)
    d = best / (sigma * math.sqrt(n))
    return {'index': k, 'mean_before': x[:k].mean(), 'mean_after': x[k:].mean(), 'statistic': d,
            'p': stats.kstwobign.sf(d)}


changes = []
for i, (n, at, shift, noise) in enumerate([(60, 40, 10.0, 2.0), (120, 30, -5.0, 1.0), (300, 150, 0.0, 1.0),
                                            (24, 12, 3.0, 1.0), (500, 480, 2.0, 1.0), (1000, 200, 0.3, 1.0),
                                            (50, 25, 100.0, 1.0)]):
    x = rng.normal(50, noise, n)
    x[at:] += shift
    c = change_point(x)
    c.update({'name': f'change-{i}', 'x': x.tolist()})
    changes.append(c)

kolmogorov = [{'d': d, 'sf': stats.kstwobign.sf(d)} for d in
              [0.05, 0.2, 0.4, 0.5, 0.7, 0.9, 0.99, 1.0, 1.01, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0]]

robust = []
for i in range(4):
    base = rng.lognormal(3, 0.5, 50 + 10 * i)
    x = float(base.mean() * (1 + i) + 1.5)
    med = np.median(base)
    mad = np.median(np.abs(base - med))
    robust.append({'baseline': base.tolist(), 'x': x, 'z': (x - base.mean()) / base.std(ddof=1),
                   'robust_z': (x - med) / (1.4826 * mad)})


def seasonality(x):
    x = np.asarray(x, dtype=float)
    n = len(x)
    t = np.arange(n, dtype=float)
    fit = stats.linregress(t, x)
    d = x - (fit.intercept + fit.slope * t)
    m = d.mean()
    den = np.sum((d - m) ** 2)
    max_lag = n // 2
    r = np.array([np.sum((d[:n - k] - m) * (d[k:] - m)) / den for k in range(max_lag + 1)])
    threshold = max(0.3, 2 / math.sqrt(n))
    best, best_r = 0, -np.inf
    crossed = False
    for k in range(2, len(r)):
        crossed = crossed or r[k] <= 0
        peak = crossed and r[k] > r[k - 1] and (k + 1 >= len(r) or r[k] >= r[k + 1])
        if peak and r[k] > threshold and r[k] > best_r:
            best, best_r = k, r[k]
    return best, (best_r if best else float(np.max(r[2:])))


seasons = []
for i, (n, period, amp, noise, slope) in enumerate([(288, 24, 5, 1, 0.0), (500, 50, 3, 1, 0.02), (200, 7, 2, 0.5, 0.0),
                                                     (300, 0, 0, 1, 0.0), (96, 12, 10, 1, 0.5)]):
    t = np.arange(n)
    x = 20 + slope * t + (amp * np.sin(2 * np.pi * t / period) if period else 0) + rng.normal(0, noise, n)
    p, s = seasonality(x)
    seasons.append({'name': f'season-{i}', 'x': x.tolist(), 'period': p, 'strength': s})


def holt(y, a, b):
    l, tr, sse = y[0], y[1] - y[0], 0.0
    for t in range(1, len(y)):
        e = y[t] - (l + tr)
        sse += e * e
        prev = l
        l = a * y[t] + (1 - a) * (l + tr)
        tr = b * (l - prev) + (1 - b) * tr
    return l, tr, sse


def holt_fit(y):
    best = None
    for i in range(1, 20):
        for j in range(1, 20):
            r = holt(y, i * 0.05, j * 0.05)
            if best is None or r[2] < best[0]:
                best = (r[2], i * 0.05, j * 0.05)
    a0, b0 = best[1], best[2]
    for i in range(-9, 10):
        for j in range(-9, 10):
            a, b = a0 + i * 0.005, b0 + j * 0.005
            if 0.001 < a < 0.999 and 0.001 < b < 0.999:
                r = holt(y, a, b)
                if r[2] < best[0]:
                    best = (r[2], a, b)
    return best


forecasts = []
z95 = stats.norm.ppf(0.975)
for i, (n, slope, noise, a, b) in enumerate([(100, 0.5, 2.0, 0.3, 0.1), (50, -1.0, 0.5, 0.8, 0.2), (300, 0.05, 3.0, 0.1, 0.05)]):
    y = 40 + slope * np.arange(n) + rng.normal(0, noise, n)
    l, tr, sse = holt(y, a, b)
    sigma = math.sqrt(sse / (n - 1))
    hs = [1, 2, 5, 10, 30]
    points = [l + h * tr for h in hs]
    widths = [z95 * sigma * math.sqrt(1 + sum((a * (1 + j * b)) ** 2 for j in range(1, h))) for h in hs]
    best_sse, _, _ = holt_fit(y)
    forecasts.append({'name': f'holt-{i}', 'y': y.tolist(), 'alpha': a, 'beta': b, 'steps': hs,
                      'points': points, 'half_widths': widths, 'best_sse': best_sse})

# For the SQL functions: timestamps in whole milliseconds, slope per hour since the earliest one.
sql_trends = []
for i, (n, slope) in enumerate([(30, 2.0), (200, -0.5), (1000, 0.05)]):
    ts = np.sort(rng.choice(np.arange(1_764_000_000_000, 1_764_000_000_000 + 72 * 3_600_000, 1000), n, replace=False))
    hours = (ts - ts.min()) / 3_600_000.0
    y = 10 + slope * hours + rng.normal(0, 1, n)
    r = stats.linregress(hours, y)
    sql_trends.append({'name': f'sql-trend-{i}', 'ts_ms': ts.tolist(), 'y': y.tolist(), 'slope': r.slope,
                       'intercept': r.intercept, 'r2': r.rvalue ** 2, 'p': r.pvalue})

# Exact Mann-Whitney beyond scipy's automatic choice (method='exact'), for the sizes the regression
# detector tests exactly (no ties, smaller sample up to 16): sparse series, 12 values an hour.
# Its own generator, so the cases above keep their values.
exact_rng = np.random.default_rng(7)
mwu_exact = []
for i, (nb, nc, shift) in enumerate([(12, 12, 0.0), (12, 12, 3.0), (288, 12, 1.0), (40, 16, 0.5), (100, 10, 2.0),
                                     (16, 16, 6.0), (9, 14, 0.2), (200, 13, 0.8)]):
    b = exact_rng.normal(10, 2, nb)
    c = exact_rng.normal(10 + shift, 2, nc)
    m = stats.mannwhitneyu(c, b, alternative='two-sided', method='exact')
    mwu_exact.append({'name': f'exact-{i}-{nb}x{nc}', 'baseline': b.tolist(), 'comparison': c.tolist(),
                      'u': float(m.statistic), 'p': float(m.pvalue)})
b = np.arange(1, 13) + 0.1
c = np.arange(30, 42) + 0.3
m = stats.mannwhitneyu(c, b, alternative='two-sided', method='exact')
mwu_exact.append({'name': 'exact-separated-12x12', 'baseline': b.tolist(), 'comparison': c.tolist(),
                  'u': float(m.statistic), 'p': float(m.pvalue)})

with open('fixtures.json', 'w') as f:
    json.dump({'mwu_exact': mwu_exact, 'two_sample': cases, 'trend': trends, 'change_point': changes, 'kolmogorov': kolmogorov,
               'robust': robust, 'seasonality': seasons, 'holt': forecasts, 'sql_trend': sql_trends}, f)
print(f'{len(cases)} two-sample cases, {len(trends)} trends, {len(changes)} change points, '
      f'{len(seasons)} seasonality, {len(forecasts)} forecasts')
