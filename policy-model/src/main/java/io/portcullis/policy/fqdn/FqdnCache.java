package io.portcullis.policy.fqdn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Per-endpoint caches of DNS answers (name → IPs, each with its expiry) and the global view that is their
 * union (CILIUM-SEMANTICS §4.4). Modelled on Cilium's {@code DNSCache} (per endpoint, min TTL, per-name IP
 * limit) and {@code DNSZombieMappings}, but with one table: an entry {@code (endpoint, name, ip)} is
 * <i>live</i> until its TTL passes, then a <i>zombie</i> that still counts (its IP keeps its names) until
 * a GC finds it dead: not in use ({@code inUse}, e.g. a connection the node still tracks) and past its
 * grace period. So an expired IP is taken away at the earliest one GC after the one that saw it expire.
 *
 * <p>Bounds: at most {@code maxIpsPerName} live IPs per endpoint and name and {@code maxNamesPerIp} live
 * names per endpoint and IP (the oldest go to the zombies at GC, counted as evictions), at most
 * {@code maxZombies} zombies (the ones due first are dropped, counted too). Every mutation answers the IPs
 * whose global name set changed, so the caller recomputes only their selections.
 *
 * <p>Names are normalised: lower case, no trailing dot. Times are epoch milliseconds. Not thread-safe:
 * one thread owns it.
 */
public final class FqdnCache {

    /** Cache limits; the defaults are Cilium's (§4.5) except the zombie grace, which Cilium does not have. */
    public record Settings(Duration minTtl, int maxIpsPerName, int maxNamesPerIp, int maxZombies, Duration zombieGrace) {

        public static final Settings DEFAULTS = new Settings(Duration.ZERO, 1000, 1000, 10_000, Duration.ZERO);

        public Settings {
            Objects.requireNonNull(minTtl, "minTtl");
            Objects.requireNonNull(zombieGrace, "zombieGrace");
            if (maxIpsPerName < 1 || maxNamesPerIp < 1 || maxZombies < 0) {
                throw new IllegalArgumentException("cache limits must be positive");
            }
        }
    }

    /** One cached mapping, as {@code cilium fqdn cache list} shows it. */
    public record Mapping(String endpoint, String name, String ip, long expiresAt, boolean zombie, long deleteAfter) {}

    /** What a GC or flush removed: the IPs whose names changed, and (endpoint, name) pairs now empty. */
    public record Removal(Set<String> changedIps, List<EndpointName> emptied) {}

    public record EndpointName(String endpoint, String name) {}

    private static final class Entry {
        long expiresAt;
        boolean zombie;
        long deleteAfter;

        Entry(long expiresAt) {
            this.expiresAt = expiresAt;
        }
    }

    private final Settings settings;
    /** endpoint → name → ip → entry. */
    private final Map<String, Map<String, Map<String, Entry>>> entries = new HashMap<>();
    /** ip → name → how many endpoints hold the mapping (live or zombie). */
    private Map<String, Map<String, Integer>> namesByIp = new HashMap<>();
    /** name → how many endpoints cache it. */
    private Map<String, Integer> endpointsByName = new HashMap<>();
    private int zombies;
    private long evictions;
    private long mappings;

    public FqdnCache(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * An answer seen by {@code endpoint}: each IP maps to {@code name} until {@code observedAt + ttl}
     * (raised to the minimum TTL). Refreshes an existing mapping (a zombie comes back to life).
     */
    public Set<String> observe(String endpoint, String name, List<String> ips, long ttlSeconds, long observedAt) {
        String n = normalize(name);
        long ttlMs = Math.max(Math.max(0, ttlSeconds) * 1000, settings.minTtl().toMillis());
        long expiresAt = observedAt + ttlMs;
        Map<String, Map<String, Entry>> names = entries.computeIfAbsent(endpoint, k -> new HashMap<>());
        Map<String, Entry> byIp = names.get(n);
        if (byIp == null) {
            byIp = new HashMap<>();
            names.put(n, byIp);
            endpointsByName.merge(n, 1, Integer::sum);
        }
        Set<String> changed = new HashSet<>();
        for (String ip : ips) {
            Entry e = byIp.get(ip);
            if (e == null) {
                byIp.put(ip, new Entry(expiresAt));
                mappings++;
                if (index(ip, n, +1)) {
                    changed.add(ip);
                }
            } else {
                if (e.zombie) {
                    e.zombie = false;
                    zombies--;
                }
                e.expiresAt = Math.max(e.expiresAt, expiresAt);
            }
        }
        return changed;
    }

    /**
     * Expires, enforces the limits and deletes dead zombies. {@code inUse(endpoint, ip)}: whether the
     * endpoint still uses the IP (keeps its zombies alive).
     */
    public Removal gc(long now, BiPredicate<String, String> inUse) {
        Set<String> changed = new HashSet<>();
        List<EndpointName> emptied = new ArrayList<>();
        long grace = settings.zombieGrace().toMillis();
        for (Iterator<Map.Entry<String, Map<String, Map<String, Entry>>>> ei = entries.entrySet().iterator(); ei.hasNext();) {
            Map.Entry<String, Map<String, Map<String, Entry>>> ep = ei.next();
            String endpoint = ep.getKey();
            for (Iterator<Map.Entry<String, Map<String, Entry>>> ni = ep.getValue().entrySet().iterator(); ni.hasNext();) {
                Map.Entry<String, Map<String, Entry>> nm = ni.next();
                String name = nm.getKey();
                int live = 0;
                for (Iterator<Map.Entry<String, Entry>> ii = nm.getValue().entrySet().iterator(); ii.hasNext();) {
                    Map.Entry<String, Entry> m = ii.next();
                    Entry e = m.getValue();
                    if (e.zombie) {
                        if (inUse.test(endpoint, m.getKey())) {
                            e.deleteAfter = Math.max(e.deleteAfter, now + grace);
                        } else if (now >= e.deleteAfter) {
                            ii.remove();
                            zombies--;
                            remove(m.getKey(), name, changed);
                        }
                    } else if (e.expiresAt <= now) {
                        toZombie(e, now + grace);
                    } else {
                        live++;
                    }
                }
                if (live > settings.maxIpsPerName()) {
                    evictOldest(nm.getValue(), live - settings.maxIpsPerName(), now + grace);
                }
                if (nm.getValue().isEmpty()) {
                    ni.remove();
                    nameGone(name);
                    emptied.add(new EndpointName(endpoint, name));
                }
            }
            enforceNamesPerIp(ep.getValue(), now + grace);
            if (ep.getValue().isEmpty()) {
                ei.remove();
            }
        }
        if (zombies > settings.maxZombies()) {
            dropZombies(zombies - settings.maxZombies(), changed, emptied);
        }
        if (!changed.isEmpty() && namesByIp.isEmpty()) {
            namesByIp = new HashMap<>(); // a HashMap never shrinks its table: let a drained one go
        }
        return new Removal(changed, emptied);
    }

    /** Removes every mapping of the endpoint (null: all) and name (null: all), live or zombie. */
    public Removal flush(String endpoint, String name) {
        String n = name == null ? null : normalize(name);
        Set<String> changed = new HashSet<>();
        List<EndpointName> emptied = new ArrayList<>();
        for (Iterator<Map.Entry<String, Map<String, Map<String, Entry>>>> ei = entries.entrySet().iterator(); ei.hasNext();) {
            Map.Entry<String, Map<String, Map<String, Entry>>> ep = ei.next();
            if (endpoint != null && !endpoint.equals(ep.getKey())) {
                continue;
            }
            for (Iterator<Map.Entry<String, Map<String, Entry>>> ni = ep.getValue().entrySet().iterator(); ni.hasNext();) {
                Map.Entry<String, Map<String, Entry>> nm = ni.next();
                if (n != null && !n.equals(nm.getKey())) {
                    continue;
                }
                nm.getValue().forEach((ip, e) -> {
                    if (e.zombie) {
                        zombies--;
                    }
                    remove(ip, nm.getKey(), changed);
                });
                ni.remove();
                nameGone(nm.getKey());
                emptied.add(new EndpointName(ep.getKey(), nm.getKey()));
            }
            if (ep.getValue().isEmpty()) {
                ei.remove();
            }
        }
        if (namesByIp.isEmpty()) {
            namesByIp = new HashMap<>();
        }
        return new Removal(changed, emptied);
    }

    /** The names every endpoint's cache maps the IP to (live and zombie), sorted; empty when none. */
    public Set<String> namesOf(String ip) {
        Map<String, Integer> names = namesByIp.get(ip);
        return names == null ? Set.of() : Set.copyOf(names.keySet());
    }

    /** Every IP with at least one name. */
    public Set<String> ips() {
        return Set.copyOf(namesByIp.keySet());
    }

    /** Mappings filtered by endpoint and name (null: any), ordered by endpoint, name, IP. */
    public List<Mapping> list(String endpoint, String name) {
        String n = name == null ? null : normalize(name);
        List<Mapping> out = new ArrayList<>();
        entries.forEach((ep, names) -> {
            if (endpoint == null || endpoint.equals(ep)) {
                names.forEach((nm, ips) -> {
                    if (n == null || n.equals(nm)) {
                        ips.forEach((ip, e) -> out.add(new Mapping(ep, nm, ip, e.expiresAt, e.zombie, e.zombie ? e.deleteAfter : 0)));
                    }
                });
            }
        });
        out.sort(Comparator.comparing(Mapping::endpoint).thenComparing(Mapping::name).thenComparing(Mapping::ip));
        return out;
    }

    /** Distinct names over all endpoints. */
    public int nameCount() {
        return endpointsByName.size();
    }

    public int ipCount() {
        return namesByIp.size();
    }

    public int zombieCount() {
        return zombies;
    }

    public long evictions() {
        return evictions;
    }

    /** (endpoint, name, ip) mappings held, live and zombie. */
    public long mappingCount() {
        return mappings;
    }

    // ---- internals ---------------------------------------------------------------------------------

    private void nameGone(String name) {
        if (endpointsByName.merge(name, -1, Integer::sum) <= 0) {
            endpointsByName.remove(name);
            if (endpointsByName.isEmpty()) {
                endpointsByName = new HashMap<>(); // let a drained table go
            }
        }
    }

    private void toZombie(Entry e, long deleteAfter) {
        e.zombie = true;
        e.deleteAfter = deleteAfter;
        zombies++;
    }

    /** Turns the {@code count} live entries that expire first into zombies. */
    private void evictOldest(Map<String, Entry> byIp, int count, long deleteAfter) {
        byIp.values().stream().filter(e -> !e.zombie).sorted(Comparator.comparingLong(e -> e.expiresAt)).limit(count)
                .toList().forEach(e -> {
                    toZombie(e, deleteAfter);
                    evictions++;
                });
    }

    /** Per endpoint and IP at most {@code maxNamesPerIp} live names: the ones that expire first go. */
    private void enforceNamesPerIp(Map<String, Map<String, Entry>> names, long deleteAfter) {
        if (names.size() <= settings.maxNamesPerIp()) {
            return; // cannot exceed it with fewer names
        }
        Map<String, List<Entry>> byIp = new HashMap<>();
        names.values().forEach(ips -> ips.forEach((ip, e) -> {
            if (!e.zombie) {
                byIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(e);
            }
        }));
        byIp.values().stream().filter(l -> l.size() > settings.maxNamesPerIp()).forEach(l -> {
            l.sort(Comparator.comparingLong(e -> e.expiresAt));
            l.subList(0, l.size() - settings.maxNamesPerIp()).forEach(e -> {
                toZombie(e, deleteAfter);
                evictions++;
            });
        });
    }

    private void dropZombies(int count, Set<String> changed, List<EndpointName> emptied) {
        record Z(String endpoint, String name, String ip, long deleteAfter) {}
        List<Z> all = new ArrayList<>();
        entries.forEach((ep, names) -> names.forEach((nm, ips) -> ips.forEach((ip, e) -> {
            if (e.zombie) {
                all.add(new Z(ep, nm, ip, e.deleteAfter));
            }
        })));
        all.sort(Comparator.comparingLong(Z::deleteAfter));
        for (Z z : all.subList(0, Math.min(count, all.size()))) {
            Map<String, Map<String, Entry>> names = entries.get(z.endpoint());
            Map<String, Entry> ips = names.get(z.name());
            ips.remove(z.ip());
            zombies--;
            evictions++;
            remove(z.ip(), z.name(), changed);
            if (ips.isEmpty()) {
                names.remove(z.name());
                nameGone(z.name());
                emptied.add(new EndpointName(z.endpoint(), z.name()));
                if (names.isEmpty()) {
                    entries.remove(z.endpoint());
                }
            }
        }
    }

    /** One mapping fewer (its entry is already gone from the table). */
    private void remove(String ip, String name, Set<String> changed) {
        mappings--;
        if (index(ip, name, -1)) {
            changed.add(ip);
        }
    }

    /** Adjusts the count of (ip, name); true when the IP's name set changed. */
    private boolean index(String ip, String name, int delta) {
        Map<String, Integer> names = namesByIp.computeIfAbsent(ip, k -> new TreeMap<>());
        int n = names.getOrDefault(name, 0) + delta;
        if (n > 0) {
            names.put(name, n);
            return delta > 0 && n == 1;
        }
        names.remove(name);
        if (names.isEmpty()) {
            namesByIp.remove(ip);
        }
        return true;
    }
}
