package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** A change in a series judged real and large enough to matter, with the evidence (see README). */
public class RegressionFinding implements JsonRecord {

    public String findingId;
    public String component;
    public String metric;
    public FindingType type;
    public ChangeDirection direction;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long detectedAt;
    /** 1 for the first report of a finding, then 2, 3, ... for each update: the newest row is the current state. */
    public int version;
    /** When this row was made (the first row: detected_at). */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long updatedAt;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long changePointAt;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long baselineStart;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long baselineEnd;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long comparisonStart;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long comparisonEnd;
    /** The reference the decision rests on: the day before, or the same hour of it. */
    public SampleStats baseline = new SampleStats();
    public SampleStats comparison = new SampleStats();
    public double relativeChange;

    /**
     * A relative change as people read it, to {@code decimals} places ("+59%"), or "from zero" when there is none (NaN: the
     * baseline's mean was exactly 0, an error rate or a queue that had none).
     */
    public static String relativeText(double relativeChange, int decimals) {
        return Double.isFinite(relativeChange) ? String.format(java.util.Locale.ROOT, "%+." + decimals + "f%%", 100 * relativeChange) : "from zero";
    }
    public double relativeChangeP95;
    public Welch welch = new Welch();
    public MannWhitney mannWhitney = new MannWhitney();
    public double cohensD;
    /** The alpha each test was held to (after the correction). */
    public double alphaCorrected;
    /** Which test found the change, and the sequential test's statistic then. */
    public Detection detection = new Detection();
    /** The least-squares trend of the comparison window. */
    public Trend trend = new Trend();
    public double changePointPValue;
    public double confidence;
    public Severity severity;
    /**
     * The finding_id of an opposite change this one undoes (null: none): the series is back at, or not
     * worse than, the level before that change, which happened inside this finding's reference period,
     * so the reference was the changed level. Of severity info and raises no alert.
     */
    public String reverts;
    /** The title of the best suggestion for it. */
    public String recommendation;
    /** Suggestion ids from the catalogue, best first. */
    public java.util.List<String> suggestions = new java.util.ArrayList<>();

    /** n, mean, standard deviation and quantiles of one window. */
    public static class SampleStats {
        public long n;
        public double mean;
        public double stddev;
        public double p50;
        public double p95;
    }

    public static class Welch {
        public double t;
        public double df;
        public double pValue;
    }

    public static class MannWhitney {
        public double u;
        public double pValue;
    }

    /**
     * test: {@code window} (the comparison hour), {@code excursion} (its newest quarter hour) or
     * {@code sequential} (the data since the CUSUM's change point); the CUSUM statistic in the finding's
     * direction, its threshold, and the false alarms per series-day the threshold is set for (all 0 while the
     * CUSUM is not yet in use: no day-ago reference, or fewer than 72 residuals to measure the noise from).
     */
    public static class Detection {
        public String test;
        public double cusum;
        public double cusumThreshold;
        public double falseAlarmsPerDay;
        /** The variance inflation the tests allowed for (1: values taken as independent). */
        public double varianceInflation = 1;
    }

    public static class Trend {
        public double slopePerHour;
        public double pValue;
        public double r2;
    }

    @Override
    public long partitionTime() {
        // When this row was made: an update of a finding keeps its first detected_at, and belongs to the
        // time it was made (so a backfill of the next range, which makes it, also writes it).
        return updatedAt;
    }

    @Override
    public String toString() {
        return "RegressionFinding{" + direction + " " + type + " " + component + "/" + metric + " at " + Timestamps.iso(detectedAt)
                + " change " + Timestamps.iso(changePointAt) + " rel=" + relativeChange + " d=" + cohensD
                + " pW=" + welch.pValue + " pM=" + mannWhitney.pValue + " " + severity + "}";
    }
}
