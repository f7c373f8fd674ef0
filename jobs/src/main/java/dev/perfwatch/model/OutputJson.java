package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
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

    public static final ObjectMapper MAPPER = new ObjectMapper()
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
