-- Current status per component: its newest health score and trend, how many of its alerts are firing
-- now (each alert's last lifecycle state in alert_events) and how many regressions are open (the newest
-- version of each finding, worse direction). Worst health first.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/current_status.sql
WITH health_now AS (
  SELECT component, score, trend_direction
  FROM (
    SELECT component, score, trend_direction,
           ROW_NUMBER() OVER (PARTITION BY component ORDER BY window_start DESC) AS newest
    FROM health
  )
  WHERE newest = 1
),
alert_now AS (
  SELECT component, `to`
  FROM (
    SELECT component, `to`, ROW_NUMBER() OVER (PARTITION BY alert_id ORDER BY `at` DESC, `to`) AS newest
    FROM alert_events
  )
  WHERE newest = 1
),
firing AS (SELECT component, COUNT(*) AS firing_alerts FROM alert_now WHERE `to` = 'firing' GROUP BY component),
open_regressions AS (
  SELECT component, COUNT(*) AS regressions FROM regressions_current WHERE direction = 'regression' GROUP BY component
)
SELECT h.component, h.score, h.trend_direction,
       COALESCE(f.firing_alerts, 0) AS firing_alerts,
       COALESCE(r.regressions, 0) AS open_regressions
FROM health_now AS h
LEFT JOIN firing AS f ON f.component = h.component
LEFT JOIN open_regressions AS r ON r.component = h.component
ORDER BY h.score, h.component;
