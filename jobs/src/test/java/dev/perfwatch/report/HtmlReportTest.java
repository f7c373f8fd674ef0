package dev.perfwatch.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's page without a browser: escaping, missing tables, downsampling (ReportBrowserTest renders it). */
public class HtmlReportTest {

    public static final String HOSTILE = "<script>alert(1)</script>";
    static final String HOSTILE_METRIC = "x\"><img src=y onerror=alert(2)>";

    @TempDir
    Path dir;

    /** An output folder with one series of a hostile name: summaries, a firing and cleared alert, a finding, a dead letter. */
    public static Path hostileOutput(Path dir) throws Exception {
        String c = json(HOSTILE);
        String m = json(HOSTILE_METRIC);
        List<String> summaries = new ArrayList<>();
        for (int i = 0; i < 180; i++) {
            String start = iso(i);
            double mean = i < 120 ? 100 + (i % 7) : 160 + (i % 5);
            summaries.add("{\"component\":" + c + ",\"metric\":" + m + ",\"window_start\":\"" + start + "\",\"window_end\":\"" + iso(i + 1)
                    + "\",\"count\":30,\"mean\":" + mean + ",\"stddev\":3,\"min\":90,\"max\":170,\"p50\":" + mean + ",\"p95\":" + (mean + 5) + ",\"p99\":" + (mean + 6) + "}");
        }
        write(dir, "summaries", summaries);
        write(dir, "alerts", List.of(
                "{\"alert_id\":\"a1\",\"rule\":\"anomaly:robust-z\",\"kind\":\"anomaly\",\"severity\":\"critical\",\"status\":\"firing\",\"component\":" + c
                        + ",\"metric\":" + m + ",\"value\":160,\"threshold\":100,\"event_time\":\"" + iso(121) + "\",\"started_at\":\"" + iso(120)
                        + "\",\"evidence\":{\"why\":" + json("why: " + HOSTILE) + "}}",
                "{\"alert_id\":\"a1\",\"rule\":\"anomaly:robust-z\",\"kind\":\"anomaly\",\"severity\":\"critical\",\"status\":\"cleared\",\"component\":" + c
                        + ",\"metric\":" + m + ",\"value\":160,\"threshold\":100,\"event_time\":\"" + iso(150) + "\",\"started_at\":\"" + iso(120)
                        + "\",\"evidence\":{}}"));
        write(dir, "regressions", List.of("{\"finding_id\":\"f1\",\"component\":" + c + ",\"metric\":" + m + ",\"type\":\"sudden\","
                + "\"direction\":\"regression\",\"detected_at\":\"" + iso(135) + "\",\"version\":1,\"change_point_at\":\"" + iso(120) + "\","
                + "\"baseline_start\":\"" + iso(60) + "\",\"baseline_end\":\"" + iso(120) + "\",\"comparison_start\":\"" + iso(120) + "\",\"comparison_end\":\""
                + iso(135) + "\",\"baseline\":{\"n\":1800,\"mean\":103,\"stddev\":3,\"p50\":103,\"p95\":108},\"comparison\":{\"n\":450,\"mean\":162,"
                + "\"stddev\":3,\"p50\":162,\"p95\":167},\"relative_change\":0.57,\"welch\":{\"p_value\":1e-200},\"mann_whitney\":{\"p_value\":1e-150},"
                + "\"cohens_d\":19.6,\"alpha_corrected\":3.5e-5,\"detection\":{\"test\":\"window\"},\"confidence\":1,\"severity\":\"critical\","
                + "\"recommendation\":" + json("fix " + HOSTILE) + "}"));
        write(dir, "alert-events", List.of("{\"alert_id\":\"a1\",\"fingerprint\":\"anomaly:robust-z|x|y\",\"rule\":\"anomaly:robust-z\","
                + "\"kind\":\"anomaly\",\"severity\":\"critical\",\"component\":" + c + ",\"metric\":" + m + ",\"from\":null,\"to\":\"firing\","
                + "\"at\":\"" + iso(121) + "\",\"reason\":\"raised\",\"by\":null,\"comment\":null}"));
        write(dir, "dead-letters", List.of("{\"reason\":\"bad_json\",\"detail\":" + json("unexpected " + HOSTILE) + ",\"origin\":\"in.jsonl\",\"line\":3,"
                + "\"event_time\":null,\"raw\":" + json(HOSTILE) + "}"));
        return dir;
    }

    public static void write(Path dir, String kind, List<String> lines) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(kind).resolve("dt=2026-01-01").resolve("hour=00"));
        Files.write(folder.resolve("part-0.jsonl"), lines);
    }

    public static String iso(int minute) {
        return java.time.Instant.ofEpochMilli(1_767_225_600_000L + minute * 60_000L).toString();
    }

    static String json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void namesFromDataAreEscapedEverywhere() throws Exception {
        String html = new HtmlReport(hostileOutput(dir)).render();
        assertFalse(html.contains(HOSTILE), "a raw <script> from the data");
        assertFalse(html.contains("<img"), "a raw <img> from the data");
        assertFalse(html.toLowerCase().contains("<script"), "the page has no script at all");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown as text");
        assertTrue(html.contains("x&quot;&gt;&lt;img src=y onerror=alert(2)&gt;"), "quotes escaped too (attribute-safe)");
        assertTrue(html.contains("default-src 'none'"), "a policy that forbids fetching anything");
        // One finding: its chart with both windows shaded and the change point marked, and its box pair.
        assertEquals(1, count(html, "class=\"chart finding-chart\""));
        assertEquals(1, count(html, "class=\"chart finding-boxes\""));
        assertEquals(1, count(html, "class=\"span baseline\""));
        assertEquals(1, count(html, "class=\"span comparison\""));
        assertTrue(html.contains("+57.0%"), "the finding's numbers");
    }

    /** A return names, and links to, the finding it reverts; a finding without one shows no such row. */
    @Test
    void aReturnLinksToTheFindingItReverts() throws Exception {
        String down = "{\"finding_id\":\"f-down\",\"component\":\"api\",\"metric\":\"requests\",\"type\":\"sudden\","
                + "\"direction\":\"improvement\",\"detected_at\":\"" + iso(30) + "\",\"version\":1,\"change_point_at\":\"" + iso(20) + "\","
                + "\"severity\":\"info\",\"reverts\":null}";
        String up = "{\"finding_id\":\"f-up\",\"component\":\"api\",\"metric\":\"requests\",\"type\":\"sudden\","
                + "\"direction\":\"regression\",\"detected_at\":\"" + iso(90) + "\",\"version\":1,\"change_point_at\":\"" + iso(80) + "\","
                + "\"severity\":\"info\",\"reverts\":\"f-down\",\"detection\":{\"test\":\"window\",\"variance_inflation\":4.25}}";
        write(dir, "regressions", List.of(down, up));
        String html = new HtmlReport(dir).render();
        assertEquals(1, count(html, "<td>reverts</td>"), "only the return has the row");
        assertEquals(1, count(html, "(the tests allow for 4.3 times the variance of independent values"),
                "the variance inflation the tests allowed for, where there was one: " + html);
        assertTrue(html.contains("the series coming back from finding <a href=\"#" + Html.id("finding", "f-down") + "\">f-down</a>"), html);
    }

    @Test
    void anEmptyFolderSaysWhatIsMissing() throws Exception {
        String html = new HtmlReport(dir).render();
        assertTrue(html.contains("No health scores in this output"), html);
        assertTrue(html.contains("No regression findings in this output"));
        assertTrue(html.contains("No alerts in this output"));
        assertTrue(html.contains("No bottleneck reports in this output"));
        assertTrue(html.contains("None: every input line was read."));
    }

    /** A health score of 100 throughout is drawn on the score's own axis, 0 to 100 (it was stretched to 110). */
    @Test
    void aFlatHealthScoreIsDrawnOnTheScoresOwnAxis() {
        long[] t = {0, 300_000, 600_000};
        double[] v = {100, 100, 100};
        String svg = Svg.timeSeries("health-chart", "flat", t, v, List.of(), List.of(), 110, 0, 100);
        java.util.List<String> ticks = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("text-anchor=\"end\">([^<]*)</text>").matcher(svg);
        while (m.find()) {
            ticks.add(m.group(1));
        }
        assertEquals(List.of("0", "25", "50", "75", "100"), ticks.subList(0, 5), "the y axis' ticks (then the x axis' last): " + ticks);
        double[] beyond = {100, 120, 100}; // a value outside the range widens it
        assertTrue(Svg.timeSeries("health-chart", "beyond", t, beyond, List.of(), List.of(), 110, 0, 100).contains(">120<"));
    }

    /**
     * Bottlenecks: one row per component and bottleneck with its episodes counted, the first and last times and the
     * worst one's severity and cause; every episode below it, folded away when there are many.
     */
    @Test
    void bottlenecksAreSummedUpPerComponentAndTypeWithEveryEpisodeBelow() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int e = 0; e < 14; e++) {
            int open = 10 * e;
            double severity = e == 5 ? 0.97 : 0.8;
            rows.add("{\"component\":\"web\",\"window_start\":\"" + iso(open) + "\",\"window_end\":\"" + iso(open + 5) + "\",\"type\":\"cpu_bound\","
                    + "\"status\":\"open\",\"severity\":" + severity + ",\"root_cause\":\"CPU at " + (e == 5 ? 97 : 80) + "%\",\"opened_at\":\"" + iso(open) + "\"}");
            if (e < 13) {
                rows.add("{\"component\":\"web\",\"window_start\":\"" + iso(open + 5) + "\",\"window_end\":\"" + iso(open + 10) + "\",\"type\":\"cpu_bound\","
                        + "\"status\":\"resolved\",\"severity\":0,\"root_cause\":\"resolved\",\"opened_at\":\"" + iso(open) + "\"}");
            }
        }
        rows.add("{\"component\":\"db\",\"window_start\":\"" + iso(3) + "\",\"window_end\":\"" + iso(8) + "\",\"type\":\"database\","
                + "\"status\":\"open\",\"severity\":0.6,\"root_cause\":\"slow queries\",\"opened_at\":\"" + iso(3) + "\"}");
        write(dir, "bottlenecks", rows);
        String html = new HtmlReport(dir).render();
        String summary = html.substring(html.indexOf("<h2 id=\"bottlenecks\""), html.indexOf("<details"));
        assertTrue(summary.contains("<td>web</td><td>cpu_bound</td><td class=\"n\">14</td><td>" + Html.time(0L + 1_767_225_600_000L)
                + "</td><td>still open</td><td class=\"n\">0.97</td><td>CPU at 97%</td>"), summary);
        assertTrue(summary.contains("<td>db</td><td>database</td><td class=\"n\">1</td>"), summary);
        assertTrue(html.contains("<details><summary>Every episode (15)</summary>"), "15 episodes, folded away");
    }

    /**
     * Alerts that start at the same minute on one component (two forecasts of the demo's queue backlog): their rows,
     * links and table lines come in the same order whatever order the files list them in (a streaming run's part
     * files are named at random). Before, ties kept the reading order and two runs' pages differed.
     */
    @Test
    void alertsOfTheSameMinuteAreDrawnInTheSameOrderWhateverTheFilesOrder() throws Exception {
        List<String> alerts = new ArrayList<>();
        String[][] rules = {{"forecast:queue_depth:critical", "queue_depth"}, {"forecast:document_processing_time:critical", "document_processing_time"},
                {"threshold:queue_depth", "queue_depth"}};
        for (int i = 0; i < rules.length; i++) {
            alerts.add("{\"alert_id\":\"id" + i + "\",\"rule\":\"" + rules[i][0] + "\",\"kind\":\"forecast\",\"severity\":\"critical\",\"status\":\"firing\","
                    + "\"component\":\"document-processor\",\"metric\":\"" + rules[i][1] + "\",\"value\":1,\"threshold\":1,\"event_time\":\"" + iso(50)
                    + "\",\"started_at\":\"" + iso(50) + "\",\"evidence\":{}}");
        }
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        write(a, "alerts", alerts);
        List<String> reversed = new ArrayList<>(alerts);
        java.util.Collections.reverse(reversed);
        write(b, "alerts", reversed);
        String pageA = new HtmlReport(a).render().replace(a.toString(), "OUT");
        String pageB = new HtmlReport(b).render().replace(b.toString(), "OUT");
        assertTrue(pageA.contains("forecast:document_processing_time:critical"), pageA);
        assertEquals(pageA, pageB);
    }

    /** A mark's label near the chart's right edge ends at the mark, inside the chart (it ran past the edge). */
    @Test
    void aMarksLabelStaysInsideTheChart() {
        long[] t = {0, 300_000, 600_000};
        double[] v = {1, 2, 3};
        String svg = Svg.timeSeries("series", "marks", t, v, List.of(),
                List.of(new Svg.Mark(30_000, "change", "change point"), new Svg.Mark(590_000, "detected", "detected")), 180);
        assertTrue(svg.contains("text-anchor=\"start\">change point</text>"), svg);
        assertTrue(svg.contains("text-anchor=\"end\">detected</text>"), svg);
    }

    @Test
    void aMonthOfMinutesIsDrawnAsOneColumnPerPixel() {
        int n = 30 * 1440;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 60_000L;
            v[i] = 100 + Math.sin(i / 100.0) * 10 + (i == 20_000 ? 500 : 0);
        }
        String svg = Svg.timeSeries("series-chart", "a month", t, v, List.of(), List.of(), 160);
        Matcher line = Pattern.compile("<polyline class=\"line\" points=\"([^\"]*)\"").matcher(svg);
        assertTrue(line.find());
        int points = line.group(1).split(" ").length;
        assertTrue(points <= Svg.WIDTH, "at most a point per pixel column: " + points);
        assertTrue(svg.length() < 60_000, "a few tens of KB for 43,200 windows: " + svg.length());
        // The spike survives downsampling (the band's max): its column reaches the top of the plot.
        Matcher band = Pattern.compile("<polygon class=\"band\" points=\"([^\"]*)\"").matcher(svg);
        assertTrue(band.find(), "a min-max band");
        double top = Double.MAX_VALUE;
        for (String xy : band.group(1).split(" ")) {
            top = Math.min(top, Double.parseDouble(xy.split(",")[1]));
        }
        // Plot from y 10 to 136; the sine alone spans 90..110 of a 0..630 axis, so it never gets above y 110.
        assertTrue(top < 20, "the band reaches the one-minute spike near the top of the plot: " + top);
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
