package io.portcullis.identity.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.fqdn.FqdnSelectionRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.identity.NumericIdentity;
import io.portcullis.policy.identity.PrefixLabels;
import io.portcullis.policy.labels.EndpointLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Prefixes that policies select by CIDR → local-scope CIDR identities, ipcache source cidr, watermarks (docs/mesh.md). */
public class IdentityCoreCidrTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final IdentityCore core = core(1);
    private final CoreTopics topics = new CoreTopics(core);
    private final Map<String, IdentityRecord> identities = topics.identities;
    private final Map<String, IpCacheRecord> ipcache = topics.ipcache;

    private static IdentityCore core(int slices) {
        return new IdentityCore(new IdentityCore.Settings(slices, 0, 255, GRACE, EndpointLabels.defaults()));
    }

    /** A CNP {@code default/<name>} selecting {@code app: a} with the given egress rules (YAML list items). */
    public static CiliumPolicy policy(String name, String egress) {
        return new PolicyParser().parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: %s, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {app: a}}
                  egress:
                %s""".formatted(name, egress.indent(2))).policies().getFirst();
    }

    static PolicyEvent applied(long revision, String name, String egress) {
        return PolicyEvent.Applied.of(revision, policy(name, egress));
    }

    private void apply(long revision, String name, String egress) {
        topics.append(core.onPolicy("default/" + name, applied(revision, name, egress), T0));
    }

    private long idOf(String prefix) {
        return identities.entrySet().stream()
                .filter(e -> e.getValue().toIdentity().labels().equals(PrefixLabels.defaults().forPrefix(prefix)))
                .mapToLong(e -> Long.parseLong(e.getKey())).findFirst().orElseThrow();
    }

    @Test
    void everyPrefixAndExceptGetsALocalCidrIdentityAndAnIpcacheEntry() {
        topics.append(core.activate(List.of(0), T0));
        apply(1, "p", "- toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}]\n- toCIDR: [192.0.2.7]");

        assertThat(identities).hasSize(3);
        assertThat(identities.values()).allSatisfy(r -> assertThat(NumericIdentity.hasLocalScope(r.id())).isTrue());
        assertThat(identities.get(Long.toString(idOf("10.1.0.0/16"))).labels())
                .contains("cidr:10.1.0.0/16", "cidr:10.0.0.0/8", "reserved:world");
        assertThat(ipcache).containsExactlyInAnyOrderEntriesOf(Map.of(
                "10.0.0.0/8", IpCacheRecord.of("10.0.0.0/8", idOf("10.0.0.0/8"), "cidr"),
                "10.1.0.0/16", IpCacheRecord.of("10.1.0.0/16", idOf("10.1.0.0/16"), "cidr"),
                "192.0.2.7/32", IpCacheRecord.of("192.0.2.7/32", idOf("192.0.2.7/32"), "cidr")));
        assertThat(core.watermarks()).containsExactly(Map.entry(0, 1L));
    }

    @Test
    void referencesAreCountedPerPolicyAndReleasedWhenTheLastDropsThePrefix() {
        topics.append(core.activate(List.of(0), T0));
        apply(1, "a", "- toCIDR: [10.0.0.0/8, 172.16.0.0/12]");
        apply(2, "b", "- toCIDR: [10.0.0.0/8]");
        long ten = idOf("10.0.0.0/8");
        assertThat(core.references(ten)).isEqualTo(2);

        // an update of a that drops 172.16/12: its ipcache entry goes at once, its identity after the grace period
        apply(3, "a", "- toCIDR: [10.0.0.0/8]");
        assertThat(ipcache).containsOnlyKeys("10.0.0.0/8");
        assertThat(identities).hasSize(2);
        topics.append(core.gc(T0.plus(GRACE).plusSeconds(1)));
        assertThat(identities).hasSize(1);

        // a deleted, b still names 10/8: nothing changes
        topics.append(core.onPolicy("default/a", PolicyEvent.Deleted.of(4, "default/a"), T0));
        assertThat(core.references(ten)).isEqualTo(1);
        assertThat(ipcache).containsOnlyKeys("10.0.0.0/8");
        // b's key compacted away (a tombstone): the last reference goes
        topics.append(core.onPolicy("default/b", null, T0));
        assertThat(ipcache).isEmpty();
        topics.append(core.gc(T0.plus(GRACE).plusSeconds(1)));
        assertThat(identities).isEmpty();
        assertThat(core.watermarks()).containsExactly(Map.entry(0, 4L));
    }

    @Test
    void endpointAndFqdnEntriesWinForTheSameKey() {
        topics.append(core.activate(List.of(0), T0));
        apply(1, "p", "- toCIDR: [10.0.0.1/32, 10.0.0.2/32]");
        EndpointRecord web = new EndpointRecord(EndpointRecord.SCHEMA_VERSION, "n1", "shop", "web", Map.of("app", "web"),
                Map.of(), null, List.of("10.0.0.1"), Map.of());
        topics.append(core.onEndpoint(web.key(), web, T0));
        topics.append(core.onFqdnSelection("10.0.0.2", FqdnSelectionRecord.of("10.0.0.2", List.of("example.com")), T0));

        assertThat(ipcache.get("10.0.0.1/32").source()).isEqualTo("endpoint");
        assertThat(ipcache.get("10.0.0.2/32").source()).isEqualTo("fqdn");

        topics.append(core.onEndpoint(web.key(), null, T0));
        topics.append(core.onFqdnSelection("10.0.0.2", null, T0));
        assertThat(ipcache.get("10.0.0.1/32")).isEqualTo(IpCacheRecord.of("10.0.0.1/32", idOf("10.0.0.1/32"), "cidr"));
        assertThat(ipcache.get("10.0.0.2/32")).isEqualTo(IpCacheRecord.of("10.0.0.2/32", idOf("10.0.0.2/32"), "cidr"));
    }

    @Test
    void aRevisionOfSeveralRecordsCountsOnceWhole() {
        topics.append(core.activate(List.of(0), T0));
        PolicyEvent.Applied first = ((PolicyEvent.Applied) applied(5, "x", "- toCIDR: [10.0.0.0/8]")).withRevisionSize(2);
        PolicyEvent.Applied second = ((PolicyEvent.Applied) applied(5, "y", "- toCIDR: [11.0.0.0/8]")).withRevisionSize(2);

        topics.append(core.onPolicy("default/x", first, T0));
        assertThat(core.watermarks()).containsExactly(Map.entry(0, 0L));
        topics.append(core.onPolicy("default/y", second, T0));
        assertThat(core.watermarks()).containsExactly(Map.entry(0, 5L));
    }

    @Test
    void aSliceWaitsForAnIdentityAnotherSliceAllocates() {
        // two slices; this core owns only the slice of the prefix text, not the slice of its label set
        IdentityCore other = core(2);
        Slicing s = other.slicing();
        String prefix = IntStream.range(1, 250).mapToObj(i -> "10." + i + ".0.0/16")
                .filter(p -> s.sliceOf(p) == 0 && s.sliceOf(PrefixLabels.defaults().forPrefix(p)) == 1)
                .findFirst().orElseThrow();
        CoreTopics t = new CoreTopics(other);
        t.append(other.activate(List.of(0), T0));
        t.append(other.onPolicy("default/p", applied(7, "p", "- toCIDR: [" + prefix + "]"), T0));
        assertThat(t.identities).isEmpty();
        assertThat(other.watermarks()).as("slice 0 owes the ipcache entry").isEmpty();

        // the owner of slice 1 allocates; once its identity record is read, slice 0 writes the entry
        IdentityCore owner1 = core(2);
        owner1.onPolicy("default/p", applied(7, "p", "- toCIDR: [" + prefix + "]"), T0);
        IdentityRecord allocated = owner1.activate(List.of(1), T0).stream()
                .filter(w -> w.topic() == MeshWrite.Output.IDENTITIES).map(w -> (IdentityRecord) w.value())
                .findFirst().orElseThrow();
        assertThat(owner1.watermarks()).containsExactly(Map.entry(1, 7L));
        t.append(other.onIdentity(allocated.id(), allocated));
        assertThat(t.ipcache).containsExactly(Map.entry(prefix, IpCacheRecord.of(prefix, allocated.id(), "cidr")));
        assertThat(other.watermarks()).containsExactly(Map.entry(0, 7L));
    }

    @Test
    void policiesReadBeforeTakeoverAreAllocatedOnActivation() {
        apply(1, "p", "- toCIDR: [10.0.0.0/8]");
        assertThat(identities).isEmpty();
        assertThat(core.watermarks()).isEmpty();
        topics.append(core.activate(List.of(0), T0));
        assertThat(ipcache).containsOnlyKeys("10.0.0.0/8");
        assertThat(core.watermarks()).containsExactly(Map.entry(0, 1L));
    }
}
