-- perfwatch's statistical functions for Flink SQL. ./perfwatch sql registers them itself. In Flink's
-- own SQL client, build the functions jar (mvn -B -DskipTests package) and run
--   ADD JAR 'udfs/target/perfwatch-udfs-0.1.0-SNAPSHOT-sql.jar';
-- then these statements (sql-client.sh -i sql/functions.sql, or paste them).
-- Contracts (NULL where a statistic is undefined; ts is TIMESTAMP(3) read as UTC, or TIMESTAMP_LTZ(3)):
--   welch_t_test(v, in_comparison)   -> ROW<t, df, p_value, mean_baseline, mean_comparison>
--   mann_whitney_u(v, in_comparison) -> ROW<u, z, p_value>
--   cohens_d(v, in_comparison)       -> DOUBLE
--   linear_trend(ts, v)              -> ROW<slope_per_hour, intercept, r2, p_value>
--   change_point(ts, v)              -> ROW<change_ts TIMESTAMP(3), mean_before, mean_after, p_value>
--   approx_quantile(v, q)            -> DOUBLE (within 0.5%)
--   forecast_breach(ts, v, threshold, horizon_hours)
--                                    -> ROW<breach_ts TIMESTAMP(3), hours_to_breach, lower_hours, upper_hours>
--   relative_change(baseline, comparison), welch_p_value(n_b, mean_b, sd_b, n_c, mean_c, sd_c),
--   z_score(x, mean, stddev)         -> DOUBLE
--   warning_level(component, metric), critical_level(component, metric) -> DOUBLE (NULL: no level),
--   worse_direction(component, metric) -> INT (1 higher is worse, -1 lower), breaches(component, metric,
--   value, level) -> BOOLEAN: the job's levels (each also takes the metric alone). They read them from
--   the job parameter perfwatch.levels, which ./perfwatch sql-init sets from the job's configuration.
CREATE FUNCTION IF NOT EXISTS welch_t_test AS 'dev.perfwatch.udf.WelchTTestFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS mann_whitney_u AS 'dev.perfwatch.udf.MannWhitneyUFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS cohens_d AS 'dev.perfwatch.udf.CohensDFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS linear_trend AS 'dev.perfwatch.udf.LinearTrendFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS change_point AS 'dev.perfwatch.udf.ChangePointFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS approx_quantile AS 'dev.perfwatch.udf.ApproxQuantileFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS forecast_breach AS 'dev.perfwatch.udf.ForecastBreachFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS relative_change AS 'dev.perfwatch.udf.ScalarFunctions$RelativeChange' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS welch_p_value AS 'dev.perfwatch.udf.ScalarFunctions$WelchPValue' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS z_score AS 'dev.perfwatch.udf.ScalarFunctions$ZScore' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS warning_level AS 'dev.perfwatch.udf.LevelFunctions$WarningLevel' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS critical_level AS 'dev.perfwatch.udf.LevelFunctions$CriticalLevel' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS worse_direction AS 'dev.perfwatch.udf.LevelFunctions$WorseDirection' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS breaches AS 'dev.perfwatch.udf.LevelFunctions$Breaches' LANGUAGE JAVA;
