package io.portcullis.policy.selector;

import io.portcullis.policy.identity.Identity;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which identities each registered selector selects ({@code pkg/policy/selectorcache.go}).
 *
 * <p>Incremental by construction: a new identity is matched once against every registered selector,
 * a new selector once against every known identity, and each returns exactly the selectors whose
 * selections changed, so callers recompute only the policies that use them.
 *
 * <p>Concurrency: not thread-safe. One writer owns it (the policy engine's update loop); readers get
 * immutable snapshots from {@link #selections(Selector)}.
 */
public final class SelectorCache {

    private final Map<Long, Identity> identities = new HashMap<>();
    private final Map<Selector, TreeSet<Long>> selections = new HashMap<>();
    private final Map<Selector, Integer> users = new HashMap<>();
    /** Immutable copies of {@link #selections}, made on first read and dropped when a selection changes. */
    private final Map<Selector, Set<Long>> snapshots = new HashMap<>();

    /** Registers one user of a selector; the first registration computes its selections. */
    public void register(Selector selector) {
        if (users.merge(selector, 1, Integer::sum) == 1) {
            TreeSet<Long> ids = new TreeSet<>();
            for (Identity id : identities.values()) {
                if (selector.matches(id.labels())) {
                    ids.add(id.id());
                }
            }
            selections.put(selector, ids);
        }
    }

    /** Drops one user; the last one removes the selector. */
    public void unregister(Selector selector) {
        Integer n = users.get(selector);
        if (n == null) {
            return;
        }
        if (n == 1) {
            users.remove(selector);
            selections.remove(selector);
            snapshots.remove(selector);
        } else {
            users.put(selector, n - 1);
        }
    }

    /** Adds or replaces an identity; returns the selectors whose selections changed. */
    public Set<Selector> upsertIdentity(Identity identity) {
        Identity old = identities.put(identity.id(), identity);
        if (old != null && old.labels().equals(identity.labels())) {
            return Set.of();
        }
        Set<Selector> changed = new HashSet<>();
        selections.forEach((sel, ids) -> {
            boolean now = sel.matches(identity.labels());
            boolean before = ids.contains(identity.id());
            if (now && !before) {
                ids.add(identity.id());
                changed.add(sel);
            } else if (!now && before) {
                ids.remove(identity.id());
                changed.add(sel);
            }
        });
        changed.forEach(snapshots::remove);
        return changed;
    }

    /** Removes an identity; returns the selectors that had selected it. */
    public Set<Selector> removeIdentity(long id) {
        if (identities.remove(id) == null) {
            return Set.of();
        }
        Set<Selector> changed = new HashSet<>();
        selections.forEach((sel, ids) -> {
            if (ids.remove(id)) {
                changed.add(sel);
            }
        });
        changed.forEach(snapshots::remove);
        return changed;
    }

    public void upsertAll(Collection<Identity> all) {
        all.forEach(this::upsertIdentity);
    }

    /**
     * The identities a registered selector selects (sorted, immutable); empty when unknown. The same
     * snapshot is returned until the selection changes, so resolving many policies copies it once.
     */
    public Set<Long> selections(Selector selector) {
        Set<Long> snap = snapshots.get(selector);
        if (snap == null) {
            TreeSet<Long> ids = selections.get(selector);
            if (ids == null) {
                return Set.of();
            }
            snap = Collections.unmodifiableSortedSet(new TreeSet<>(ids));
            snapshots.put(selector, snap);
        }
        return snap;
    }

    /** True when a registered selector selects the identity. */
    public boolean selects(Selector selector, long id) {
        if (selector.isWildcard()) {
            return true;
        }
        Set<Long> ids = selections.get(selector);
        return ids != null ? ids.contains(id) : (identities.containsKey(id) && selector.matches(identities.get(id).labels()));
    }

    public Identity identity(long id) {
        return identities.get(id);
    }

    public Collection<Identity> identities() {
        return identities.values();
    }

    public int selectorCount() {
        return selections.size();
    }
}
