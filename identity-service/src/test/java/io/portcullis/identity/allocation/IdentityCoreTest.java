package io.portcullis.identity.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.identity.allocation.MeshWrite.Output;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.policy.identity.IdentityRange;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The core without Kafka: a small in-memory "log" plays the topics, and every write is fed back to every
 * core, as the view consumers do.
 */
class IdentityCoreTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** The output topics as compacted key → value maps, plus every write in order. */
    private static final class Log {
        final Map<String, IdentityRecord> identities = new TreeMap<>();
        final Map<String, EndpointIdentityRecord> endpointIdentities = new TreeMap<>();
        final Map<String, IpCacheRecord> ipcache = new TreeMap<>();
        final List<MeshWrite> all = new ArrayList<>();
        final List<IdentityCore> readers = new ArrayList<>();

        /** Appends writes and feeds them to every core until nothing more is written. */
        void append(List<MeshWrite> writes) {
            Deque<MeshWrite> queue = new ArrayDeque<>(writes);
            while (!queue.isEmpty()) {
                MeshWrite w = queue.poll();
                all.add(w);
                switch (w.topic()) {
                    case IDENTITIES -> put(identities, w.key(), (IdentityRecord) w.value());
                    case ENDPOINT_IDENTITIES -> put(endpointIdentities, w.key(), (EndpointIdentityRecord) w.value());
                    case IPCACHE -> put(ipcache, w.key(), (IpCacheRecord) w.value());
                }
                for (IdentityCore c : readers) {
                    switch (w.topic()) {
                        case IDENTITIES -> queue.addAll(c.onIdentity(Long.parseLong(w.key()), (IdentityRecord) w.value()));
                        case ENDPOINT_IDENTITIES -> c.onEndpointIdentity(w.key(), (EndpointIdentityRecord) w.value());
                        case IPCACHE -> c.onIpCache(w.key(), (IpCacheRecord) w.value());
                    }
                }
            }
        }

        /** An endpoint record (or tombstone) on the endpoints topic, read by every core. */
        void endpoint(String key, EndpointRecord r, Instant now) {
            List<MeshWrite> out = new ArrayList<>();
            readers.forEach(c -> out.addAll(c.onEndpoint(key, r, now)));
            append(out);
        }

        /** A new core that replays the topics from the beginning (compacted state). */
        IdentityCore replayInto(IdentityCore c, Map<String, EndpointRecord> endpoints) {
            endpoints.forEach((k, r) -> c.onEndpoint(k, r, T0));
            identities.forEach((k, r) -> c.onIdentity(Long.parseLong(k), r));
            endpointIdentities.forEach(c::onEndpointIdentity);
            ipcache.forEach(c::onIpCache);
            readers.add(c);
            return c;
        }

        long idOf(String endpointKey) {
            return endpointIdentities.get(endpointKey).identity();
        }

        private static <V> void put(Map<String, V> m, String k, V v) {
            if (v == null) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        }
    }

    private static IdentityCore core(int slices) {
        return new IdentityCore(new IdentityCore.Settings(slices, 0, 255, GRACE, EndpointLabels.defaults()));
    }

    private static EndpointRecord ep(String node, String ns, String name, Map<String, String> labels, String... ips) {
        return new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, ns, name, labels, Map.of(), null, List.of(ips), Map.of());
    }

    private final Log log = new Log();

    private IdentityCore soleOwner() {
        IdentityCore c = core(1);
        log.readers.add(c);
        log.append(c.activate(List.of(0), T0));
        return c;
    }

    @Test
    void endpointGetsIdentityEndpointIdentityAndIpcacheEntries() {
        soleOwner();
        EndpointRecord web = ep("n1", "shop", "web-1", Map.of("app", "web", "pod-template-hash", "abc"), "10.0.0.1", "fd00::1");
        log.endpoint(web.key(), web, T0);

        assertThat(log.identities).containsOnlyKeys("256");
        assertThat(log.identities.get("256").labels()).containsExactly(
                "k8s:app=web",
                "k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop",
                "k8s:io.cilium.k8s.policy.cluster=default",
                "k8s:io.cilium.k8s.policy.serviceaccount=default",
                "k8s:io.kubernetes.pod.namespace=shop"); // pod-template-hash is no identity label
        assertThat(log.endpointIdentities).containsExactly(Map.entry("n1/shop/web-1", EndpointIdentityRecord.of("n1/shop/web-1", 256)));
        assertThat(log.ipcache).containsOnly(
                Map.entry("10.0.0.1/32", IpCacheRecord.of("10.0.0.1/32", 256, "endpoint")),
                Map.entry("fd00::1/128", IpCacheRecord.of("fd00::1/128", 256, "endpoint")));
    }

    @Test
    void sameIdentityLabelsShareOneIdentityAcrossNodes() {
        IdentityCore c = soleOwner();
        log.endpoint("n1/shop/web-1", ep("n1", "shop", "web-1", Map.of("app", "web", "pod-template-hash", "a"), "10.0.0.1"), T0);
        log.endpoint("n2/shop/web-2", ep("n2", "shop", "web-2", Map.of("app", "web", "pod-template-hash", "b"), "10.0.0.2"), T0);
        log.endpoint("n2/shop/db", ep("n2", "shop", "db", Map.of("app", "db"), "10.0.0.3"), T0);

        assertThat(log.idOf("n1/shop/web-1")).isEqualTo(log.idOf("n2/shop/web-2")).isEqualTo(256);
        assertThat(log.idOf("n2/shop/db")).isEqualTo(257);
        assertThat(log.all.stream().filter(w -> w.topic() == Output.IDENTITIES)).hasSize(2);
        assertThat(c.references(256)).isEqualTo(2);
    }

    @Test
    void labelChangeMovesEndpointAndReleasesOldIdentityAfterGrace() {
        IdentityCore c = soleOwner();
        log.endpoint("n1/shop/web-1", ep("n1", "shop", "web-1", Map.of("app", "web"), "10.0.0.1"), T0);
        log.endpoint("n1/shop/web-1", ep("n1", "shop", "web-1", Map.of("app", "web", "tier", "front"), "10.0.0.1"), T0.plusSeconds(1));

        assertThat(log.idOf("n1/shop/web-1")).isEqualTo(257);
        assertThat(log.ipcache.get("10.0.0.1/32").identity()).isEqualTo(257);
        assertThat(c.references(256)).isZero();

        log.append(c.gc(T0.plusSeconds(30)));
        assertThat(log.identities).containsKeys("256", "257");
        log.append(c.gc(T0.plusSeconds(31)));
        assertThat(log.identities).containsOnlyKeys("257");
    }

    @Test
    void removalTombstonesEndpointEntriesAndGcFreesTheIdentity() {
        IdentityCore c = soleOwner();
        log.endpoint("n1/shop/web-1", ep("n1", "shop", "web-1", Map.of("app", "web"), "10.0.0.1"), T0);
        log.endpoint("n1/shop/web-1", null, T0);

        assertThat(log.endpointIdentities).isEmpty();
        assertThat(log.ipcache).isEmpty();
        assertThat(log.identities).containsOnlyKeys("256");
        log.append(c.gc(T0.plus(GRACE)));
        assertThat(log.identities).isEmpty();
        assertThat(log.all.getLast()).isEqualTo(new MeshWrite(Output.IDENTITIES, "256", null));
    }

    @Test
    void reacquireWithinGraceKeepsTheNumber() {
        IdentityCore c = soleOwner();
        log.endpoint("n1/shop/web-1", ep("n1", "shop", "web-1", Map.of("app", "web"), "10.0.0.1"), T0);
        log.endpoint("n1/shop/web-1", null, T0);
        log.endpoint("n3/shop/web-9", ep("n3", "shop", "web-9", Map.of("app", "web"), "10.0.0.9"), T0.plusSeconds(10));
        log.append(c.gc(T0.plusSeconds(100)));

        assertThat(log.idOf("n3/shop/web-9")).isEqualTo(256);
        assertThat(log.identities).containsOnlyKeys("256");
    }

    @Test
    void addressClaimedTwiceGoesToTheLowestEndpointKey() {
        soleOwner();
        log.endpoint("n2/a/x", ep("n2", "a", "x", Map.of("app", "x"), "10.0.0.7"), T0);
        log.endpoint("n1/a/y", ep("n1", "a", "y", Map.of("app", "y"), "10.0.0.7"), T0);
        assertThat(log.ipcache.get("10.0.0.7/32").identity()).isEqualTo(log.idOf("n1/a/y"));
        log.endpoint("n1/a/y", null, T0);
        assertThat(log.ipcache.get("10.0.0.7/32").identity()).isEqualTo(log.idOf("n2/a/x"));
    }

    @Test
    void withoutOwnershipNothingIsWritten() {
        IdentityCore c = core(1);
        log.readers.add(c);
        log.endpoint("n1/shop/web-1", ep("n1", "shop", "web-1", Map.of("app", "web"), "10.0.0.1"), T0);
        assertThat(log.all).isEmpty();
        log.append(c.activate(List.of(0), T0)); // ownership arrives later: everything catches up
        assertThat(log.idOf("n1/shop/web-1")).isEqualTo(256);
        assertThat(log.ipcache).containsKey("10.0.0.1/32");
    }

    @Test
    void twoOwnersAgreeOnOneIdPerLabelSetFromDisjointRanges() {
        IdentityCore a = core(2);
        IdentityCore b = core(2);
        log.readers.addAll(List.of(a, b));
        log.append(a.activate(List.of(0), T0));
        log.append(b.activate(List.of(1), T0));
        for (int i = 0; i < 40; i++) {
            String app = "app-" + (i % 10);
            log.endpoint("n" + (i % 3) + "/ns/p" + i, ep("n" + (i % 3), "ns", "p" + i, Map.of("app", app), "10.1.0." + i), T0);
        }
        Map<Long, Set<String>> appsById = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            appsById.computeIfAbsent(log.idOf("n" + (i % 3) + "/ns/p" + i), k -> new java.util.TreeSet<>()).add("app-" + (i % 10));
        }
        assertThat(appsById).hasSize(10).allSatisfy((id, apps) -> assertThat(apps).hasSize(1));
        assertThat(log.identities).hasSize(10);
        Slicing slicing = new Slicing(2);
        log.identities.values().forEach(r -> {
            int slice = slicing.sliceOf(r.toIdentity().labels());
            assertThat(IdentityRange.cluster(0, 255).partition(slice, 2).contains(r.id())).isTrue();
        });
        assertThat(log.identities.values().stream().map(r -> slicing.sliceOf(r.toIdentity().labels())).distinct())
                .containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void restartRestoresIdsAndCountsAndNeverReusesLiveIds() {
        IdentityCore first = soleOwner();
        Map<String, EndpointRecord> endpoints = new HashMap<>();
        IntStream.range(0, 5).forEach(i -> {
            EndpointRecord r = ep("n1", "ns", "p" + i, Map.of("app", "a" + i), "10.2.0." + i);
            endpoints.put(r.key(), r);
            log.endpoint(r.key(), r, T0);
        });
        Map<String, EndpointIdentityRecord> before = new TreeMap<>(log.endpointIdentities);
        log.readers.remove(first);

        IdentityCore second = log.replayInto(core(1), endpoints);
        int written = log.all.size();
        log.append(second.activate(List.of(0), T0.plusSeconds(60)));
        assertThat(log.all).hasSize(written); // nothing to correct
        assertThat(log.endpointIdentities).isEqualTo(before);
        assertThat(second.references(256)).isEqualTo(1);

        EndpointRecord fresh = ep("n1", "ns", "new", Map.of("app", "new"), "10.2.0.99");
        log.endpoint(fresh.key(), fresh, T0.plusSeconds(61));
        assertThat(log.idOf(fresh.key())).isEqualTo(261);
        log.append(second.gc(T0.plusSeconds(1000)));
        assertThat(log.identities).hasSize(6); // all still referenced
    }

    @Test
    void restoredIdentityWithoutEndpointsIsFreedOneGracePeriodAfterTakeover() {
        IdentityCore first = soleOwner();
        log.endpoint("n1/ns/p", ep("n1", "ns", "p", Map.of("app", "a"), "10.3.0.1"), T0);
        log.readers.remove(first);

        // The endpoint went away while no instance ran, and its tombstone was compacted away.
        IdentityCore second = log.replayInto(core(1), Map.of());
        log.append(second.activate(List.of(0), T0));
        assertThat(log.endpointIdentities).isEmpty();
        assertThat(log.ipcache).isEmpty();
        log.append(second.gc(T0));
        log.append(second.gc(T0.plus(GRACE)));
        assertThat(log.identities).isEmpty();
    }

    @Test
    void endpointWaitsForTheOwnerOfItsLabels() {
        IdentityCore a = core(2);
        log.readers.add(a);
        log.append(a.activate(List.of(0, 1), T0));
        // find an endpoint key in slice 0 whose labels are in slice 1, then hand slice 1 to nobody
        Slicing s = new Slicing(2);
        String app = IntStream.range(0, 100).mapToObj(i -> "app-" + i)
                .filter(x -> s.sliceOf(a.identityLabels(ep("n", "ns", "p", Map.of("app", x)))) == 1).findFirst().orElseThrow();
        String key = IntStream.range(0, 100).mapToObj(i -> "n/ns/p" + i).filter(k -> s.sliceOf(k) == 0).findFirst().orElseThrow();
        a.deactivate(List.of(1));
        String name = key.substring("n/ns/".length());
        log.endpoint(key, ep("n", "ns", name, Map.of("app", app), "10.4.0.1"), T0);
        assertThat(log.endpointIdentities).doesNotContainKey(key);

        Labels labels = a.identityLabels(ep("n", "ns", name, Map.of("app", app)));
        long other = IdentityRange.cluster(0, 255).partition(1, 2).first();
        log.append(List.of(new MeshWrite(Output.IDENTITIES, Long.toString(other),
                new IdentityRecord(IdentityRecord.SCHEMA_VERSION, other, labels.asList().stream().map(Label::toString).toList()))));
        assertThat(log.idOf(key)).isEqualTo(other);
    }
}
