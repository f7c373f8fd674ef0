package dev.perfwatch.report;

import dev.perfwatch.cli.OutputTables;
import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's report in a real browser: headless Chromium (Debian's {@code chromium}; .ci/run installs it)
 * takes a screenshot, dumps the DOM it built, logs its console and writes a net log; the charts must
 * have drawn, the page must not be blank, and the console and the network must be silent. Skipped, with
 * the reason, only where no Chromium can be found.
 */
class ReportBrowserTest {

    @TempDir
    static Path dir;

    static String chromium;
    static Path demo;

    @BeforeAll
    static void demoAndBrowser() throws Exception {
        chromium = findChromium();
        Assumptions.assumeTrue(chromium != null,
                "no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs it): the browser test is skipped");
        demo = dir.resolve("out");
        assertEquals(0, dev.perfwatch.Perfwatch.run("demo", "-o", demo.toString()));
        assertTrue(Files.isRegularFile(demo.resolve("report.html")), "the demo ends by writing its report");
    }

    static String findChromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return null;
    }

    /** One headless run; returns stdout, with stderr (Chromium's log, the page's console) in {@code log}. */
    static String browse(Path page, List<String> flags, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-background-networking", "--disable-sync", "--disable-component-update",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime())));
        cmd.addAll(flags);
        cmd.add(page.toUri().toString());
        Path stdout = dir.resolve("stdout-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Chromium finished");
        assertEquals(0, p.exitValue(), Files.readString(log));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** The page's console messages (Chromium logs each as CONSOLE), e.g. a blocked fetch or a script error. */
    static List<String> console(Path log) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.contains(":CONSOLE")).toList();
    }

    /** URLs the page itself asked for (initiator not the browser), from a net log, other than file: and data:. */
    static Set<String> fetchedByThePage(Path netLog) throws Exception {
        String s = Files.readString(netLog).strip();
        if (s.endsWith(",")) {
            s = s.substring(0, s.length() - 1);
        }
        JsonNode log;
        try {
            log = new ObjectMapper().readTree(s);
        } catch (Exception unfinished) {
            log = new ObjectMapper().readTree(s + "]}"); // a log cut short at exit has no closing brackets
        }
        int startJob = log.path("constants").path("logEventTypes").path("URL_REQUEST_START_JOB").asInt(-1);
        Set<String> urls = new HashSet<>();
        for (JsonNode e : log.path("events")) {
            JsonNode p = e.path("params");
            if (e.path("type").asInt() == startJob && !p.path("initiator").asText("").equals("not an origin")) {
                String url = p.path("url").asText("");
                if (!url.isEmpty() && !url.startsWith("file:") && !url.startsWith("data:")) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }

    @Test
    void theDemosReportDrawsInARealBrowserWithoutErrorsOrRequests() throws Exception {
        Path page = demo.resolve("report.html");
        Path shot = dir.resolve("report.png");
        Path net = dir.resolve("net.json");
        Path log = dir.resolve("shot.log");
        browse(page, List.of("--window-size=1100,2400", "--screenshot=" + shot, "--log-net-log=" + net), log);
        assertEquals(List.of(), console(log), "nothing on the console");
        assertEquals(Set.of(), fetchedByThePage(net), "nothing fetched");

        BufferedImage image = javax.imageio.ImageIO.read(shot.toFile());
        assertEquals(1100, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    ink++;
                }
            }
        }
        long sampled = (long) (image.getHeight() / 2) * (image.getWidth() / 2);
        assertTrue(ink > sampled / 20, "not blank: " + ink + " of " + sampled + " sampled pixels drawn");
        assertTrue(colours.size() > 50, "text, tables and charts, not a flat page: " + colours.size() + " colours");

        // The DOM the browser built: a chart and a box pair per finding (latest version of each), each chart
        // with its line, both windows and the change point; a health chart per component; an alert timeline.
        String dom = browse(page, List.of("--dump-dom"), dir.resolve("dom.log"));
        OutputTables tables = new OutputTables(demo);
        Set<String> findings = new HashSet<>();
        tables.rows(OutputKind.REGRESSIONS).forEach(f -> findings.add(f.path("finding_id").asText()));
        assertTrue(findings.size() >= 5, "the demo's findings: " + findings);
        assertEquals(findings.size(), HtmlReportTest.count(dom, "class=\"chart finding-chart\""));
        assertEquals(findings.size(), HtmlReportTest.count(dom, "class=\"chart finding-boxes\""));
        for (String chart : dom.split("<svg class=\"chart finding-chart\"")) {
            if (chart.startsWith(" viewBox")) {
                String svg = chart.substring(0, chart.indexOf("</svg>"));
                assertTrue(svg.contains("<polyline class=\"line\" points=\"") && svg.contains("class=\"span baseline\"")
                        && svg.contains("class=\"span comparison\"") && svg.contains("class=\"mark change\""), svg);
            }
        }
        Set<String> components = new HashSet<>();
        Set<String> dipped = new HashSet<>(Set.of("system"));
        tables.rows(OutputKind.HEALTH).forEach(h -> {
            components.add(h.path("component").asText());
            if (h.path("score").asDouble() < 100) {
                dipped.add(h.path("component").asText());
            }
        });
        assertTrue(dipped.size() >= 5 && dipped.size() < components.size(), "the demo's components, some at 100 throughout: " + dipped);
        // a health chart for the system and for each component whose score was ever below 100
        assertEquals(dipped.size(), HtmlReportTest.count(dom, "class=\"chart health-chart\""));
        assertTrue(dom.contains((components.size() - dipped.size()) + " component"), "the flat ones are counted");
        assertTrue(HtmlReportTest.count(dom, "class=\"chart alert-timeline\"") >= 5, "a timeline per component with alerts");
        assertTrue(dom.contains("href=\"#finding-") && dom.contains("href=\"#series-"), "links from the contents and alerts to charts");
    }

    @Test
    void hostileNamesAreShownAsText() throws Exception {
        Path out = HtmlReportTest.hostileOutput(Files.createDirectories(dir.resolve("hostile")));
        Path page = out.resolve("report.html");
        new HtmlReport(out).write(page);
        Path log = dir.resolve("hostile.log");
        String dom = browse(page, List.of("--dump-dom"), log);
        assertFalse(dom.toLowerCase().contains("<script"), "no script element in the DOM");
        assertFalse(dom.contains("<img"), "no img element in the DOM");
        assertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is text in the DOM");
        assertEquals(List.of(), console(log), "nothing ran, nothing was blocked");
    }

    @Test
    void theChecksCatchAPageThatFetches() throws Exception {
        // The network and console checks above are only worth something if they can fail: a page with a
        // remote image and a script must trip both.
        Path page = Files.writeString(dir.resolve("fetching.html"),
                "<!doctype html><html><body><img src=\"http://127.0.0.1:9/x.png\"><script>console.error('boom')</script></body></html>");
        Path net = dir.resolve("fetching-net.json");
        Path log = dir.resolve("fetching.log");
        browse(page, List.of("--dump-dom", "--log-net-log=" + net), log);
        assertEquals(Set.of("http://127.0.0.1:9/x.png"), fetchedByThePage(net));
        assertTrue(console(log).stream().anyMatch(l -> l.contains("boom")), Files.readString(log));
    }
}
