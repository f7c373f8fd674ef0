-- Trend and forecast per series over the window summaries: slope per hour of the window means,
-- how well a line fits, where the mean shifted, and when the forecast reaches the critical level
-- within 24 hours (NULL when it does not).
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/trend_forecast.sql
WITH fitted AS (
  SELECT component, metric,
         COUNT(*) AS windows,
         linear_trend(window_start, mean) AS trend,
         change_point(window_start, mean) AS shift,
         forecast_breach(window_start, mean, critical_level(component, metric), 24.0) AS forecast
  FROM summaries
  WHERE critical_level(component, metric) IS NOT NULL
  GROUP BY component, metric
)
SELECT component, metric, windows,
       trend.slope_per_hour, trend.r2, trend.p_value AS trend_p,
       shift.change_ts, shift.mean_before, shift.mean_after, shift.p_value AS shift_p,
       forecast.breach_ts, forecast.hours_to_breach, forecast.lower_hours, forecast.upper_hours
FROM fitted
ORDER BY component, metric;
