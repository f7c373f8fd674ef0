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
 * same whenever the watermark comes. A cleanup due before the key's next record fires first, at its own time,
 * then the record: in BATCH mode Flink fires a key's timers only at the key's end (the watermark stays back until
 * then), so the cleanup never came between two records however far apart; and in streaming the watermark an
 * operator sees is the least of its input channels', so a record sent by a channel that is ahead can arrive before
 * the watermark has passed a cleanup due earlier (seen: a component's health trend after a 90-minute gap differed
 * between two streaming runs of the same input). Either way what the function wrote after the gap differed.
 */
public final class CleanupTimers {

    private CleanupTimers() {}

    /** A function that can say, for the current key, when its pending cleanup timer is due. */
    public interface Cleanup {
        /** The event time of the current key's pending cleanup timer; Long.MIN_VALUE when none. */
        long cleanupDue() throws Exception;
    }

    /** The operator for {@code function}: Flink's own, firing a cleanup due before a record first. */
    public static <K, IN, OUT, F extends KeyedProcessFunction<K, IN, OUT> & Cleanup> KeyedProcessOperator<K, IN, OUT> operator(F function) {
        return new DueFirstOperator<>(function);
    }

    private static final class DueFirstOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
        private static final long serialVersionUID = 1L;
        private transient InternalTimerService<VoidNamespace> timers;

        DueFirstOperator(KeyedProcessFunction<K, IN, OUT> function) {
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
