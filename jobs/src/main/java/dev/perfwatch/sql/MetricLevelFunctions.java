package dev.perfwatch.sql;

import dev.perfwatch.config.Direction;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.config.PerfwatchConfig;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * SQL access to the levels of conf/perfwatch.yaml, so queries and the job use one definition,
 * including each component's overrides: {@code warning_level(component, metric)},
 * {@code critical_level(component, metric)} (NULL for a series without one),
 * {@code worse_direction(component, metric)} (1 when higher is worse, -1 when lower is worse; 1 for
 * metrics the configuration does not name) and {@code breaches(component, metric, value, level)}
 * (value at or beyond level in the worse direction; FALSE when either is NULL). Each also takes the
 * metric alone, for the metric's own levels.
 */
public final class MetricLevelFunctions {

    private MetricLevelFunctions() {}

    public static void register(TableEnvironment tEnv, PerfwatchConfig config) {
        MetricLevels levels = config.levels();
        tEnv.createTemporarySystemFunction("warning_level", new WarningLevel(levels));
        tEnv.createTemporarySystemFunction("critical_level", new CriticalLevel(levels));
        tEnv.createTemporarySystemFunction("worse_direction", new WorseDirection(levels));
        tEnv.createTemporarySystemFunction("breaches", new Breaches(levels));
    }

    abstract static class Levels extends ScalarFunction {
        private static final long serialVersionUID = 1L;
        final MetricLevels levels;

        Levels(MetricLevels levels) {
            this.levels = levels;
        }

        MetricThresholds of(String component, String metric) {
            return metric == null ? null : levels.of(component, metric);
        }

        Direction direction(String component, String metric) {
            return metric == null ? Direction.HIGHER_IS_WORSE : levels.directionOf(component, metric);
        }
    }

    public static class WarningLevel extends Levels {
        public WarningLevel(MetricLevels levels) {
            super(levels);
        }

        public Double eval(String component, String metric) {
            MetricThresholds t = of(component, metric);
            return t == null ? null : t.warning;
        }

        public Double eval(String metric) {
            return eval(null, metric);
        }
    }

    public static class CriticalLevel extends Levels {
        public CriticalLevel(MetricLevels levels) {
            super(levels);
        }

        public Double eval(String component, String metric) {
            MetricThresholds t = of(component, metric);
            return t == null ? null : t.critical;
        }

        public Double eval(String metric) {
            return eval(null, metric);
        }
    }

    public static class WorseDirection extends Levels {
        public WorseDirection(MetricLevels levels) {
            super(levels);
        }

        public Integer eval(String component, String metric) {
            return direction(component, metric) == Direction.HIGHER_IS_WORSE ? 1 : -1;
        }

        public Integer eval(String metric) {
            return eval(null, metric);
        }
    }

    public static class Breaches extends Levels {
        public Breaches(MetricLevels levels) {
            super(levels);
        }

        public Boolean eval(String component, String metric, Double value, Double level) {
            return value != null && level != null && direction(component, metric).breaches(value, level);
        }

        public Boolean eval(String metric, Double value, Double level) {
            return eval(null, metric, value, level);
        }
    }
}
