package dev.perfwatch.io;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricParserTest {

    private static final ParserSettings SETTINGS = ParserSettings.from(ConfigLoader.defaults().ingest, null, null);
    private static final String OK_TAIL = ",\"component\":\"search-api\"}";
    private static final String CSV_HEADER = "timestamp,metric,value,component,host";

    private final MetricParser parser = new MetricParser(SETTINGS);

    private MetricSample json(String text) throws Rejection {
        return parser.parse(SourceLine.json("f.jsonl", 7, text));
    }

    private MetricSample csv(String header, String row) throws Rejection {
        return new MetricParser(SETTINGS).parse(new SourceLine("f.csv", 3, row, header, SourceLine.RECORD));
    }

    @Test
    void readsAFullRecord() throws Rejection {
        MetricSample s = json("{\"timestamp\":\"2026-11-26T10:00:00Z\",\"metric\":\"response_time\",\"value\":182.5,"
                + "\"component\":\"search-api\",\"host\":\"search-1\",\"unit\":\"ms\",\"tags\":{\"region\":\"eu\",\"endpoint\":\"/search\"}}");
        assertEquals(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli(), s.timestamp);
        assertEquals("response_time", s.metric);
        assertEquals(182.5, s.value);
        assertEquals("search-api", s.component);
        assertEquals("search-1", s.host);
        assertEquals("ms", s.unit);
        assertEquals("{\"endpoint\":\"/search\",\"region\":\"eu\"}", s.tags, "tags are canonical: keys sorted");
        assertEquals("f.jsonl", s.origin);
        assertEquals(7, s.line);
    }

    @Test
    void acceptsEveryTimestampForm() throws Rejection {
        long expected = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
        assertEquals(expected, json("{\"timestamp\":\"2026-11-26T11:00:00+01:00\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL).timestamp);
        assertEquals(expected, json("{\"timestamp\":" + expected + ",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL).timestamp);
        assertEquals(expected, json("{\"timestamp\":\"" + expected + "\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL).timestamp);
        assertEquals(expected, json("{\"timestamp\":\"2026-11-26 10:00:00\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL).timestamp);
        assertEquals(expected + 250, json("{\"timestamp\":\"2026-11-26T10:00:00.250Z\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL).timestamp);
        assertEquals(expected + 123, json("{\"timestamp\":\"2026-11-26T10:00:00.123456789Z\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL).timestamp);
    }

    @Test
    void acceptsCrlfBomCustomMetricsAndUnitSpellings() throws Rejection {
        assertEquals(5.0, json("\uFEFF{\"timestamp\":\"2026-11-26T10:00:00Z\",\"metric\":\"cpu_usage\",\"value\":5" + OK_TAIL + "\r").value);
        assertEquals(-3.5, json("{\"timestamp\":\"2026-11-26T10:00:00Z\",\"metric\":\"temperature_delta\",\"value\":-3.5,\"unit\":\"C\"" + OK_TAIL).value);
        assertEquals(50.0, json("{\"timestamp\":\"2026-11-26T10:00:00Z\",\"metric\":\"cpu_usage\",\"value\":50,\"unit\":\"%\"" + OK_TAIL).value);
        assertEquals(0.5, json("{\"timestamp\":\"2026-11-26T10:00:00Z\",\"metric\":\"cache_hit_rate\",\"value\":0.5,\"unit\":\"ratio\",\"host\":null" + OK_TAIL).value);
    }

    @Test
    void blankLinesAndHeadersCarryNoSample() throws Rejection {
        assertNull(json(""));
        assertNull(json("   \t"));
        assertNull(json("\r"));
        assertNull(parser.parse(new SourceLine("f.csv", 1, CSV_HEADER, CSV_HEADER, SourceLine.CSV_HEADER)));
    }

    @Test
    void readsCsvRowsWithTheirHeader() throws Rejection {
        MetricSample s = csv(CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,42.5,web,web-1");
        assertEquals("cpu_usage", s.metric);
        assertEquals(42.5, s.value);
        assertEquals("web", s.component);
        assertEquals("web-1", s.host);
        MetricSample quoted = csv("timestamp,metric,value,component,endpoint", "2026-11-26T10:00:00Z,response_time,12,api,\"/a,\"\"b\"\"\"");
        assertEquals("{\"endpoint\":\"/a,\\\"b\\\"\"}", quoted.tags, "extra columns become tags; quotes follow RFC 4180");
    }

    @Test
    void theConfiguredTimeZoneReadsLocalTimesInBothFormats() throws Rejection {
        MetricParser berlin = new MetricParser(ParserSettings.from(
                ConfigLoader.load(null, java.util.List.of("ingest.time-zone=Europe/Berlin")).ingest, "cpu_usage", "web"));
        MetricSample csv = berlin.parse(new SourceLine("f.csv", 2, "2026-11-26 10:00:00,12", "timestamp,value", SourceLine.RECORD));
        assertEquals(java.time.Instant.parse("2026-11-26T09:00:00Z").toEpochMilli(), csv.timestamp);
        MetricSample json = berlin.parse(SourceLine.json("f", 1,
                "{\"timestamp\":\"2026-11-26T10:00:00\",\"metric\":\"cpu_usage\",\"value\":1,\"component\":\"web\"}"));
        assertEquals(java.time.Instant.parse("2026-11-26T09:00:00Z").toEpochMilli(), json.timestamp);
        dev.perfwatch.config.ConfigException bad = assertThrows(dev.perfwatch.config.ConfigException.class,
                () -> ConfigLoader.load(null, java.util.List.of("ingest.time-zone=Mars/Olympus")));
        assertTrue(bad.getMessage().contains("--set ingest.time-zone=Mars/Olympus") && bad.getMessage().contains("expected a zone like UTC"),
                bad.getMessage());
    }

    private static MetricParser inUnit(String unit) {
        return new MetricParser(ParserSettings.from(
                ConfigLoader.load(null, java.util.List.of("ingest.epoch-unit=" + unit)).ingest, "cpu_usage", "web"));
    }

    private static MetricSample epochJson(MetricParser parser, String timestamp) throws Rejection {
        return parser.parse(SourceLine.json("f", 1, "{\"timestamp\":" + timestamp + ",\"metric\":\"cpu_usage\",\"value\":1,\"component\":\"web\"}"));
    }

    @Test
    void epochTimestampsAreReadInTheConfiguredUnit() throws Rejection {
        long at = java.time.Instant.parse("2025-11-26T10:00:00.123Z").toEpochMilli();
        MetricParser seconds = inUnit("seconds");
        assertEquals(at - 123, epochJson(seconds, "1764151200").timestamp);
        assertEquals(at, epochJson(seconds, "1764151200.123456").timestamp, "fractions of seconds, to the millisecond");
        assertEquals(at, epochJson(seconds, "1.764151200123E9").timestamp);
        assertEquals(at, seconds.parse(new SourceLine("f.csv", 2, "1764151200.1239,12", "timestamp,value", SourceLine.RECORD)).timestamp,
                "CSV too, truncated");
        assertEquals(at - 123, seconds.parse(new SourceLine("f.csv", 2, "2025-11-26T10:00:00Z,12", "timestamp,value", SourceLine.RECORD)).timestamp,
                "ISO times as before");
        assertEquals(at, epochJson(inUnit("us"), "1764151200123999").timestamp);
        assertEquals(at, epochJson(inUnit("nanoseconds"), "1764151200123999999").timestamp, "beyond a long's millis digits: fine");
        assertEquals(at, inUnit("ns").parse(new SourceLine("f.csv", 2, "1764151200123999999,12", "timestamp,value", SourceLine.RECORD)).timestamp);
        assertEquals(at, epochJson(inUnit("milliseconds"), "1764151200123").timestamp, "the default's unit");
        Rejection fraction = assertThrows(Rejection.class, () -> epochJson(inUnit("us"), "1764151200123999.5"));
        assertEquals(dev.perfwatch.model.DeadLetter.Reason.WRONG_TYPE, fraction.reason());
        assertTrue(fraction.getMessage().contains("whole microseconds"), fraction.getMessage());
        Rejection huge = assertThrows(Rejection.class, () -> epochJson(seconds, "99999999999999999999"));
        assertTrue(huge.getMessage().contains("too large for epoch seconds"), huge.getMessage());
        // the default (milliseconds) names the option when a number reads as another unit
        Rejection micros = assertThrows(Rejection.class, () -> epochJson(new MetricParser(SETTINGS), "1764151200123999"));
        assertTrue(micros.getMessage().contains("read as microseconds it would be 2025-11-26T10:00:00.123Z (--set ingest.epoch-unit=microseconds)"),
                micros.getMessage());
        Rejection promCsv = assertThrows(Rejection.class, () -> csv("timestamp,metric,value,component", "1764151200.250,cpu_usage,12,web"));
        assertTrue(promCsv.getMessage().contains("fractional seconds: --set ingest.epoch-unit=seconds"), promCsv.getMessage());
        dev.perfwatch.config.ConfigException bad = assertThrows(dev.perfwatch.config.ConfigException.class,
                () -> ConfigLoader.load(null, java.util.List.of("ingest.epoch-unit=minutes")));
        assertTrue(bad.getMessage().contains("expected seconds, milliseconds, microseconds or nanoseconds, got 'minutes'"), bad.getMessage());
    }

    @Test
    void csvColumnNamesOfTheSampleAreReadInAnyCase() throws Rejection {
        MetricSample s = csv("Timestamp,VALUE,Metric,Component,Host,Unit,Region", "2026-11-26T10:00:00Z,12.5,cpu_usage,web,h1,%,EU");
        assertEquals(12.5, s.value);
        assertEquals("cpu_usage", s.metric);
        assertEquals("web", s.component);
        assertEquals("h1", s.host);
        assertEquals("%", s.unit);
        assertEquals("{\"Region\":\"EU\"}", s.tags, "a tag column keeps its name as written");
    }

    @Test
    void csvWithoutMetricAndComponentColumnsTakesThemFromOptions() throws Rejection {
        MetricParser nab = new MetricParser(ParserSettings.from(ConfigLoader.defaults().ingest, "cpu_usage", "ec2-24ae8d"));
        MetricSample s = nab.parse(new SourceLine("nab.csv", 2, "2014-02-14 14:30:00,0.132\r", "timestamp,value", SourceLine.RECORD));
        assertEquals(Instant.parse("2014-02-14T14:30:00Z").toEpochMilli(), s.timestamp);
        assertEquals("cpu_usage", s.metric);
        assertEquals("ec2-24ae8d", s.component);
        assertEquals(0.132, s.value);
    }

    @Test
    void componentCanComeFromTheFileName() throws Rejection {
        MetricParser nab = new MetricParser(ParserSettings.from(ConfigLoader.defaults().ingest, "cpu_usage", "ec2-{file}"));
        MetricSample s = nab.parse(new SourceLine("file:/data/nab/cpu_24ae8d.csv", 2, "2014-02-14 14:30:00,0.132", "timestamp,value", SourceLine.RECORD));
        assertEquals("ec2-cpu_24ae8d", s.component);
        MetricSample gz = nab.parse(new SourceLine("file:/data/nab/cpu_24ae8d.csv.gz", 2, "2014-02-14 14:30:00,0.132", "timestamp,value", SourceLine.RECORD));
        assertEquals("ec2-cpu_24ae8d", gz.component, "the same component whether the file is gzipped or not");
    }

    static Stream<Arguments> badJsonLines() {
        String ts = "\"timestamp\":\"2026-11-26T10:00:00Z\"";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"timestamp\":", "malformed_json", "not valid JSON"),
                Arguments.of("not JSON at all", "hello world", "malformed_json", "not valid JSON"),
                Arguments.of("unclosed string", "{" + ts + ",\"metric\":\"cpu", "malformed_json", "not valid JSON"),
                Arguments.of("trailing garbage", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL + " x", "malformed_json", "not valid JSON"),
                Arguments.of("second object", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL + "{}", "malformed_json", "after the JSON object"),
                Arguments.of("array", "[1,2,3]", "not_an_object", "an array"),
                Arguments.of("bare number", "42", "not_an_object", "a number"),
                Arguments.of("missing timestamp", "{\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "missing_field", "timestamp"),
                Arguments.of("missing metric", "{" + ts + ",\"value\":1" + OK_TAIL, "missing_field", "metric is missing"),
                Arguments.of("missing value", "{" + ts + ",\"metric\":\"cpu_usage\"" + OK_TAIL, "missing_field", "value is missing"),
                Arguments.of("missing component", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1}", "missing_field", "component is missing"),
                Arguments.of("several missing", "{" + ts + "}", "missing_field", "metric, value, component are missing"),
                Arguments.of("null value", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":null" + OK_TAIL, "missing_field", "value is null"),
                Arguments.of("value as string", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":\"12\"" + OK_TAIL, "wrong_type", "value must be a number, got string \"12\""),
                Arguments.of("value as boolean", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":true" + OK_TAIL, "wrong_type", "got a boolean"),
                Arguments.of("value as object", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":{\"v\":1}" + OK_TAIL, "wrong_type", "got an object"),
                Arguments.of("value overflows double", "{" + ts + ",\"metric\":\"custom\",\"value\":1e400" + OK_TAIL, "not_finite", "1e400"),
                Arguments.of("NaN literal", "{" + ts + ",\"metric\":\"custom\",\"value\":NaN" + OK_TAIL, "malformed_json", "not valid JSON"),
                Arguments.of("metric as number", "{" + ts + ",\"metric\":7,\"value\":1" + OK_TAIL, "wrong_type", "metric must be a string, got a number 7"),
                Arguments.of("component as array", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"component\":[\"a\"]}", "wrong_type", "component must be a string"),
                Arguments.of("host as number", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"host\":12" + OK_TAIL, "wrong_type", "host must be a string"),
                Arguments.of("timestamp garbage", "{\"timestamp\":\"yesterday\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "bad_timestamp", "'yesterday'"),
                Arguments.of("timestamp without offset", "{\"timestamp\":\"2026-11-26T10:00:00\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "bad_timestamp", "has no UTC offset"),
                Arguments.of("impossible date", "{\"timestamp\":\"2026-02-30T10:00:00Z\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "bad_timestamp", "2026-02-30"),
                Arguments.of("timestamp as boolean", "{\"timestamp\":true,\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "wrong_type", "timestamp must be a string or epoch milliseconds"),
                Arguments.of("fractional epoch", "{\"timestamp\":1764151200000.5,\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "wrong_type", "whole milliseconds"),
                Arguments.of("epoch in seconds (1970)", "{\"timestamp\":1764151200,\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "timestamp_out_of_range", "1764151200"),
                Arguments.of("epoch in seconds, the hint", "{\"timestamp\":1764151200,\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL,
                        "timestamp_out_of_range", "read as seconds it would be 2025-11-26T10:00:00Z (--set ingest.epoch-unit=seconds, or multiply by 1000)"),
                Arguments.of("year 2150", "{\"timestamp\":\"2150-01-01T00:00:00Z\",\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "timestamp_out_of_range", "2150-01-01"),
                Arguments.of("huge epoch", "{\"timestamp\":99999999999999999999999,\"metric\":\"cpu_usage\",\"value\":1" + OK_TAIL, "timestamp_out_of_range", "too large"),
                Arguments.of("empty metric", "{" + ts + ",\"metric\":\"\",\"value\":1" + OK_TAIL, "invalid_name", "metric '' is not valid: it is empty"),
                Arguments.of("metric with space", "{" + ts + ",\"metric\":\"cpu usage\",\"value\":1" + OK_TAIL, "invalid_name", "character ' ' at position 4"),
                Arguments.of("component with pipe", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"component\":\"a|b\"}", "invalid_name", "character '|'"),
                Arguments.of("component too long", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"component\":\"" + "c".repeat(200) + "\"}", "invalid_name", "200 characters long, the limit is 128"),
                Arguments.of("control character in host", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"host\":\"h\\u0001\"" + OK_TAIL, "invalid_name", "\\u0001"),
                Arguments.of("cpu above 100", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":250" + OK_TAIL, "out_of_range", "cpu_usage value 250.0 must be between 0 and 100"),
                Arguments.of("negative memory", "{" + ts + ",\"metric\":\"memory_usage\",\"value\":-1" + OK_TAIL, "out_of_range", "between 0 and 100"),
                Arguments.of("hit rate above 1", "{" + ts + ",\"metric\":\"cache_hit_rate\",\"value\":1.2" + OK_TAIL, "out_of_range", "between 0 and 1"),
                Arguments.of("error rate in percent", "{" + ts + ",\"metric\":\"error_rate\",\"value\":5" + OK_TAIL, "out_of_range", "error_rate value 5.0"),
                Arguments.of("negative response time", "{" + ts + ",\"metric\":\"response_time\",\"value\":-4" + OK_TAIL, "out_of_range", "not negative"),
                Arguments.of("negative disk io", "{" + ts + ",\"metric\":\"disk_io\",\"value\":-4" + OK_TAIL, "out_of_range", "disk_io"),
                Arguments.of("negative queue depth", "{" + ts + ",\"metric\":\"queue_depth\",\"value\":-1" + OK_TAIL, "out_of_range", "queue_depth"),
                Arguments.of("custom value beyond 1e15", "{" + ts + ",\"metric\":\"custom\",\"value\":1e18" + OK_TAIL, "out_of_range", "ingest.max-abs-value"),
                Arguments.of("unit mismatch", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":5,\"unit\":\"ms\"" + OK_TAIL, "unit_mismatch", "unit 'ms' does not match cpu_usage, which is measured in percent"),
                Arguments.of("seconds for a latency", "{" + ts + ",\"metric\":\"response_time\",\"value\":0.2,\"unit\":\"s\"" + OK_TAIL, "unit_mismatch", "measured in ms"),
                Arguments.of("duplicate key", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"value\":2" + OK_TAIL, "duplicate_key", "'value' appears more than once"),
                Arguments.of("unknown field", "{" + ts + ",\"metric\":\"cpu_usage\",\"valeu\":1" + OK_TAIL, "unknown_field", "'valeu'"),
                Arguments.of("tags not an object", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"tags\":\"a=b\"" + OK_TAIL, "invalid_tags", "tags must be an object"),
                Arguments.of("tag value a number", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"tags\":{\"shard\":3}" + OK_TAIL, "invalid_tags", "tag 'shard' must be a string"),
                Arguments.of("duplicate tag", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"tags\":{\"a\":\"1\",\"a\":\"2\"}" + OK_TAIL, "duplicate_key", "tag 'a'"),
                Arguments.of("bad tag key", "{" + ts + ",\"metric\":\"cpu_usage\",\"value\":1,\"tags\":{\"a b\":\"1\"}" + OK_TAIL, "invalid_tags", "tag key 'a b'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJsonLines")
    void refusesBadJsonLinesWithTheirReason(String kind, String line, String reason, String detailPart) {
        Rejection r = assertThrows(Rejection.class, () -> json(line), kind);
        assertEquals(reason, r.reason().code(), kind + ": " + r.getMessage());
        assertTrue(r.getMessage().contains(detailPart), kind + ": detail '" + r.getMessage() + "' should mention '" + detailPart + "'");
    }

    static Stream<Arguments> badCsvRows() {
        return Stream.of(
                Arguments.of("too few columns", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,1", "csv_columns", "row has 3 columns, the header has 5"),
                Arguments.of("too many columns", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,1,web,h,extra", "csv_columns", "row has 6 columns"),
                Arguments.of("value not a number", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,abc,web,h", "wrong_type", "value 'abc' is not a number"),
                Arguments.of("hex float is not a number", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,0x1p3,web,h", "wrong_type", "0x1p3"),
                Arguments.of("NaN value", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,NaN,web,h", "not_finite", "'NaN'"),
                Arguments.of("empty value", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,,web,h", "missing_field", "column value is empty"),
                Arguments.of("empty component", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,1,,h", "missing_field", "column component is empty"),
                Arguments.of("empty timestamp", CSV_HEADER, ",cpu_usage,1,web,h", "missing_field", "column timestamp is empty"),
                Arguments.of("unclosed quote", CSV_HEADER, "2026-11-26T10:00:00Z,\"cpu_usage,1,web,h", "csv_quoting", "not closed"),
                Arguments.of("stray quote", CSV_HEADER, "2026-11-26T10:00:00Z,cpu\"usage,1,web,h", "csv_quoting", "quote inside an unquoted field"),
                Arguments.of("header without value", "timestamp,metric,component", "2026-11-26T10:00:00Z,cpu_usage,web", "csv_header", "no 'value' column"),
                Arguments.of("header without metric, no option", "timestamp,value", "2026-11-26T10:00:00Z,1", "csv_header", "no 'metric' column and no --metric"),
                Arguments.of("semicolon-separated", "timestamp;value;metric;component", "2026-11-26T10:00:00Z;1;cpu_usage;web", "csv_header",
                        "the file looks ';'-separated; perfwatch reads comma-separated CSV"),
                Arguments.of("header with a column twice", "timestamp,value,value,metric,component", "2026-11-26T10:00:00Z,1,2,cpu_usage,web", "csv_header", "'value' twice"),
                Arguments.of("header with a column twice in two cases", "timestamp,value,Value,metric,component", "2026-11-26T10:00:00Z,1,2,cpu_usage,web", "csv_header", "'Value' twice"),
                Arguments.of("header without timestamp names its columns", "time,value,metric,component", "2026-11-26T10:00:00Z,1,cpu_usage,web", "csv_header",
                        "no 'timestamp' column (its columns: time, value, metric, component;"),
                Arguments.of("out of range in CSV", CSV_HEADER, "2026-11-26T10:00:00Z,cpu_usage,101,web,h", "out_of_range", "cpu_usage value 101.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCsvRows")
    void refusesBadCsvRowsWithTheirReason(String kind, String header, String row, String reason, String detailPart) {
        Rejection r = assertThrows(Rejection.class, () -> csv(header, row), kind);
        assertEquals(reason, r.reason().code(), kind + ": " + r.getMessage());
        assertTrue(r.getMessage().contains(detailPart), kind + ": detail '" + r.getMessage() + "' should mention '" + detailPart + "'");
    }

    @Test
    void linesFlaggedByTheReaderAreRefused() {
        Rejection tooLong = assertThrows(Rejection.class, () -> parser.parse(new SourceLine("f", 1, "{\"ti", null, SourceLine.TOO_LONG)));
        assertEquals("line_too_long", tooLong.reason().code());
        Rejection encoding = assertThrows(Rejection.class, () -> parser.parse(new SourceLine("f", 1, "{\uFFFD}", null, SourceLine.BAD_ENCODING)));
        assertEquals("bad_encoding", encoding.reason().code());
        Rejection gzip = assertThrows(Rejection.class, () -> parser.parse(new SourceLine("f.gz", 7, "gzip data ends early after 6 complete lines: Unexpected end of ZLIB input stream", null, SourceLine.BAD_COMPRESSION)));
        assertEquals("bad_compression", gzip.reason().code());
        assertTrue(gzip.getMessage().contains("after 6 complete lines"), gzip.getMessage());
    }

    @Test
    void rejectionsKeepTheEventTimeWhenItWasRead() {
        Rejection r = assertThrows(Rejection.class,
                () -> json("{\"timestamp\":\"2026-11-26T10:00:00Z\",\"metric\":\"cpu_usage\",\"value\":250" + OK_TAIL));
        assertEquals(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli(), r.eventTime());
    }
}
