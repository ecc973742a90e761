package io.portcullis.dnsproxy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.dnsproxy.mesh.SnapshotStore;
import io.portcullis.dnsproxy.support.ControlPlane;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.mapstate.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's rules, folded from the records the control plane publishes, against the seed's DNS case. */
class RulesViewTest {

    static final RuleTopics TOPICS = new RuleTopics(ControlPlane.ENDPOINTS, ControlPlane.IDENTITIES, ControlPlane.IPCACHE,
            ControlPlane.ENDPOINT_IDENTITIES, ControlPlane.ENDPOINT_POLICIES);
    static final ConformanceCase CASE = ControlPlane.loadCase("seed-tofqdn-dns-visibility");

    static RuleState folded(String node) {
        RuleState s = new RuleState(node, TOPICS);
        new ControlPlane("node-1").records(CASE, 1).forEach(r -> s.apply(r.topic(), r.key(), r.value()));
        return s;
    }

    /** Every DNS check of the case: the proxy decides it as the seed says. */
    @Test
    void everyDnsCheckOfTheSeedCaseIsDecidedAsTheSeedSays() {
        RulesView view = folded("node-1").view();
        List<ConformanceCase.Check> dnsChecks = CASE.allSteps().getFirst().checksOrEmpty().stream()
                .filter(c -> c.dns() != null).toList();
        assertThat(dnsChecks).hasSize(8);
        for (ConformanceCase.Check c : dnsChecks) {
            RuleDecision d = view.decide(IpAddress.parse("127.10.4.2"), IpAddress.parse("127.10.4.53"), c.port(),
                    Protocol.parse(c.protocol()), c.dns().qname());
            assertThat(d.outcome()).as(c.toString()).isEqualTo(c.expect().equals("ALLOWED")
                    ? RuleDecision.Outcome.ALLOWED : RuleDecision.Outcome.DENIED);
            assertThat(d.endpoint()).isEqualTo("default/alliance-ship");
        }
    }

    @Test
    void sourcesThatAreNoEndpointOfTheNodeAreUnknown() {
        RulesView view = folded("node-1").view();
        assertThat(view.decide(IpAddress.parse("127.0.0.1"), IpAddress.parse("127.10.4.53"), 53, Protocol.UDP, "cilium.io")
                .outcome()).isEqualTo(RuleDecision.Outcome.UNKNOWN_SOURCE);
        // Another node's proxy does not take this node's endpoints.
        assertThat(folded("node-2").view().decide(IpAddress.parse("127.10.4.2"), IpAddress.parse("127.10.4.53"), 53,
                Protocol.UDP, "cilium.io").outcome()).isEqualTo(RuleDecision.Outcome.UNKNOWN_SOURCE);
    }

    @Test
    void anEndpointWithoutItsMapFailsClosedAndATombstoneRemovesTheMap() {
        RuleState s = folded("node-1");
        IpAddress ship = IpAddress.parse("127.10.4.2");
        IpAddress dns = IpAddress.parse("127.10.4.53");
        assertThat(s.view().decide(ship, dns, 53, Protocol.UDP, "cilium.io").allowed()).isTrue();
        s.apply(ControlPlane.ENDPOINT_POLICIES, "node-1/default/alliance-ship", null);
        RuleDecision d = s.view().decide(ship, dns, 53, Protocol.UDP, "cilium.io");
        assertThat(d.outcome()).isEqualTo(RuleDecision.Outcome.DENIED);
        assertThat(d.reason()).contains("waiting for policy");
    }

    @Test
    void aSnapshotRestoresTheSameDecisions(@TempDir Path dir) throws Exception {
        RuleState live = folded("node-1");
        SnapshotStore store = new SnapshotStore(dir, "node-1");
        store.write(live);
        assertThat(Files.exists(store.file())).isTrue();
        RuleState restored = new RuleState("node-1", TOPICS);
        assertThat(store.restore(restored)).isTrue();
        for (String name : List.of("cilium.io", "x.api.cilium.io", "example.com", "a.b.cilium.io")) {
            for (int port : new int[] {53, 5353}) {
                assertThat(restored.view().decide(IpAddress.parse("127.10.4.2"), IpAddress.parse("127.10.4.53"), port,
                        Protocol.UDP, name)).isEqualTo(live.view().decide(IpAddress.parse("127.10.4.2"),
                        IpAddress.parse("127.10.4.53"), port, Protocol.UDP, name));
            }
        }
        // Another node's file, or garbage, is not restored.
        assertThat(new SnapshotStore(dir, "node-2").restore(new RuleState("node-2", TOPICS))).isFalse();
        Files.writeString(store.file(), "{not json");
        assertThat(store.restore(new RuleState("node-1", TOPICS))).isFalse();
    }
}
