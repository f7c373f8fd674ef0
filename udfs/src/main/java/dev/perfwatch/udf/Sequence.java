package dev.perfwatch.udf;

import org.apache.flink.table.api.dataview.ListView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** A time series accumulated row by row (list views: state-backed in streaming), read back in time order. */
public class Sequence {
    public ListView<Long> times = new ListView<>();
    public ListView<Double> values = new ListView<>();

    void add(long ts, Double v) throws Exception {
        if (v == null || Double.isNaN(v)) {
            return;
        }
        times.add(ts);
        values.add(v);
    }

    void addAll(Sequence o) throws Exception {
        List<Long> t = new ArrayList<>();
        o.times.get().forEach(t::add);
        List<Double> v = new ArrayList<>();
        o.values.get().forEach(v::add);
        times.addAll(t);
        values.addAll(v);
    }

    /** Points sorted by time, then value, so the order rows arrived in does not matter. */
    Sorted sorted() throws Exception {
        List<Long> t = new ArrayList<>();
        times.get().forEach(t::add);
        List<Double> v = new ArrayList<>();
        values.get().forEach(v::add);
        Integer[] order = new Integer[t.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(t::get).thenComparingDouble(v::get));
        long[] ts = new long[order.length];
        double[] vs = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            ts[i] = t.get(order[i]);
            vs[i] = v.get(order[i]);
        }
        return new Sorted(ts, vs);
    }

    record Sorted(long[] times, double[] values) {
        int size() {
            return times.length;
        }

        /** Median spacing of successive distinct times, in milliseconds; 0 when undefined. */
        long medianStep() {
            List<Long> steps = new ArrayList<>();
            for (int i = 1; i < times.length; i++) {
                if (times[i] > times[i - 1]) {
                    steps.add(times[i] - times[i - 1]);
                }
            }
            if (steps.isEmpty()) {
                return 0;
            }
            steps.sort(null);
            return steps.get(steps.size() / 2);
        }
    }
}
