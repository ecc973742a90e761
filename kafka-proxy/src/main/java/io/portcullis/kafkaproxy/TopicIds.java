package io.portcullis.kafkaproxy;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Uuid;

/**
 * Topic id → name, learned from the Metadata responses the proxy relays (ids are cluster-wide, so one
 * map serves every connection). Produce v13, Fetch v13+, OffsetCommit/OffsetFetch v10 name topics by id
 * only; clients always learn ids from Metadata first, and that Metadata went through this proxy.
 */
public final class TopicIds {

    /** Prefix of the stand-in name for an id never seen: no topic rule can match it, so it fails closed. */
    public static final String UNKNOWN_PREFIX = "topic-id:";

    private final ConcurrentHashMap<Uuid, String> names = new ConcurrentHashMap<>();

    public void learn(Uuid id, String name) {
        if (id != null && !Uuid.ZERO_UUID.equals(id) && name != null && !name.isEmpty()) {
            names.put(id, name);
        }
    }

    /** The name a request means: its own name field when set, else the name of its id. */
    public String name(String name, Uuid id) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        if (id == null || Uuid.ZERO_UUID.equals(id)) {
            return "";
        }
        String known = names.get(id);
        return known != null ? known : UNKNOWN_PREFIX + id;
    }
}
