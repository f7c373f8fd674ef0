#!/usr/bin/env python3
"""Where the volatility rule's bound sits, in typical hours (jobs/NAB.md "A series that became erratic").

The rule compares an hour's median absolute change from one window to the next with twice the most of a week's hourly
medians. On normal noise, the most of 168 such medians is a few times a typical hour's; printed here for 12 changes an
hour (a value every 5 minutes) and 60 (one a minute), over 300 simulated weeks each, with the bound it gives.

    python3 volatility_bound.py [SEED]
"""
import sys
import numpy as np

rng = np.random.default_rng(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
for n in (12, 60):
    ratios = []
    for _ in range(300):
        x = rng.normal(size=(168, n + 1))
        medians = np.median(np.abs(np.diff(x, axis=1)), axis=1)
        ratios.append(medians.max() / np.median(medians))
    r = np.array(ratios)
    print('%d changes an hour: the week\'s most is %.2f typical hours (5%% to 95%%: %.2f to %.2f); twice it, the bound: %.2f'
          % (n, np.median(r), np.quantile(r, .05), np.quantile(r, .95), 2 * np.median(r)))
