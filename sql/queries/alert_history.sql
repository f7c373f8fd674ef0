-- Why did each alert fire, who acknowledged it, when did it clear: one row per alert, from its
-- transitions in alert_events (the first time it fired, the last acknowledgement, the last resolution).
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/alert_history.sql
-- (add e.g. WHERE a.component = 'web' before ORDER BY for one component)
WITH ranked AS (
  SELECT e.*,
         ROW_NUMBER() OVER (PARTITION BY alert_id, `to` ORDER BY `at` ASC) AS first_n,
         ROW_NUMBER() OVER (PARTITION BY alert_id, `to` ORDER BY `at` DESC) AS last_n
  FROM alert_events AS e
),
alerts AS (
  SELECT alert_id, MAX(component) AS component, MAX(rule) AS rule, MAX(metric) AS metric, MAX(severity) AS severity,
         COUNT(*) AS transitions
  FROM alert_events
  GROUP BY alert_id
),
fired AS (SELECT alert_id, `at`, reason FROM ranked WHERE `to` = 'firing' AND first_n = 1),
acked AS (SELECT alert_id, `at`, `by`, `comment` FROM ranked WHERE `to` = 'acknowledged' AND last_n = 1),
resolved AS (SELECT alert_id, `at`, reason, `by` FROM ranked WHERE `to` = 'resolved' AND last_n = 1)
SELECT a.alert_id, a.component, a.rule, a.metric, a.severity,
       f.`at` AS fired_at, f.reason AS fired_because,
       k.`at` AS acknowledged_at, k.`by` AS acknowledged_by, k.`comment` AS acknowledged_comment,
       r.`at` AS resolved_at, r.reason AS resolved_because, r.`by` AS resolved_by,
       a.transitions
FROM alerts AS a
LEFT JOIN fired AS f ON f.alert_id = a.alert_id
LEFT JOIN acked AS k ON k.alert_id = a.alert_id
LEFT JOIN resolved AS r ON r.alert_id = a.alert_id
ORDER BY f.`at`, a.component, a.rule;
