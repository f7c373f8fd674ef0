package dev.perfwatch.io;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The snapshot of a serializer whose format has changed: its version names the format the state was
 * written in, and a restore reads state of an earlier format with that format's serializer, then writes
 * it in the current one (Flink migrates it: {@code compatibleAfterMigration}). Version 3 is the first
 * format, written when these snapshots were Flink's {@code SimpleTypeSerializerSnapshot} (whose version
 * is 3), so a savepoint from before a format change restores.
 */
public abstract class VersionedSnapshot<T> implements TypeSerializerSnapshot<T> {

    /** The first format's version: {@code SimpleTypeSerializerSnapshot}'s. */
    public static final int FIRST = 3;

    private final int currentVersion;
    private final Supplier<? extends TypeSerializer<T>> first;
    private final Supplier<? extends TypeSerializer<T>> current;
    private int readVersion = -1;

    /**
     * currentVersion: the current format's version (above {@link #FIRST}); first: the serializer that reads
     * the first format; current: the one that reads and writes the current format.
     */
    protected VersionedSnapshot(int currentVersion, Supplier<? extends TypeSerializer<T>> first, Supplier<? extends TypeSerializer<T>> current) {
        this.currentVersion = currentVersion;
        this.first = first;
        this.current = current;
    }

    @Override
    public int getCurrentVersion() {
        return currentVersion;
    }

    private int version() {
        return readVersion < 0 ? getCurrentVersion() : readVersion;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {}

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
        if (version < FIRST || version > getCurrentVersion()) {
            throw new IOException(getClass().getName() + ": state written in format version " + version + ", this perfwatch reads "
                    + FIRST + " to " + getCurrentVersion() + " (a savepoint from a newer perfwatch?)");
        }
        readVersion = version;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return version() == FIRST ? first.get() : current.get();
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (old == null || old.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        int oldVersion = ((VersionedSnapshot<T>) old).version();
        return oldVersion == getCurrentVersion()
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }

    @Override
    public boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass() && ((VersionedSnapshot<?>) obj).version() == version();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode() * 31 + version();
    }
}
