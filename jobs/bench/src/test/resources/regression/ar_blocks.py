#!/usr/bin/env python3
"""The figures behind the sequential test's long-run scale (jobs/REGRESSION.md, "The sequential test's long-run scale
on correlated residuals" and "The first day's scale taken to the long run of AR(1) residuals"), from the AR(1)
covariances summed directly, in units of the noise the CUSUM measures between neighbouring 5-minute intervals:

    python3 ar_blocks.py [PHI=0.95] [VALUES_PER_INTERVAL=5]

prints the correlation of neighbouring interval means, an hourly block's variance (12 intervals), what half the
squared difference of neighbouring blocks and of blocks two apart measure of it, and the long-run variance; then
SequentialTest.longRunOverBlock's factor for AR(1) residuals at rho 0.5, 0.8, 0.95 and the block measure g it inverts.
"""
import sys
try:
    if len(sys.argv) > 3:
        raise ValueError(f'at most two arguments, got {len(sys.argv) - 1}')
    phi = float(sys.argv[1]) if len(sys.argv) > 1 else 0.95
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if not -1 < phi < 1 or n < 1:
        raise ValueError(f'PHI must lie strictly between -1 and 1 and VALUES_PER_INTERVAL be at least 1, got {phi} and {n}')
except ValueError as e:
    sys.exit(f'{e}\n{__doc__}')
BLOCK, LAGS = 12, 400

def cov(lag):  # covariance of two interval means lag intervals apart, values of unit variance
    return sum(phi ** abs(lag * n + j - i) for i in range(n) for j in range(n)) / n ** 2

rho = [cov(k) / cov(0) for k in range(LAGS)]
s2 = 1 - rho[1]  # half the variance of neighbouring differences, interval means of unit variance

def cross(gap):  # covariance of two block means gap blocks apart
    return sum(rho[abs(gap * BLOCK + j - i)] for i in range(BLOCK) for j in range(BLOCK)) / BLOCK ** 2

block = cross(0)
print(f"AR(1) {phi} from one value to the next, {n} values an interval: neighbouring interval means correlated {rho[1]:.2f}")
print(f"an hour's block variance x {BLOCK}, in noise units: {block * BLOCK / s2:.1f}")
print(f"  half the squared difference of neighbouring blocks: {(block - cross(1)) * BLOCK / s2:.1f}; of blocks two apart: {(block - cross(2)) * BLOCK / s2:.1f}")
print(f"long-run variance in noise units: {(1 + 2 * sum(rho[1:])) / s2:.1f}")
for r in (0.5, 0.8, 0.95):
    f = 1 + 2 * sum((1 - k / BLOCK) * r ** k for k in range(1, BLOCK))
    print(f"residuals AR(1) {r} from one interval to the next: g = {f / (1 - r):.1f}, long run / block = {(1 + r) / (1 - r) / f:.2f}")
