package io.portcullis.compiler.compile;

import io.portcullis.mesh.Versioned;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one flush publishes on the endpoint-policies topic, in order: endpoint records and tombstones
 * first, then node watermarks.
 *
 * @param recompiled endpoints whose policy the engine had to resolve again
 * @param nanos      time spent computing (not publishing)
 */
public record Publication(List<Out> records, int recompiled, long nanos) {

    public Publication {
        records = List.copyOf(records);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /**
     * One keyed record; {@link #value()} null is a tombstone. Endpoint records are {@link #lazy}: encoded only
     * when {@link #value()} is called (the publisher does, a chunk at a time), so a full flush never holds
     * every endpoint's record at once. Equal when key and value are.
     */
    public static final class Out {

        private final String key;
        private final Supplier<? extends Versioned> source;

        private Out(String key, Supplier<? extends Versioned> source) {
            this.key = key;
            this.source = source;
        }

        public Out(String key, Versioned value) {
            this(key, () -> value);
        }

        /** A record made by {@code source} each time it is asked for (it must give equal values). */
        public static Out lazy(String key, Supplier<? extends Versioned> source) {
            return new Out(key, source);
        }

        public String key() {
            return key;
        }

        public Versioned value() {
            return source.get();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Out other && key.equals(other.key) && Objects.equals(value(), other.value());
        }

        @Override
        public int hashCode() {
            return key.hashCode();
        }

        @Override
        public String toString() {
            return "Out[" + key + "=" + value() + "]";
        }
    }
}
