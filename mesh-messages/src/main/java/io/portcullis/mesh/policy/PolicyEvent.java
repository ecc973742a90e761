package io.portcullis.mesh.policy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.portcullis.mesh.Versioned;
import io.portcullis.policy.api.CiliumPolicy;

/**
 * A change on the {@code policies} topic, keyed by the policy's key ({@code ns/name} or a CCNP's name).
 * A deletion is a record, not a tombstone, because endpoints must report being ready at its revision.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PolicyEvent.Applied.class, name = "applied"),
    @JsonSubTypes.Type(value = PolicyEvent.Deleted.class, name = "deleted")
})
public sealed interface PolicyEvent extends Versioned {

    int SCHEMA_VERSION = 1;

    /** Monotonic over all policy changes. */
    long revision();

    String key();

    /**
     * A validated policy, as stored (with server-set metadata).
     *
     * @param revisionSize how many records the revision has (one request may apply several policies);
     *                     readers must not report the revision realized before they applied that many
     *                     records of it. Null (older writers) means one.
     */
    record Applied(int schemaVersion, long revision, String key, CiliumPolicy policy, Integer revisionSize)
            implements PolicyEvent {
        public static Applied of(long revision, CiliumPolicy policy) {
            return new Applied(SCHEMA_VERSION, revision, policy.key(), policy, null);
        }

        public Applied withRevisionSize(int size) {
            return new Applied(schemaVersion, revision, key, policy, size <= 1 ? null : size);
        }

        /** How many records the revision has (at least one). */
        public int recordsInRevision() {
            return revisionSize == null ? 1 : Math.max(1, revisionSize);
        }
    }

    record Deleted(int schemaVersion, long revision, String key) implements PolicyEvent {
        public static Deleted of(long revision, String key) {
            return new Deleted(SCHEMA_VERSION, revision, key);
        }
    }
}
