-- Tables over perfwatch's inputs and outputs. ${input} and ${output} are replaced by
-- ./perfwatch sql (--define input=DIR --define output=DIR; defaults: metrics, out). For Flink's own SQL
-- client, ./perfwatch sql-init --output DIR > init.sql writes these with every placeholder resolved.
-- Timestamps in the files are ISO-8601 UTC ('...Z'), read as TIMESTAMP_LTZ(3).

-- Raw samples as JSON lines (e.g. what ./perfwatch generate writes). A line that is not such JSON is
-- skipped ('json.ignore-parse-errors'), not a failed query; ./perfwatch monitor puts each one in
-- dead letters with its reason, and the dead_letters table below reads those.
CREATE TABLE IF NOT EXISTS metrics (
  `timestamp` TIMESTAMP_LTZ(3),
  metric STRING,
  `value` DOUBLE,
  component STRING,
  host STRING,
  unit STRING,
  tags MAP<STRING, STRING>,
  WATERMARK FOR `timestamp` AS `timestamp` - INTERVAL '30' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = '${input}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- The raw lines of the same files as text, and those the metrics table skips for not being a JSON object
-- at all: SELECT COUNT(*) FROM metrics_skipped counts them (./perfwatch monitor names each one's reason).
CREATE TABLE IF NOT EXISTS metrics_lines (
  line STRING
) WITH (
  'connector' = 'filesystem',
  'path' = '${input}',
  'format' = 'raw'
);

CREATE VIEW IF NOT EXISTS metrics_skipped AS
SELECT line FROM metrics_lines WHERE TRIM(line) <> '' AND NOT (line IS JSON OBJECT);

-- The same samples from Kafka (one JSON object per message): metrics' columns and watermark. Values
-- that are not such JSON are skipped (monitor --kafka-bootstrap puts them in dead letters). Read up to
-- the offsets at the start of the query (${kafka_bounded}: latest-offset; 'unbounded' to keep reading).
CREATE TABLE IF NOT EXISTS metrics_kafka WITH (
  'connector' = 'kafka',
  'topic' = 'perfwatch-metrics',
  'properties.bootstrap.servers' = '${kafka}',
  'properties.group.id' = 'perfwatch-sql',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${kafka_bounded}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true',
  'json.timestamp-format.standard' = 'ISO-8601'
) LIKE metrics (EXCLUDING OPTIONS);

-- Each series' last 25 hours, labelled: in_comparison for its last hour (ending at its newest sample,
-- so results do not depend on when a query runs), else the 24-hour baseline before it. The analyst
-- queries in sql/queries/ test in_comparison against the rest.
CREATE VIEW IF NOT EXISTS metrics_last_day AS
WITH bounds AS (
  SELECT component, metric, MAX(`timestamp`) AS end_ts
  FROM metrics
  GROUP BY component, metric
)
SELECT m.component, m.metric, m.`value` AS v,
       m.`timestamp` > b.end_ts - INTERVAL '1' HOUR AS in_comparison
FROM metrics AS m
JOIN bounds AS b ON m.component = b.component AND m.metric = b.metric
WHERE m.`timestamp` > b.end_ts - INTERVAL '25' HOUR;

-- Window summaries written by the job: one row per series and window.
CREATE TABLE IF NOT EXISTS summaries (
  component STRING,
  metric STRING,
  window_start TIMESTAMP_LTZ(3),
  window_end TIMESTAMP_LTZ(3),
  `count` BIGINT,
  mean DOUBLE,
  stddev DOUBLE,
  `min` DOUBLE,
  `max` DOUBLE,
  p50 DOUBLE,
  p95 DOUBLE,
  p99 DOUBLE,
  dt STRING,
  `hour` STRING,
  WATERMARK FOR window_start AS window_start - INTERVAL '1' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/summaries',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- Lines the job refused, with why and where from. event_time is NULL when it could not be read.
CREATE TABLE IF NOT EXISTS dead_letters (
  reason STRING,
  detail STRING,
  origin STRING,
  line BIGINT,
  event_time TIMESTAMP_LTZ(3),
  `raw` STRING,
  dt STRING,
  `hour` STRING
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/dead-letters',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- Alert candidates raised by threshold rules, CEP patterns and anomaly scores. evidence is a JSON
-- object (kept as text: JSON_VALUE(evidence, '$.robust_z') reads a field).
CREATE TABLE IF NOT EXISTS alerts (
  alert_id STRING,
  rule STRING,
  kind STRING,
  severity STRING,
  status STRING,
  component STRING,
  metric STRING,
  `value` DOUBLE,
  threshold DOUBLE,
  event_time TIMESTAMP_LTZ(3),
  started_at TIMESTAMP_LTZ(3),
  evidence STRING,
  dt STRING,
  `hour` STRING,
  WATERMARK FOR event_time AS event_time - INTERVAL '1' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/alerts',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- Regression findings: one per episode; an update (the change grew to a higher severity, or its type
-- became clear) repeats its finding_id with the next version and its updated_at: regressions_current
-- below holds the newest version of each.
CREATE TABLE IF NOT EXISTS regressions (
  finding_id STRING,
  component STRING,
  metric STRING,
  type STRING,
  direction STRING,
  detected_at TIMESTAMP_LTZ(3),
  version INT,
  updated_at TIMESTAMP_LTZ(3),
  change_point_at TIMESTAMP_LTZ(3),
  baseline_start TIMESTAMP_LTZ(3),
  baseline_end TIMESTAMP_LTZ(3),
  comparison_start TIMESTAMP_LTZ(3),
  comparison_end TIMESTAMP_LTZ(3),
  baseline ROW<n BIGINT, mean DOUBLE, stddev DOUBLE, p50 DOUBLE, p95 DOUBLE>,
  comparison ROW<n BIGINT, mean DOUBLE, stddev DOUBLE, p50 DOUBLE, p95 DOUBLE>,
  relative_change DOUBLE,
  relative_change_p95 DOUBLE,
  welch ROW<t DOUBLE, df DOUBLE, p_value DOUBLE>,
  mann_whitney ROW<u DOUBLE, p_value DOUBLE>,
  cohens_d DOUBLE,
  alpha_corrected DOUBLE,
  detection ROW<test STRING, cusum DOUBLE, cusum_threshold DOUBLE, false_alarms_per_day DOUBLE, variance_inflation DOUBLE>,
  trend ROW<slope_per_hour DOUBLE, p_value DOUBLE, r2 DOUBLE>,
  change_point_p_value DOUBLE,
  confidence DOUBLE,
  severity STRING,
  reverts STRING,
  recommendation STRING,
  suggestions ARRAY<STRING>,
  dt STRING,
  `hour` STRING,
  WATERMARK FOR detected_at AS detected_at - INTERVAL '5' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/regressions',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- The current state of each finding: its newest version (the figures and severity as the change stands).
CREATE VIEW IF NOT EXISTS regressions_current AS
SELECT finding_id, component, metric, type, direction, detected_at, version, updated_at, change_point_at,
       relative_change, relative_change_p95, cohens_d, welch, mann_whitney, detection, confidence, severity,
       reverts, recommendation, suggestions
FROM (
  SELECT r.*, ROW_NUMBER() OVER (PARTITION BY finding_id ORDER BY version DESC) AS newest
  FROM regressions AS r
)
WHERE newest = 1;

-- Bottlenecks per component: a row when one opens, when its severity moves, and when it is resolved
-- (status open / ongoing / resolved). evidence is a JSON object kept as text; suggestions are catalogue
-- ids, best first. A bottleneck resolved because its component went silent (or the data ended) has
-- evidence {"ended_by": "no data"}.
CREATE TABLE IF NOT EXISTS bottlenecks (
  component STRING,
  window_start TIMESTAMP_LTZ(3),
  window_end TIMESTAMP_LTZ(3),
  type STRING,
  status STRING,
  severity DOUBLE,
  confidence DOUBLE,
  root_cause STRING,
  evidence STRING,
  suggestions ARRAY<STRING>,
  opened_at TIMESTAMP_LTZ(3),
  dt STRING,
  `hour` STRING,
  WATERMARK FOR window_start AS window_start - INTERVAL '5' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/bottlenecks',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- Health per component and for the system (component = 'system') per profile window; the points of
-- breakdown sum to 100 - score.
CREATE TABLE IF NOT EXISTS health (
  component STRING,
  window_start TIMESTAMP_LTZ(3),
  window_end TIMESTAMP_LTZ(3),
  score DOUBLE,
  breakdown ARRAY<ROW<source STRING, detail STRING, points DOUBLE>>,
  trend DOUBLE,
  trend_direction STRING,
  dt STRING,
  `hour` STRING,
  WATERMARK FOR window_start AS window_start - INTERVAL '5' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/health',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- Suggestions from the catalogue that apply to a component, ranked (rank 1 first), with why: the
-- conditions that held and their values. A row when one starts to apply, when its evidence grows (a
-- condition not shown before, a priority a quarter higher), or a day after the last row.
CREATE TABLE IF NOT EXISTS suggestions (
  component STRING,
  window_start TIMESTAMP_LTZ(3),
  window_end TIMESTAMP_LTZ(3),
  suggestion_id STRING,
  `rank` INT,
  category STRING,
  title STRING,
  priority DOUBLE,
  impact STRING,
  effort STRING,
  risk STRING,
  confidence DOUBLE,
  time_estimate STRING,
  bottlenecks ARRAY<STRING>,
  reasons ARRAY<ROW<`condition` STRING, actual STRING>>,
  steps ARRAY<STRING>,
  metrics_to_watch ARRAY<STRING>,
  example STRING,
  dt STRING,
  `hour` STRING,
  WATERMARK FOR window_start AS window_start - INTERVAL '5' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/suggestions',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- The alert lifecycle's history: one row per transition of an alert (pending, firing, acknowledged,
-- suppressed, flapping, resolved), with why, and who for commands. `from` is NULL for the first.
CREATE TABLE IF NOT EXISTS alert_events (
  alert_id STRING,
  fingerprint STRING,
  rule STRING,
  kind STRING,
  severity STRING,
  component STRING,
  metric STRING,
  `from` STRING,
  `to` STRING,
  `at` TIMESTAMP_LTZ(3),
  reason STRING,
  `by` STRING,
  `comment` STRING,
  dt STRING,
  `hour` STRING,
  WATERMARK FOR `at` AS `at` - INTERVAL '5' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/alert-events',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- Every notification (one row per channel it went to; channel 'none' when no channel took it), the
-- alerts it listed, and how its delivery went (delivered, failed, rate_limited, not_routed, not_configured).
CREATE TABLE IF NOT EXISTS notifications (
  notification_id STRING,
  channel STRING,
  group_key STRING,
  status STRING,
  alerts ARRAY<ROW<alert_id STRING, rule STRING, kind STRING, severity STRING, state STRING, component STRING, metric STRING,
                   `value` DOUBLE, threshold DOUBLE, starts_at TIMESTAMP_LTZ(3), ends_at TIMESTAMP_LTZ(3), summary STRING>>,
  sent_at TIMESTAMP_LTZ(3),
  reason STRING,
  delivery STRING,
  attempts INT,
  delivered_at TIMESTAMP_LTZ(3),
  error STRING,
  dt STRING,
  `hour` STRING,
  WATERMARK FOR sent_at AS sent_at - INTERVAL '5' MINUTE
) PARTITIONED BY (dt, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${output}/notifications',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- The job's outputs in Kafka (monitor --kafka-output-bootstrap writes each kind to perfwatch.<kind>,
-- exactly once): the same columns as the file tables (dt and hour are NULL here), committed records only.
CREATE TABLE IF NOT EXISTS alerts_kafka WITH (
  'connector' = 'kafka',
  'topic' = 'perfwatch.alerts',
  'properties.bootstrap.servers' = '${kafka}',
  'properties.group.id' = 'perfwatch-sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${kafka_bounded}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true',
  'json.timestamp-format.standard' = 'ISO-8601'
) LIKE alerts (EXCLUDING OPTIONS EXCLUDING PARTITIONS);

CREATE TABLE IF NOT EXISTS regressions_kafka WITH (
  'connector' = 'kafka',
  'topic' = 'perfwatch.regressions',
  'properties.bootstrap.servers' = '${kafka}',
  'properties.group.id' = 'perfwatch-sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${kafka_bounded}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true',
  'json.timestamp-format.standard' = 'ISO-8601'
) LIKE regressions (EXCLUDING OPTIONS EXCLUDING PARTITIONS);
