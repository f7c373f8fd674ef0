-- Three consecutive one-minute windows within three minutes whose p95 is at or beyond the metric's
-- warning level, per series: the SQL form of the job's "consecutive-breaches" CEP pattern
-- (alerts.patterns.consecutive-breaches: count 3, within 3m), which finds the same matches. Levels and directions come from
-- conf/perfwatch.yaml, with each component's overrides (warning_level, breaches are registered by ./perfwatch sql).
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/consecutive_breaches.sql
-- Over files, use batch mode (the default): in streaming, MATCH_RECOGNIZE drops rows behind the
-- watermark, and files of different hours may be read in any order.
SELECT component, metric, first_breach, last_breach, breaches, lowest_p95, highest_p95, warning
FROM (
  SELECT component, metric, window_start, p95, warning_level(component, metric) AS warning,
         breaches(component, metric, p95, warning_level(component, metric)) AS breach
  FROM summaries
  WHERE warning_level(component, metric) IS NOT NULL
) MATCH_RECOGNIZE (
  PARTITION BY component, metric
  ORDER BY window_start
  MEASURES
    FIRST(B.window_start) AS first_breach,
    LAST(B.window_start) AS last_breach,
    COUNT(B.p95) AS breaches,
    MIN(B.p95) AS lowest_p95,
    MAX(B.p95) AS highest_p95,
    LAST(B.warning) AS warning
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (B{3}) WITHIN INTERVAL '3' MINUTE
  DEFINE B AS B.breach
);
