package io.portcullis.policy.identity;

import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.ip.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The IP/prefix → identity table ({@code pkg/ipcache}): longest-prefix match over IPv4 and IPv6, falling
 * back to the world identity when nothing matches.
 *
 * <p>Structure: one hash map per prefix length and family (33 + 129 at most), probed from the longest
 * non-empty length down. A lookup costs at most one hash probe per length in use — typically a handful.
 *
 * <p><b>Concurrency contract:</b> a single writer. The table itself is not thread-safe: one thread (the
 * ipcache consumer) calls {@link #upsert} and {@link #remove}. Other threads read an immutable
 * {@link #snapshot()} that the writer publishes after a batch of changes (e.g. through a volatile field);
 * a snapshot rejects writes and is safe to share.
 */
public final class IpCache {

    /** One ipcache entry. {@code source} says who put it there (e.g. {@code k8s}, {@code fqdn}, {@code policy}). */
    public record Entry(IpPrefix prefix, long identity, String source) {

        public Entry {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(source, "source");
        }
    }

    /** The source of the world fallback entries, which are never stored. */
    public static final String SOURCE_WORLD = "world";

    private final boolean dualStack;
    private final boolean readOnly;
    private final Family v4;
    private final Family v6;

    /** Single stack: unmatched addresses are world (2). */
    public IpCache() {
        this(false);
    }

    /**
     * @param dualStack when true, unmatched IPv4 addresses are world-ipv4 (9) and IPv6 ones world-ipv6
     *                  (10), as on a Cilium node with both families enabled; otherwise world (2)
     */
    public IpCache(boolean dualStack) {
        this(dualStack, false, new Family(32), new Family(128));
    }

    private IpCache(boolean dualStack, boolean readOnly, Family v4, Family v6) {
        this.dualStack = dualStack;
        this.readOnly = readOnly;
        this.v4 = v4;
        this.v6 = v6;
    }

    /** Sets the identity of a prefix (an address without {@code /} is a host prefix); returns the old entry. */
    public Optional<Entry> upsert(String prefix, long identity, String source) {
        return upsert(IpPrefix.parse(prefix), identity, source);
    }

    public Optional<Entry> upsert(IpPrefix prefix, long identity, String source) {
        checkWritable();
        return Optional.ofNullable(family(prefix.ipv6()).put(new Entry(prefix, identity, source)));
    }

    /** Removes the exact prefix; returns the removed entry. */
    public Optional<Entry> remove(String prefix) {
        return remove(IpPrefix.parse(prefix));
    }

    public Optional<Entry> remove(IpPrefix prefix) {
        checkWritable();
        return Optional.ofNullable(family(prefix.ipv6()).remove(prefix));
    }

    /** The entry stored for exactly this prefix. */
    public Optional<Entry> get(IpPrefix prefix) {
        return Optional.ofNullable(family(prefix.ipv6()).byLength[prefix.bits()]).map(m -> m.get(prefix));
    }

    /** Longest-prefix match; the world entry ({@code /0}, world identity) when nothing matches. */
    public Entry lookup(String ip) {
        return lookup(IpAddress.parse(ip));
    }

    public Entry lookup(InetAddress ip) {
        return lookup(IpAddress.of(ip));
    }

    public Entry lookup(IpAddress ip) {
        Entry hit = family(ip.ipv6()).longestMatch(ip);
        return hit != null ? hit : world(ip.ipv6());
    }

    /** All entries, IPv4 first, by address then length. */
    public List<Entry> list() {
        List<Entry> all = new ArrayList<>(size());
        v4.addAllTo(all);
        v6.addAllTo(all);
        all.sort(Comparator.comparing(Entry::prefix));
        return all;
    }

    public int size() {
        return v4.size + v6.size;
    }

    /** An immutable copy for concurrent readers. */
    public IpCache snapshot() {
        return readOnly ? this : new IpCache(dualStack, true, v4.copy(), v6.copy());
    }

    private Entry world(boolean ipv6) {
        long id = !dualStack ? ReservedIdentity.WORLD.id()
                : ipv6 ? ReservedIdentity.WORLD_IPV6.id() : ReservedIdentity.WORLD_IPV4.id();
        return new Entry(new IpPrefix(ipv6, 0, 0, 0), id, SOURCE_WORLD);
    }

    private Family family(boolean ipv6) {
        return ipv6 ? v6 : v4;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("ipcache snapshot is read-only");
        }
    }

    /** The tables of one address family. */
    private static final class Family {
        /** byLength[n] holds the /n prefixes; null while empty. */
        final Map<IpPrefix, Entry>[] byLength;
        /** Prefix lengths in use, longest first. */
        int[] lengthsInUse = new int[0];
        int size;

        @SuppressWarnings("unchecked")
        Family(int maxBits) {
            byLength = new Map[maxBits + 1];
        }

        Entry put(Entry e) {
            int bits = e.prefix().bits();
            if (byLength[bits] == null) {
                byLength[bits] = new HashMap<>();
                recomputeLengths();
            }
            Entry old = byLength[bits].put(e.prefix(), e);
            if (old == null) {
                size++;
            }
            return old;
        }

        Entry remove(IpPrefix prefix) {
            Map<IpPrefix, Entry> m = byLength[prefix.bits()];
            Entry old = m == null ? null : m.remove(prefix);
            if (old != null) {
                size--;
                if (m.isEmpty()) {
                    byLength[prefix.bits()] = null;
                    recomputeLengths();
                }
            }
            return old;
        }

        Entry longestMatch(IpAddress ip) {
            for (int bits : lengthsInUse) {
                Entry e = byLength[bits].get(new IpPrefix(ip.ipv6(), ip.hi(), ip.lo(), bits));
                if (e != null) {
                    return e;
                }
            }
            return null;
        }

        void addAllTo(List<Entry> out) {
            for (Map<IpPrefix, Entry> m : byLength) {
                if (m != null) {
                    out.addAll(m.values());
                }
            }
        }

        Family copy() {
            Family f = new Family(byLength.length - 1);
            for (int i = 0; i < byLength.length; i++) {
                if (byLength[i] != null) {
                    f.byLength[i] = new HashMap<>(byLength[i]);
                }
            }
            f.lengthsInUse = lengthsInUse.clone();
            f.size = size;
            return f;
        }

        private void recomputeLengths() {
            int n = 0;
            int[] lengths = new int[byLength.length];
            for (int bits = byLength.length - 1; bits >= 0; bits--) {
                if (byLength[bits] != null) {
                    lengths[n++] = bits;
                }
            }
            lengthsInUse = Arrays.copyOf(lengths, n);
        }
    }
}
