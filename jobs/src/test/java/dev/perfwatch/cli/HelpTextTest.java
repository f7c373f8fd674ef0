package dev.perfwatch.cli;

import dev.perfwatch.Perfwatch;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --help wraps a description's paragraphs at the terminal's width, not at the source's line breaks. */
class HelpTextTest {

    @Command(name = "example", description = {"First sentence, which the source", "broke in two.", "Second paragraph:",
        "  an indented example", "", "after a blank line"})
    static final class Example implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void linesJoinIntoParagraphsUntilASentenceEndsOrALineIsBlankOrIndented() {
        CommandLine cli = new CommandLine(new Example());
        Perfwatch.paragraphs(cli);
        assertEquals(List.of("First sentence, which the source broke in two.", "Second paragraph:", "  an indented example", "",
                "after a blank line"), List.of(cli.getCommandSpec().usageMessage().description()));
    }
}
