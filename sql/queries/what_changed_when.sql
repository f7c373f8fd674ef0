-- What changed when: each regression finding (its newest version) with the alerts of the same component
-- that started within 30 minutes of its change point, in time order: which symptoms came with which change.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/what_changed_when.sql
SELECT r.component, r.metric AS changed_metric, r.type, r.change_point_at, r.relative_change,
       a.started_at AS alert_started_at, a.rule, a.metric AS alert_metric, a.severity
FROM regressions_current AS r
JOIN alerts AS a
  ON a.component = r.component
 AND a.status = 'firing'
 AND a.started_at BETWEEN r.change_point_at - INTERVAL '30' MINUTE AND r.change_point_at + INTERVAL '30' MINUTE
ORDER BY r.change_point_at, r.component, r.metric, a.started_at, a.rule, a.metric;
