#!/usr/bin/env python3
"""How well the "level, ramp, level" shape test can type a ramp at one sample a minute, the whole ramp in view.

Interval levels of 5 values each (5-minute intervals at 1-minute sampling), noise 1 per interval level (plus a
13-interval day-ago reference, as ChangeShape deseasonalises), 4 h before the change and 2 h after it. A ramp of
|d| (per value) over 1-3 h, or a step. The rule of ChangeShape.shape: the best fit's ramp at least 6 intervals
long and beating the best step by more than a price times the residual variance (BIC: ln n). Prints the share of
steps the gain would type gradual (its quantiles), and of ramps typed gradual at a price of 2, 3 and BIC's.

    python3 jobs/bench/src/test/resources/regression/ramp_shape_limit.py     # numpy; about 2 minutes
"""
import numpy as np


def fit(x):
    """(best sse, its ramp length) over every start and length, and the best step's sse (length 1)."""
    n = len(x)
    t = np.arange(n)
    best, best_len, step = np.inf, 0, np.inf
    for s in range(1, n - 1):
        for length in range(1, n - s):
            u = np.clip((t - s + 1) / length, 0, 1)
            a = np.vstack([np.ones(n), u]).T
            coef = np.linalg.lstsq(a, x, rcond=None)[0]
            r = x - a @ coef
            sse = r @ r
            if length == 1:
                step = min(step, sse)
            if sse < best:
                best, best_len = sse, length
    return best, best_len, step


def gain(x, min_ramp=6):
    sse, length, step = fit(x)
    return (step - sse) / (sse / max(1, len(x) - 4)) if length >= min_ramp else 0.0


def main():
    rng = np.random.default_rng(5)
    noise = np.sqrt(1 + 1 / 13)
    pre, post = 48, 24
    steps = []
    for d in (0.65, 1.0, 2.0):
        for _ in range(40):
            lvl = np.concatenate([np.zeros(pre + 12), np.ones(post + 12)]) * d * np.sqrt(5)
            steps.append(gain(lvl + rng.normal(size=len(lvl)) * noise))
    print("steps: gain / residual variance at the 50/80/90/95/98th percentiles",
          np.percentile(steps, [50, 80, 90, 95, 98]).round(2), "; BIC's price about", round(np.log(96), 2))
    print("| d | ramp hours | gradual at price 2 | at 3 | at BIC's |")
    for d in (0.65, 0.8, 1.0, 1.3):
        for hours in (1, 2, 3):
            length = hours * 12
            n = pre + length + post
            g = []
            for _ in range(30):
                lvl = np.concatenate([np.zeros(pre), np.arange(1, length + 1) / length, np.ones(post)]) * d * np.sqrt(5)
                g.append(gain(lvl + rng.normal(size=n) * noise))
            g = np.array(g)
            print(f"| {d} | {hours} | {(g > 2).mean():.2f} | {(g > 3).mean():.2f} | {(g > np.log(n)).mean():.2f} |", flush=True)


if __name__ == "__main__":
    main()
