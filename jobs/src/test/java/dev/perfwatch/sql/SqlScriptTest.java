package dev.perfwatch.sql;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlScriptTest {

    @Test
    void splitsAtSemicolonsOutsideQuotesAndCommentsKeepingLines() {
        String text = "-- header; not a statement\n"
                + "SET 'a' = 'x;y';\n"
                + "\n"
                + "/* block;\n comment */ SELECT ';' AS `semi;colon`, 'it''s'\n"
                + "FROM t;   -- trailing; comment\n"
                + "SELECT ${n}\n";
        List<SqlScript.Statement> s = SqlScript.parse("f.sql", text, Map.of("n", "42"));
        assertEquals(3, s.size());
        assertEquals("SET 'a' = 'x;y'", s.get(0).text());
        assertEquals(2, s.get(0).line());
        assertEquals("SELECT ';' AS `semi;colon`, 'it''s'\nFROM t", s.get(1).text());
        assertEquals(5, s.get(1).line());
        assertEquals("SELECT 42", s.get(2).text());
        assertEquals(7, s.get(2).line());
        assertEquals("f.sql, statement 3 (line 7)", s.get(2).where());
    }
}
