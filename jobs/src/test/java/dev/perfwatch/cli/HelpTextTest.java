package dev.perfwatch.cli;

import dev.perfwatch.Perfwatch;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --help wraps a description's paragraphs at the terminal's width, not at the source's line breaks. */
class HelpTextTest {

    @Command(name = "example", description = {"First sentence, which the source", "broke in two.", "Second paragraph:",
        "  an indented example", "", "after a blank line"})
    static final class Example implements Runnable {
        @Override
        public void run() {}
    }

    @Command(name = "placeholders", description = {"Every $${name} in a statement", "is replaced."})
    static final class Placeholders implements Runnable {
        @Override
        public void run() {}
    }

    /** A literal ${name} in a description (escaped in the source) is printed as such, not as "null". */
    @Test
    void aLiteralPlaceholderStaysOneAfterTheParagraphsAreJoined() {
        CommandLine cli = new CommandLine(new Placeholders());
        Perfwatch.paragraphs(cli);
        String usage = cli.getUsageMessage();
        assertTrue(usage.contains("Every ${name} in a statement is replaced."), usage);
        // and in the real commands: sql's description names its ${name} placeholders
        CommandLine perfwatch = Perfwatch.commandLine();
        String sql = perfwatch.getSubcommands().get("sql").getUsageMessage();
        assertTrue(sql.contains("${name} in a statement is replaced by --define name=VALUE"), sql);
        assertTrue(sql.contains("Value of a ${NAME} placeholder"), sql);
        assertFalse(perfwatch.getSubcommands().get("sql-init").getUsageMessage().contains("every null"));
    }

    @Test
    void linesJoinIntoParagraphsUntilASentenceEndsOrALineIsBlankOrIndented() {
        CommandLine cli = new CommandLine(new Example());
        Perfwatch.paragraphs(cli);
        assertEquals(List.of("First sentence, which the source broke in two.", "Second paragraph:", "  an indented example", "",
                "after a blank line"), List.of(cli.getCommandSpec().usageMessage().description()));
    }
}
