package dev.perfwatch.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts drawn by the project (no script, no library, nothing fetched): a time-series chart
 * with shaded spans and marks, a box plot pair, a timeline of bars. Every label goes through
 * {@link Html#esc}. Series longer than the chart is wide are downsampled to min / mean / max per pixel
 * column, so a month of 1-minute windows stays a few kilobytes a chart.
 */
final class Svg {

    static final int WIDTH = 860;
    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 10;
    private static final int BOTTOM = 24;

    private Svg() {}

    /** A shaded time span ({@code css} class: baseline, comparison, alert-warning, ...) with a tooltip. */
    record Span(long from, long to, String css, String title) {}

    /** A vertical mark at a time, with a label. */
    record Mark(long at, String css, String label) {}

    /**
     * A line chart of (t, v) points, sorted by t, with spans and marks; y from the data (and 0 when near).
     * cssClass names the chart for tests and styling.
     */
    static String timeSeries(String cssClass, String title, long[] t, double[] v, List<Span> spans, List<Mark> marks, int height) {
        return timeSeries(cssClass, title, t, v, spans, marks, height, Double.NaN, Double.NaN);
    }

    /** As above with a fixed y range (NaN: from the data). */
    static String timeSeries(String cssClass, String title, long[] t, double[] v, List<Span> spans, List<Mark> marks, int height,
            double yMin, double yMax) {
        StringBuilder b = new StringBuilder();
        int w = WIDTH;
        int plotW = w - LEFT - RIGHT;
        int plotH = height - TOP - BOTTOM;
        long t0 = t.length > 0 ? t[0] : 0;
        long t1 = t.length > 0 ? t[t.length - 1] : 1;
        for (Span s : spans) {
            t0 = Math.min(t0, s.from());
            t1 = Math.max(t1, s.to());
        }
        for (Mark m : marks) {
            t0 = Math.min(t0, m.at());
            t1 = Math.max(t1, m.at());
        }
        if (t1 <= t0) {
            t1 = t0 + 60_000;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (Double.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (!Double.isNaN(yMin)) {
            // The fixed range, widened only by values outside it (a health score of 100 throughout is drawn on 0-100,
            // not on an axis stretched around a flat line to 110).
            boolean any = lo <= hi;
            lo = any ? Math.min(yMin, lo) : yMin;
            hi = any ? Math.max(yMax, hi) : yMax;
        } else {
            if (!(lo <= hi)) {
                lo = 0;
                hi = 1;
            }
            if (lo > 0 && lo < 0.25 * hi) {
                lo = 0;
            }
            if (hi == lo) {
                hi = lo + Math.max(1e-9, Math.abs(lo) * 0.1);
            }
            double pad = (hi - lo) * 0.05;
            lo -= lo == 0 ? 0 : pad;
            hi += pad;
        }
        final long ft0 = t0;
        final long ft1 = t1;
        final double flo = lo;
        final double fhi = hi;
        java.util.function.LongToDoubleFunction x = tt -> LEFT + (tt - ft0) / (double) (ft1 - ft0) * plotW;
        java.util.function.DoubleUnaryOperator y = vv -> TOP + (1 - (vv - flo) / (fhi - flo)) * plotH;
        b.append(String.format(Locale.ROOT, "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">",
                cssClass, w, height, w, height));
        b.append("<title>").append(Html.esc(title)).append("</title>");
        b.append(String.format(Locale.ROOT, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", LEFT, TOP, plotW, plotH));
        for (Span s : spans) {
            double a = x.applyAsDouble(s.from());
            double e = Math.max(a + 1, x.applyAsDouble(s.to()));
            b.append(String.format(Locale.ROOT, "<rect class=\"span %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>",
                    s.css(), a, TOP, e - a, plotH, Html.esc(s.title())));
        }
        // y axis: 4 ticks
        for (int i = 0; i <= 4; i++) {
            double val = lo + (hi - lo) * i / 4;
            double yy = y.applyAsDouble(val);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", LEFT, LEFT + plotW, yy, yy));
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 4, yy + 4,
                    Html.esc(Html.number(val))));
        }
        // x axis: start, middle, end
        for (int i = 0; i <= 2; i++) {
            long tt = t0 + (t1 - t0) * i / 2;
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>", x.applyAsDouble(tt),
                    height - 6, i == 0 ? "start" : i == 1 ? "middle" : "end", Html.esc(Html.time(tt))));
        }
        if (t.length > 0) {
            List<double[]> columns = downsample(t, v, x, plotW);
            if (columns.size() < t.length) {
                StringBuilder band = new StringBuilder();
                for (double[] c : columns) {
                    band.append(String.format(Locale.ROOT, "%.1f,%.1f ", c[0], y.applyAsDouble(c[3])));
                }
                for (int i = columns.size() - 1; i >= 0; i--) {
                    double[] c = columns.get(i);
                    band.append(String.format(Locale.ROOT, "%.1f,%.1f ", c[0], y.applyAsDouble(c[1])));
                }
                b.append("<polygon class=\"band\" points=\"").append(band.toString().trim()).append("\"/>");
            }
            StringBuilder line = new StringBuilder();
            for (double[] c : columns) {
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", c[0], y.applyAsDouble(c[2])));
            }
            b.append("<polyline class=\"line\" points=\"").append(line.toString().trim()).append("\"/>");
        }
        for (int i = 0; i < marks.size(); i++) {
            Mark m = marks.get(i);
            double xx = x.applyAsDouble(m.at());
            b.append(String.format(Locale.ROOT, "<line class=\"mark %s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"><title>%s</title></line>",
                    m.css(), xx, xx, TOP, TOP + plotH, Html.esc(m.label())));
            // A label in the right half of the plot ends at its mark (one starting there ran past the chart's edge).
            boolean right = xx > LEFT + plotW / 2.0;
            b.append(String.format(Locale.ROOT, "<text class=\"mark-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                    right ? xx - 3 : xx + 3, TOP + 12 + 13 * (i % 3), right ? "end" : "start", Html.esc(m.label())));
        }
        return b.append("</svg>").toString();
    }

    /** Per pixel column: x, min, mean, max (one column per point when the points fit). */
    static List<double[]> downsample(long[] t, double[] v, java.util.function.LongToDoubleFunction x, int plotW) {
        List<double[]> out = new ArrayList<>();
        if (t.length <= 2 * plotW) {
            for (int i = 0; i < t.length; i++) {
                if (Double.isFinite(v[i])) {
                    out.add(new double[] {x.applyAsDouble(t[i]), v[i], v[i], v[i]});
                }
            }
            return out;
        }
        int column = Integer.MIN_VALUE;
        double min = 0;
        double max = 0;
        double sum = 0;
        int n = 0;
        for (int i = 0; i <= t.length; i++) {
            int c = i < t.length ? (int) Math.floor(x.applyAsDouble(t[i])) : Integer.MAX_VALUE;
            if (c != column && n > 0) {
                out.add(new double[] {column + 0.5, min, sum / n, max});
                n = 0;
            }
            if (i == t.length) {
                break;
            }
            if (!Double.isFinite(v[i])) {
                continue;
            }
            column = c;
            if (n == 0) {
                min = max = sum = v[i];
            } else {
                min = Math.min(min, v[i]);
                max = Math.max(max, v[i]);
                sum += v[i];
            }
            n++;
        }
        return out;
    }

    /** A box plot per group (quartiles, whiskers at the 5th and 95th percentiles, a dot at the mean), side by side. */
    static String boxes(String cssClass, String title, List<String> names, List<double[]> groups) {
        int w = 360;
        int h = 200;
        int left = 64;
        int top = 10;
        int bottom = 28;
        int plotH = h - top - bottom;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] g : groups) {
            for (double v : g) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        if (hi == lo) {
            hi = lo + Math.max(1e-9, Math.abs(lo) * 0.1);
        }
        double pad = (hi - lo) * 0.08;
        final double flo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
        final double fhi = hi + pad;
        java.util.function.DoubleUnaryOperator y = vv -> top + (1 - (vv - flo) / (fhi - flo)) * plotH;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>", cssClass, w, h, w, h,
                Html.esc(title)));
        for (int i = 0; i <= 4; i++) {
            double val = flo + (fhi - flo) * i / 4;
            double yy = y.applyAsDouble(val);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left, w - 8, yy, yy));
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 4, yy + 4,
                    Html.esc(Html.number(val))));
        }
        double slot = (w - left - 8) / (double) Math.max(1, groups.size());
        for (int g = 0; g < groups.size(); g++) {
            double[] sorted = groups.get(g).clone();
            java.util.Arrays.sort(sorted);
            double cx = left + slot * (g + 0.5);
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s (n=%d)</text>", cx, h - 8,
                    Html.esc(names.get(g)), sorted.length));
            if (sorted.length == 0) {
                continue;
            }
            double p5 = quantile(sorted, 0.05);
            double q1 = quantile(sorted, 0.25);
            double q2 = quantile(sorted, 0.5);
            double q3 = quantile(sorted, 0.75);
            double p95 = quantile(sorted, 0.95);
            double mean = java.util.Arrays.stream(sorted).average().orElse(Double.NaN);
            double bw = Math.min(70, slot * 0.5);
            String css = g == 0 ? "baseline" : "comparison";
            b.append(String.format(Locale.ROOT, "<g class=\"box %s\"><title>%s: 5%% %s, quartiles %s / %s / %s, 95%% %s, mean %s</title>", css,
                    Html.esc(names.get(g)), Html.number(p5), Html.number(q1), Html.number(q2), Html.number(q3), Html.number(p95), Html.number(mean)));
            b.append(String.format(Locale.ROOT, "<line class=\"whisker\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", cx, cx,
                    y.applyAsDouble(p5), y.applyAsDouble(p95)));
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", cx - bw / 2, y.applyAsDouble(q3), bw,
                    Math.max(1, y.applyAsDouble(q1) - y.applyAsDouble(q3))));
            b.append(String.format(Locale.ROOT, "<line class=\"median\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", cx - bw / 2, cx + bw / 2,
                    y.applyAsDouble(q2), y.applyAsDouble(q2)));
            b.append(String.format(Locale.ROOT, "<circle class=\"mean\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/></g>", cx, y.applyAsDouble(mean)));
        }
        return b.append("</svg>").toString();
    }

    /** A bar on one row of a timeline. */
    record Bar(int row, long from, long to, String css, String title, String href) {}

    /** Rows of bars over [t0, t1], row labels on the left. */
    static String timeline(String cssClass, String title, List<String> rows, List<Bar> bars, long t0, long t1) {
        int rowH = 18;
        int left = 300;
        int h = TOP + rows.size() * rowH + BOTTOM;
        int plotW = WIDTH - left - RIGHT;
        if (t1 <= t0) {
            t1 = t0 + 60_000;
        }
        final long ft0 = t0;
        final long ft1 = t1;
        java.util.function.LongToDoubleFunction x = tt -> left + (tt - ft0) / (double) (ft1 - ft0) * plotW;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>", cssClass, WIDTH, h, WIDTH,
                h, Html.esc(title)));
        b.append(String.format(Locale.ROOT, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", left, TOP, plotW, rows.size() * rowH));
        for (int r = 0; r < rows.size(); r++) {
            b.append(String.format(Locale.ROOT, "<text class=\"row-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6,
                    TOP + r * rowH + 13, Html.esc(Html.clip(rows.get(r), 48))));
        }
        for (Bar bar : bars) {
            double a = x.applyAsDouble(bar.from());
            double e = Math.max(a + 2, x.applyAsDouble(bar.to()));
            String rect = String.format(Locale.ROOT, "<rect class=\"bar %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>",
                    bar.css(), a, TOP + bar.row() * rowH + 3, e - a, rowH - 6, Html.esc(bar.title()));
            b.append(bar.href() != null ? "<a href=\"" + Html.esc(bar.href()) + "\">" + rect + "</a>" : rect);
        }
        for (int i = 0; i <= 2; i++) {
            long tt = t0 + (t1 - t0) * i / 2;
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>", x.applyAsDouble(tt), h - 6,
                    i == 0 ? "start" : i == 1 ? "middle" : "end", Html.esc(Html.time(tt))));
        }
        return b.append("</svg>").toString();
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }
}
