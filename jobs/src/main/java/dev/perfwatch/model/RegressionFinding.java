package dev.perfwatch.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** A change in a series judged real and large enough to matter, with the evidence (see README). */
public class RegressionFinding implements JsonRecord {

    public String findingId;
    public String component;
    public String metric;
    /** sudden | gradual | anomaly | trend_reversal. */
    public String type;
    /** regression | improvement. */
    public String direction;
    public long detectedAt;
    public long changePointAt;
    public long baselineStart;
    public long baselineEnd;
    public long comparisonStart;
    public long comparisonEnd;
    public long baselineN;
    public double baselineMean;
    public double baselineStddev;
    public double baselineP50;
    public double baselineP95;
    public long comparisonN;
    public double comparisonMean;
    public double comparisonStddev;
    public double comparisonP50;
    public double comparisonP95;
    public double relativeChange;
    public double relativeChangeP95;
    public double welchT;
    public double welchDf;
    public double welchP;
    public double mannWhitneyU;
    public double mannWhitneyP;
    public double cohensD;
    public double confidence;
    /** info | warning | critical. */
    public String severity;
    public String recommendation;
    /** The alpha each test was held to (after the correction). */
    public double alphaCorrected;
    public double trendSlopePerHour;
    public double trendP;
    public double trendR2;
    public double changePointP;

    @Override
    public void writeFields(JsonGenerator json) throws IOException {
        json.writeStringField("finding_id", findingId);
        json.writeStringField("component", component);
        json.writeStringField("metric", metric);
        json.writeStringField("type", type);
        json.writeStringField("direction", direction);
        json.writeStringField("detected_at", Timestamps.iso(detectedAt));
        json.writeStringField("change_point_at", Timestamps.iso(changePointAt));
        json.writeStringField("baseline_start", Timestamps.iso(baselineStart));
        json.writeStringField("baseline_end", Timestamps.iso(baselineEnd));
        json.writeStringField("comparison_start", Timestamps.iso(comparisonStart));
        json.writeStringField("comparison_end", Timestamps.iso(comparisonEnd));
        window(json, "baseline", baselineN, baselineMean, baselineStddev, baselineP50, baselineP95);
        window(json, "comparison", comparisonN, comparisonMean, comparisonStddev, comparisonP50, comparisonP95);
        JsonRecord.number(json, "relative_change", relativeChange);
        JsonRecord.number(json, "relative_change_p95", relativeChangeP95);
        json.writeObjectFieldStart("welch");
        JsonRecord.number(json, "t", welchT);
        JsonRecord.number(json, "df", welchDf);
        JsonRecord.number(json, "p_value", welchP);
        json.writeEndObject();
        json.writeObjectFieldStart("mann_whitney");
        JsonRecord.number(json, "u", mannWhitneyU);
        JsonRecord.number(json, "p_value", mannWhitneyP);
        json.writeEndObject();
        JsonRecord.number(json, "cohens_d", cohensD);
        JsonRecord.number(json, "alpha_corrected", alphaCorrected);
        json.writeObjectFieldStart("trend");
        JsonRecord.number(json, "slope_per_hour", trendSlopePerHour);
        JsonRecord.number(json, "p_value", trendP);
        JsonRecord.number(json, "r2", trendR2);
        json.writeEndObject();
        JsonRecord.number(json, "change_point_p_value", changePointP);
        JsonRecord.number(json, "confidence", confidence);
        json.writeStringField("severity", severity);
        json.writeStringField("recommendation", recommendation);
    }

    private static void window(JsonGenerator json, String name, long n, double mean, double sd, double p50, double p95) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("n", n);
        JsonRecord.number(json, "mean", mean);
        JsonRecord.number(json, "stddev", sd);
        JsonRecord.number(json, "p50", p50);
        JsonRecord.number(json, "p95", p95);
        json.writeEndObject();
    }

    @Override
    public long partitionTime() {
        return detectedAt;
    }

    @Override
    public String toString() {
        return "RegressionFinding{" + direction + " " + type + " " + component + "/" + metric + " at " + Timestamps.iso(detectedAt)
                + " change " + Timestamps.iso(changePointAt) + " rel=" + relativeChange + " d=" + cohensD
                + " pW=" + welchP + " pM=" + mannWhitneyP + " " + severity + "}";
    }
}
