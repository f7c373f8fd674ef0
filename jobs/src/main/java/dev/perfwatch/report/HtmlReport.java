package dev.perfwatch.report;

import dev.perfwatch.cli.OutputTables;
import dev.perfwatch.io.TimestampParser;
import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One self-contained HTML page for a run's output folder (from demo, monitor or backfill): totals,
 * health over time, each regression finding with its series, windows and distributions, alerts on a
 * timeline per component, bottlenecks with ranked suggestions, dead letters. Inline SVG and CSS only:
 * no script, and a Content-Security-Policy that forbids fetching anything, so it opens offline and a
 * hostile component name is text. Reads the output through {@link OutputTables}, as the demo's summary does.
 */
public final class HtmlReport {

    /** What the page draws of each window summary. */
    private static final String[] SUMMARY_FIELDS = {"component", "metric", "window_start", "window_end", "mean", "count"};

    /** Series drawn at most (those with findings or alerts first); the rest are listed, not drawn. */
    static final int MAX_SERIES_CHARTS = 80;
    static final int MAX_ALERT_ROWS = 300;

    private final OutputTables tables;
    private final String title;
    /** Each series' window summaries, by start: only what the page draws of them (a run can hold millions). */
    private final Map<String, List<Window>> summariesBySeries = new TreeMap<>();
    /** How many window summaries, and the samples they summarize. */
    private long windowCount;
    private long sampleCount;

    /** What the page uses of a window summary. */
    record Window(long start, long end, double mean) {}
    private final StringBuilder out = new StringBuilder();
    /** Each output table read once per page: several sections use the same rows. */
    private final Map<OutputKind<?>, List<JsonNode>> read = new java.util.HashMap<>();
    /** The event-time range of the run, and each alert's span, for the sections that draw them. */
    private long[] range;
    private List<Episode> episodes;

    private List<JsonNode> rows(OutputKind<?> kind) {
        return read.computeIfAbsent(kind, tables::rows);
    }

    public HtmlReport(Path outputFolder) {
        this.tables = new OutputTables(outputFolder);
        this.title = outputFolder.toAbsolutePath().normalize().toString();
    }

    /** Writes the page to {@code file}; returns its size in bytes. */
    public long write(Path file) throws IOException {
        byte[] html = render().getBytes(StandardCharsets.UTF_8);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, html);
        return html.length;
    }

    public String render() {
        out.setLength(0);
        read.clear();
        summariesBySeries.clear();
        windowCount = 0;
        sampleCount = 0;
        // (millions of rows in a long run: read field by field, not as a tree each)
        tables.forEachRow(OutputKind.SUMMARIES, SUMMARY_FIELDS, v -> {
            summariesBySeries.computeIfAbsent(v[0] + "/" + v[1], k -> new ArrayList<>())
                    .add(new Window(millis(v[2]), millis(v[3]), number(v[4])));
            windowCount++;
            sampleCount += (long) number(v[5]);
        });
        summariesBySeries.values().forEach(l -> l.sort(Comparator.comparingLong(Window::start)));
        List<JsonNode> alerts = rows(OutputKind.ALERTS);
        List<JsonNode> findings = latestFindings();
        head();
        out.append("<h1>perfwatch report</h1>\n<p class=\"sub\">Output folder <code>").append(Html.esc(title)).append("</code>");
        range = range(summariesBySeries.values(), alerts);
        episodes = episodes(alerts, range[1]);
        if (range[0] <= range[1]) {
            out.append(", event time ").append(Html.time(range[0])).append(" to ").append(Html.time(range[1])).append(" UTC");
        }
        out.append(".</p>\n");
        out.append("<nav><b>Contents</b><ol><li><a href=\"#totals\">Totals</a></li><li><a href=\"#health\">System health</a></li>"
                + "<li><a href=\"#regressions\">Regression findings</a> (").append(findings.size()).append(")<ol>");
        for (JsonNode f : findings) {
            out.append("<li><a href=\"#").append(Html.id("finding", f.path("finding_id").asText())).append("\">")
                    .append(Html.esc(f.path("component").asText() + "/" + f.path("metric").asText())).append("</a> ")
                    .append(Html.esc(f.path("type").asText())).append("</li>");
        }
        out.append("</ol></li><li><a href=\"#alerts\">Alerts</a></li><li><a href=\"#series\">Series with alerts or findings</a></li>"
                + "<li><a href=\"#bottlenecks\">Bottlenecks and suggestions</a></li><li><a href=\"#dead-letters\">Dead letters</a></li></ol></nav>\n");
        totals(alerts, findings);
        health();
        regressions(findings);
        List<String> drawn = seriesToDraw(findings, alerts);
        alertsSection(alerts, drawn);
        seriesSection(alerts, findings, drawn);
        bottlenecks();
        deadLetters();
        out.append("<footer>perfwatch: inline SVG, no script, nothing fetched.</footer>\n</body></html>\n");
        return out.toString();
    }

    private void head() {
        out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>perfwatch report</title><style>\n")
                .append("body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#1d2330;padding:0 16px}\n"
                        + "h1{margin-bottom:0}h2{border-bottom:2px solid #d8dde6;padding-bottom:4px;margin-top:36px}h3{margin:26px 0 6px}\n"
                        + ".sub{color:#5b6475;margin-top:4px}nav{background:#f4f6f9;padding:8px 16px;border-radius:6px}nav ol ol{font-size:13px}\n"
                        + "table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #e3e7ee;text-align:left;vertical-align:top}"
                        + "th{background:#f4f6f9}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
                        + ".missing{color:#8a5a00;background:#fff6e0;padding:6px 10px;border-radius:4px}\n"
                        + "svg.chart{display:block;margin:6px 0;font-size:11px}svg .plot{fill:#fbfcfe;stroke:#d8dde6}svg .grid{stroke:#eceff4}"
                        + "svg .tick,svg .row-label{fill:#5b6475}svg .line{fill:none;stroke:#2b6cb0;stroke-width:1.4}svg .band{fill:#2b6cb0;opacity:.18}\n"
                        + "svg .span.baseline{fill:#38a169;opacity:.13}svg .span.comparison{fill:#dd6b20;opacity:.16}"
                        + "svg .span.warning{fill:#d69e2e;opacity:.22}svg .span.critical{fill:#e53e3e;opacity:.22}svg .span.info{fill:#718096;opacity:.15}\n"
                        + "svg .mark{stroke:#c53030;stroke-width:1.5;stroke-dasharray:4 3}svg .mark.detected{stroke:#553c9a}svg .mark-label{fill:#742a2a}\n"
                        + "svg .box rect{fill:#bee3f8;stroke:#2c5282}svg .box.comparison rect{fill:#fbd38d;stroke:#9c4221}svg .whisker,svg .median{stroke:#1a202c;stroke-width:1.5}"
                        + "svg .mean{fill:#1a202c}\nsvg .bar.critical{fill:#e53e3e}svg .bar.warning{fill:#d69e2e}svg .bar.info{fill:#718096}\n"
                        + ".pair{display:flex;gap:12px;flex-wrap:wrap;align-items:flex-start}.kv td:first-child{color:#5b6475}\n"
                        + ".sev-critical{color:#c53030;font-weight:600}.sev-warning{color:#975a16;font-weight:600}code{background:#f4f6f9;padding:0 3px}\n"
                        + "footer{margin-top:40px;color:#8792a2;font-size:12px}\n")
                .append("</style></head><body>\n");
    }

    private void totals(List<JsonNode> alerts, List<JsonNode> findings) {
        long samples = sampleCount;
        long firing = alerts.stream().filter(a -> a.path("status").asText().equals("firing")).count();
        out.append("<h2 id=\"totals\">Totals</h2>\n<table>");
        row("samples summarized", String.format(Locale.ROOT, "%,d", samples));
        row("series", String.format(Locale.ROOT, "%,d", summariesBySeries.size()));
        row("window summaries", String.format(Locale.ROOT, "%,d", windowCount));
        row("alerts raised (firing)", String.format(Locale.ROOT, "%,d", firing));
        row("regression findings (latest version of each)", String.format(Locale.ROOT, "%,d", findings.size()));
        for (OutputKind<?> kind : List.of(OutputKind.BOTTLENECKS, OutputKind.HEALTH, OutputKind.SUGGESTIONS, OutputKind.ALERT_EVENTS,
                OutputKind.NOTIFICATIONS, OutputKind.DEAD_LETTERS)) {
            row(kind.name + " rows", String.format(Locale.ROOT, "%,d", rows(kind).size()));
        }
        out.append("</table>\n");
    }

    private void row(String k, String v) {
        out.append("<tr><td>").append(Html.esc(k)).append("</td><td class=\"n\">").append(Html.esc(v)).append("</td></tr>");
    }

    private void health() {
        out.append("<h2 id=\"health\">System health</h2>\n");
        List<JsonNode> rows = rows(OutputKind.HEALTH);
        if (rows.isEmpty()) {
            out.append("<p class=\"missing\">No health scores in this output (<code>health/</code> is empty or missing: component "
                    + "analysis off, or the run too short for one profile window).</p>\n");
            return;
        }
        Map<String, List<JsonNode>> scores = new HashMap<>();
        for (JsonNode h : rows) {
            scores.computeIfAbsent(h.path("component").asText(), k -> new ArrayList<>()).add(h);
        }
        scores.values().forEach(list -> sortByTime(list, "window_start"));
        // The system first, then the components that need attention: by the score now, then the lowest, then by name
        // (a hundred components at 100 listed alphabetically put the one at 40 far down the page).
        Map<String, Double> now = new HashMap<>();
        Map<String, Double> low = new HashMap<>();
        scores.forEach((c, list) -> {
            now.put(c, list.get(list.size() - 1).path("score").asDouble());
            low.put(c, list.stream().mapToDouble(n -> n.path("score").asDouble()).min().orElse(100));
        });
        Map<String, List<JsonNode>> byComponent = new TreeMap<>(Comparator.comparing((String c) -> !c.equals("system"))
                .thenComparing(now::get).thenComparing(low::get).thenComparing(c -> c));
        byComponent.putAll(scores);
        out.append("<table><tr><th>component</th><th>score now</th><th>lowest</th><th>trend</th><th>what took points off (latest)</th></tr>");
        for (Map.Entry<String, List<JsonNode>> e : byComponent.entrySet()) {
            List<JsonNode> list = e.getValue();
            JsonNode last = list.get(list.size() - 1);
            JsonNode lowest = list.stream().min(Comparator.comparingDouble(n -> n.path("score").asDouble())).orElse(last);
            JsonNode withBreakdown = null;
            for (JsonNode h : list) {
                if (h.path("breakdown").size() > 0) {
                    withBreakdown = h;
                }
            }
            StringBuilder why = new StringBuilder();
            if (withBreakdown != null) {
                for (JsonNode b : withBreakdown.path("breakdown")) {
                    why.append(Html.esc(b.path("detail").asText())).append(" (-").append(Html.esc(Html.number(b.path("points").asDouble())))
                            .append(")<br>");
                }
                why.append("<small>at ").append(Html.esc(Html.time(millis(withBreakdown, "window_start")))).append("</small>");
            }
            out.append("<tr><td>").append(Html.esc(e.getKey())).append("</td><td class=\"n\">").append(Html.number(last.path("score").asDouble()))
                    .append("</td><td class=\"n\">").append(Html.number(lowest.path("score").asDouble())).append(" at ")
                    .append(Html.esc(Html.time(millis(lowest, "window_start")))).append("</td><td>")
                    .append(Html.esc(last.path("trend_direction").asText())).append("</td><td>").append(why).append("</td></tr>");
        }
        out.append("</table>\n");
        long flat = byComponent.keySet().stream().filter(c -> !c.equals("system") && low.get(c) >= 100).count();
        if (flat > 0) {
            out.append("<p>").append(flat).append(flat == 1 ? " component" : " components")
                    .append(" at 100 throughout, not drawn below.</p>\n");
        }
        for (Map.Entry<String, List<JsonNode>> e : byComponent.entrySet()) {
            if (!e.getKey().equals("system") && low.get(e.getKey()) >= 100) {
                continue;
            }
            List<JsonNode> list = e.getValue();
            long[] t = new long[list.size()];
            double[] v = new double[list.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = millis(list.get(i), "window_end");
                v[i] = list.get(i).path("score").asDouble();
            }
            out.append("<h3>").append(Html.esc(e.getKey())).append(" health</h3>\n");
            out.append(Svg.timeSeries("health-chart", e.getKey() + " health score over time", t, v, List.of(), List.of(),
                    e.getKey().equals("system") ? 180 : 110, 0, 100)).append('\n');
        }
    }

    private List<JsonNode> latestFindings() {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode f : rows(OutputKind.REGRESSIONS)) {
            latest.merge(f.path("finding_id").asText(), f, (a, b) -> b.path("version").asInt() >= a.path("version").asInt() ? b : a);
        }
        List<JsonNode> list = new ArrayList<>(latest.values());
        list.sort(Comparator.comparingLong((JsonNode f) -> millis(f, "detected_at")).thenComparing(f -> f.path("finding_id").asText()));
        return list;
    }

    private void regressions(List<JsonNode> findings) {
        out.append("<h2 id=\"regressions\">Regression findings</h2>\n");
        if (findings.isEmpty()) {
            out.append("<p>No regression findings in this output.</p>\n");
            return;
        }
        for (JsonNode f : findings) {
            String series = f.path("component").asText() + "/" + f.path("metric").asText();
            String severity = f.path("severity").asText();
            out.append("<h3 id=\"").append(Html.id("finding", f.path("finding_id").asText())).append("\">")
                    .append(Html.esc(series)).append(": ").append(Html.esc(f.path("type").asText())).append(' ')
                    .append(Html.esc(f.path("direction").asText())).append(", <span class=\"sev-").append(Html.esc(severity)).append("\">")
                    .append(Html.esc(severity)).append("</span></h3>\n");
            long baseStart = millis(f, "baseline_start");
            long baseEnd = millis(f, "baseline_end");
            long compStart = millis(f, "comparison_start");
            long compEnd = millis(f, "comparison_end");
            long changePoint = millis(f, "change_point_at");
            long detected = millis(f, "detected_at");
            List<Window> s = summariesBySeries.getOrDefault(series, List.of());
            long from = Math.min(baseStart, changePoint) - 30 * 60_000L;
            long to = Math.max(compEnd, detected) + 30 * 60_000L;
            List<Long> tl = new ArrayList<>();
            List<Double> vl = new ArrayList<>();
            List<Double> baseMeans = new ArrayList<>();
            List<Double> compMeans = new ArrayList<>();
            for (Window w : s) {
                long ws = w.start();
                double mean = w.mean();
                if (ws >= from && ws <= to) {
                    tl.add(w.end());
                    vl.add(mean);
                }
                if (ws >= baseStart && ws < baseEnd) {
                    baseMeans.add(mean);
                } else if (ws >= compStart && ws < compEnd) {
                    compMeans.add(mean);
                }
            }
            out.append("<div class=\"pair\">");
            if (tl.isEmpty()) {
                out.append("<p class=\"missing\">No window summaries of ").append(Html.esc(series))
                        .append(" in this output to draw (<code>summaries/</code>).</p>");
            } else {
                List<Svg.Span> spans = List.of(
                        new Svg.Span(baseStart, baseEnd, "baseline", "baseline " + Html.time(baseStart) + " to " + Html.time(baseEnd)),
                        new Svg.Span(compStart, compEnd, "comparison", "comparison " + Html.time(compStart) + " to " + Html.time(compEnd)));
                List<Svg.Mark> marks = List.of(new Svg.Mark(changePoint, "change", "change point " + Html.time(changePoint)),
                        new Svg.Mark(detected, "detected", "detected"));
                out.append(Svg.timeSeries("finding-chart", series + ": window means around the change", toLongs(tl), toDoubles(vl), spans, marks, 220));
                out.append(Svg.boxes("finding-boxes", series + ": window means, baseline against comparison", List.of("baseline", "comparison"),
                        List.of(toDoubles(baseMeans), toDoubles(compMeans))));
            }
            out.append("</div>\n<table class=\"kv\">");
            kv("change point / detected", Html.esc(Html.time(changePoint)) + " / " + Html.esc(Html.time(detected)) + " (version "
                    + f.path("version").asInt() + ")");
            kv("relative change of the mean", Html.esc(dev.perfwatch.model.RegressionFinding.relativeText(f.path("relative_change").isNumber() ? f.path("relative_change").asDouble() : Double.NaN, 1)));
            kv("baseline / comparison mean", Html.esc(Html.number(f.path("baseline").path("mean").asDouble()) + " / "
                    + Html.number(f.path("comparison").path("mean").asDouble()) + " (n " + f.path("baseline").path("n").asLong() + " / "
                    + f.path("comparison").path("n").asLong() + "; p95 " + Html.number(f.path("baseline").path("p95").asDouble()) + " / "
                    + Html.number(f.path("comparison").path("p95").asDouble()) + ")"));
            kv("Welch's t / Mann-Whitney U p-value", Html.esc(pValue(f.path("welch").path("p_value").asDouble()) + " / "
                    + pValue(f.path("mann_whitney").path("p_value").asDouble()) + " (alpha " + pValue(f.path("alpha_corrected").asDouble()) + ")"));
            kv("Cohen's d / confidence", Html.esc(Html.number(f.path("cohens_d").asDouble()) + " / " + Html.number(f.path("confidence").asDouble())));
            double inflation = f.path("detection").path("variance_inflation").asDouble(1);
            // the p-values above allow for values that are not independent: say so, and by how much
            kv("found by", Html.esc(f.path("detection").path("test").asText() + (inflation > 1
                    ? String.format(Locale.ROOT, " (the tests allow for %.1f times the variance of independent values:"
                            + " this series carries much of each value into the next)", inflation) : "")));
            if (f.path("reverts").isTextual()) {
                String reverts = f.path("reverts").asText();
                // the series coming back from an earlier opposite change (linked when that finding is in this output)
                String target = findings.stream().anyMatch(o -> reverts.equals(o.path("finding_id").asText()))
                        ? "<a href=\"#" + Html.id("finding", reverts) + "\">" + Html.esc(reverts) + "</a>" : Html.esc(reverts);
                kv("reverts", "the series coming back from finding " + target + " (no alert)");
            }
            String advice = f.path("recommendation").asText("");
            if (!advice.isEmpty()) {
                kv("suggestion", Html.esc(advice));
            }
            out.append("</table>\n<p><a href=\"#").append(Html.id("series", series)).append("\">the whole series</a></p>\n");
        }
    }

    private void kv(String k, String escapedValue) {
        out.append("<tr><td>").append(Html.esc(k)).append("</td><td>").append(escapedValue).append("</td></tr>");
    }

    private static String pValue(double p) {
        return p == 0 ? "< 1e-300" : p < 1e-3 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    /** Series to draw: those with findings, then those with the most alerts, at most MAX_SERIES_CHARTS. */
    private List<String> seriesToDraw(List<JsonNode> findings, List<JsonNode> alerts) {
        Map<String, Integer> weight = new LinkedHashMap<>();
        for (JsonNode f : findings) {
            weight.merge(f.path("component").asText() + "/" + f.path("metric").asText(), 1_000_000, Integer::sum);
        }
        for (JsonNode a : alerts) {
            if (a.path("status").asText().equals("firing") && !a.path("metric").isNull()) {
                weight.merge(a.path("component").asText() + "/" + a.path("metric").asText(), 1, Integer::sum);
            }
        }
        List<String> list = new ArrayList<>(weight.keySet());
        list.removeIf(s -> !summariesBySeries.containsKey(s));
        list.sort(Comparator.comparing((String s) -> -weight.get(s)).thenComparing(s -> s));
        return list.subList(0, Math.min(MAX_SERIES_CHARTS, list.size()));
    }

    /** An alert's span: from started_at to its cleared event (or the end of the data). */
    private record Episode(String alertId, String component, String metric, String rule, String severity, long from, long to, boolean open,
            String why) {}

    private List<Episode> episodes(List<JsonNode> alerts, long end) {
        Map<String, JsonNode> open = new LinkedHashMap<>();
        List<Episode> out = new ArrayList<>();
        List<JsonNode> sorted = new ArrayList<>(alerts);
        // Ties broken by the alert itself, not by the order the files were read in (a streaming run's part files are
        // named at random): the same output gives the same page.
        sorted.sort(Comparator.comparingLong((JsonNode a) -> millis(a, "event_time")).thenComparing(a -> a.path("status").asText().equals("firing") ? 1 : 0)
                .thenComparing(a -> a.path("component").asText()).thenComparing(a -> a.path("metric").asText())
                .thenComparing(a -> a.path("rule").asText()).thenComparing(a -> a.path("alert_id").asText()));
        for (JsonNode a : sorted) {
            String key = a.path("alert_id").asText() + "|" + a.path("started_at").asText();
            if (a.path("status").asText().equals("firing")) {
                open.putIfAbsent(key, a);
            } else {
                JsonNode f = open.remove(key);
                if (f != null) {
                    out.add(episode(f, millis(a, "event_time"), false));
                }
            }
        }
        for (JsonNode f : open.values()) {
            out.add(episode(f, Math.max(end, millis(f, "event_time")), true));
        }
        out.sort(Comparator.comparingLong(Episode::from).thenComparing(Episode::component).thenComparing(Episode::metric)
                .thenComparing(Episode::rule).thenComparing(Episode::alertId));
        return out;
    }

    private static Episode episode(JsonNode f, long to, boolean open) {
        if (f.path("kind").asText().equals("pattern")) {
            // Patterns report a match (firing only): the span of the match itself.
            long at = millis(f, "event_time");
            return new Episode(f.path("alert_id").asText(), f.path("component").asText(), f.path("metric").isNull() ? "" : f.path("metric").asText(),
                    f.path("rule").asText(), f.path("severity").asText(), millis(f, "started_at"), Math.max(at, millis(f, "started_at") + 60_000L), false,
                    f.path("evidence").path("pattern").asText(""));
        }
        String why = f.path("evidence").path("why").asText("");
        if (why.isEmpty()) {
            why = f.path("evidence").path("pattern").asText("");
        }
        return new Episode(f.path("alert_id").asText(), f.path("component").asText(), f.path("metric").isNull() ? "" : f.path("metric").asText(),
                f.path("rule").asText(), f.path("severity").asText(), millis(f, "started_at"), to, open, why);
    }

    private void alertsSection(List<JsonNode> alerts, List<String> drawn) {
        out.append("<h2 id=\"alerts\">Alerts</h2>\n");
        if (alerts.isEmpty()) {
            out.append("<p>No alerts in this output.</p>\n");
            return;
        }
        Map<String, String> lastState = new TreeMap<>();
        Map<String, Integer> stateCounts = new TreeMap<>();
        for (JsonNode e : rows(OutputKind.ALERT_EVENTS)) {
            lastState.put(e.path("alert_id").asText(), e.path("to").asText());
        }
        lastState.values().forEach(s -> stateCounts.merge(s, 1, Integer::sum));
        Map<String, int[]> byRule = new TreeMap<>();
        for (Episode e : episodes) {
            int[] c = byRule.computeIfAbsent(e.rule(), k -> new int[3]);
            c[0]++;
            c[e.severity().equals("critical") ? 1 : e.severity().equals("warning") ? 2 : 0]++;
        }
        out.append("<h3>Alerts by rule</h3><table><tr><th>rule</th><th>alerts</th><th>critical</th><th>warning</th></tr>");
        byRule.forEach((rule, c) -> out.append("<tr><td>").append(Html.esc(rule)).append("</td><td class=\"n\">").append(c[0])
                .append("</td><td class=\"n\">").append(c[1]).append("</td><td class=\"n\">").append(c[2]).append("</td></tr>"));
        out.append("</table>\n");
        if (!stateCounts.isEmpty()) {
            out.append("<p>Lifecycle (<code>alert-events/</code>), each alert's last state: ");
            List<String> parts = new ArrayList<>();
            stateCounts.forEach((s, n) -> parts.add(Html.esc(s) + " " + n));
            out.append(String.join(", ", parts)).append(".</p>\n");
        }
        Map<String, List<Episode>> byComponent = new TreeMap<>();
        episodes.forEach(e -> byComponent.computeIfAbsent(e.component(), k -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<Episode>> c : byComponent.entrySet()) {
            List<String> rows = new ArrayList<>();
            List<Svg.Bar> bars = new ArrayList<>();
            for (Episode e : c.getValue()) {
                String label = e.rule() + (e.metric().isEmpty() || e.rule().contains(e.metric()) ? "" : " on " + e.metric());
                int row = rows.indexOf(label);
                if (row < 0) {
                    rows.add(label);
                    row = rows.size() - 1;
                }
                String series = c.getKey() + "/" + e.metric();
                String state = lastState.get(e.alertId());
                bars.add(new Svg.Bar(row, e.from(), e.to(), e.severity(), label + ", " + e.severity() + ", " + Html.time(e.from()) + " to "
                        + (e.open() ? "the end (still firing)" : Html.time(e.to())) + (state != null ? "; lifecycle: " + state : "")
                        + (e.why().isEmpty() ? "" : "; " + e.why()), drawn.contains(series) ? "#" + Html.id("series", series) : null));
            }
            out.append("<h3>").append(Html.esc(c.getKey())).append("</h3>\n");
            out.append(Svg.timeline("alert-timeline", c.getKey() + " alerts over time", rows, bars, range[0], range[1])).append('\n');
        }
        out.append("<h3>Every alert</h3><table><tr><th>from</th><th>to</th><th>component / metric</th><th>rule</th><th>severity</th><th>why</th></tr>");
        int n = 0;
        for (Episode e : episodes) {
            if (n++ == MAX_ALERT_ROWS) {
                out.append("<tr><td colspan=\"6\">... and ").append(episodes.size() - MAX_ALERT_ROWS).append(" more</td></tr>");
                break;
            }
            String series = e.component() + "/" + e.metric();
            String name = Html.esc(series);
            out.append("<tr><td>").append(Html.esc(Html.time(e.from()))).append("</td><td>")
                    .append(e.open() ? "still firing" : Html.esc(Html.time(e.to()))).append("</td><td>")
                    .append(drawn.contains(series) ? "<a href=\"#" + Html.id("series", series) + "\">" + name + "</a>" : name)
                    .append("</td><td>").append(Html.esc(e.rule())).append("</td><td class=\"sev-").append(Html.esc(e.severity())).append("\">")
                    .append(Html.esc(e.severity())).append("</td><td><small>").append(Html.esc(Html.clip(e.why(), 220))).append("</small></td></tr>");
        }
        out.append("</table>\n");
    }

    private void seriesSection(List<JsonNode> alerts, List<JsonNode> findings, List<String> drawn) {
        out.append("<h2 id=\"series\">Series with alerts or findings</h2>\n");
        if (drawn.isEmpty()) {
            out.append("<p>None (or no window summaries in this output to draw them from).</p>\n");
            return;
        }
        out.append("<p>Window means; shaded: alerts (by severity); dashed: regression change points.</p>\n");
        for (String series : drawn) {
            List<Window> s = summariesBySeries.get(series);
            long[] t = new long[s.size()];
            double[] v = new double[s.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = s.get(i).end();
                v[i] = s.get(i).mean();
            }
            List<Svg.Span> spans = new ArrayList<>();
            for (Episode e : episodes) {
                if ((e.component() + "/" + e.metric()).equals(series)) {
                    spans.add(new Svg.Span(e.from(), e.to(), e.severity(), e.rule() + " " + Html.time(e.from())));
                }
            }
            List<Svg.Mark> marks = new ArrayList<>();
            for (JsonNode f : findings) {
                if ((f.path("component").asText() + "/" + f.path("metric").asText()).equals(series)) {
                    marks.add(new Svg.Mark(millis(f, "change_point_at"), "change", f.path("type").asText()));
                }
            }
            out.append("<h3 id=\"").append(Html.id("series", series)).append("\">").append(Html.esc(series)).append("</h3>\n");
            out.append(Svg.timeSeries("series-chart", series + " window means", t, v, spans, marks, 160)).append('\n');
        }
        int all = (int) alerts.stream().map(a -> a.path("component").asText() + "/" + a.path("metric").asText()).distinct().count();
        if (all > drawn.size()) {
            out.append("<p>").append(all - drawn.size()).append(" more series with alerts are not drawn (at most ").append(MAX_SERIES_CHARTS)
                    .append(").</p>\n");
        }
    }

    private void bottlenecks() {
        out.append("<h2 id=\"bottlenecks\">Bottlenecks and suggestions</h2>\n");
        List<JsonNode> rows = rows(OutputKind.BOTTLENECKS);
        if (rows.isEmpty()) {
            out.append("<p class=\"missing\">No bottleneck reports in this output (<code>bottlenecks/</code> is empty or missing).</p>\n");
        } else {
            Map<String, JsonNode> latest = new TreeMap<>();
            Map<String, String> resolved = new TreeMap<>();
            for (JsonNode b : rows) {
                String key = b.path("component").asText() + "|" + b.path("type").asText() + "|" + b.path("opened_at").asText();
                if (b.path("status").asText().equals("resolved")) {
                    resolved.put(key, Html.time(millis(b, "window_start")));
                } else {
                    latest.put(key, b);
                }
            }
            // One row per component and bottleneck (a CPU that peaks four times a day has dozens of episodes), then
            // every episode, folded away when there are more than a screenful.
            Map<String, List<String>> episodes = new TreeMap<>();
            latest.keySet().forEach(key -> episodes.computeIfAbsent(key.substring(0, key.lastIndexOf('|')), k -> new ArrayList<>()).add(key));
            out.append("<table><tr><th>component</th><th>bottleneck</th><th>episodes</th><th>first opened</th><th>last until</th>"
                    + "<th>worst severity</th><th>root cause (the worst)</th></tr>");
            episodes.forEach((group, keys) -> {
                JsonNode first = latest.get(keys.get(0));
                String last = keys.get(keys.size() - 1);
                JsonNode worst = keys.stream().map(latest::get)
                        .max(Comparator.comparingDouble((JsonNode b) -> b.path("severity").asDouble())).orElse(first);
                out.append("<tr><td>").append(Html.esc(first.path("component").asText())).append("</td><td>")
                        .append(Html.esc(first.path("type").asText())).append("</td><td class=\"n\">").append(keys.size())
                        .append("</td><td>").append(Html.esc(Html.time(millis(first, "opened_at")))).append("</td><td>")
                        .append(Html.esc(resolved.getOrDefault(last, "still open"))).append("</td><td class=\"n\">")
                        .append(Html.number(worst.path("severity").asDouble())).append("</td><td>")
                        .append(Html.esc(worst.path("root_cause").asText())).append("</td></tr>");
            });
            out.append("</table>\n");
            out.append(latest.size() > 12 ? "<details>" : "<details open>").append("<summary>Every episode (").append(latest.size())
                    .append(")</summary>\n");
            out.append("<table><tr><th>component</th><th>bottleneck</th><th>opened</th><th>until</th><th>severity</th><th>root cause</th></tr>");
            latest.forEach((key, b) -> out.append("<tr><td>").append(Html.esc(b.path("component").asText())).append("</td><td>")
                    .append(Html.esc(b.path("type").asText())).append("</td><td>").append(Html.esc(Html.time(millis(b, "opened_at"))))
                    .append("</td><td>").append(Html.esc(resolved.getOrDefault(key, "still open"))).append("</td><td class=\"n\">")
                    .append(Html.number(b.path("severity").asDouble())).append("</td><td>").append(Html.esc(b.path("root_cause").asText()))
                    .append("</td></tr>"));
            out.append("</table></details>\n");
        }
        List<JsonNode> suggestions = rows(OutputKind.SUGGESTIONS);
        if (suggestions.isEmpty()) {
            out.append("<p class=\"missing\">No suggestions in this output (<code>suggestions/</code> is empty or missing).</p>\n");
            return;
        }
        Map<String, JsonNode> best = new TreeMap<>();
        for (JsonNode s : suggestions) {
            best.merge(s.path("component").asText() + "|" + s.path("suggestion_id").asText(), s,
                    (a, b) -> b.path("priority").asDouble() > a.path("priority").asDouble() ? b : a);
        }
        Map<String, List<JsonNode>> byComponent = new TreeMap<>();
        best.values().forEach(s -> byComponent.computeIfAbsent(s.path("component").asText(), k -> new ArrayList<>()).add(s));
        out.append("<h3>Top suggestions per component, ranked by impact against effort</h3>\n");
        byComponent.forEach((c, list) -> {
            list.sort(Comparator.comparingDouble((JsonNode s) -> -s.path("priority").asDouble()).thenComparing(s -> s.path("suggestion_id").asText()));
            out.append("<h4>").append(Html.esc(c)).append("</h4><ol>");
            for (JsonNode s : list.subList(0, Math.min(3, list.size()))) {
                out.append("<li><b>").append(Html.esc(s.path("title").asText())).append("</b> <small>(impact ").append(Html.esc(s.path("impact").asText()))
                        .append(", effort ").append(Html.esc(s.path("effort").asText())).append(", risk ").append(Html.esc(s.path("risk").asText()))
                        .append(", about ").append(Html.esc(s.path("time_estimate").asText())).append(")</small><ol>");
                for (JsonNode step : s.path("steps")) {
                    out.append("<li>").append(Html.esc(step.asText())).append("</li>");
                }
                out.append("</ol></li>");
            }
            out.append("</ol>\n");
        });
    }

    private void deadLetters() {
        out.append("<h2 id=\"dead-letters\">Dead letters</h2>\n");
        List<JsonNode> rows = rows(OutputKind.DEAD_LETTERS);
        if (rows.isEmpty()) {
            out.append("<p>None: every input line was read.</p>\n");
            return;
        }
        Map<String, List<JsonNode>> byReason = new TreeMap<>();
        rows.forEach(d -> byReason.computeIfAbsent(d.path("reason").asText(), k -> new ArrayList<>()).add(d));
        out.append("<table><tr><th>reason</th><th>lines</th><th>examples</th></tr>");
        byReason.forEach((reason, list) -> {
            out.append("<tr><td>").append(Html.esc(reason)).append("</td><td class=\"n\">").append(list.size()).append("</td><td><small>");
            for (JsonNode d : list.subList(0, Math.min(2, list.size()))) {
                out.append(Html.esc(d.path("origin").asText() + ":" + d.path("line").asText() + " " + d.path("detail").asText())).append("<br><code>")
                        .append(Html.esc(Html.clip(d.path("raw").asText(), 160))).append("</code><br>");
            }
            out.append("</small></td></tr>");
        });
        out.append("</table>\n");
    }

    private static long[] range(java.util.Collection<List<Window>> summaries, List<JsonNode> alerts) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (List<Window> series : summaries) {
            for (Window s : series) {
                lo = Math.min(lo, s.start());
                hi = Math.max(hi, s.end());
            }
        }
        for (JsonNode a : alerts) {
            lo = Math.min(lo, millis(a, "started_at"));
            hi = Math.max(hi, millis(a, "event_time"));
        }
        return new long[] {lo, hi};
    }

    /**
     * Sorts rows by a time field, stably, each row's time parsed once (a comparator that parses would parse each
     * row about 2 log n times: when the window summaries were sorted so, 8 million parses for 240,000 of them).
     */
    static void sortByTime(List<JsonNode> rows, String field) {
        record Timed(long at, JsonNode row) {}
        List<Timed> timed = new ArrayList<>(rows.size());
        for (JsonNode row : rows) {
            timed.add(new Timed(millis(row, field), row));
        }
        timed.sort(Comparator.comparingLong(Timed::at));
        for (int i = 0; i < timed.size(); i++) {
            rows.set(i, timed.get(i).row());
        }
    }

    static long millis(JsonNode n, String field) {
        return millis(n.path(field).asText(""));
    }

    /** An ISO-8601 time's epoch milliseconds; Long.MIN_VALUE when absent or not a time. */
    static long millis(String s) {
        if (s == null || s.isEmpty() || s.equals("null")) {
            return Long.MIN_VALUE;
        }
        try {
            return TimestampParser.parse(s);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** A number written as text; NaN when absent or not a number (as JsonNode.asDouble(NaN) reads it). */
    private static double number(String s) {
        if (s == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static long[] toLongs(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    private static double[] toDoubles(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
