package io.portcullis.identity.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.fqdn.FqdnSelectionRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.policy.identity.NumericIdentity;
import io.portcullis.policy.labels.EndpointLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FQDN selections → local-scope identities and ipcache entries with source fqdn (docs/mesh.md). */
class IdentityCoreFqdnTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final IdentityCore core = new IdentityCore(new IdentityCore.Settings(1, 0, 255, GRACE, EndpointLabels.defaults()));
    private final CoreTopics topics = new CoreTopics(core);
    private final Map<String, IdentityRecord> identities = topics.identities;
    private final Map<String, IpCacheRecord> ipcache = topics.ipcache;

    private void append(List<MeshWrite> writes) {
        topics.append(writes);
    }

    private void select(String ip, String... selectors) {
        append(core.onFqdnSelection(ip, selectors.length == 0 ? null : FqdnSelectionRecord.of(ip, List.of(selectors)), T0));
    }

    @Test
    void selectionGetsALocalIdentityWithFqdnAndCidrLabelsAndAnIpcacheEntry() {
        append(core.activate(List.of(0), T0));
        select("127.200.0.10", "*.cilium.io", "cilium.io");

        assertThat(identities).hasSize(1);
        IdentityRecord id = identities.values().iterator().next();
        assertThat(NumericIdentity.hasLocalScope(id.id())).isTrue();
        assertThat(id.labels()).contains("fqdn:*.cilium.io", "fqdn:cilium.io", "cidr:127.200.0.10/32", "reserved:world");
        assertThat(ipcache).containsExactly(Map.entry("127.200.0.10/32", IpCacheRecord.of("127.200.0.10/32", id.id(), "fqdn")));

        // another IP with the same selectors has other cidr labels: its own identity
        select("127.200.0.11", "*.cilium.io", "cilium.io");
        assertThat(identities).hasSize(2);

        // the selection goes: the ipcache entry goes at once, the identity one grace period later
        select("127.200.0.10");
        assertThat(ipcache).containsOnlyKeys("127.200.0.11/32");
        append(core.gc(T0.plus(GRACE).plusSeconds(1)));
        assertThat(identities).hasSize(1);
    }

    @Test
    void anEndpointsOwnAddressWinsOverAnFqdnSelection() {
        append(core.activate(List.of(0), T0));
        select("10.0.0.1", "example.com");
        EndpointRecord web = new EndpointRecord(EndpointRecord.SCHEMA_VERSION, "n1", "shop", "web", Map.of("app", "web"),
                Map.of(), null, List.of("10.0.0.1"), Map.of());
        append(core.onEndpoint(web.key(), web, T0));
        assertThat(ipcache.get("10.0.0.1/32").source()).isEqualTo("endpoint");
        append(core.onEndpoint(web.key(), null, T0)); // the endpoint goes: the FQDN identity is back
        assertThat(ipcache.get("10.0.0.1/32").source()).isEqualTo("fqdn");
    }

    @Test
    void selectionsReadBeforeTakeoverAreAllocatedOnActivation() {
        select("127.200.0.12", "cilium.io"); // not owner yet: nothing written
        assertThat(identities).isEmpty();
        append(core.activate(List.of(0), T0));
        assertThat(identities).hasSize(1);
        assertThat(ipcache).containsOnlyKeys("127.200.0.12/32");
    }
}
