package dev.perfwatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** What a command printed on the console (tests of the CLI). */
final class Captured {

    private Captured() {}

    static String stdout(Runnable r) {
        return capture(r, System.out, System::setOut);
    }

    static String stderr(Runnable r) {
        return capture(r, System.err, System::setErr);
    }

    private static String capture(Runnable r, PrintStream before, Consumer<PrintStream> set) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        set.accept(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            set.accept(before);
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
