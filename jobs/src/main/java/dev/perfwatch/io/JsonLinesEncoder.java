package dev.perfwatch.io;

import dev.perfwatch.model.JsonRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.apache.flink.api.common.serialization.Encoder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writes each record as one JSON object on its own line. */
public final class JsonLinesEncoder<T extends JsonRecord> implements Encoder<T> {

    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Override
    public void encode(T record, OutputStream stream) throws IOException {
        JsonGenerator json = JSON.createGenerator(stream);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.writeStartObject();
        record.writeFields(json);
        json.writeEndObject();
        json.flush();
        stream.write('\n');
    }

    /** One record as a JSON text (no newline), for logs, tests and Kafka values. */
    public static String toJson(JsonRecord record) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            record.writeFields(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
