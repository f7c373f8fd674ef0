-- The ten most degraded series: last hour against the 24 hours before, ranked by effect size in the
-- metric's worse direction (worse_direction comes from conf/perfwatch.yaml, registered by ./perfwatch
-- sql), among changes significant by both tests at 1%.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/most_degraded.sql
WITH tested AS (
  SELECT component, metric,
         welch_t_test(v, in_comparison) AS welch,
         mann_whitney_u(v, in_comparison) AS mwu,
         cohens_d(v, in_comparison) AS d
  FROM metrics_last_day
  GROUP BY component, metric
)
SELECT component, metric,
       worse_direction(component, metric) * d AS degradation_d,
       relative_change(welch.mean_baseline, welch.mean_comparison) AS relative_change,
       welch.p_value AS welch_p, mwu.p_value AS mwu_p
FROM tested
WHERE welch.p_value < 0.01 AND mwu.p_value < 0.01 AND worse_direction(component, metric) * d > 0
ORDER BY degradation_d DESC
LIMIT 10;
