package dev.perfwatch.udf;

import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The job's metric levels in SQL, for Flink's own SQL client and gateway: {@code warning_level(component,
 * metric)}, {@code critical_level(component, metric)} (NULL for a series without one),
 * {@code worse_direction(component, metric)} (1 when higher is worse, -1 when lower is worse; 1 for metrics
 * the configuration does not name) and {@code breaches(component, metric, value, level)} (value at or
 * beyond level in the worse direction; FALSE when either is NULL); each also takes the metric alone.
 *
 * <p>The levels come from the job parameter {@value #PARAMETER}: the job configuration's levels resolved
 * (each component's overrides merged), base64 of lines {@code component TAB metric TAB warning TAB
 * critical TAB direction}, component {@code *} for a metric's own. {@code ./perfwatch sql-init} writes
 * the {@code SET 'pipeline.global-job-parameters' = ...} line from the same configuration the job
 * reads, so the SQL and the job never disagree.
 */
public final class LevelFunctions {

    public static final String PARAMETER = "perfwatch.levels";

    private LevelFunctions() {}

    /** One series' levels (null fields: not set). */
    record Level(Double warning, Double critical, Integer direction) {}

    /** Parses the parameter's value: base64 of the lines above. */
    static Map<String, Level> parse(String encoded) {
        String text = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        Map<String, Level> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException(PARAMETER + ": expected component, metric, warning, critical, direction separated by tabs, got '"
                        + line + "'");
            }
            out.put(f[0] + "\t" + f[1], new Level(f[2].isEmpty() ? null : Double.valueOf(f[2]), f[3].isEmpty() ? null : Double.valueOf(f[3]),
                    f[4].isEmpty() ? null : f[4].equals("lower-is-worse") ? -1 : 1));
        }
        return out;
    }

    /** The encoding of {@code lines} for the job parameter. */
    public static String encode(String lines) {
        return Base64.getEncoder().encodeToString(lines.getBytes(StandardCharsets.UTF_8));
    }

    abstract static class Base extends ScalarFunction {
        private static final long serialVersionUID = 1L;
        private transient Map<String, Level> levels;

        @Override
        public void open(FunctionContext context) throws Exception {
            String encoded = context.getJobParameter(PARAMETER, null);
            if (encoded == null) {
                throw new IllegalStateException("perfwatch's level functions need the job's levels: SET 'pipeline.global-job-parameters' = '"
                        + PARAMETER + ":...' (./perfwatch sql-init --output DIR writes that line from the job's configuration)");
            }
            levels = parse(encoded);
        }

        Level of(String component, String metric) {
            if (metric == null) {
                return null;
            }
            Level own = component == null ? null : levels.get(component + "\t" + metric);
            return own != null ? own : levels.get("*\t" + metric);
        }

        int direction(String component, String metric) {
            Level l = of(component, metric);
            return l == null || l.direction() == null ? 1 : l.direction();
        }
    }

    public static class WarningLevel extends Base {
        private static final long serialVersionUID = 1L;

        public Double eval(String component, String metric) {
            Level l = of(component, metric);
            return l == null ? null : l.warning();
        }

        public Double eval(String metric) {
            return eval(null, metric);
        }
    }

    public static class CriticalLevel extends Base {
        private static final long serialVersionUID = 1L;

        public Double eval(String component, String metric) {
            Level l = of(component, metric);
            return l == null ? null : l.critical();
        }

        public Double eval(String metric) {
            return eval(null, metric);
        }
    }

    public static class WorseDirection extends Base {
        private static final long serialVersionUID = 1L;

        public Integer eval(String component, String metric) {
            return direction(component, metric);
        }

        public Integer eval(String metric) {
            return eval(null, metric);
        }
    }

    public static class Breaches extends Base {
        private static final long serialVersionUID = 1L;

        public Boolean eval(String component, String metric, Double value, Double level) {
            if (value == null || level == null) {
                return false;
            }
            return direction(component, metric) > 0 ? value >= level : value <= level;
        }

        public Boolean eval(String metric, Double value, Double level) {
            return eval(null, metric, value, level);
        }
    }
}
