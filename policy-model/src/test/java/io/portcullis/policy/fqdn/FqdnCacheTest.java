package io.portcullis.policy.fqdn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TTL expiry, zombies, limits, flush and the global name index of the FQDN cache (CILIUM-SEMANTICS §4.4). */
class FqdnCacheTest {

    private static final long T0 = 1_000_000;
    private static final String EP = "default/client";

    private static FqdnCache cache() {
        return new FqdnCache(FqdnCache.Settings.DEFAULTS);
    }

    @Test
    void learnsNormalisedNamesAndReportsNewIps() {
        FqdnCache c = cache();
        assertThat(c.observe(EP, "WWW.Example.COM.", List.of("10.0.0.1", "10.0.0.2"), 60, T0))
                .containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
        assertThat(c.namesOf("10.0.0.1")).containsExactly("www.example.com");
        // the same answer again changes no IP's names
        assertThat(c.observe(EP, "www.example.com", List.of("10.0.0.1"), 60, T0 + 10)).isEmpty();
        // another endpoint's answer for the same IP: global view is the union, no change of names
        assertThat(c.observe("default/other", "www.example.com", List.of("10.0.0.1"), 60, T0)).isEmpty();
        assertThat(c.observe("default/other", "alias.example.com", List.of("10.0.0.1"), 60, T0)).containsExactly("10.0.0.1");
        assertThat(c.namesOf("10.0.0.1")).containsExactlyInAnyOrder("www.example.com", "alias.example.com");
        assertThat(c.nameCount()).isEqualTo(2);
        assertThat(c.ipCount()).isEqualTo(2);
        assertThat(c.mappingCount()).isEqualTo(4);
    }

    /** ttl, min TTL, GC times (ms after T0) → IP still has names after each GC. */
    @ParameterizedTest(name = "ttl {0}s, min TTL {1}s, GC at {2} and {3} ms: names after = {4}, {5}")
    @CsvSource({
        // expires at 1 s: the GC at 1.5 s makes it a zombie (still counts), the GC at 2 s deletes it
        "1, 0, 1500, 2000, true, false",
        // not expired yet at 0.5 s
        "1, 0, 500, 900, true, true",
        // a 0 s TTL raised to 10 s by the minimum TTL
        "0, 10, 1500, 2000, true, true",
        // a 0 s TTL: zombie at the first GC, gone at the second
        "0, 0, 1, 2, true, false",
    })
    void expiresThroughZombies(long ttl, long minTtl, long gc1, long gc2, boolean after1, boolean after2) {
        FqdnCache c = new FqdnCache(new FqdnCache.Settings(Duration.ofSeconds(minTtl), 1000, 1000, 10_000, Duration.ZERO));
        c.observe(EP, "a.example", List.of("10.0.0.1"), ttl, T0);
        c.gc(T0 + gc1, (e, ip) -> false);
        assertThat(!c.namesOf("10.0.0.1").isEmpty()).isEqualTo(after1);
        FqdnCache.Removal r = c.gc(T0 + gc2, (e, ip) -> false);
        assertThat(!c.namesOf("10.0.0.1").isEmpty()).isEqualTo(after2);
        assertThat(r.changedIps().contains("10.0.0.1")).isEqualTo(after1 && !after2);
        if (!after2) {
            assertThat(r.emptied()).containsExactly(new FqdnCache.EndpointName(EP, "a.example"));
            assertThat(c.list(null, null)).isEmpty();
            assertThat(c.zombieCount()).isZero();
        }
    }

    @Test
    void zombieInUseIsKeptAndGraceDelaysDeletion() {
        FqdnCache c = new FqdnCache(new FqdnCache.Settings(Duration.ZERO, 1000, 1000, 10_000, Duration.ofSeconds(5)));
        c.observe(EP, "a.example", List.of("10.0.0.1"), 1, T0);
        c.gc(T0 + 2000, (e, ip) -> false); // zombie, delete after T0 + 7 s
        assertThat(c.zombieCount()).isEqualTo(1);
        assertThat(c.list(EP, "a.example")).singleElement().satisfies(m -> assertThat(m.zombie()).isTrue());
        c.gc(T0 + 6000, (e, ip) -> false);
        assertThat(c.namesOf("10.0.0.1")).isNotEmpty(); // in its grace period
        c.gc(T0 + 8000, (e, ip) -> ip.equals("10.0.0.1")); // in use: kept, grace restarts
        assertThat(c.namesOf("10.0.0.1")).isNotEmpty();
        c.gc(T0 + 12_000, (e, ip) -> false);
        assertThat(c.namesOf("10.0.0.1")).isNotEmpty();
        c.gc(T0 + 13_000, (e, ip) -> false);
        assertThat(c.namesOf("10.0.0.1")).isEmpty();
    }

    @Test
    void aNewAnswerRevivesAZombie() {
        FqdnCache c = cache();
        c.observe(EP, "a.example", List.of("10.0.0.1"), 1, T0);
        c.gc(T0 + 2000, (e, ip) -> false);
        assertThat(c.zombieCount()).isEqualTo(1);
        c.observe(EP, "a.example", List.of("10.0.0.1"), 60, T0 + 2500);
        assertThat(c.zombieCount()).isZero();
        c.gc(T0 + 3000, (e, ip) -> false);
        assertThat(c.namesOf("10.0.0.1")).containsExactly("a.example");
    }

    @Test
    void perNameIpLimitEvictsTheOldest() {
        FqdnCache c = new FqdnCache(new FqdnCache.Settings(Duration.ZERO, 2, 1000, 10_000, Duration.ZERO));
        c.observe(EP, "a.example", List.of("10.0.0.1"), 10, T0);
        c.observe(EP, "a.example", List.of("10.0.0.2"), 20, T0);
        c.observe(EP, "a.example", List.of("10.0.0.3"), 30, T0);
        c.gc(T0 + 1, (e, ip) -> false); // 10.0.0.1 expires first: evicted to the zombies
        assertThat(c.evictions()).isEqualTo(1);
        assertThat(c.zombieCount()).isEqualTo(1);
        c.gc(T0 + 2, (e, ip) -> false);
        assertThat(c.namesOf("10.0.0.1")).isEmpty();
        assertThat(c.namesOf("10.0.0.2")).isNotEmpty();
        assertThat(c.namesOf("10.0.0.3")).isNotEmpty();
    }

    @Test
    void namesPerIpLimitEvictsTheOldest() {
        FqdnCache c = new FqdnCache(new FqdnCache.Settings(Duration.ZERO, 1000, 1, 10_000, Duration.ZERO));
        c.observe(EP, "old.example", List.of("10.0.0.1"), 10, T0);
        c.observe(EP, "new.example", List.of("10.0.0.1"), 20, T0);
        c.gc(T0 + 1, (e, ip) -> false);
        c.gc(T0 + 2, (e, ip) -> false);
        assertThat(c.namesOf("10.0.0.1")).containsExactly("new.example");
        assertThat(c.evictions()).isEqualTo(1);
    }

    @Test
    void zombieLimitDropsTheOnesDueFirst() {
        FqdnCache c = new FqdnCache(new FqdnCache.Settings(Duration.ZERO, 1000, 1000, 1, Duration.ofSeconds(10)));
        c.observe(EP, "a.example", List.of("10.0.0.1"), 1, T0);
        c.observe(EP, "b.example", List.of("10.0.0.2"), 1, T0);
        c.gc(T0 + 5000, (e, ip) -> false);
        assertThat(c.zombieCount()).isEqualTo(1);
        assertThat(c.evictions()).isEqualTo(1);
        assertThat(c.ipCount()).isEqualTo(1);
    }

    @Test
    void flushByEndpointAndName() {
        FqdnCache c = cache();
        c.observe(EP, "a.example", List.of("10.0.0.1"), 60, T0);
        c.observe(EP, "b.example", List.of("10.0.0.2"), 60, T0);
        c.observe("default/other", "a.example", List.of("10.0.0.1"), 60, T0);
        FqdnCache.Removal r = c.flush(EP, "A.Example.");
        assertThat(r.emptied()).containsExactly(new FqdnCache.EndpointName(EP, "a.example"));
        assertThat(r.changedIps()).isEmpty(); // the other endpoint still maps it
        assertThat(c.list(null, "a.example")).extracting(FqdnCache.Mapping::endpoint).containsExactly("default/other");
        r = c.flush(null, null);
        assertThat(r.changedIps()).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
        assertThat(c.ips()).isEmpty();
        assertThat(c.nameCount()).isZero();
        assertThat(c.mappingCount()).isZero();
    }

    @Test
    void listIsOrderedAndFiltered() {
        FqdnCache c = cache();
        c.observe("b/x", "z.example", List.of("10.0.0.2", "10.0.0.1"), 60, T0);
        c.observe("a/x", "z.example", List.of("10.0.0.3"), 60, T0);
        assertThat(c.list(null, null)).extracting(FqdnCache.Mapping::ip).containsExactly("10.0.0.3", "10.0.0.1", "10.0.0.2");
        assertThat(c.list("b/x", null)).hasSize(2);
        assertThat(c.list(null, "y.example")).isEmpty();
        assertThat(Set.copyOf(c.ips())).hasSize(3);
    }

    /**
     * Zombies and live connections ("alive", node-agent's connection reports): an expired IP stays while
     * the endpoint that learned it has a connection to it, then the grace period; another endpoint's
     * connection does not keep it. TTL 1 s; GCs every 2 s; the connection is live at GCs up to
     * {@code aliveUntil} ms; expected: does the IP still have names after each GC.
     */
    @ParameterizedTest(name = "grace {0} ms, {2} alive until {1} ms: {3}")
    @CsvSource({
            "0,    0,     default/client, true true false false false false",
            "0,    6000,  default/client, true true true true false false",
            "3000, 6000,  default/client, true true true true true false",
            "0,    6000,  default/other,  true true false false false false",
            "3000, 0,     default/client, true true true false false false",
            "0,    12000, default/client, true true true true true true",
    })
    void zombiesLiveWhileAConnectionUsesThemThenTheGrace(long grace, long aliveUntil, String aliveEndpoint,
                                                          String expected) {
        FqdnCache c = new FqdnCache(new FqdnCache.Settings(Duration.ZERO, 1000, 1000, 10_000, Duration.ofMillis(grace)));
        c.observe(EP, "api.example.com", List.of("10.0.0.9"), 1, T0);
        long[] gcs = {0, 2000, 4000, 6000, 8000, 10_000};
        StringBuilder seen = new StringBuilder();
        for (long at : gcs) {
            c.gc(T0 + at, (e, ip) -> at <= aliveUntil && aliveUntil > 0 && e.equals(aliveEndpoint) && ip.equals("10.0.0.9"));
            seen.append(seen.isEmpty() ? "" : " ").append(!c.namesOf("10.0.0.9").isEmpty());
        }
        assertThat(seen.toString()).isEqualTo(expected);
    }
}
