package dev.perfwatch.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Undefined inputs give NaN (NULL in SQL), never an exception. */
class EdgeCasesTest {

    private static final double[] EMPTY = {};
    private static final double[] ONE = {3.0};
    private static final double[] CONSTANT = {2, 2, 2, 2};

    @Test
    void welchsTwoSidedPIsCommonsMathsTDistributionsToTheBit() {
        // twoSidedP evaluates TDistribution's own CDF formula without building the distribution: the same bits.
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        double[] special = {0.0, -0.0, 1e-300, 1e-12, 0.5, 1, 1.96, 40, 1e10, Double.POSITIVE_INFINITY};
        for (int i = 0; i < 20_000; i++) {
            double t = i < 100 ? special[i % special.length] * (i % 2 == 0 ? 1 : -1)
                    : (random.nextBoolean() ? 1 : -1) * Math.exp(random.nextDouble(-12, 5));
            double df = i < 100 ? new double[] {1e-3, 0.5, 1, 2.5, 7, 30, 1e6, 1e15, Double.POSITIVE_INFINITY, 3}[(i / 10) % 10]
                    : Math.exp(random.nextDouble(-3, 12));
            double expected = Double.isInfinite(t) ? 0.0
                    : Math.min(1.0, 2 * new org.apache.commons.math3.distribution.TDistribution(null, df).cumulativeProbability(-Math.abs(t)));
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(WelchTest.twoSidedP(t, df)), "t " + t + ", df " + df);
        }
        assertTrue(Double.isNaN(WelchTest.twoSidedP(Double.NaN, 3)));
        org.junit.jupiter.api.Assertions.assertThrows(org.apache.commons.math3.exception.NotStrictlyPositiveException.class,
                () -> WelchTest.twoSidedP(1, 0), "degrees of freedom must be positive, as before");
    }

    @Test
    void welchIsUndefinedBelowTwoValuesAndForZeroVariance() {
        assertTrue(Double.isNaN(WelchTest.of(EMPTY, new double[] {1, 2}).t()));
        assertTrue(Double.isNaN(WelchTest.of(ONE, new double[] {1, 2}).pValue()));
        assertTrue(Double.isNaN(WelchTest.of(CONSTANT, CONSTANT).pValue()));
        WelchTest.Result withNaN = WelchTest.of(new double[] {1, 2, Double.NaN, 3}, new double[] {4, 5, 6});
        assertEquals(WelchTest.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}).t(), withNaN.t(), "NaN inputs are skipped");
    }

    @Test
    void twoConstantSamplesAtDifferentLevelsDifferBeyondDoubt() {
        // scipy.stats.ttest_ind([2, 2, 2, 2], [5, 5, 5], equal_var=False): statistic -inf, p 0.0 (scipy's t is the first
        // sample's mean minus the second's; here the comparison's minus the baseline's). A queue that was always empty
        // and is now always 5 had no Welch p and no Cohen's d, and no regression was found from it.
        double[] five = {5, 5, 5};
        WelchTest.Result r = WelchTest.of(CONSTANT, five);
        assertEquals(Double.POSITIVE_INFINITY, r.t());
        assertEquals(0.0, r.pValue());
        assertEquals(Double.NEGATIVE_INFINITY, WelchTest.of(five, CONSTANT).t());
        assertEquals(0.0, WelchTest.inflated(r, 4).pValue(), "an inflation leaves it beyond doubt");
        assertEquals(Double.POSITIVE_INFINITY, EffectSize.cohensD(CONSTANT, five));
        assertEquals(Double.NEGATIVE_INFINITY, EffectSize.cohensD(five, CONSTANT));
    }

    @Test
    void mannWhitneyEdges() {
        assertTrue(Double.isNaN(MannWhitneyU.of(EMPTY, ONE).pValue()));
        MannWhitneyU.Result allTied = MannWhitneyU.of(CONSTANT, CONSTANT);
        assertEquals(8.0, allTied.u());
        assertEquals(1.0, allTied.pValue(), "all values tied: nothing tells them apart (scipy: 1.0)");
        assertEquals(0.0, allTied.z());
        assertEquals(1.0, MannWhitneyU.of(new double[] {5}, new double[] {5}).pValue(), "scipy.stats.mannwhitneyu([5], [5]): U 0.5, p 1.0");
        assertEquals(0.5, MannWhitneyU.of(new double[] {5}, new double[] {5}).u());
        assertEquals(1.0, MannWhitneyU.of(ONE, new double[] {5}).pValue(), 1e-12);
    }

    @Test
    void anInflationJustOverOneLeavesAnExactPAboutWhereItWas() {
        // 8 of 10 values above 60 others: the exact p is 4.9e-10, the normal approximation's 1.1e-6 (scipy). The
        // inflation (values that are not independent) scales the deviate of the exact p, so it is continuous at 1.
        double[] baseline = new double[60];
        for (int i = 0; i < baseline.length; i++) {
            baseline[i] = 10 + i * 0.1;
        }
        double[] comparison = {30, 31, 32, 33, 34, 35, 36, 37, 15.05, 16.05};
        MannWhitneyU.Result exact = MannWhitneyU.of(baseline, comparison, 16);
        assertTrue(exact.exact(), "exact: " + exact);
        assertEquals(4.890289577195993e-10, exact.pValue(), 1e-9 * 4.89e-10, "scipy.stats.mannwhitneyu(method='exact')");
        MannWhitneyU.Result barely = MannWhitneyU.inflated(exact, 1.0001);
        assertEquals(exact.pValue(), barely.pValue(), 0.01 * exact.pValue(), "inflated by 1.0001 (before: the normal approximation's 1.1e-6): " + barely);
        MannWhitneyU.Result twice = MannWhitneyU.inflated(exact, 2);
        double deviate = -new org.apache.commons.math3.distribution.NormalDistribution().inverseCumulativeProbability(exact.pValue() / 2);
        assertEquals(deviate / Math.sqrt(2), twice.z(), 1e-6); // (the inverse normal to its solver's accuracy)
        assertEquals(2 * new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(-deviate / Math.sqrt(2)), twice.pValue(), 1e-9);
        assertTrue(twice.pValue() > exact.pValue() && !twice.exact());
        // An exact p below double precision's 1 - p: 16 values above 288 others (exact p 2 / C(304, 16), 1.2e-26: scipy); its
        // deviate, 10.7, was taken as infinite, and the inflation then left the p where it was.
        double[] day = new double[288];
        for (int i = 0; i < day.length; i++) {
            day[i] = i;
        }
        double[] hour = new double[16];
        for (int i = 0; i < hour.length; i++) {
            hour[i] = 1000 + i;
        }
        MannWhitneyU.Result separated = MannWhitneyU.of(day, hour, 16);
        assertTrue(separated.exact() && separated.pValue() < 1e-25, "exact: " + separated);
        MannWhitneyU.Result fourTimes = MannWhitneyU.inflated(separated, 4);
        assertEquals(10.686669569799184 / 2, fourTimes.z(), 1e-9, "the deviate of the exact p (scipy's norm.isf(p / 2)), halved: " + fourTimes);
        assertEquals(9.125200158407157e-08, fourTimes.pValue(), 1e-9 * 9.1e-8, "inflated by 4 (scipy: 2 norm.sf(z / 2)): " + fourTimes);
    }

    @Test
    void effectSizesTrendAndChangePointEdges() {
        assertTrue(Double.isNaN(EffectSize.cohensD(ONE, CONSTANT)));
        assertTrue(Double.isNaN(EffectSize.cohensD(CONSTANT, CONSTANT)));
        assertTrue(Double.isNaN(EffectSize.commonLanguage(0, 0, 3)));
        assertTrue(Double.isNaN(LinearTrend.of(ONE, ONE).slope()));
        assertTrue(Double.isNaN(LinearTrend.of(new double[] {1, 1, 1}, new double[] {1, 2, 3}).slope()), "no spread in x");
        LinearTrend.Fit flat = LinearTrend.of(new double[] {1, 2, 3}, new double[] {5, 5, 5});
        assertEquals(0.0, flat.slope());
        assertTrue(Double.isNaN(flat.pValue()));
        LinearTrend.Fit perfect = LinearTrend.of(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7});
        assertEquals(2.0, perfect.slope(), 1e-12);
        assertEquals(0.0, perfect.pValue());
        assertEquals(-1, ChangePoint.of(ONE).index());
        ChangePoint.Result constant = ChangePoint.of(new double[] {4, 4, 4, 4, 4});
        assertEquals(-1, constant.index());
        assertEquals(1.0, constant.pValue());
        assertTrue(Double.isNaN(Robust.robustZScore(5, CONSTANT)));
        assertTrue(Double.isNaN(Robust.zScore(5, ONE)));
        assertEquals(0, Seasonality.of(CONSTANT).period());
        assertNull(Forecast.fit(new double[] {1, 2, 3}));
    }

    @Test
    void timeToThresholdOnARisingSeries() {
        double[] y = new double[200];
        for (int i = 0; i < y.length; i++) {
            y[i] = 50 + 0.1 * i + ((i * 7919) % 13 - 6) * 0.05; // steady growth, small bounded noise
        }
        Forecast f = Forecast.fitHolt(y);
        // Level about 70 and growing 0.1 a step: 95 is about 250 steps away.
        Forecast.Breach b = f.timeToThreshold(95, 1000);
        assertTrue(b.pointSteps() > 200 && b.pointSteps() < 300, "point crossing " + b.pointSteps());
        assertTrue(b.earliestSteps() > 0 && b.earliestSteps() <= b.pointSteps(), b.toString());
        assertTrue(b.latestSteps() == -1 || b.latestSteps() >= b.pointSteps(), "the optimistic bound, if at all, later: " + b);
        assertEquals(new Forecast.Breach(-1, -1, -1), f.timeToThreshold(95, 10), "not within a short horizon");
        assertTrue(f.timeToThreshold(10, 1000).pointSteps() < 0, "a rising series does not fall to 10");
    }

    /** The crossing search equals a plain scan of point(h) +/- halfWidth(h) step by step (Holt and Holt-Winters). */
    @Test
    void timeToThresholdIsTheScanOfTheIntervalBounds() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int trial = 0; trial < 40; trial++) {
            double[] y = new double[24 * 8];
            double slope = r.nextDouble(-0.2, 0.2);
            for (int i = 0; i < y.length; i++) {
                y[i] = 50 + slope * i + 5 * Math.sin(2 * Math.PI * i / 24) + r.nextGaussian();
            }
            Forecast f = trial % 2 == 0 ? Forecast.fitHolt(y) : Forecast.fitHoltWinters(y, 24);
            for (double threshold : new double[] {20, 45, 60, 80, 120}) {
                boolean upward = threshold >= f.level();
                int point = -1, earliest = -1, latest = -1;
                for (int h = 1; h <= 500 && latest < 0; h++) {
                    double p = f.point(h);
                    double w = f.halfWidth(h, Forecast.Z95);
                    if (earliest < 0 && (upward ? p + w >= threshold : p - w <= threshold)) {
                        earliest = h;
                    }
                    if (point < 0 && (upward ? p >= threshold : p <= threshold)) {
                        point = h;
                    }
                    if (upward ? p - w >= threshold : p + w <= threshold) {
                        latest = h;
                    }
                }
                assertEquals(new Forecast.Breach(point, earliest, latest), f.timeToThreshold(threshold, 500), "trial " + trial + " threshold " + threshold);
            }
        }
    }

    /** The median and MAD of sorted values, without sorting again, are the sorting versions' to the bit. */
    @Test
    void medianAndMadOfSortedValuesAreTheSame() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(12);
        for (int trial = 0; trial < 5000; trial++) {
            int n = 1 + r.nextInt(130);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (trial % 6) {
                    case 0 -> r.nextGaussian() * 10;
                    case 1 -> Math.round(r.nextDouble() * 5);          // quantized: many ties
                    case 2 -> r.nextBoolean() ? 0.0 : -0.0;             // all equal, signed zeros
                    case 3 -> r.nextInt(10) == 0 ? 1e6 : 3.0;           // one value and far outliers
                    case 4 -> i == 0 && n > 2 ? Double.NEGATIVE_INFINITY : i == 1 && n > 4 ? Double.POSITIVE_INFINITY : r.nextGaussian(); // the merge's path
                    default -> Math.exp(3 * r.nextGaussian()) - 1;    // skewed
                };
            }
            double[] sorted = v.clone();
            java.util.Arrays.sort(sorted);
            double m = Robust.medianOfSorted(sorted);
            assertEquals(Double.doubleToLongBits(Robust.median(v)), Double.doubleToLongBits(m), "median, trial " + trial);
            assertEquals(Double.doubleToLongBits(Robust.mad(v)), Double.doubleToLongBits(Robust.madOfSorted(sorted, m)), "mad, trial " + trial);
        }
    }

    @Test
    void seasonalSeriesGetHoltWinters() {
        double[] y = new double[24 * 6];
        for (int i = 0; i < y.length; i++) {
            y[i] = 100 + 20 * Math.sin(2 * Math.PI * i / 24) + ((i * 7919) % 11 - 5) * 0.2;
        }
        Forecast f = Forecast.fit(y);
        assertEquals("holt-winters", f.method());
        assertEquals(24, f.period());
        // A day ahead the forecast repeats the cycle: peak near hour 6, trough near hour 18.
        assertTrue(f.point(6) > 115 && f.point(18) < 85, f.point(6) + " / " + f.point(18));
    }
}
