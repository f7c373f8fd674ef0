package dev.perfwatch.stats;

import java.util.Arrays;

/** Medians, MADs and the scores that use them. */
public final class Robust {

    /** Scale of the MAD that makes it estimate the standard deviation of normal data. */
    public static final double MAD_TO_SIGMA = 1.4826;

    private Robust() {}

    /** Median (mean of the middle two for an even count); NaN when empty. Does not modify the input. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return medianOfSorted(v);
    }

    /** The median of values sorted ascending (not checked). */
    public static double medianOfSorted(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * {@link #mad} of values sorted ascending, whose median is {@code median}, without sorting again: the
     * deviations below the median, read backwards, and those above it are each ascending, so the middle
     * of their merge is the median deviation (the same deviations, so the same value).
     */
    public static double madOfSorted(double[] sorted, double median) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        if (!Double.isFinite(median) || !Double.isFinite(sorted[0]) || !Double.isFinite(sorted[n - 1])) {
            return madByMerge(sorted, median); // NaN and infinite deviations: the merge's comparisons, as before
        }
        // Below: sorted[0..right), whose deviations read backwards from right - 1 ascend; above: sorted[right..n).
        int right = lowerBound(sorted, median);
        int mid = n / 2;
        double current = kthDeviation(sorted, median, right, mid);
        return n % 2 == 1 ? current : (kthDeviation(sorted, median, right, mid - 1) + current) / 2;
    }

    /** The first index whose value is not below {@code x} (values ascending, finite). */
    private static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (sorted[m] < x) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }

    /**
     * The k-th smallest (from 0) of the deviations |x - median|, from the two ascending runs either side of
     * {@code right}, by a binary search for how many of the k + 1 smallest lie below (O(log n), not a merge).
     */
    private static double kthDeviation(double[] sorted, double median, int right, int k) {
        int below = right;
        int above = sorted.length - right;
        int lo = Math.max(0, k + 1 - above);
        int hi = Math.min(below, k + 1);
        while (true) {
            int i = (lo + hi) >>> 1; // deviations taken from below; k + 1 - i from above
            int j = k + 1 - i;
            if (i < below && j > 0 && Math.abs(sorted[right + j - 1] - median) > Math.abs(sorted[right - 1 - i] - median)) {
                lo = i + 1; // the next one below is smaller than the largest taken above: take more below
            } else if (i > 0 && j < above && Math.abs(sorted[right - i] - median) > Math.abs(sorted[right + j] - median)) {
                hi = i - 1; // the largest taken below is larger than the next one above: take fewer below
            } else {
                double a = i > 0 ? Math.abs(sorted[right - i] - median) : Double.NEGATIVE_INFINITY;
                double b = j > 0 ? Math.abs(sorted[right + j - 1] - median) : Double.NEGATIVE_INFINITY;
                return Math.max(a, b);
            }
        }
    }

    /** The middle of the merge of the two runs of deviations, one at a time. */
    private static double madByMerge(double[] sorted, double median) {
        int n = sorted.length;
        int right = 0;
        while (right < n && sorted[right] < median) {
            right++;
        }
        int left = right - 1;
        int mid = n / 2;
        double previous = Double.NaN;
        double current = Double.NaN;
        for (int k = 0; k <= mid; k++) {
            double below = left >= 0 ? Math.abs(sorted[left] - median) : Double.POSITIVE_INFINITY;
            double above = right < n ? Math.abs(sorted[right] - median) : Double.POSITIVE_INFINITY;
            previous = current;
            if (below <= above) {
                current = below;
                left--;
            } else {
                current = above;
                right++;
            }
        }
        return n % 2 == 1 ? current : (previous + current) / 2;
    }

    /** Median absolute deviation from the median, unscaled. */
    public static double mad(double[] values) {
        double m = median(values);
        double[] dev = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            dev[i] = Math.abs(values[i] - m);
        }
        return median(dev);
    }

    /** (x - mean) / sample standard deviation of the baseline; NaN when that is 0 or undefined. */
    public static double zScore(double x, double[] baseline) {
        Moments m = Moments.of(baseline);
        double sd = Math.sqrt(m.sampleVariance());
        return sd > 0 ? (x - m.mean()) / sd : Double.NaN;
    }

    /** (x - median) / (1.4826 MAD) of the baseline (Iglewicz and Hoaglin, 1993); NaN when the MAD is 0. */
    public static double robustZScore(double x, double[] baseline) {
        double mad = mad(baseline);
        return mad > 0 ? (x - median(baseline)) / (MAD_TO_SIGMA * mad) : Double.NaN;
    }
}
