package dev.perfwatch.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Quantiles with a relative-error guarantee, on Datadog's DDSketch (Masson, Rim and Lee, VLDB 2019):
 * for any q, the value returned is within {@code relativeAccuracy} (relative) of the exact q-quantile
 * of the values added (rank {@code floor(q * (n - 1))}, zero-based, in sorted order). Negative values
 * and zero are supported. Memory grows with the logarithm of the value range, not with the count.
 */
public final class QuantileSketch {

    private final double relativeAccuracy;
    private final DDSketch sketch;

    public QuantileSketch(double relativeAccuracy) {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException(
                    "relative accuracy must be in (0, 1), got " + relativeAccuracy);
        }
        this.relativeAccuracy = relativeAccuracy;
        this.sketch = DDSketches.unboundedDense(relativeAccuracy);
    }

    private QuantileSketch(double relativeAccuracy, DDSketch sketch) {
        this.relativeAccuracy = relativeAccuracy;
        this.sketch = sketch;
    }

    public void add(double value) {
        sketch.accept(value);
    }

    public void merge(QuantileSketch other) {
        sketch.mergeWith(other.sketch);
    }

    public long count() {
        return Math.round(sketch.getCount());
    }

    public boolean isEmpty() {
        return sketch.isEmpty();
    }

    /** The q-quantile, q in [0, 1]; NaN when empty. */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        return sketch.isEmpty() ? Double.NaN : sketch.getValueAtQuantile(q);
    }

    public double relativeAccuracy() {
        return relativeAccuracy;
    }

    public QuantileSketch copy() {
        return new QuantileSketch(relativeAccuracy, sketch.copy());
    }

    /** Compact binary form (DDSketch's own encoding, index mapping included). */
    public byte[] toBytes() {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.trimmedCopy();
    }

    public static QuantileSketch fromBytes(double relativeAccuracy, byte[] bytes) {
        try {
            DDSketch decoded =
                    DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new);
            return new QuantileSketch(relativeAccuracy, decoded);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt quantile sketch bytes", e);
        }
    }
}
