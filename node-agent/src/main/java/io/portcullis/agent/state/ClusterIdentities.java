package io.portcullis.agent.state;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.labels.Labels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster-wide tables a node needs to name peers: identity → labels (L7 rules match peers by
 * labels) and the ipcache (address → identity for peers that are no local endpoint).
 *
 * <p><b>Concurrency contract:</b> identities are a concurrent map (each entry is read on its own). The
 * ipcache has one writer at a time under {@link #ipLock}; readers use an immutable snapshot that is
 * rebuilt on the first lookup after a change, so replaying thousands of entries copies the table once,
 * not once per entry.
 */
public final class ClusterIdentities {

    private final Map<Long, Identity> identities = new ConcurrentHashMap<>();

    private final Object ipLock = new Object();
    private final IpCache ipcache = new IpCache(); // guarded by ipLock
    private volatile IpCache ipSnapshot = ipcache.snapshot();
    private volatile boolean ipStale;

    public void putIdentity(Identity identity) {
        identities.put(identity.id(), identity);
    }

    public void removeIdentity(long id) {
        identities.remove(id);
    }

    /**
     * The identity with its labels: as published, else the reserved one, else the bare number (labels not
     * seen yet: selectors that need labels do not match it, so L7 rules fail closed for it).
     */
    public Identity identity(long id) {
        Identity known = identities.get(id);
        if (known != null) {
            return known;
        }
        ReservedIdentity reserved = ReservedIdentity.byId(id);
        return reserved != null ? reserved.identity() : new Identity(id, Labels.of());
    }

    public int identityCount() {
        return identities.size();
    }

    public void upsertPrefix(String prefix, long identity, String source) {
        synchronized (ipLock) {
            ipcache.upsert(prefix, identity, source);
            ipStale = true;
        }
    }

    public void removePrefix(String prefix) {
        synchronized (ipLock) {
            ipcache.remove(prefix);
            ipStale = true;
        }
    }

    /** Longest-prefix match; world (2) when no entry covers the address. */
    public IpCache.Entry lookup(IpAddress ip) {
        if (ipStale) {
            synchronized (ipLock) {
                if (ipStale) {
                    ipSnapshot = ipcache.snapshot();
                    ipStale = false;
                }
            }
        }
        return ipSnapshot.lookup(ip);
    }
}
