#!/usr/bin/env python3
"""Reference fits of "level, straight ramp, level" (perfwatch's LevelRampLevel), by brute force with numpy.

For every start c (0..n-2) and ramp length L (1..2n-c), the model is x_i = a + (b - a) g_i with
g_i = 0 for i <= c, (i - c) / L on the ramp, 1 after it; numpy.linalg.lstsq fits a and b and gives the
residual sum of squares. The fixture keeps the least SSE over all (c, L), the least over L = 1 (a step),
and every (c, L) whose SSE is within 1e-9 (relative) of the least (ramps running past the end give
proportional g, hence equal SSEs: any of them is a best fit).

Run from this folder: python3 make_shape_fixtures.py  (writes shape_fixtures.json; deterministic).
Checked by udfs/src/test/java/dev/perfwatch/stats/LevelRampLevelTest.java.
"""
import json

import numpy as np

rng = np.random.default_rng(20261130)


def fits(x):
    n = len(x)
    out = []
    for c in range(0, n - 1):
        for length in range(1, 2 * n - c + 1):
            i = np.arange(n)
            g = np.clip((i - c) / length, 0.0, 1.0)
            design = np.column_stack([np.ones(n), g])
            coef, _, _, _ = np.linalg.lstsq(design, x, rcond=None)
            sse = float(np.sum((x - design @ coef) ** 2))
            out.append((c, length, sse))
    return out


def case(name, x):
    x = np.asarray(x, dtype=float)
    all_fits = fits(x)
    best = min(f[2] for f in all_fits)
    step = min(f[2] for f in all_fits if f[1] == 1)
    tol = 1e-9 * max(best, 1e-300) + 1e-12
    optimal = [[c, length] for c, length, sse in all_fits if sse <= best + tol]
    return {'name': name, 'x': x.tolist(), 'sse': best, 'step_sse': step, 'optimal': optimal}


cases = []
for n in (6, 12, 24, 60):
    cases.append(case(f'noise-{n}', rng.normal(100, 5, n)))
    t = np.arange(n)
    cases.append(case(f'step-{n}', np.where(t < n // 2, 100.0, 130.0) + rng.normal(0, 3, n)))
    ramp_start, ramp_len = n // 3, max(2, n // 3)
    cases.append(case(f'ramp-{n}', 100 + 40 * np.clip((t - ramp_start) / ramp_len, 0, 1) + rng.normal(0, 3, n)))
    cases.append(case(f'ramp-to-the-end-{n}', 100 + 2.0 * np.maximum(t - n // 2, 0) + rng.normal(0, 1, n)))
cases.append(case('two-values', [1.0, 5.0]))
cases.append(case('heavy-tail', np.concatenate([rng.standard_t(2, 20) * 3 + 50, rng.standard_t(2, 20) * 3 + 65])))

with open('shape_fixtures.json', 'w') as f:
    json.dump(cases, f, indent=1)
print(f'{len(cases)} cases')
