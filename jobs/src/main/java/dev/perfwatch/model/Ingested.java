package dev.perfwatch.model;

/**
 * What a source made of one input line or message: a validated sample, a dead letter (the line
 * refused, with its reason), or neither (a blank line or a CSV header, counted and skipped). Sources
 * parse, so watermarks can be set where records are read (per file, per Kafka partition).
 */
public class Ingested {

    /** The accepted sample, or null. */
    public MetricSample sample;
    /** The refused line, or null. */
    public DeadLetter rejected;
    /** Neither: the line was a CSV file's header row (else a blank line). */
    public boolean header;
    /** Not a line: the file of this origin has been read to its end (counted, for progress). */
    public String fileDone;

    public Ingested() {}

    public static Ingested accepted(MetricSample sample) {
        Ingested i = new Ingested();
        i.sample = sample;
        return i;
    }

    public static Ingested refused(DeadLetter letter) {
        Ingested i = new Ingested();
        i.rejected = letter;
        return i;
    }

    /** The mark a file's reader sends after its last line. */
    public static Ingested endOfFile(String origin) {
        Ingested i = new Ingested();
        i.fileDone = origin;
        return i;
    }

    /** A line that carries no sample and is no error: blank, or a CSV header row. */
    public static Ingested skipped(boolean header) {
        Ingested i = new Ingested();
        i.header = header;
        return i;
    }

    /** The sample's event time; {@link Long#MIN_VALUE} for anything else, which moves no watermark. */
    public long eventTime() {
        return sample != null ? sample.timestamp : Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return sample != null ? sample.toString() : rejected != null ? rejected.toString() : "skipped";
    }
}
