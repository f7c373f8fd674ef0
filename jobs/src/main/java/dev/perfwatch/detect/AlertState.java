package dev.perfwatch.detect;

import dev.perfwatch.config.Direction;

/**
 * The firing/cleared state machine of one alert rule on one series, with the semantics of a
 * Prometheus alerting rule: while the condition holds the alert is pending, and it fires once the
 * condition has held for {@code for} (at once when {@code for} is 0); a firing alert whose condition
 * no longer holds keeps firing until {@code keep_firing_for} has passed since the first evaluation
 * that did not hold, then clears; a pending alert that stops holding is dropped silently. Threshold
 * rules, anomaly scores and forecasts all keep one of these per rule (keyed state, a Flink POJO).
 */
public class AlertState {

    public static final long NONE = Long.MIN_VALUE;

    /** When the condition started to hold (NONE when inactive). */
    public long activeAt = NONE;
    public boolean firing;
    /** First evaluation since which a firing alert's condition has not held (NONE while it holds). */
    public long keepFiringSince = NONE;
    public double firstValue;
    /** The value furthest in the worse direction while active. */
    public double worstValue;
    /** Evaluations in which the condition held while active. */
    public long holding;
    /** The samples behind those evaluations (see {@link #evaluateExcursion(boolean, double, long, long, long, long, int, Direction, Listener)}). */
    public long heldSamples;
    /** Evaluations in a row in which a firing alert's condition has not held (see {@link #evaluateExcursion}). */
    public long calm;

    /** Receives the transitions; the state still describes the alert when {@code cleared} is called. */
    public interface Listener {
        void fired(AlertState state);

        void cleared(AlertState state);
    }

    /** One evaluation at event time {@code t}. */
    public void evaluate(boolean holds, double value, long t, long forMillis, long keepFiringForMillis, Direction direction,
            Listener listener) {
        if (holds) {
            keepFiringSince = NONE;
            if (activeAt == NONE) {
                activeAt = t;
                firstValue = value;
                worstValue = value;
                holding = 0;
            }
            holding++;
            if (direction.breaches(value, worstValue)) {
                worstValue = value;
            }
            if (!firing && t - activeAt >= forMillis) {
                firing = true;
                listener.fired(this);
            }
            return;
        }
        if (firing && keepFiringForMillis > 0) {
            if (keepFiringSince == NONE) {
                keepFiringSince = t;
            }
            if (t - keepFiringSince < keepFiringForMillis) {
                return;
            }
        }
        end(listener);
    }

    /**
     * One evaluation of an excursion alert: as {@link #evaluate} with {@code keep_firing_for} counted in
     * evaluations (the windows that exist, so a sparse series settles after as many of its own samples
     * as a dense one): a firing alert clears once {@code settle} evaluations in a row have not held, and
     * an evaluation that holds again before then continues the same alert (one alert per excursion).
     */
    public void evaluateExcursion(boolean holds, double value, long t, long forMillis, int settle, Direction direction,
            Listener listener) {
        evaluateExcursion(holds, value, t, forMillis, 1, 1, settle, direction, listener);
    }

    /**
     * As {@link #evaluateExcursion(boolean, double, long, long, int, Direction, Listener)}, with the evaluation
     * resting on {@code samples} samples: a pending alert fires only once the evaluations that held in a row
     * rest on {@code minSamples} samples (and {@code for} has passed).
     */
    public void evaluateExcursion(boolean holds, double value, long t, long forMillis, long minSamples, long samples, int settle,
            Direction direction, Listener listener) {
        if (holds) {
            calm = 0;
            heldSamples = activeAt == NONE ? samples : heldSamples + samples;
            evaluate(true, value, t, heldSamples >= minSamples ? forMillis : Long.MAX_VALUE, 0, direction, listener);
            return;
        }
        if (firing && ++calm < settle) {
            return;
        }
        calm = 0;
        end(listener);
    }

    /** Ends the alert whatever its condition (e.g. the series went silent): cleared if it was firing. */
    public void end(Listener listener) {
        if (firing) {
            firing = false;
            listener.cleared(this);
        }
        activeAt = NONE;
        keepFiringSince = NONE;
        holding = 0;
        heldSamples = 0;
    }
}
