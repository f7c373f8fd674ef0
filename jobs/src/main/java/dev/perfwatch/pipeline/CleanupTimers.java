package dev.perfwatch.pipeline;

import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A keyed process function whose event-time timer is a cleanup after silence ({@code alerts.retention}) runs the
 * same in BATCH mode as in streaming. In streaming the timer fires once the watermark passes it, so before the
 * key's next record when the key was silent that long; in BATCH mode Flink fires a key's timers only at the key's
 * end (the watermark stays back until then), so the cleanup never came between two records however far apart, and
 * what the function wrote after the gap differed (a component's health trend, its suggestions). Here, in BATCH
 * mode, a cleanup due before the next record fires first, at its own time, as streaming would have fired it.
 */
public final class CleanupTimers {

    private CleanupTimers() {}

    /** A function that can say, for the current key, when its pending cleanup timer is due. */
    public interface Cleanup {
        /** The event time of the current key's pending cleanup timer; Long.MIN_VALUE when none. */
        long cleanupDue() throws Exception;
    }

    /** The operator for {@code function}: Flink's own in streaming; in BATCH mode one that fires a due cleanup first. */
    public static <K, IN, OUT, F extends KeyedProcessFunction<K, IN, OUT> & Cleanup> KeyedProcessOperator<K, IN, OUT> operator(
            F function, boolean batch) {
        return batch ? new BatchOperator<>(function) : new KeyedProcessOperator<>(function);
    }

    private static final class BatchOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
        private static final long serialVersionUID = 1L;
        private transient InternalTimerService<VoidNamespace> timers;

        BatchOperator(KeyedProcessFunction<K, IN, OUT> function) {
            super(function);
        }

        @Override
        public void open() throws Exception {
            super.open();
            timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this); // the function's
        }

        @Override
        @SuppressWarnings("unchecked")
        public void processElement(StreamRecord<IN> element) throws Exception {
            // (A record's time is its window's last millisecond: a cleanup due at it fires after it in streaming too.)
            long due = ((Cleanup) userFunction).cleanupDue();
            if (due != Long.MIN_VALUE && element.hasTimestamp() && due < element.getTimestamp()) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, due);
                onEventTime(new TimerHeapInternalTimer<>(due, (K) getCurrentKey(), VoidNamespace.INSTANCE));
            }
            super.processElement(element);
        }
    }
}
