package dev.perfwatch.io;

import dev.perfwatch.model.Ingested;
import dev.perfwatch.model.SourceLine;

import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.io.Serializable;
import java.util.function.Function;

/** What a {@link LineFormat} makes of each line it reads. */
public abstract class LineParser<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The lines as read. */
    public static final LineParser<SourceLine> LINES = new Lines();

    public abstract TypeInformation<T> producedType();

    /** A parser for one reader: readers run side by side, and a parser may keep state (a CSV header's layout). */
    public abstract Function<SourceLine, T> open();

    /** The record's event time, {@link Long#MIN_VALUE} when it has none. */
    public abstract long eventTime(T record);

    /** A record that says a file has been read to its end (counted for progress), or null for none. */
    public T endOfFile(String origin) {
        return null;
    }

    private static final class Lines extends LineParser<SourceLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public TypeInformation<SourceLine> producedType() {
            return TypeInformation.of(SourceLine.class);
        }

        @Override
        public Function<SourceLine, SourceLine> open() {
            return line -> line;
        }

        @Override
        public long eventTime(SourceLine record) {
            return Long.MIN_VALUE;
        }

        private Object readResolve() {
            return LINES;
        }
    }

    /** Parsed and validated by a {@link MetricParser}. */
    public static final class Samples extends LineParser<Ingested> {
        private static final long serialVersionUID = 1L;
        private final ParserSettings settings;

        public Samples(ParserSettings settings) {
            this.settings = settings;
        }

        @Override
        public TypeInformation<Ingested> producedType() {
            return TypeInformation.of(Ingested.class);
        }

        @Override
        public Function<SourceLine, Ingested> open() {
            return new MetricParser(settings)::ingest;
        }

        @Override
        public long eventTime(Ingested record) {
            return record.eventTime();
        }

        @Override
        public Ingested endOfFile(String origin) {
            return Ingested.endOfFile(origin);
        }
    }
}
