-- Each series' last hour against the 24 hours before it, with all three tests.
-- "Last hour" ends at the series' newest sample, so the result does not depend on when it runs.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/regression_last_hour.sql
WITH bounds AS (
  SELECT component, metric, MAX(`timestamp`) AS end_ts
  FROM metrics
  GROUP BY component, metric
), labelled AS (
  SELECT m.component, m.metric, m.`value` AS v,
         m.`timestamp` > b.end_ts - INTERVAL '1' HOUR AS in_comparison
  FROM metrics AS m
  JOIN bounds AS b ON m.component = b.component AND m.metric = b.metric
  WHERE m.`timestamp` > b.end_ts - INTERVAL '25' HOUR
), tested AS (
  SELECT component, metric,
         COUNT(*) FILTER (WHERE NOT in_comparison) AS n_baseline,
         COUNT(*) FILTER (WHERE in_comparison) AS n_comparison,
         welch_t_test(v, in_comparison) AS welch,
         mann_whitney_u(v, in_comparison) AS mwu,
         cohens_d(v, in_comparison) AS d
  FROM labelled
  GROUP BY component, metric
)
SELECT component, metric, n_baseline, n_comparison,
       welch.mean_baseline, welch.mean_comparison,
       relative_change(welch.mean_baseline, welch.mean_comparison) AS relative_change,
       welch.t AS welch_t, welch.p_value AS welch_p,
       mwu.u AS mwu_u, mwu.p_value AS mwu_p,
       d AS cohens_d
FROM tested
ORDER BY component, metric;
