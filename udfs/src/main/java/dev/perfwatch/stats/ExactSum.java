package dev.perfwatch.stats;

import java.util.Arrays;

/**
 * The exact sum of doubles, kept as a few non-overlapping partial sums in ascending magnitude (Shewchuk,
 * 1997, as Python's {@code math.fsum} keeps them), and rounded once when read. The exact sum does not
 * depend on the order the values came in, nor on how parts were merged, so neither does what is read
 * from it: values of one series read from several files side by side (their arrival order varies from
 * run to run) give the same sums to the bit. Values of similar magnitude need two or three partials.
 *
 * <p>A sum that leaves the double range (or any infinite or NaN value) is kept apart as the IEEE sum of
 * those ({@link #round} returns it), as {@code fsum} does.
 */
public final class ExactSum {

    private double[] partials;
    private int size;
    /** The IEEE sum of non-finite values and of overflowed partial sums; 0 while the sum is finite. */
    private double special;

    public ExactSum() {
        this.partials = new double[4];
    }

    private ExactSum(double[] partials, int size, double special) {
        this.partials = partials;
        this.size = size;
        this.special = special;
    }

    /** A sum from {@link #partials()} and {@link #special()} as read back (for serializers). */
    public static ExactSum of(double[] partials, int size, double special) {
        return new ExactSum(Arrays.copyOf(partials, Math.max(size, 4)), size, special);
    }

    public ExactSum copy() {
        return new ExactSum(partials.clone(), size, special);
    }

    public void add(double x) {
        if (x == 0.0) {
            return;
        }
        if (!Double.isFinite(x)) {
            special += x;
            return;
        }
        double[] p = partials;
        int i = 0;
        for (int j = 0; j < size; j++) {
            // Knuth's two-sum: the rounding error of x + y exactly, whichever is larger (fsum orders the two by
            // magnitude first, for the shorter two-sum; the error is the same number, and this has no branch
            // on the data to mispredict).
            double y = p[j];
            double hi = x + y;
            double yv = hi - x;
            double lo = (x - (hi - yv)) + (y - yv);
            if (lo != 0.0) {
                p[i++] = lo;
            }
            x = hi;
        }
        if (!Double.isFinite(x)) { // the partial sums overflowed: the sum is out of the double range
            special += x;
            size = 0; // the partials of this step may hold the overflow's infinities: the sum is the special part now
            return;
        }
        if (x != 0.0) {
            if (i == p.length) {
                p = partials = Arrays.copyOf(p, 2 * p.length);
            }
            p[i++] = x;
        }
        size = i;
    }

    /** Adds the exact product {@code a * b} (two terms by a fused multiply-add). */
    public void addProduct(double a, double b) {
        double hi = a * b;
        if (!Double.isFinite(hi)) {
            add(hi);
            return;
        }
        add(hi);
        add(Math.fma(a, b, -hi));
    }

    public void add(ExactSum other) {
        for (int j = 0; j < other.size; j++) {
            add(other.partials[j]);
        }
        special += other.special;
    }

    /** The sum rounded to the nearest double (ties to even), as {@code math.fsum} rounds it. */
    public double round() {
        if (!isFinite()) {
            return special;
        }
        int n = size;
        if (n == 0) {
            return 0.0;
        }
        double[] p = partials;
        double hi = p[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // Round half to even: a tie in hi + lo is settled by the sign of the partials below it.
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
        return hi;
    }

    /**
     * The sum divided by {@code n}: the rounded sum's quotient, corrected by the rounded exact remainder,
     * so the result is within an ulp of the true quotient and depends only on the exact sum.
     */
    public double quotient(double n) {
        double q = round() / n;
        if (n == 1.0 || !Double.isFinite(q) || !isFinite()) {
            return q;
        }
        if (size == 1) { // the remainder of one double divided, exactly (a fused multiply-add)
            return q + Math.fma(-q, n, partials[0]) / n;
        }
        ExactSum rest = copy();
        rest.addProduct(-q, n);
        return q + rest.round() / n;
    }

    /** The partial sums (the first {@link #size()} of the array; do not change them). */
    public double[] partials() {
        return partials;
    }

    public int size() {
        return size;
    }

    public double special() {
        return special;
    }

    /** Whether the sum is within the double range and of finite values only (no special part; NaN != 0 too). */
    public boolean isFinite() {
        return special == 0.0;
    }
}
