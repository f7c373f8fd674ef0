package dev.perfwatch.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Mann-Whitney U test of a comparison sample against a baseline (Mann and Whitney, 1947), matching
 * {@code scipy.stats.mannwhitneyu(comparison, baseline, alternative='two-sided', method='auto')}:
 * <ul>
 *   <li>U is the comparison sample's statistic: its rank sum (average ranks for ties) minus
 *       n_c (n_c + 1) / 2.</li>
 *   <li>Exact null distribution when the smaller sample has at most 8 values and there are no ties:
 *       p = min(1, 2 P(U' >= max(U, n_b n_c - U))), counts from the Gaussian binomial coefficient
 *       [n_b + n_c choose n_c]_q, in exact integer arithmetic (the table of each pair of sizes built once and cached).</li>
 *   <li>(Also exact only while n_b n_c <= 200,000, e.g. 8 against 25,000 values; scipy would stay
 *       exact beyond that, where the two p-values agree to the approximation's accuracy.)</li>
 *   <li>Otherwise the normal approximation with the tie correction of the variance and a continuity
 *       correction of 1/2 (scipy's {@code _get_mwu_z}).</li>
 * </ul>
 * {@code z} is the signed standardized statistic: positive when the comparison tends to be larger,
 * its magnitude the continuity-corrected |U - n_b n_c / 2| / sigma (0 when that is negative).
 * O(n log n) for the ranks. Undefined (NaN) when either sample is empty.
 */
public final class MannWhitneyU {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    static final int EXACT_MAX_SMALLER = 8;
    /** Beyond this n_b * n_c the exact table is too large to build per call; the normal approximation is used. */
    private static final long EXACT_MAX_PRODUCT = 200_000;
    /** Bound on the exact table's work (about m * n_b * n_c big-integer additions). */
    private static final long EXACT_MAX_COST = 4_000_000;

    private MannWhitneyU() {}

    public record Result(double u, double z, double pValue, boolean exact) {}

    public static Result of(double[] baseline, double[] comparison) {
        return of(baseline, comparison, EXACT_MAX_SMALLER);
    }

    /**
     * As {@link #of(double[], double[])}, but exact (scipy's {@code method='exact'}) whenever there are
     * no ties and the smaller sample has at most {@code exactMaxSmaller} values, within the same bound
     * on n_b n_c and a bound on the table's cost (m * n_b * n_c <= 4,000,000). The normal
     * approximation's p cannot go below about 3.6e-5 for 12 against 12 values, whatever the data; the
     * exact p can (7.4e-7), which matters at Bonferroni-corrected alphas.
     */
    public static Result of(double[] baseline, double[] comparison, int exactMaxSmaller) {
        return ofSorted(sortedWithoutNaN(baseline), sortedWithoutNaN(comparison), exactMaxSmaller);
    }

    /** The values without NaN, sorted, in a new array: a sample as {@link #ofSorted} takes it. */
    public static double[] sortedWithoutNaN(double[] values) {
        double[] out = withoutNaN(values);
        if (out == values) {
            out = values.clone();
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * As {@link #of(double[], double[], int)} with both samples already sorted ascending and free of NaN
     * (not checked): a caller testing several comparisons against one baseline, or one comparison against
     * several baselines, sorts each once. The pooled ranks come from merging the two sorted samples, tie
     * group by tie group in ascending order: the same additions as ranking the pooled sample, so the same
     * result to the bit.
     */
    public static Result ofSorted(double[] sortedBaseline, double[] sortedComparison, int exactMaxSmaller) {
        double[] b = sortedBaseline;
        int nb = b.length;
        int nc = sortedComparison.length;
        if (nb == 0 || nc == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, false);
        }
        int n = nb + nc;
        // Rank sum of the comparison: walk the two sorted samples as one, averaging ranks over ties.
        double rankSumComparison = 0;
        double tieTerm = 0;
        boolean ties = false;
        int bi = 0;
        int ci = 0;
        int i = 0; // pooled values before this group
        while (i < n) {
            double v = bi < nb && (ci >= nc || b[bi] <= sortedComparison[ci]) ? b[bi] : sortedComparison[ci];
            int fromBaseline = 0;
            while (bi < nb && b[bi] == v) {
                fromBaseline++;
                bi++;
            }
            int fromComparison = 0;
            while (ci < nc && sortedComparison[ci] == v) {
                fromComparison++;
                ci++;
            }
            int t = fromBaseline + fromComparison;
            int j = i + t - 1;
            double averageRank = (i + 1 + j + 1) / 2.0;
            rankSumComparison += fromComparison * averageRank;
            if (t > 1) {
                ties = true;
                tieTerm += (double) t * t * t - t;
            }
            i = j + 1;
        }
        double u = rankSumComparison - nc * (nc + 1) / 2.0;
        double mu = (double) nb * nc / 2.0;
        double sigma = Math.sqrt((double) nb * nc / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1))));
        double deviation = Math.max(Math.abs(u - mu) - 0.5, 0);
        // Every value tied (sigma 0, so u = mu): no difference at all, z 0 and p 1, as scipy reports it.
        double z = sigma > 0 ? Math.signum(u - mu) * deviation / sigma : 0.0;
        long product = (long) nb * nc;
        boolean exact = Math.min(nb, nc) <= exactMaxSmaller && !ties && product <= EXACT_MAX_PRODUCT
                && product * Math.min(nb, nc) <= EXACT_MAX_COST;
        double p;
        if (exact) {
            long uMax = Math.round(Math.max(u, (double) nb * nc - u));
            p = Math.min(1.0, 2 * exactUpperTail(uMax, Math.min(nb, nc), Math.max(nb, nc)));
        } else if (sigma > 0) {
            double zUpper = ((Math.max(u, (double) nb * nc - u)) - mu - 0.5) / sigma;
            p = twoSidedNormal(zUpper);
        } else {
            p = 1.0; // every value tied: nothing tells the samples apart (scipy.stats.mannwhitneyu says 1.0 too)
        }
        return new Result(u, z, p, exact);
    }

    /**
     * The same comparison with the variance of the rank sum {@code inflation} times larger (values that are
     * not independent): z divided by sqrt(inflation), p from the normal approximation of that z, never below
     * {@code r}'s own. When {@code r} was exact, z is first the normal deviate of its exact p (with U's sign):
     * the normal approximation's tail is far from the exact one for a small sample against a larger one (8
     * of 10 values above 60 others, the other two in their upper part: exact p 4.9e-10, normal 1.1e-6), and an inflation just over 1 must leave p
     * about where it was, not replace it by the approximation's. U is unchanged. An inflation of 1 or less
     * returns {@code r}.
     */
    public static Result inflated(Result r, double inflation) {
        if (!(inflation > 1) || Double.isNaN(r.z())) {
            return r;
        }
        double z0 = r.exact() && r.z() != 0 ? Math.signum(r.z()) * upperQuantile(r.pValue() / 2) : r.z();
        double z = z0 / Math.sqrt(inflation);
        return new Result(r.u(), z, Math.max(twoSidedNormal(Math.abs(z)), r.pValue()), false);
    }

    /**
     * The z whose upper tail is q (scipy's {@code norm.isf}), accurate for a tail far below double precision's
     * 1 - q: commons-math's inverse goes through erfInv(2 q - 1), which is infinite once q < 1.1e-16, so there z
     * is refined from sqrt(-2 ln q) by Newton's steps on ln P(Z > z) (the tail itself, from erfc, is accurate).
     */
    static double upperQuantile(double q) {
        if (q >= 1e-15) {
            return -NORMAL.inverseCumulativeProbability(q);
        }
        double z = Math.sqrt(-2 * Math.log(q));
        for (int i = 0; i < 50; i++) {
            double tail = NORMAL.cumulativeProbability(-z);
            if (!(tail > 0)) {
                break; // (beyond about 38: erfc underflows; z is as close as it gets)
            }
            double step = (Math.log(tail) - Math.log(q)) * tail / NORMAL.density(z);
            z += step;
            if (Math.abs(step) < 1e-12 * z) {
                break;
            }
        }
        return z;
    }

    /** Two-sided p of a standard normal statistic at least {@code zUpper} from 0, within [0, 1]. */
    private static double twoSidedNormal(double zUpper) {
        return Math.min(1.0, Math.max(0.0, 2 * NORMAL.cumulativeProbability(-zUpper)));
    }

    private static double[] withoutNaN(double[] values) {
        int count = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                count++;
            }
        }
        if (count == values.length) {
            return values;
        }
        double[] out = new double[count];
        int k = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                out[k++] = v;
            }
        }
        return out;
    }

    /**
     * P(U >= k) under the null for sample sizes m <= n: by symmetry P(U <= m n - k), read from the
     * sizes' table of lower tails.
     */
    static double exactUpperTail(long k, int m, int n) {
        long lowerBound = (long) m * n - k; // P(U >= k) = P(U <= total - k)
        if (lowerBound < 0) {
            return 0.0;
        }
        return lowerTails(m, n)[(int) Math.min(lowerBound, (long) m * n)];
    }

    /**
     * The cached tables hold about this many values at most (8 MiB; the count is approximate under
     * concurrent first use, and the cache is emptied when it is passed): a detector sees few sizes.
     */
    private static final long CACHED_VALUES = 1 << 20;
    private static final java.util.concurrent.ConcurrentHashMap<Long, double[]> TABLES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong CACHED = new java.util.concurrent.atomic.AtomicLong();

    /**
     * P(U <= j) for j = 0..m n, each the exact count ratio rounded once (the table depends on the sizes
     * only, so it is built once per (m, n) and reused: a detector tests the same window sizes every few
     * minutes per series).
     */
    private static double[] lowerTails(int m, int n) {
        Long key = ((long) m << 32) | n;
        double[] table = TABLES.get(key);
        if (table == null) {
            table = buildLowerTails(m, n);
            if (CACHED.addAndGet(table.length) > CACHED_VALUES) {
                TABLES.clear(); // bounded: sizes beyond the working set are rebuilt when seen again
                CACHED.set(table.length);
            }
            TABLES.put(key, table);
        }
        return table;
    }

    /**
     * From the number of arrangements with each U, the coefficients of prod_{i=1..m} (1 - q^(n+i)) /
     * (1 - q^i), in exact integer arithmetic.
     */
    private static double[] buildLowerTails(int m, int n) {
        int size = m * n + 1;
        BigInteger[] c = new BigInteger[size];
        Arrays.fill(c, BigInteger.ZERO);
        c[0] = BigInteger.ONE;
        for (int i = 1; i <= m; i++) {
            int shift = n + i;
            for (int d = size - 1; d >= shift; d--) {
                c[d] = c[d].subtract(c[d - shift]);
            }
            for (int d = i; d < size; d++) {
                c[d] = c[d].add(c[d - i]);
            }
        }
        BigInteger all = BigInteger.ZERO;
        for (int d = 0; d < size; d++) {
            all = all.add(c[d]);
        }
        double total = all.doubleValue();
        double[] tails = new double[size];
        BigInteger tail = BigInteger.ZERO;
        for (int d = 0; d < size; d++) {
            tail = tail.add(c[d]);
            tails[d] = tail.doubleValue() / total; // each count exact, rounded once to a double
        }
        return tails;
    }
}
