package dev.perfwatch.detect;

import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.Timestamps;
import dev.perfwatch.stats.Forecast;
import dev.perfwatch.stats.LinearTrend;

/**
 * Trend and forecast per series at each evaluation: Holt's linear method (Holt-Winters when the
 * interval means are seasonal) over the buckets held (see RegressionEvaluator#retentionMillis);
 * a predictive alert ({@code forecast:<metric>:critical}, kind forecast, severity critical: the level
 * it forecasts) fires when the series trends the worse way (least-squares slope with p < 0.001 and
 * R^2 >= 0.6) and the point forecast reaches the metric's critical level within
 * {@code regression.forecast-horizon}; it keeps firing while the series still trends the worse way
 * (p < 0.001) and the pessimistic bound of the forecast's 95% interval reaches the level within the
 * horizon (or the level has been reached), and clears an hour ({@link #REFIT_EVERY}) after that stopped
 * holding: one alert per predicted breach, not one per refit. Evidence: the
 * forecast method, the hours to the breach by the point forecast and by the bounds of the 95%
 * interval, the slope per hour with R^2 and p, and the seasonal period if any.
 */
final class Predictions {

    /** The trend over the held buckets must be this significant, and explain this much of their variance. */
    static final double TREND_ALPHA = 0.001;
    static final double MIN_R2 = 0.6;

    private Predictions() {}

    /**
     * How long fitted smoothing parameters are reused (event time) before the grid search runs again; also
     * how long a firing alert's condition must have failed before it clears (its keep_firing_for): a clear
     * must outlast a refit.
     */
    static final long REFIT_EVERY = 3_600_000L;

    /**
     * The forecast over {@code means}: with the parameters fitted within REFIT_EVERY (one pass over the
     * buckets), else a new fit (seasonality test and grid search: hundreds of passes), whose parameters
     * the episode keeps. Measured on 3 days of 1-minute series: the refit at every evaluation was the
     * largest single cost of the job (jobs/BENCHMARKS.md).
     */
    static Forecast forecast(Episode e, double[] means, long t) {
        boolean fresh = e.forecastFittedAt != Long.MIN_VALUE && t - e.forecastFittedAt < REFIT_EVERY && t >= e.forecastFittedAt;
        if (fresh && e.forecastPeriod == 0 && means.length >= 4) {
            return Forecast.holt(means, e.forecastAlpha, e.forecastBeta);
        }
        if (fresh && e.forecastPeriod > 0 && means.length >= 2 * e.forecastPeriod + 2) {
            return Forecast.holtWinters(means, e.forecastPeriod, e.forecastAlpha, e.forecastBeta, e.forecastGamma);
        }
        Forecast f = Forecast.fit(means);
        if (f != null) {
            e.forecastAlpha = f.alpha();
            e.forecastBeta = f.beta();
            e.forecastGamma = f.gamma();
            e.forecastPeriod = f.period();
            e.forecastFittedAt = t;
        }
        return f;
    }

    /**
     * The trend's arrays, reused from one evaluation to the next by one detector instance: two new arrays of a few
     * hundred values per evaluation were 39% of the bytes the detector's thread allocated in a recording of the
     * 1-minute bench, and 13% of its samples in one slow run (jobs/BENCHMARKS.md, session 33).
     */
    static final class Scratch {
        private double[] means = new double[0];
        private double[] hours = new double[0];

        /** Makes both arrays at least {@code n} long. */
        void ensure(int n) {
            if (means.length < n) {
                means = new double[Math.max(n, means.length + means.length / 2)];
                hours = new double[means.length];
            }
        }
    }

    /**
     * The candidate to emit at this evaluation (a change of the alert's state), or null: {@code buckets} the held
     * buckets (a view of the detector's {@link BucketIndex}: their starts and means are read from its arrays).
     */
    static AlertCandidate next(Episode e, BucketIndex.Indexed buckets, long t, MetricLevels levels, RegressionConfig regression, Scratch scratch) {
        MetricThresholds t0 = levels.of(e.component, e.metric);
        if (t0 == null || t0.critical == null || buckets.size() < 12) {
            return null;
        }
        long interval = regression.evaluationInterval.toMillis();
        int n = buckets.size();
        scratch.ensure(n);
        double[] means = scratch.means; // the first n are this evaluation's
        double[] hours = scratch.hours;
        long first = buckets.start(0);
        for (int i = 0; i < n; i++) {
            means[i] = buckets.mean(i);
            hours[i] = (buckets.start(i) - first) / 3_600_000.0;
        }
        double last = means[n - 1];
        LinearTrend trend = LinearTrend.twoPass(hours, means, n);
        // Extrapolating noise is not a prediction: the series must be trending, clearly, the worse way. A firing
        // alert needs the trend still significant the worse way, not the R^2 that raised it.
        boolean firing = e.forecast.firing;
        if (!firing && !(trend.r2() >= MIN_R2 && t0.direction.breaches(trend.slope(), 0) && trend.slope() != 0)) {
            return null; // not trending, whatever the slope's p: nothing to predict, and its test is not needed
        }
        LinearTrend.Fit fit = trend.fit();
        boolean trending = fit.pValue() < TREND_ALPHA && (fit.r2() >= MIN_R2 || firing)
                && t0.direction.breaches(fit.slope(), 0) && fit.slope() != 0;
        if (!trending && !firing) {
            return null; // nothing to predict and nothing to clear: the costly forecast fit is not needed
        }
        Forecast forecast = forecast(e, java.util.Arrays.copyOf(means, n), t);
        if (forecast == null) {
            return null;
        }
        // No further ahead than the history the forecast rests on: two hours of data say little about
        // the next day (a daily cycle's rising half looks like a trend).
        int horizon = (int) Math.min(regression.forecastHorizon.toMillis() / interval, buckets.size());
        double critical = t0.critical;
        boolean alreadyBeyond = t0.direction.breaches(last, critical);
        Forecast.Breach breach = alreadyBeyond ? new Forecast.Breach(-1, -1, -1) : forecast.timeToThreshold(critical, horizon);
        // Raised when the point forecast reaches the level within the horizon; kept while the pessimistic bound
        // of its 95% interval still does (or the level has been reached, as predicted): a crossing forecast near
        // the horizon's end comes and goes with each refit, and the alert would come and go with it.
        boolean predicted = trending && (breach.pointSteps() > 0 || firing && (alreadyBeyond || breach.earliestSteps() > 0));
        double hoursPerInterval = interval / 3_600_000.0;
        AlertCandidate[] emitted = new AlertCandidate[1];
        e.forecast.evaluate(predicted, critical, t, 0, REFIT_EVERY, t0.direction, new AlertState.Listener() {
            @Override
            public void fired(AlertState r) {
                emitted[0] = candidate(AlertStatus.FIRING, r.activeAt);
            }

            @Override
            public void cleared(AlertState r) {
                emitted[0] = candidate(AlertStatus.CLEARED, r.activeAt);
            }

            private AlertCandidate candidate(AlertStatus status, long since) {
                Evidence evidence = new Evidence()
                        .put("method", forecast.method())
                        .put("level", critical)
                        .put("direction", t0.direction.yaml())
                        .put("horizon_hours", horizon * hoursPerInterval)
                        .put("slope_per_hour", fit.slope())
                        .put("r2", fit.r2())
                        .put("trend_p_value", fit.pValue())
                        .put("seasonal_period_hours", forecast.period() * hoursPerInterval)
                        .put("last_interval_mean", last);
                if (status == AlertStatus.FIRING) {
                    // What a notification says: the forecast's value is the level it reaches, which read as
                    // "value 1003 (level 1000)" looks like a measurement.
                    evidence.put("summary", String.format(java.util.Locale.ROOT, "%s/%s forecast (%s) to reach its critical level %s in %.1f h (%s)%s; now %s",
                            e.component, e.metric, forecast.method(), plain(critical), breach.pointSteps() * hoursPerInterval,
                            Timestamps.iso(t + breach.pointSteps() * interval),
                            breach.earliestSteps() > 0 && breach.earliestSteps() < breach.pointSteps()
                                    ? String.format(java.util.Locale.ROOT, ", possibly in %.1f h", breach.earliestSteps() * hoursPerInterval) : "",
                            plain(last)));
                    evidence.put("hours_to_breach", breach.pointSteps() * hoursPerInterval)
                            .put("earliest_hours", breach.earliestSteps() < 0 ? Double.NaN : breach.earliestSteps() * hoursPerInterval)
                            .put("latest_hours", breach.latestSteps() < 0 ? Double.NaN : breach.latestSteps() * hoursPerInterval)
                            .time("predicted_breach_at", t + breach.pointSteps() * interval);
                } else {
                    evidence.put("note", !trending ? "the series no longer trends the worse way, significantly"
                            : "even the pessimistic bound of the forecast's 95% interval no longer reaches the level within the horizon");
                }
                return new AlertCandidate("forecast:" + e.metric + ":critical", AlertKind.FORECAST, Severity.CRITICAL, status,
                        e.component, e.metric, forecast.point(Math.max(1, breach.pointSteps())), critical, t, since, evidence);
            }
        });
        return emitted[0];
    }

    /** A number to 4 significant digits without trailing zeros (95, 60.02). */
    private static String plain(double x) {
        return Double.isFinite(x) ? new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.4g", x)).stripTrailingZeros().toPlainString()
                : String.valueOf(x);
    }
}
