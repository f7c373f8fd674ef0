package dev.perfwatch.io;

import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * A record serializer that writes a nested type with that type's serializer (the current format's, or an
 * earlier format's to read state written before a change): two are equal when their nested ones are.
 */
public abstract class NestingSerializer<T, N> extends RecordSerializer<T> {
    private static final long serialVersionUID = 1L;

    protected final TypeSerializer<N> nested;

    protected NestingSerializer(TypeSerializer<N> nested) {
        this.nested = nested;
    }

    @Override
    public boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass() && ((NestingSerializer<?, ?>) obj).nested.equals(nested);
    }

    @Override
    public int hashCode() {
        return getClass().hashCode() * 31 + nested.hashCode();
    }
}
