package io.portcullis.agent.fqdn;

import io.portcullis.mesh.compiled.NodeRevisionRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where this node read each identity and ipcache record, and the newest node watermark's input offsets:
 * together they say whether the node's realized maps already account for an identity (docs/mesh.md,
 * "FQDN: realized"). The compiler's watermark says how far it had consumed {@code portcullis.identities}
 * and {@code portcullis.ipcache} when it compiled this node's maps; the records before the watermark on
 * the (per-node) partition are realized by the time the watermark is read.
 *
 * <p>Thread-safe: written by the topic consumer threads, read by request threads.
 */
public final class InputOffsets {

    /** Where a record was read. */
    public record At(int partition, long offset) {}

    private final Map<Long, At> identities = new ConcurrentHashMap<>();
    private final Map<String, At> prefixes = new ConcurrentHashMap<>();
    private volatile NodeRevisionRecord watermark;

    public void identity(long id, int partition, long offset, boolean live) {
        if (live) {
            identities.put(id, new At(partition, offset));
        } else {
            identities.remove(id);
        }
    }

    public void prefix(String prefix, int partition, long offset, boolean live) {
        if (live) {
            prefixes.put(prefix, new At(partition, offset));
        } else {
            prefixes.remove(prefix);
        }
    }

    /** The node's newest watermark (by revision; a later one at the same revision replaces it). */
    public synchronized void watermark(NodeRevisionRecord w) {
        NodeRevisionRecord current = watermark;
        if (current == null || w.revision() >= current.revision()) {
            watermark = w;
        }
    }

    /** Whether the identity's record was read here and the compiler had consumed it for this node's maps. */
    public boolean identityCovered(long id) {
        At at = identities.get(id);
        NodeRevisionRecord w = watermark;
        return at != null && w != null && w.covers(NodeRevisionRecord.IDENTITIES, at.partition(), at.offset());
    }

    /** Whether the ipcache record of the prefix was read here and the compiler had consumed it too. */
    public boolean prefixCovered(String prefix) {
        At at = prefixes.get(prefix);
        NodeRevisionRecord w = watermark;
        return at != null && w != null && w.covers(NodeRevisionRecord.IPCACHE, at.partition(), at.offset());
    }
}
