package dev.perfwatch.stats;

/**
 * Count, mean, sum of squared deviations, min and max of values that may arrive in any order, from the
 * exact sums of the values and of their squares ({@link ExactSum}; each square is added exactly, as two
 * doubles by a fused multiply-add). What is read is computed from the exact sums only, so it is the same
 * to the bit whatever the order of the values and of merges: a window whose samples come from two files
 * read side by side has the same mean and deviation in every run. The squared deviations are computed
 * exactly too ({@code n * sum(x^2) - sum(x)^2}, rounded once, then divided by n), so a large offset
 * costs no digits (Welford's recurrence, {@link Moments}, loses a few).
 *
 * <p>Adding a value costs three steps of {@link ExactSum#add} (a handful of floating-point operations
 * each) against Welford's one division; reading computes and caches the mean and M2.
 */
public final class ExactMoments implements SampleMoments {

    private long count;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private final ExactSum sum;
    private final ExactSum squares;
    private boolean computed;
    private double mean;
    private double m2;

    public ExactMoments() {
        this(0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, new ExactSum(), new ExactSum());
    }

    private ExactMoments(long count, double min, double max, ExactSum sum, ExactSum squares) {
        this.count = count;
        this.min = min;
        this.max = max;
        this.sum = sum;
        this.squares = squares;
    }

    /** Moments read back from their parts (for serializers): the count, min, max and the two exact sums. */
    public static ExactMoments of(long count, double min, double max, ExactSum sum, ExactSum squares) {
        return new ExactMoments(count, min, max, sum, squares);
    }

    /**
     * The moments of a count, mean and M2 known only as doubles (state written before the exact sums):
     * the sums are taken as exactly {@code n * mean} and {@code m2 + n * mean^2}, so the mean and M2 read
     * back are the given ones, give or take an ulp.
     */
    public static ExactMoments fromMoments(long count, double mean, double m2, double min, double max) {
        ExactMoments m = new ExactMoments();
        if (count == 0) {
            return m;
        }
        m.count = count;
        m.min = min;
        m.max = max;
        double n = count;
        m.sum.addProduct(n, mean);
        m.squares.add(m2);
        // n * mean^2 exactly: (n * mean) is hi + lo exactly; each times mean is two more terms.
        double hi = n * mean;
        double lo = Math.fma(n, mean, -hi);
        m.squares.addProduct(hi, mean);
        m.squares.addProduct(lo, mean);
        return m;
    }

    public ExactMoments copy() {
        ExactMoments c = new ExactMoments(count, min, max, sum.copy(), squares.copy());
        c.computed = computed;
        c.mean = mean;
        c.m2 = m2;
        return c;
    }

    public void add(double x) {
        count++;
        sum.add(x);
        squares.addProduct(x, x);
        min = Math.min(min, x);
        max = Math.max(max, x);
        computed = false;
    }

    public void merge(ExactMoments other) {
        if (other.count == 0) {
            return;
        }
        count += other.count;
        sum.add(other.sum);
        squares.add(other.squares);
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        computed = false;
    }

    private void compute() {
        if (computed) {
            return;
        }
        computed = true;
        if (count == 0) {
            mean = Double.NaN;
            m2 = 0;
            return;
        }
        double n = count;
        mean = sum.quotient(n);
        if (min == max) {
            m2 = 0; // every value the same (and n * sum(x^2) - sum(x)^2 is exactly 0 anyway, unless it overflowed)
            return;
        }
        if (!sum.isFinite()) {
            m2 = Double.NaN; // the sum itself left the double range: so did the mean
            return;
        }
        if (!squares.isFinite()) {
            m2 = Double.POSITIVE_INFINITY; // squares beyond the double range (values above about 1e154)
            return;
        }
        // n * M2 = n * sum(x^2) - sum(x)^2, exactly, from the partials' exact products.
        ExactSum t = new ExactSum();
        double[] q = squares.partials();
        for (int i = 0; i < squares.size(); i++) {
            t.addProduct(n, q[i]);
        }
        double[] p = sum.partials();
        for (int i = 0; i < sum.size(); i++) {
            for (int j = 0; j < sum.size(); j++) {
                t.addProduct(-p[i], p[j]);
            }
        }
        double r = t.quotient(n);
        m2 = Double.isNaN(r) ? Double.POSITIVE_INFINITY : Math.max(0.0, r);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public double mean() {
        compute();
        return mean;
    }

    @Override
    public double m2() {
        compute();
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

    /** The exact sum of the values (do not change it). */
    public ExactSum sum() {
        return sum;
    }

    /** The exact sum of the values' squares (do not change it). */
    public ExactSum squares() {
        return squares;
    }

    /** The same moments for the arithmetic of {@link Moments} (tests, effect sizes). */
    public Moments toMoments() {
        return count == 0 ? new Moments() : new Moments(count, mean(), m2(), min, max);
    }
}
