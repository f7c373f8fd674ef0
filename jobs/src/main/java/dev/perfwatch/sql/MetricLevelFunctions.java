package dev.perfwatch.sql;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.config.PerfwatchConfig.Direction;
import dev.perfwatch.config.PerfwatchConfig.MetricThresholds;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;

import java.util.HashMap;
import java.util.Map;

/**
 * SQL access to the levels of conf/perfwatch.yaml, so queries and the job use one definition:
 * {@code warning_level(metric)}, {@code critical_level(metric)} (NULL for a metric without one),
 * {@code worse_direction(metric)} (1 when higher is worse, -1 when lower is worse; 1 for metrics the
 * configuration does not name) and {@code breaches(metric, value, level)} (value at or beyond level
 * in the worse direction; FALSE when either is NULL).
 */
public final class MetricLevelFunctions {

    private MetricLevelFunctions() {}

    public static void register(TableEnvironment tEnv, PerfwatchConfig config) {
        HashMap<String, MetricThresholds> levels = new HashMap<>(config.metrics);
        tEnv.createTemporarySystemFunction("warning_level", new WarningLevel(levels));
        tEnv.createTemporarySystemFunction("critical_level", new CriticalLevel(levels));
        tEnv.createTemporarySystemFunction("worse_direction", new WorseDirection(levels));
        tEnv.createTemporarySystemFunction("breaches", new Breaches(levels));
    }

    abstract static class Levels extends ScalarFunction {
        private static final long serialVersionUID = 1L;
        final HashMap<String, MetricThresholds> levels;

        Levels(Map<String, MetricThresholds> levels) {
            this.levels = new HashMap<>(levels);
        }

        Direction direction(String metric) {
            MetricThresholds t = metric == null ? null : levels.get(metric);
            return t == null ? Direction.HIGHER_IS_WORSE : t.direction;
        }
    }

    public static class WarningLevel extends Levels {
        public WarningLevel(Map<String, MetricThresholds> levels) {
            super(levels);
        }

        public Double eval(String metric) {
            MetricThresholds t = metric == null ? null : levels.get(metric);
            return t == null ? null : t.warning;
        }
    }

    public static class CriticalLevel extends Levels {
        public CriticalLevel(Map<String, MetricThresholds> levels) {
            super(levels);
        }

        public Double eval(String metric) {
            MetricThresholds t = metric == null ? null : levels.get(metric);
            return t == null ? null : t.critical;
        }
    }

    public static class WorseDirection extends Levels {
        public WorseDirection(Map<String, MetricThresholds> levels) {
            super(levels);
        }

        public Integer eval(String metric) {
            return direction(metric) == Direction.HIGHER_IS_WORSE ? 1 : -1;
        }
    }

    public static class Breaches extends Levels {
        public Breaches(Map<String, MetricThresholds> levels) {
            super(levels);
        }

        public Boolean eval(String metric, Double value, Double level) {
            return value != null && level != null && direction(metric).breaches(value, level);
        }
    }
}
