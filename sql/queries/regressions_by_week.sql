-- Regressions per week (of the detection, ISO week-year and week, UTC) and component: how many findings,
-- how many of each type, and the largest relative change. The newest version of each finding counts once.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/regressions_by_week.sql
SELECT DATE_FORMAT(detected_at, 'YYYY-ww') AS week, component,
       COUNT(*) AS findings,
       SUM(CASE WHEN type = 'sudden' THEN 1 ELSE 0 END) AS sudden,
       SUM(CASE WHEN type = 'gradual' THEN 1 ELSE 0 END) AS gradual,
       SUM(CASE WHEN type = 'anomaly' THEN 1 ELSE 0 END) AS anomaly,
       MAX(ABS(relative_change)) AS largest_change
FROM regressions_current
WHERE direction = 'regression'
GROUP BY DATE_FORMAT(detected_at, 'YYYY-ww'), component
ORDER BY week, component;
