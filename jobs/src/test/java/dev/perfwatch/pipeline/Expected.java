package dev.perfwatch.pipeline;

import dev.perfwatch.model.MetricSample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Window summaries computed the plain way (sort, two-pass variance), to check the pipeline against. */
final class Expected {

    final String component;
    final String metric;
    final long windowStart;
    final long count;
    final double mean;
    final double stddev;
    final double min;
    final double max;
    final double p50;
    final double p95;
    final double p99;

    private Expected(String key, long windowStart, List<Double> values) {
        int bar = key.indexOf('|');
        this.component = key.substring(0, bar);
        this.metric = key.substring(bar + 1);
        this.windowStart = windowStart;
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        count = v.length;
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        mean = sum / count;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        stddev = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
        min = v[0];
        max = v[v.length - 1];
        p50 = rank(v, 0.50);
        p95 = rank(v, 0.95);
        p99 = rank(v, 0.99);
    }

    /** The q-quantile as DDSketch defines it: element floor(q * (n - 1)) of the sorted values. */
    static double rank(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    String id() {
        return component + "|" + metric + "|" + windowStart;
    }

    static Map<String, Expected> summaries(List<MetricSample> samples, long windowMillis) {
        Map<String, List<Double>> values = new TreeMap<>();
        for (MetricSample s : samples) {
            long start = s.timestamp - Math.floorMod(s.timestamp, windowMillis);
            values.computeIfAbsent(s.seriesKey() + "|" + start, k -> new ArrayList<>()).add(s.value);
        }
        Map<String, Expected> out = new TreeMap<>();
        values.forEach((id, v) -> {
            int last = id.lastIndexOf('|');
            Expected e = new Expected(id.substring(0, last), Long.parseLong(id.substring(last + 1)), v);
            out.put(e.id(), e);
        });
        return out;
    }
}
