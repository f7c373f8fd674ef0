package dev.perfwatch.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./perfwatch sql's output: rounded for people in a table, full precision in csv and json. */
class ResultPrinterTest {

    @TempDir
    Path dir;

    @Test
    void numbersForPeopleHaveFourSignificantDigits() {
        assertEquals("31.41", ResultPrinter.display(31.406157868992068));
        assertEquals("100", ResultPrinter.display(100.0));
        assertEquals("0.2821", ResultPrinter.display(0.2820893790132664));
        assertEquals("-0.2821", ResultPrinter.display(-0.2820893790132664));
        assertEquals("123500", ResultPrinter.display(123456.789));
        assertEquals("1.877e-292", ResultPrinter.display(1.8766656311314688E-292));
        assertEquals("4.500e+10", ResultPrinter.display(4.5e10));
        assertEquals("0", ResultPrinter.display(0.0));
        assertEquals("NULL", ResultPrinter.display(null));
        assertEquals("12345", ResultPrinter.display(12345L), "integers as they are");
        assertEquals("threshold:document_processing_time:warning", ResultPrinter.display("threshold:document_processing_time:warning"));
    }

    @Test
    void tableCsvAndJson() throws Exception {
        Path q = Files.writeString(dir.resolve("q.sql"), "SELECT CAST(0.123456789 AS DOUBLE) AS x, 'a,b \"c\"' AS s, "
                + "CAST(NULL AS DOUBLE) AS missing, TIMESTAMP '2026-11-26 08:00:00' AS t;\n");
        assertEquals(List.of("+--------+---------+---------+------------------+",
                "| x      | s       | missing | t                |",
                "+--------+---------+---------+------------------+",
                "| 0.1235 | a,b \"c\" |    NULL | 2026-11-26T08:00 |",
                "+--------+---------+---------+------------------+",
                "1 row"), lines(run(q, "table")));
        assertEquals(List.of("x,s,missing,t", "0.123456789,\"a,b \"\"c\"\"\",,2026-11-26T08:00"), lines(run(q, "csv")));
        assertEquals(List.of("{\"x\":0.123456789,\"s\":\"a,b \\\"c\\\"\",\"missing\":null,\"t\":\"2026-11-26T08:00\"}"), lines(run(q, "json")));
        assertEquals(2, dev.perfwatch.Perfwatch.run("sql", "-f", q.toString(), "--format", "xml"), "a bad format is a usage error");
    }

    private static List<String> lines(String s) {
        return s.lines().filter(l -> l.startsWith("|") || l.startsWith("+") || l.startsWith("{") || l.contains(",") || l.matches("\\d+ rows?")).toList();
    }

    private static String run(Path q, String format) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, dev.perfwatch.Perfwatch.run("sql", "-f", q.toString(), "--format", format));
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(!out.isEmpty());
        return out;
    }
}
