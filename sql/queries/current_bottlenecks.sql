-- The bottlenecks still open when the data ends (or that ended only because the data did), worst
-- first, each with its top suggestion from the catalogue.
-- Run: ./perfwatch sql --init sql/tables.sql -f sql/queries/current_bottlenecks.sql
WITH latest AS (
  SELECT component, type, status, severity, confidence, root_cause, opened_at, window_start, suggestions, evidence
  FROM (
    SELECT b.*, ROW_NUMBER() OVER (PARTITION BY component, type, opened_at ORDER BY window_start DESC) AS rn
    FROM bottlenecks AS b
  )
  WHERE rn = 1
),
still_open AS (
  -- The last report before a "no data" resolution carries the bottleneck's severity and root cause.
  SELECT l.component, l.type, l.opened_at,
         MAX(b.severity) AS severity
  FROM latest AS l
  JOIN bottlenecks AS b ON b.component = l.component AND b.type = l.type AND b.opened_at = l.opened_at
  WHERE l.status <> 'resolved' OR JSON_VALUE(l.evidence, '$.ended_by') = 'no data'
  GROUP BY l.component, l.type, l.opened_at
),
top AS (
  SELECT component, type, opened_at, root_cause, suggestions FROM (
    SELECT b.*, ROW_NUMBER() OVER (PARTITION BY component, type, opened_at ORDER BY window_start DESC) AS rn
    FROM bottlenecks AS b
    WHERE b.status <> 'resolved'
  )
  WHERE rn = 1
),
titles AS (
  SELECT suggestion_id, MAX(title) AS title FROM suggestions GROUP BY suggestion_id
)
SELECT s.component, s.type, s.severity, s.opened_at, t.root_cause,
       t.suggestions[1] AS top_suggestion, ti.title AS top_suggestion_title
FROM still_open AS s
JOIN top AS t ON t.component = s.component AND t.type = s.type AND t.opened_at = s.opened_at
LEFT JOIN titles AS ti ON ti.suggestion_id = t.suggestions[1]
ORDER BY s.severity DESC, s.component, s.type;
