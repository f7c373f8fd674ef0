package dev.perfwatch.io;

import dev.perfwatch.model.SourceLine;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Kafka record values as lines: each value is one JSON record, parsed by the same {@link LineParser} as
 * a file's lines, so a bad value becomes a dead letter with its topic, partition and offset as its
 * origin ({@code kafka:TOPIC/PARTITION}, line = offset). Never throws on bad input.
 */
public final class KafkaLines<T> implements KafkaRecordDeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final LineParser<T> parser;
    private final int maxLineBytes;
    private transient Function<SourceLine, T> parse;
    private transient CharsetDecoder utf8;

    public KafkaLines(LineParser<T> parser, int maxLineBytes) {
        this.parser = parser;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parse = parser.open();
        utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        out.collect(parse.apply(line(record)));
    }

    /** The record's value as a line: flagged when over the size limit or not UTF-8. */
    SourceLine line(ConsumerRecord<byte[], byte[]> record) {
        String origin = "kafka:" + record.topic() + "/" + record.partition();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        int length = value.length;
        while (length > 0 && (value[length - 1] == '\n' || value[length - 1] == '\r')) {
            length--;
        }
        byte kind = SourceLine.RECORD;
        if (length > maxLineBytes) {
            length = maxLineBytes;
            kind = SourceLine.TOO_LONG;
        }
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(value, 0, length)).toString();
        } catch (CharacterCodingException e) {
            text = new String(value, 0, length, StandardCharsets.UTF_8);
            if (kind == SourceLine.RECORD) {
                kind = SourceLine.BAD_ENCODING;
            }
        }
        return new SourceLine(origin, record.offset(), text, null, kind);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return parser.producedType();
    }
}
