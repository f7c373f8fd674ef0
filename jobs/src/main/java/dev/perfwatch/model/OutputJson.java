package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper every output record is written with: public fields only, snake_case names,
 * times as ISO-8601 UTC (fields marked {@link IsoTime}), and non-finite numbers as null (JSON has
 * no NaN or infinity).
 */
public final class OutputJson {

    // Characters beyond the BMP as their UTF-8 bytes when writing bytes, as the String form has them
    // (else the UTF-8 writer escapes each half of the surrogate pair). Doubles by Jackson's Schubfach writer:
    // the shortest decimal that reads back as the same double, about 1.5 times as fast as Java 17's
    // Double.toString, which for some values (mostly beyond 1e16) writes a digit more, or a last digit other
    // than the nearest (107.44312393951416 for the double nearest 107.44312393951417; the same double either way).
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .registerModule(new SimpleModule("perfwatch-output")
                    .addSerializer(Double.class, new FiniteOrNull())
                    .addSerializer(double.class, new FiniteOrNull()));

    private OutputJson() {}

    /** One record as a JSON text (no newline), for dead letters, logs, tests and Kafka values. */
    public static String toJson(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One record as a line of output: its JSON text in UTF-8 and a newline (written to files and Kafka as
     * bytes, never turned into a String: a line is shuffled and written as a byte array).
     */
    public static byte[] toJsonLine(Object record) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(256)) {
            MAPPER.writeValue(bytes, record);
            bytes.append('\n');
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Doubles as numbers, NaN and infinities as null. */
    static final class FiniteOrNull extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator json, SerializerProvider provider) throws IOException {
            if (value != null && Double.isFinite(value)) {
                json.writeNumber(value);
            } else {
                json.writeNull();
            }
        }
    }

    /** Epoch milliseconds as ISO-8601 UTC; {@link Long#MIN_VALUE} or null as null. */
    public static final class IsoTime extends JsonSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator json, SerializerProvider provider) throws IOException {
            if (value == null || value == Long.MIN_VALUE) {
                json.writeNull();
            } else {
                json.writeString(Timestamps.iso(value));
            }
        }
    }
}
