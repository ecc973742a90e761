package io.portcullis.identity.mesh;

import static io.portcullis.identity.mesh.MeshTopics.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.identity.allocation.Slicing;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.policy.identity.IdentityRange;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the service's loop ({@link IdentityLoop}, exactly what the Quarkus app runs) in one
 * consumer group against one real broker: each owns some slices, endpoints with overlapping label sets
 * arrive from several nodes, and every label set gets one number, from its slice's range. Then one
 * instance stops, the other takes over its slices, and a restarted instance rebuilds from the topics:
 * numbers stay, new ones never reuse a live one.
 */
class TwoInstancesKafkaTest extends TwoLoopsOnOneBroker {

    private static IdentityLoop loop() {
        return loop(new IdentityLoop.Topics("portcullis.endpoints", "portcullis.identities", "portcullis.endpoint-identities",
                "portcullis.ipcache", "portcullis.identity-owners"), "identity-it", Duration.ofMinutes(10));
    }

    private static EndpointRecord ep(String node, String name, String app, String ip) {
        return new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, "shop", name, Map.of("app", app), Map.of(),
                "sa", List.of(ip), Map.of());
    }

    private static Labels labelsOf(String app) {
        return EndpointLabels.defaults().identityLabels("shop", Map.of("app", app), Map.of(), "sa");
    }

    /** Apps whose label sets fall into every slice, so both instances must allocate. */
    private static List<String> appsCoveringAllSlices() {
        Slicing slicing = new Slicing(SLICES);
        Map<Integer, List<String>> bySlice = new HashMap<>();
        for (int i = 0; bySlice.values().stream().mapToInt(List::size).sum() < 2 * SLICES || bySlice.size() < SLICES; i++) {
            String app = "app-" + i;
            List<String> l = bySlice.computeIfAbsent(slicing.sliceOf(labelsOf(app)), k -> new ArrayList<>());
            if (l.size() < 2) {
                l.add(app);
            }
        }
        return bySlice.values().stream().flatMap(List::stream).sorted().toList();
    }

    @Test
    void sameLabelsGetOneNumberAcrossInstancesAndRestarts() throws Exception {
        IdentityLoop a = loop();
        IdentityLoop b = loop();
        a.ready().get(60, TimeUnit.SECONDS);
        b.ready().get(60, TimeUnit.SECONDS);
        await("both instances own slices", WAIT, () -> !a.ownedSlices().isEmpty() && !b.ownedSlices().isEmpty()
                && a.ownedSlices().size() + b.ownedSlices().size() == SLICES);
        Set<Integer> all = new HashSet<>(a.ownedSlices());
        all.addAll(b.ownedSlices());
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3);

        List<String> apps = appsCoveringAllSlices();
        List<EndpointRecord> endpoints = new ArrayList<>();
        for (int i = 0; i < 3 * apps.size(); i++) {
            EndpointRecord r = ep("node-" + (i % 3), "pod-" + i, apps.get(i % apps.size()), "10.20." + (i / 200) + "." + (i % 200 + 1));
            endpoints.add(r);
            topics.endpoint(r);
        }
        await("every endpoint has an identity", WAIT,
                () -> topics.read("portcullis.endpoint-identities", EndpointIdentityRecord.class).size() == endpoints.size());

        Map<String, Long> idByApp = assertOneIdPerLabelSet(endpoints);
        assertThat(Set.copyOf(idByApp.values())).hasSize(apps.size());
        await("ipcache has every address", WAIT,
                () -> topics.read("portcullis.ipcache", IpCacheRecord.class).size() == endpoints.size());

        // One instance stops: the other takes over its slices and keeps every number.
        a.close();
        await("b owns every slice", WAIT, () -> b.ownedSlices().size() == SLICES);
        List<EndpointRecord> more = new ArrayList<>(endpoints);
        for (int i = 0; i < apps.size(); i++) {
            EndpointRecord r = ep("node-9", "late-" + i, apps.get(i), "10.30.0." + (i + 1));
            more.add(r);
            topics.endpoint(r);
        }
        EndpointRecord fresh = ep("node-9", "fresh", "brand-new", "10.30.1.1");
        more.add(fresh);
        topics.endpoint(fresh);
        await("late endpoints resolved", WAIT,
                () -> topics.read("portcullis.endpoint-identities", EndpointIdentityRecord.class).size() == more.size());
        assertThat(assertOneIdPerLabelSet(more)).containsAllEntriesOf(idByApp);

        // A new instance rebuilds from the topics and shares the work again; numbers still hold.
        IdentityLoop c = loop();
        try {
            c.ready().get(60, TimeUnit.SECONDS);
            await("c owns slices", WAIT, () -> !c.ownedSlices().isEmpty() && c.ownedSlices().size() + b.ownedSlices().size() == SLICES);
            EndpointRecord again = ep("node-7", "again", apps.getFirst(), "10.30.2.1");
            EndpointRecord newer = ep("node-7", "newer", "newer-app", "10.30.2.2");
            more.add(again);
            more.add(newer);
            topics.endpoint(again);
            topics.endpoint(newer);
            await("endpoints after rejoin resolved", WAIT,
                    () -> topics.read("portcullis.endpoint-identities", EndpointIdentityRecord.class).size() == more.size());
            Map<String, Long> finalIds = assertOneIdPerLabelSet(more);
            assertThat(finalIds).containsAllEntriesOf(idByApp);
            assertThat(c.snapshot().identity(idByApp.get(apps.getFirst()))).isPresent();
        } finally {
            c.close();
            b.close();
        }

        // Everything stopped (as after a SIGKILL of every instance): a fresh one rebuilds it all.
        Set<Long> live = Set.copyOf(assertOneIdPerLabelSet(more).values());
        IdentityLoop d = loop();
        try {
            d.ready().get(60, TimeUnit.SECONDS);
            await("d owns every slice", WAIT, () -> d.ownedSlices().size() == SLICES);
            EndpointRecord back = ep("node-1", "back", apps.getLast(), "10.30.3.1");
            EndpointRecord newest = ep("node-1", "newest", "newest-app", "10.30.3.2");
            more.add(back);
            more.add(newest);
            topics.endpoint(back);
            topics.endpoint(newest);
            await("endpoints after full restart resolved", WAIT,
                    () -> topics.read("portcullis.endpoint-identities", EndpointIdentityRecord.class).size() == more.size());
            Map<String, Long> afterRestart = assertOneIdPerLabelSet(more);
            assertThat(afterRestart).containsAllEntriesOf(idByApp);
            assertThat(live).doesNotContain(afterRestart.get("newest-app"));
            assertThat(d.snapshot().identities()).hasSize(10 + live.size() + 1);
        } finally {
            d.close();
        }
    }

    /** Reads the topics and checks: one id per label set, each from its label set's slice range. */
    private static Map<String, Long> assertOneIdPerLabelSet(List<EndpointRecord> endpoints) {
        Map<String, EndpointIdentityRecord> eids = topics.read("portcullis.endpoint-identities", EndpointIdentityRecord.class);
        Map<String, IdentityRecord> ids = topics.read("portcullis.identities", IdentityRecord.class);
        Map<String, Long> idByApp = new HashMap<>();
        Slicing slicing = new Slicing(SLICES);
        for (EndpointRecord r : endpoints) {
            String app = r.labels().get("app");
            long id = eids.get(r.key()).identity();
            Long earlier = idByApp.putIfAbsent(app, id);
            assertThat(earlier == null ? id : earlier).as("id of %s", app).isEqualTo(id);
            IdentityRecord rec = ids.get(Long.toString(id));
            assertThat(rec).as("identity %d published", id).isNotNull();
            assertThat(rec.toIdentity().labels()).isEqualTo(labelsOf(app));
            int slice = slicing.sliceOf(labelsOf(app));
            assertThat(IdentityRange.cluster(0, 255).partition(slice, SLICES).contains(id))
                    .as("id %d of %s in slice %d's range", id, app, slice).isTrue();
        }
        // distinct label sets never share a number
        assertThat(Set.copyOf(idByApp.values())).hasSameSizeAs(idByApp.keySet());
        return idByApp;
    }
}
