package io.portcullis.identity.allocation;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.NumericIdentity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.labels.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What REST and metrics read: the identities and the ipcache as the topics say (reserved identities
 * come from code, they are never published). Immutable; the loop thread publishes a new one after each
 * batch that changed something, readers on any thread use whichever one they got.
 */
public final class IdentitySnapshot {

    public static final IdentitySnapshot EMPTY = new IdentitySnapshot(new TreeMap<>(), new IpCache().snapshot());

    private final NavigableMap<Long, Identity> identities;
    private final IpCache ipcache;

    IdentitySnapshot(NavigableMap<Long, Labels> published, IpCache ipcache) {
        TreeMap<Long, Identity> all = new TreeMap<>();
        for (ReservedIdentity r : ReservedIdentity.values()) {
            all.put(r.id(), r.identity());
        }
        published.forEach((id, labels) -> all.put(id, new Identity(id, labels)));
        this.identities = Collections.unmodifiableNavigableMap(all);
        this.ipcache = ipcache;
    }

    /** Reserved identities, then the published ones, by id. */
    public List<Identity> identities() {
        return new ArrayList<>(identities.values());
    }

    public Optional<Identity> identity(long id) {
        return Optional.ofNullable(identities.get(id));
    }

    /** Read-only ipcache: entries and longest-prefix lookups (world when nothing matches). */
    public IpCache ipcache() {
        return ipcache;
    }

    public long countReserved() {
        return identities.keySet().stream().filter(NumericIdentity::isReserved).count();
    }

    public long countGlobal() {
        return identities.keySet().stream()
                .filter(id -> NumericIdentity.hasGlobalScope(id) && !NumericIdentity.isReserved(id)).count();
    }

    public long countLocal() {
        return identities.keySet().stream().filter(NumericIdentity::hasLocalScope).count();
    }
}
