package dev.perfwatch.cli;

import dev.perfwatch.alerting.CommandParser;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.ControlCommand;
import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.SourceLine;
import dev.perfwatch.model.Timestamps;
import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code perfwatch alerts ack|resolve|silence|expire-silence|list}: writes control commands as JSON
 * lines into the control directory a running (or the next) monitor reads, and lists the alerts'
 * current states from alert-events/.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"Acknowledge, resolve and silence alerts, and list them.",
            "Commands are JSON lines written to the control directory (lifecycle.control-dir,",
            "default <output>/control), which 'monitor' reads (and keeps watching with --watch).",
            "A command takes effect at its time (--at, default now) in event time: for data",
            "from the past, give --at a time within it."},
        subcommands = {AlertsCommand.Ack.class, AlertsCommand.Resolve.class, AlertsCommand.Silence.class,
            AlertsCommand.ExpireSilence.class, AlertsCommand.ListAlerts.class},
        footer = {"", "Examples:",
            "  ./perfwatch alerts list --output out",
            "  ./perfwatch alerts ack 3f2a9c0d1e4b5a69 --by ana --comment 'on it' --output out",
            "  ./perfwatch alerts silence --match component=search --for 2h --by ana --output out",
            "  ./perfwatch alerts expire-silence s-20261126-0a1b2c --by ana --output out"})
public class AlertsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: ack, resolve, silence, expire-silence or list");
    }

    /** Where the commands go and the outputs are. */
    public static class Where {
        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output directory of the monitor (default: output.path, 'out').")
        String output;

        @Option(names = "--control-dir", paramLabel = "DIR", description = "Control directory (default: lifecycle.control-dir, else <output>/control).")
        String controlDir;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:PERFWATCH_CONFIG}",
                description = "The monitor's configuration (for output.path and lifecycle.control-dir).")
        Path config;

        PerfwatchConfig config() {
            List<String> overrides = new ArrayList<>();
            if (output != null) {
                overrides.add("output.path=" + output);
            }
            if (controlDir != null) {
                overrides.add("lifecycle.control-dir=" + controlDir);
            }
            return ConfigLoader.load(config, overrides);
        }

        Path control() {
            return controlDir(config());
        }

        Path outputs() {
            return Path.of(config().output.path);
        }
    }

    /** The control directory of a configuration. */
    public static Path controlDir(PerfwatchConfig config) {
        return config.lifecycle.controlDir != null ? Path.of(config.lifecycle.controlDir) : Path.of(config.output.path, "control");
    }

    /** Who and when. */
    public static class Issuer {
        @Option(names = "--by", paramLabel = "NAME", defaultValue = "${env:USER}", description = "Who (default: $USER).")
        String by;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the history.")
        String comment;

        @Option(names = "--at", paramLabel = "TIME", description = "When it takes effect, ISO-8601 UTC (default: now).")
        String at;

        ControlCommand command(String name) {
            ControlCommand c = new ControlCommand();
            c.command = name;
            c.by = by == null || by.isBlank() ? "cli" : by;
            c.comment = comment;
            c.at = at == null ? System.currentTimeMillis() : time("--at", at);
            return c;
        }
    }

    static long time(String option, String text) {
        try {
            return dev.perfwatch.io.TimestampParser.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": expected an ISO-8601 UTC time like 2026-11-26T09:30:00Z, got '" + text + "'");
        }
    }

    /**
     * Writes one command as a new file of the control directory, atomically (written hidden, then
     * renamed: the monitor never reads half a command), after checking it as the monitor will.
     */
    static Path write(Path controlDir, ControlCommand c) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", c.command);
        if (c.alertId != null) {
            json.put("alert_id", c.alertId);
        }
        if (c.silenceId != null) {
            json.put("silence_id", c.silenceId);
        }
        if (c.command.equals("silence")) {
            json.put("matchers", new TreeMap<>(c.matchers));
            json.put("starts_at", Timestamps.iso(c.startsAt));
            json.put("ends_at", Timestamps.iso(c.endsAt));
        }
        json.put("by", c.by);
        if (c.comment != null) {
            json.put("comment", c.comment);
        }
        json.put("at", Timestamps.iso(c.at));
        String line = OutputJson.MAPPER.writeValueAsString(json);
        CommandParser.command(new SourceLine("command line", 1, line, null, SourceLine.RECORD)); // same checks as the monitor
        Files.createDirectories(controlDir);
        String name = String.format(Locale.ROOT, "%s-%s-%06x.jsonl", Timestamps.iso(c.at).replace(":", "").replace("-", ""),
                c.command.replace('_', '-'), ThreadLocalRandom.current().nextInt(1 << 24));
        Path tmp = controlDir.resolve("." + name + ".tmp");
        Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
        Path file = controlDir.resolve(name);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Writes a command about one alert (ack, resolve) and says so. */
    static int alertCommand(String command, String done, String alertId, Issuer issuer, Where where) throws IOException {
        ControlCommand c = issuer.command(command);
        c.alertId = alertId;
        Path file = write(where.control(), c);
        System.out.println(done + " " + alertId + " by " + c.by + " at " + Timestamps.iso(c.at) + " (" + file + ")");
        return 0;
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an alert: no repeat notification until it resolves or worsens.")
    public static class Ack implements Callable<Integer> {
        @Parameters(paramLabel = "ALERT_ID", description = "The alert's id (alert_id in alerts/, alert-events/ and notifications).")
        String alertId;
        @Mixin Issuer issuer;
        @Mixin Where where;

        @Override
        public Integer call() throws IOException {
            return alertCommand("ack", "acknowledged", alertId, issuer, where);
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Resolve an alert by hand (it fires again if its detector raises it again).")
    public static class Resolve implements Callable<Integer> {
        @Parameters(paramLabel = "ALERT_ID", description = "The alert's id.")
        String alertId;
        @Mixin Issuer issuer;
        @Mixin Where where;

        @Override
        public Integer call() throws IOException {
            return alertCommand("resolve", "resolved", alertId, issuer, where);
        }
    }

    @Command(name = "silence", mixinStandardHelpOptions = true,
            description = "Silence the alerts whose labels match (all of --match) for a while: they are suppressed, not notified.")
    public static class Silence implements Callable<Integer> {
        @Option(names = "--match", paramLabel = "LABEL=VALUE", required = true,
                description = "A label (component, metric, rule, kind, severity) and its value; repeatable, all must match.")
        List<String> matchers;
        @Option(names = "--for", paramLabel = "DURATION", description = "How long, from its start (default: 1h).")
        String duration;
        @Option(names = "--until", paramLabel = "TIME", description = "When it ends, instead of --for.")
        String until;
        @Option(names = "--starts", paramLabel = "TIME", description = "When it starts (default: --at, now).")
        String starts;
        @Option(names = "--id", paramLabel = "ID", description = "Its id (default: generated), for expire-silence.")
        String id;
        @Mixin Issuer issuer;
        @Mixin Where where;

        @Override
        public Integer call() throws IOException {
            ControlCommand c = issuer.command("silence");
            for (String m : matchers) {
                int eq = m.indexOf('=');
                if (eq <= 0 || eq == m.length() - 1) {
                    throw new IllegalArgumentException("--match: expected LABEL=VALUE, e.g. component=search, got '" + m + "'");
                }
                c.matchers.put(m.substring(0, eq), m.substring(eq + 1));
            }
            c.startsAt = starts == null ? c.at : time("--starts", starts);
            if (until != null && duration != null) {
                throw new IllegalArgumentException("give --for or --until, not both");
            }
            c.endsAt = until != null ? time("--until", until)
                    : c.startsAt + MonitorCommand.durationOption("--for", duration == null ? "1h" : duration).toMillis();
            c.silenceId = id != null ? id : String.format(Locale.ROOT, "s-%s-%06x",
                    Timestamps.iso(c.at).substring(0, 10).replace("-", ""), ThreadLocalRandom.current().nextInt(1 << 24));
            Path file = write(where.control(), c);
            System.out.println("silence " + c.silenceId + " " + c.matchers + " from " + Timestamps.iso(c.startsAt) + " to "
                    + Timestamps.iso(c.endsAt) + " by " + c.by + " (" + file + ")");
            return 0;
        }
    }

    @Command(name = "expire-silence", mixinStandardHelpOptions = true, description = "End a silence now (or at --at).")
    public static class ExpireSilence implements Callable<Integer> {
        @Parameters(paramLabel = "SILENCE_ID", description = "The silence's id (printed by 'alerts silence').")
        String silenceId;
        @Mixin Issuer issuer;
        @Mixin Where where;

        @Override
        public Integer call() throws IOException {
            ControlCommand c = issuer.command("expire_silence");
            c.silenceId = silenceId;
            Path file = write(where.control(), c);
            System.out.println("expired silence " + silenceId + " at " + Timestamps.iso(c.at) + " (" + file + ")");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The alerts' current states, from alert-events/ (the last transition of each alert).")
    public static class ListAlerts implements Callable<Integer> {
        @Option(names = "--all", description = "Include resolved alerts.")
        boolean all;
        @Option(names = "--component", paramLabel = "NAME", description = "Only this component's alerts.")
        String component;
        @Parameters(arity = "0..1", paramLabel = "DIR", description = "The same as --output: ./perfwatch alerts list out")
        String folder;
        @Mixin Where where;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            where.output = FolderArgument.either(spec, folder, "--output", where.output);
            Path out = where.outputs();
            List<JsonNode> rows = new OutputTables(out).rows(OutputKind.ALERT_EVENTS);
            if (rows.isEmpty()) {
                System.out.println("no alert events under " + out.resolve(OutputKind.ALERT_EVENTS.name)
                        + " (run 'perfwatch monitor' or 'perfwatch demo' with --output " + out + " first)");
                return 0;
            }
            print(System.out, current(rows), all, component);
            return 0;
        }
    }

    /** The last event of each alert, by alert id. */
    static Map<String, JsonNode> current(List<JsonNode> events) {
        List<JsonNode> sorted = new ArrayList<>(events);
        sorted.sort((a, b) -> a.path("at").asText().compareTo(b.path("at").asText()));
        Map<String, JsonNode> last = new TreeMap<>();
        for (JsonNode e : sorted) {
            last.put(e.path("alert_id").asText(), e);
        }
        return last;
    }

    static void print(PrintStream out, Map<String, JsonNode> current, boolean all, String component) {
        out.printf(Locale.ROOT, "%-16s  %-12s  %-8s  %-18s  %-34s  %-24s  %-20s  %s%n",
                "ALERT_ID", "STATE", "SEVERITY", "COMPONENT", "RULE", "METRIC", "SINCE", "WHY");
        int shown = 0;
        for (JsonNode e : current.values()) {
            if ((!all && e.path("to").asText().equals("resolved")) || (component != null && !component.equals(e.path("component").asText()))) {
                continue;
            }
            String why = e.path("reason").asText("");
            if (!e.path("by").isNull() && !e.path("by").asText("").isEmpty()) {
                why += " (" + e.path("by").asText() + (e.path("comment").isNull() ? "" : ": " + e.path("comment").asText()) + ")";
            }
            out.printf(Locale.ROOT, "%-16s  %-12s  %-8s  %-18s  %-34s  %-24s  %-20s  %s%n", e.path("alert_id").asText(), e.path("to").asText(),
                    e.path("severity").asText(), e.path("component").asText(), e.path("rule").asText(),
                    e.path("metric").isNull() ? "-" : e.path("metric").asText(), e.path("at").asText(), why);
            shown++;
        }
        out.println(shown + (all ? " alerts" : " open alerts") + " (" + current.size() + " in all" + (all ? "" : "; --all lists the resolved too") + ")");
    }
}
