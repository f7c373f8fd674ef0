#!/usr/bin/env python3
"""Reference for AnomalyScoresTest.theReturnLevelIsTheGumbelQuantileOfTheDaysExtremes: the level a Gumbel
distribution fitted by its moments to the days' highest values passes once in 30 days (scipy's gumbel_r)."""
import numpy as np
from scipy import stats

highs = np.array([300.0, 250.0, 450.0, 380.0, 520.0])
scale = highs.std(ddof=1) * np.sqrt(6) / np.pi
loc = highs.mean() - np.euler_gamma * scale
print(repr(stats.gumbel_r.isf(1 / 30, loc=loc, scale=scale)))
# The same on the logarithms (a metric on the log scale), back on the values' scale.
logs = np.log(highs)
scale = logs.std(ddof=1) * np.sqrt(6) / np.pi
loc = logs.mean() - np.euler_gamma * scale
print(repr(np.exp(stats.gumbel_r.isf(1 / 30, loc=loc, scale=scale))))
