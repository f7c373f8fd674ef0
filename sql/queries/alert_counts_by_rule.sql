-- How often each rule fired (each firing candidate once), on how many components, and how many of
-- those were critical. Most frequent first: the rules worth tuning, or the problems worth fixing.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/alert_counts_by_rule.sql
SELECT rule, MAX(kind) AS kind, COUNT(*) AS fired,
       COUNT(DISTINCT component) AS components,
       SUM(CASE WHEN severity = 'critical' THEN 1 ELSE 0 END) AS critical,
       MIN(started_at) AS first_fired, MAX(started_at) AS last_fired
FROM alerts
WHERE status = 'firing'
GROUP BY rule
ORDER BY fired DESC, rule;
