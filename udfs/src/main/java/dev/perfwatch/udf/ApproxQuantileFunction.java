package dev.perfwatch.udf;

import dev.perfwatch.stats.QuantileSketch;

import org.apache.flink.table.functions.AggregateFunction;

/**
 * {@code approx_quantile(v DOUBLE, q DOUBLE)}: the q-quantile (q in [0, 1], read from the first row)
 * from a DDSketch, within 0.5% (relative) of the exact value of rank floor(q (n - 1)). Constant
 * memory per group; mergeable. NULL for no rows or q outside [0, 1].
 */
public class ApproxQuantileFunction extends AggregateFunction<Double, ApproxQuantileFunction.Acc> {

    public static final double RELATIVE_ACCURACY = 0.005;

    /** The sketch in its binary encoding (a decoded copy is cached between calls on the same object). */
    public static class Acc {
        public byte[] sketch;
        public Double q;
        private transient QuantileSketch decoded;
        private transient byte[] decodedFrom;

        QuantileSketch open() {
            if (decoded == null || decodedFrom != sketch) {
                decoded = sketch == null ? new QuantileSketch(RELATIVE_ACCURACY) : QuantileSketch.fromBytes(RELATIVE_ACCURACY, sketch);
            }
            return decoded;
        }

        void store(QuantileSketch s) {
            sketch = s.toBytes();
            decoded = s;
            decodedFrom = sketch;
        }
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, Double v, Double q) {
        if (acc.q == null) {
            acc.q = q;
        }
        if (v == null || Double.isNaN(v) || Double.isInfinite(v)) {
            return;
        }
        QuantileSketch s = acc.open();
        s.add(v);
        acc.store(s);
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        QuantileSketch s = acc.open();
        for (Acc o : others) {
            if (o.sketch != null) {
                s.merge(o.open());
            }
            if (acc.q == null) {
                acc.q = o.q;
            }
        }
        acc.store(s);
    }

    @Override
    public Double getValue(Acc acc) {
        if (acc.sketch == null || acc.q == null || !(acc.q >= 0 && acc.q <= 1)) {
            return null;
        }
        QuantileSketch s = acc.open();
        return s.isEmpty() ? null : s.quantile(acc.q);
    }
}
