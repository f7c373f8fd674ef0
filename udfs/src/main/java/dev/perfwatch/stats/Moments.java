package dev.perfwatch.stats;

/**
 * Count, mean, sum of squared deviations, min and max of a stream of values, updated one value at a
 * time (Welford, 1962) and mergeable (Chan, Golub and LeVeque, 1979), so no raw values are kept.
 */
public final class Moments implements SampleMoments {

    private long count;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public Moments() {}

    public Moments(long count, double mean, double m2, double min, double max) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
        this.min = min;
        this.max = max;
    }

    /** Moments of an array (NaN values are skipped). */
    public static Moments of(double[] values) {
        Moments m = new Moments();
        for (double v : values) {
            if (!Double.isNaN(v)) {
                m.add(v);
            }
        }
        return m;
    }

    public void add(double x) {
        count++;
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
    }

    public void merge(Moments other) {
        merge(other.count, other.mean, other.m2, other.min, other.max);
    }

    /** Folds in the moments of other values given as numbers (no object needed: a detector merges hundreds a time). */
    public void merge(long otherCount, double otherMean, double otherM2, double otherMin, double otherMax) {
        if (otherCount == 0) {
            return;
        }
        if (count == 0) {
            count = otherCount;
            mean = otherMean;
            m2 = otherM2;
            min = otherMin;
            max = otherMax;
            return;
        }
        long n = count + otherCount;
        double delta = otherMean - mean;
        mean += delta * otherCount / n;
        m2 += otherM2 + delta * delta * ((double) count * otherCount / n);
        count = n;
        min = Math.min(min, otherMin);
        max = Math.max(max, otherMax);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    @Override
    public double m2() {
        return m2;
    }

    @Override
    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    @Override
    public double max() {
        return count == 0 ? Double.NaN : max;
    }
}
