-- Each series' last hour against the 24 hours before it, with all three tests.
-- "Last hour" ends at the series' newest sample, so the result does not depend on when it runs.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/regression_last_hour.sql
WITH tested AS (
  SELECT component, metric,
         COUNT(*) FILTER (WHERE NOT in_comparison) AS n_baseline,
         COUNT(*) FILTER (WHERE in_comparison) AS n_comparison,
         welch_t_test(v, in_comparison) AS welch,
         mann_whitney_u(v, in_comparison) AS mwu,
         cohens_d(v, in_comparison) AS d
  FROM metrics_last_day
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
