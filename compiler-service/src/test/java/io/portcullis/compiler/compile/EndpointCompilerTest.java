package io.portcullis.compiler.compile;

import io.portcullis.mesh.compiled.NodeRevisionRecord;

import static io.portcullis.compiler.Fixtures.allowFrom;
import static io.portcullis.compiler.Fixtures.endpoint;
import static io.portcullis.compiler.Fixtures.identity;
import static io.portcullis.compiler.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.compiler.compile.Publication.Out;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.engine.EngineConfig;
import io.portcullis.policy.engine.PolicyEngine;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which endpoints a change republishes, how records are stamped, and the node watermarks. */
class EndpointCompilerTest {

    private static final EndpointRecord DEATHSTAR = endpoint("node-a", "default", "deathstar",
            Map.of("org", "empire", "class", "deathstar"), List.of("127.10.5.1"), Map.of("http", 80));
    private static final EndpointRecord TIEFIGHTER = endpoint("node-a", "default", "tiefighter",
            Map.of("org", "empire", "class", "tiefighter"), List.of("127.10.5.2"), Map.of());
    private static final EndpointRecord XWING = endpoint("node-b", "default", "xwing",
            Map.of("org", "alliance", "class", "xwing"), List.of("127.10.5.3"), Map.of());

    private final EndpointCompiler compiler = new EndpointCompiler();
    private final Map<String, Identity> identities = new LinkedHashMap<>();

    @BeforeEach
    void threeEndpointsOnTwoNodes() {
        add(DEATHSTAR, 256);
        add(TIEFIGHTER, 257);
        add(XWING, 258);
    }

    private void add(EndpointRecord ep, long id) {
        Identity identity = identity(id, ep);
        identities.put(ep.key(), identity);
        compiler.apply(new Change.Identity(id, IdentityRecord.of(identity)));
        compiler.apply(new Change.Endpoint(ep.key(), ep));
        compiler.apply(new Change.EndpointIdentity(ep.key(), EndpointIdentityRecord.of(ep.key(), id)));
    }

    @Test
    void theFirstFullFlushPublishesEveryEndpointThenEveryWatermark() {
        Publication p = compiler.flush(true);

        assertThat(keys(p)).containsExactly("node-a/default/deathstar", "node-a/default/tiefighter",
                "node-b/default/xwing", "node-a/*", "node-b/*");
        assertThat(watermark(p, "node-a")).isEqualTo(NodeRevisionRecord.of("node-a", 0,
                Map.of("default/deathstar", 0L, "default/tiefighter", 0L)));
        assertThat(p.recompiled()).isEqualTo(3);
        assertThat(compiler.flush(false).isEmpty()).isTrue();
    }

    @Test
    void aPolicyChangeRepublishesOnlyTheEndpointsItSelectsAndEveryWatermarkMovesToItsRevision() {
        compiler.flush(true);
        apply(7, allowFrom("rule1", "deathstar", "empire", 80));
        Publication p = compiler.flush(false);

        assertThat(keys(p)).containsExactly("node-a/default/deathstar", "node-a/*", "node-b/*");
        EndpointPolicyRecord deathstar = record(p, "node-a/default/deathstar");
        assertThat(deathstar.revision()).isEqualTo(7);
        assertThat(deathstar.ingress().enforced()).isTrue();
        assertThat(watermark(p, "node-a").endpoints()).containsExactlyInAnyOrderEntriesOf(
                Map.of("default/deathstar", 7L, "default/tiefighter", 0L));
        assertThat(watermark(p, "node-b")).isEqualTo(NodeRevisionRecord.of("node-b", 7, Map.of("default/xwing", 0L)));
        assertThat(p.recompiled()).isEqualTo(1);
    }

    @Test
    void recordsDecodeToWhatThePureEngineComputes() {
        apply(1, allowFrom("rule1", "deathstar", "empire", 80));
        Publication p = compiler.flush(true);

        PolicyEngine engine = new PolicyEngine(EngineConfig.DEFAULT);
        for (ReservedIdentity r : ReservedIdentity.values()) {
            engine.upsertIdentity(r.identity());
        }
        identities.values().forEach(engine::upsertIdentity);
        engine.upsertPolicy(policy(allowFrom("rule1", "deathstar", "empire", 80)));
        engine.setEgressNamedPorts(Map.of("http", 80));
        for (EndpointRecord ep : List.of(DEATHSTAR, TIEFIGHTER, XWING)) {
            Subject subject = new Subject(identities.get(ep.key()), ep.namedPorts());
            EndpointPolicyRecord published = record(p, ep.key());
            assertThat(published).isEqualTo(EndpointPolicyCodec.encode(ep.node(), ep.id(), 1, engine.policyFor(subject)));
            assertThat(EndpointPolicyCodec.decode(published, subject).mapState())
                    .isEqualTo(engine.policyFor(subject).mapState());
        }
    }

    @Test
    void aChangeThatLeavesTheMapAsItWasPublishesOnlyWatermarks() {
        compiler.flush(true);
        apply(1, allowFrom("rule1", "deathstar", "empire", 80));
        compiler.flush(false);
        // Same rule, other description: the engine resolves deathstar again, the map is the same.
        apply(2, allowFrom("rule1", "deathstar", "empire", 80).replace("spec:\n", "spec:\n  description: again\n"));
        Publication p = compiler.flush(false);

        assertThat(keys(p)).containsExactly("node-a/*", "node-b/*");
        assertThat(p.recompiled()).isEqualTo(1);
        assertThat(watermark(p, "node-a").endpoints()).containsEntry("default/deathstar", 1L);
        assertThat(watermark(p, "node-a").revision()).isEqualTo(2);
    }

    @Test
    void aNewPeerIdentityRepublishesTheEndpointsWhoseSelectorsItJoinsAtTheSameRevision() {
        apply(3, allowFrom("rule1", "deathstar", "empire", 80));
        compiler.flush(true);
        EndpointRecord interceptor = endpoint("node-b", "default", "interceptor",
                Map.of("org", "empire", "class", "interceptor"), List.of("127.10.5.4"), Map.of());
        add(interceptor, 259);
        Publication p = compiler.flush(false);

        assertThat(keys(p)).containsExactly("node-a/default/deathstar", "node-b/default/interceptor", "node-b/*");
        assertThat(record(p, "node-a/default/deathstar").revision()).isEqualTo(3);
        assertThat(record(p, "node-a/default/deathstar").entries()).anyMatch(e -> e.identity() == 259);
        assertThat(watermark(p, "node-b").endpoints()).containsOnlyKeys("default/xwing", "default/interceptor");
    }

    @Test
    void anEndpointIsCompiledOnlyOnceItsIdentityIsKnownAndIsNotListedBefore() {
        compiler.flush(true);
        EndpointRecord probe = endpoint("node-b", "default", "probe", Map.of("class", "probe"), List.of(), Map.of());
        compiler.apply(new Change.Endpoint(probe.key(), probe));
        compiler.apply(new Change.EndpointIdentity(probe.key(), EndpointIdentityRecord.of(probe.key(), 300)));
        Publication waiting = compiler.flush(false);

        assertThat(keys(waiting)).isEmpty();
        assertThat(compiler.state().endpoints().get(probe.key()).identity()).isEqualTo(300L);
        assertThat(compiler.state().endpoints().get(probe.key()).compiled()).isNull();

        compiler.apply(new Change.Identity(300, IdentityRecord.of(identity(300, probe))));
        Publication p = compiler.flush(false);
        assertThat(keys(p)).containsExactly("node-b/default/probe", "node-b/*");
        assertThat(watermark(p, "node-b").endpoints()).containsOnlyKeys("default/xwing", "default/probe");
    }

    @Test
    void deletingEndpointsTombstonesTheirRecordsAndTheWatermarkOfAnEmptiedNode() {
        compiler.flush(true);
        compiler.apply(new Change.Endpoint(XWING.key(), null));
        compiler.apply(new Change.EndpointIdentity(TIEFIGHTER.key(), null));
        Publication p = compiler.flush(false);

        assertThat(p.records()).containsExactly(
                new Out("node-a/default/tiefighter", null),
                new Out("node-b/default/xwing", null),
                new Out("node-a/*", NodeRevisionRecord.of("node-a", 0, Map.of("default/deathstar", 0L))),
                new Out("node-b/*", null));
    }

    @Test
    void aRevisionOfSeveralPoliciesIsStampedOnlyOnceAllItsRecordsAreApplied() {
        compiler.flush(true);
        var first = policy(allowFrom("rule1", "deathstar", "empire", 80));
        var second = policy(allowFrom("rule2", "deathstar", "empire", 443));
        compiler.apply(new Change.Policy(first.key(), PolicyEvent.Applied.of(3, first).withRevisionSize(2)));
        Publication half = compiler.flush(false); // a batch closed between the two records of revision 3

        assertThat(compiler.revision()).isEqualTo(0);
        assertThat(half.records()).extracting(Out::value).allSatisfy(v -> assertThat(switch (v) {
            case EndpointPolicyRecord r -> r.revision();
            case NodeRevisionRecord w -> w.revision();
            default -> 0L;
        }).isLessThan(3));
        compiler.apply(new Change.Policy(second.key(), PolicyEvent.Applied.of(3, second).withRevisionSize(2)));
        Publication whole = compiler.flush(false);
        assertThat(compiler.revision()).isEqualTo(3);
        assertThat(watermark(whole, "node-a").revision()).isEqualTo(3);
    }

    @Test
    void aDeletedPolicyIsARevisionAndRevisionsNeverGoBack() {
        compiler.flush(true);
        apply(5, allowFrom("rule1", "deathstar", "empire", 80));
        compiler.apply(new Change.Policy("default/rule1", PolicyEvent.Deleted.of(6, "default/rule1")));
        compiler.apply(new Change.Policy("default/other", PolicyEvent.Deleted.of(4, "default/other")));
        Publication p = compiler.flush(false);

        assertThat(compiler.revision()).isEqualTo(6);
        // Applied and deleted within one batch: deathstar's map is what it was, nothing but watermarks.
        assertThat(keys(p)).containsExactly("node-a/*", "node-b/*");
        assertThat(watermark(p, "node-a").revision()).isEqualTo(6);
    }

    @Test
    void aRestartTombstonesKeysOfEndpointsAndNodesThatWentAwayWhileItWasDown() {
        compiler.apply(new Change.Published("node-a/default/deathstar", true, null));
        compiler.apply(new Change.Published("node-c/default/gone", true, null));
        compiler.apply(new Change.Published("node-c/*", true, null));
        compiler.apply(new Change.Published("node-d/default/was-deleted", true, null));
        compiler.apply(new Change.Published("node-d/default/was-deleted", false, null));
        Publication p = compiler.flush(true);

        assertThat(keys(p)).containsExactly("node-a/default/deathstar", "node-a/default/tiefighter",
                "node-b/default/xwing", "node-c/default/gone", "node-a/*", "node-b/*", "node-c/*");
        assertThat(p.records()).contains(new Out("node-c/default/gone", null), new Out("node-c/*", null));
    }

    @Test
    void aRestartRepublishesUnchangedMapsWithTheRevisionTheyHadSoNodesSeeNoDifference() {
        apply(1, allowFrom("rule1", "deathstar", "empire", 80));
        Map<String, Object> topic = new LinkedHashMap<>();
        compiler.flush(true).records().forEach(o -> topic.put(o.key(), o.value()));
        apply(2, allowFrom("rule2", "xwing", "alliance", 443));
        compiler.flush(false).records().forEach(o -> topic.put(o.key(), o.value()));

        EndpointCompiler restarted = new EndpointCompiler();
        topic.forEach((k, v) -> restarted.apply(new Change.Published(k, v != null,
                v instanceof EndpointPolicyRecord r ? r : null)));
        for (EndpointRecord ep : List.of(DEATHSTAR, TIEFIGHTER, XWING)) {
            Identity id = identities.get(ep.key());
            restarted.apply(new Change.Identity(id.id(), IdentityRecord.of(id)));
            restarted.apply(new Change.Endpoint(ep.key(), ep));
            restarted.apply(new Change.EndpointIdentity(ep.key(), EndpointIdentityRecord.of(ep.key(), id.id())));
        }
        for (String yaml : List.of(allowFrom("rule1", "deathstar", "empire", 80), allowFrom("rule2", "xwing", "alliance", 443))) {
            var p = policy(yaml);
            restarted.apply(new Change.Policy(p.key(), PolicyEvent.Applied.of(yaml.contains("rule1") ? 1 : 2, p)));
        }
        Map<String, Object> republished = new LinkedHashMap<>();
        restarted.flush(true).records().forEach(o -> republished.put(o.key(), o.value()));

        assertThat(republished).isEqualTo(topic);
        assertThat(restarted.flush(false).isEmpty()).isTrue();
    }

    @Test
    void egressNamedPortsAreTheUnionWithConflictingNamesLeftOut() {
        Map<String, Integer> union = EndpointCompiler.egressNamedPorts(List.of(
                endpoint("n", "a", "x", Map.of(), List.of(), Map.of("http", 80, "dns", 53)),
                endpoint("n", "a", "y", Map.of(), List.of(), Map.of("http", 8080, "metrics", 9090)),
                endpoint("n", "a", "z", Map.of(), List.of(), Map.of("http", 80, "dns", 53))));

        assertThat(union).isEqualTo(Map.of("dns", 53, "metrics", 9090));
    }

    @Test
    void aNewNamedPortRecompilesEveryEndpointButRepublishesOnlyChangedMaps() {
        String egress = """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: to-metrics, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {class: xwing}}
                  egress:
                  - toPorts: [{ports: [{port: metrics, protocol: TCP}]}]
                """;
        apply(1, egress);
        compiler.flush(true);
        EndpointRecord exporter = endpoint("node-b", "default", "exporter", Map.of("class", "exporter"), List.of(),
                Map.of("metrics", 9090));
        add(exporter, 260);
        Publication p = compiler.flush(false);

        assertThat(keys(p)).containsExactly("node-b/default/exporter", "node-b/default/xwing", "node-b/*");
        assertThat(record(p, "node-b/default/xwing").entries()).anyMatch(e -> e.port() == 9090);
    }

    private void apply(long revision, String yaml) {
        var policy = policy(yaml);
        compiler.apply(new Change.Policy(policy.key(), PolicyEvent.Applied.of(revision, policy)));
    }

    @Test
    void consumedIdentityInputOffsetsRepublishEveryWatermarkAfterTheMapsTheyAffect() {
        compiler.flush(true);
        Identity fqdnIp = new Identity(16777217, io.portcullis.policy.labels.Labels.of(
                io.portcullis.policy.labels.Label.of("fqdn", "cilium.io", "")));
        compiler.apply(new Change.Identity(fqdnIp.id(), IdentityRecord.of(fqdnIp)));
        compiler.apply(new Change.InputOffset(NodeRevisionRecord.IDENTITIES, 0, 4));
        compiler.apply(new Change.InputOffset(NodeRevisionRecord.IPCACHE, 2, 9));
        Publication p = compiler.flush(false);

        assertThat(keys(p)).containsExactly("node-a/*", "node-b/*");
        NodeRevisionRecord w = watermark(p, "node-a");
        assertThat(w.inputs()).isEqualTo(Map.of(NodeRevisionRecord.IDENTITIES, Map.of(0, 4L),
                NodeRevisionRecord.IPCACHE, Map.of(2, 9L)));
        assertThat(w.covers(NodeRevisionRecord.IDENTITIES, 0, 3)).isTrue();
        assertThat(w.covers(NodeRevisionRecord.IDENTITIES, 0, 4)).isFalse();
        assertThat(w.covers(NodeRevisionRecord.IDENTITIES, 1, 0)).isFalse();
        assertThat(compiler.flush(false).isEmpty()).isTrue(); // nothing consumed since: nothing republished
    }

    private static List<String> keys(Publication p) {
        return p.records().stream().map(Out::key).toList();
    }

    private static EndpointPolicyRecord record(Publication p, String key) {
        return (EndpointPolicyRecord) p.records().stream().filter(o -> o.key().equals(key)).findFirst()
                .map(Out::value).orElse(null);
    }

    private static NodeRevisionRecord watermark(Publication p, String node) {
        return (NodeRevisionRecord) p.records().stream().filter(o -> o.key().equals(NodeRevisionRecord.key(node)))
                .findFirst().orElseThrow().value();
    }
}
