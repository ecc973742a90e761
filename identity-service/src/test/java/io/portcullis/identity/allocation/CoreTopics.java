package io.portcullis.identity.allocation;

import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The identities and ipcache "topics" of one {@link IdentityCore}: writes are stored and fed back, as the view consumer does. */
final class CoreTopics {

    final Map<String, IdentityRecord> identities = new TreeMap<>();
    final Map<String, IpCacheRecord> ipcache = new TreeMap<>();
    private final IdentityCore core;

    CoreTopics(IdentityCore core) {
        this.core = core;
    }

    void append(List<MeshWrite> writes) {
        Deque<MeshWrite> q = new ArrayDeque<>(writes);
        while (!q.isEmpty()) {
            MeshWrite w = q.poll();
            switch (w.topic()) {
                case IDENTITIES -> {
                    put(identities, w.key(), (IdentityRecord) w.value());
                    q.addAll(core.onIdentity(Long.parseLong(w.key()), (IdentityRecord) w.value()));
                }
                case IPCACHE -> {
                    put(ipcache, w.key(), (IpCacheRecord) w.value());
                    core.onIpCache(w.key(), (IpCacheRecord) w.value());
                }
                case ENDPOINT_IDENTITIES -> core.onEndpointIdentity(w.key(), null);
            }
        }
    }

    private static <V> void put(Map<String, V> m, String k, V v) {
        if (v == null) {
            m.remove(k);
        } else {
            m.put(k, v);
        }
    }
}
