package dev.perfwatch.detect;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.config.PerfwatchConfig.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.stats.Forecast;
import dev.perfwatch.stats.LinearTrend;

import java.util.List;

/**
 * Trend and forecast per series at each evaluation: Holt's linear method (Holt-Winters when the
 * interval means are seasonal) over the buckets held (see RegressionEvaluator#retentionMillis);
 * a predictive alert candidate fires when the series trends the worse way (least-squares slope with
 * p < 0.001 and R^2 >= 0.6) and the point forecast reaches the metric's critical level within
 * {@code regression.forecast-horizon}; it clears when that no longer holds. Evidence: the
 * forecast method, the hours to the breach by the point forecast and by the bounds of the 95%
 * interval, the slope per hour with R^2 and p, and the seasonal period if any.
 */
final class Predictions {

    /** The trend over the held buckets must be this significant, and explain this much of their variance. */
    static final double TREND_ALPHA = 0.001;
    static final double MIN_R2 = 0.6;

    private Predictions() {}

    static AlertCandidate next(Episode e, List<Bucket> buckets, long t, PerfwatchConfig config) {
        MetricThresholds levels = config.levelsFor(e.component, e.metric);
        if (levels == null || levels.critical == null || buckets.size() < 12) {
            return null;
        }
        long interval = config.regression.evaluationInterval.toMillis();
        double[] means = new double[buckets.size()];
        LinearTrend trend = new LinearTrend();
        for (int i = 0; i < means.length; i++) {
            means[i] = buckets.get(i).mean;
            trend.add((buckets.get(i).start - buckets.get(0).start) / 3_600_000.0, means[i]);
        }
        Forecast forecast = Forecast.fit(means);
        if (forecast == null) {
            return null;
        }
        // No further ahead than the history the forecast rests on: two hours of data say little about
        // the next day (a daily cycle's rising half looks like a trend).
        int horizon = (int) Math.min(config.regression.forecastHorizon.toMillis() / interval, buckets.size());
        double critical = levels.critical;
        boolean alreadyBeyond = levels.direction.breaches(means[means.length - 1], critical);
        Forecast.Breach breach = alreadyBeyond ? new Forecast.Breach(-1, -1, -1) : forecast.timeToThreshold(critical, horizon);
        LinearTrend.Fit fit = trend.fit();
        // Extrapolating noise is not a prediction: the series must be trending, clearly, the worse way.
        boolean trending = fit.pValue() < TREND_ALPHA && fit.r2() >= MIN_R2
                && levels.direction.breaches(fit.slope(), 0) && fit.slope() != 0;
        boolean predicted = trending && breach.pointSteps() > 0;
        if (predicted == e.predicting) {
            return null;
        }
        e.predicting = predicted;
        if (predicted) {
            e.predictingSince = t;
        }
        double hours = interval / 3_600_000.0;
        Evidence evidence = new Evidence()
                .put("method", forecast.method())
                .put("level", critical)
                .put("direction", levels.direction.yaml())
                .put("horizon_hours", horizon * hours)
                .put("slope_per_hour", fit.slope())
                .put("r2", fit.r2())
                .put("trend_p_value", fit.pValue())
                .put("seasonal_period_hours", forecast.period() * hours)
                .put("last_interval_mean", means[means.length - 1]);
        if (predicted) {
            evidence.put("hours_to_breach", breach.pointSteps() * hours)
                    .put("earliest_hours", breach.earliestSteps() < 0 ? Double.NaN : breach.earliestSteps() * hours)
                    .put("latest_hours", breach.latestSteps() < 0 ? Double.NaN : breach.latestSteps() * hours)
                    .time("predicted_breach_at", t + breach.pointSteps() * interval);
        } else {
            evidence.put("note", alreadyBeyond ? "the level is already crossed" : "the forecast no longer reaches the level");
        }
        return new AlertCandidate("forecast:" + e.metric + ":critical", AlertCandidate.THRESHOLD, "warning",
                predicted ? AlertCandidate.FIRING : AlertCandidate.CLEARED, e.component, e.metric,
                forecast.point(Math.max(1, breach.pointSteps())), critical, t, e.predictingSince, evidence.json());
    }
}
