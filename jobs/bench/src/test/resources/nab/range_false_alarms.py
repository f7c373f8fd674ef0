#!/usr/bin/env python3
"""The false-alarm rate of the anomaly alerts' range rule (alerts.anomaly.range-days, range-margin) on
independent noise: the chance that the next value lies beyond the range of the last N values by a
share m of that range, simulated. N = 2,016 is a week of 5-minute windows, 10,080 a week of 1-minute
windows. jobs/NAB.md quotes its output (seed 1, 400,000 trials each; a few minutes on 2 cores).

    python3 range_false_alarms.py [TRIALS]
"""
import sys
import numpy as np

rng = np.random.default_rng(1)
trials = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
draw = {
    "normal": lambda shape: rng.standard_normal(shape),
    "lognormal(0.3)": lambda shape: np.exp(0.3 * rng.standard_normal(shape)),
    "t3": lambda shape: rng.standard_t(3, shape),
    "exponential": lambda shape: rng.exponential(size=shape),
}
print("windows a week | noise | margin | beyond the range, a window | a series-day")
for n, per_day in ((2016, 288), (10080, 1440)):
    for name, f in draw.items():
        for m in (0.05, 0.1):
            hits = 0
            batch = 2000
            for _ in range(trials // batch):
                x = f((batch, n + 1))
                past = x[:, :n]
                hi, lo = past.max(1), past.min(1)
                hits += int(np.sum(x[:, n] > hi + m * (hi - lo)))
            rate = hits / trials
            print(f"{n} | {name} | {m} | {rate:.2e} | {rate * per_day:.4f}")
