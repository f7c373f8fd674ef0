#!/usr/bin/env python3
"""The exact two-sided p-value of a trend fixture's slope (fractions for the moments, mpmath for the incomplete
beta function), beside scipy's: how far double-precision answers can be from it on a near-perfect line.

    python3 exact_trend_p.py [NAME]     # default trend-6, the fixture ScipyReferenceTest allows its conditioning
"""
import json, os, sys
from fractions import Fraction as F

import mpmath as mp
from scipy import stats

name = sys.argv[1] if len(sys.argv) > 1 else "trend-6"
fixtures = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures.json")))
case = next(c for c in fixtures["trend"] if c["name"] == name)
x = [F(v) for v in case["x"]]
y = [F(v) for v in case["y"]]
n = len(x)
mx, my = sum(x) / n, sum(y) / n
cxx = sum((a - mx) ** 2 for a in x)
cxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
cyy = sum((b - my) ** 2 for b in y)
r2 = cxy * cxy / (cxx * cyy)
mp.mp.dps = 50
r2m = mp.mpf(r2.numerator) / r2.denominator
df = n - 2
t2 = r2m * df / (1 - r2m)
exact = mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t2), regularized=True)
scipy_p = stats.linregress([float(v) for v in x], [float(v) for v in y]).pvalue
print(f"{name}: 1 - R^2 = {float(1 - r2):.3e}, exact p = {mp.nstr(exact, 17)}, scipy {float(scipy_p)!r} "
      f"(relative {abs(scipy_p - float(exact)) / float(exact):.1e})")
