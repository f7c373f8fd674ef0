package dev.perfwatch.stats;

/** What both kinds of moments give ({@link Moments}, {@link ExactMoments}), and the sample variance from it. */
public interface SampleMoments {

    long count();

    /** The mean; NaN for no values. */
    double mean();

    /** The sum of squared deviations from the mean. */
    double m2();

    /** The smallest value; NaN for no values. */
    double min();

    /** The largest value; NaN for no values. */
    double max();

    /** Sample variance (n - 1 denominator, never negative); NaN below two values. */
    default double sampleVariance() {
        return count() < 2 ? Double.NaN : Math.max(0.0, m2() / (count() - 1));
    }

    /** Sample standard deviation; 0 for a single value, NaN for none. */
    default double sampleStddevOrZero() {
        if (count() == 0) {
            return Double.NaN;
        }
        return count() == 1 ? 0.0 : Math.sqrt(sampleVariance());
    }
}
