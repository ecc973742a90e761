package io.portcullis.dnsproxy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.dnsproxy.mesh.SnapshotStore;
import io.portcullis.testsupport.mesh.ControlPlaneDouble;
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

    static final RuleTopics TOPICS = new RuleTopics(ControlPlaneDouble.ENDPOINTS, ControlPlaneDouble.IDENTITIES, ControlPlaneDouble.IPCACHE,
            ControlPlaneDouble.ENDPOINT_IDENTITIES, ControlPlaneDouble.ENDPOINT_POLICIES);
    static final ConformanceCase CASE = ControlPlaneDouble.loadCase("seed-tofqdn-dns-visibility");

    static RuleState folded(String node) {
        RuleState s = new RuleState(node, TOPICS);
        new ControlPlaneDouble("node-1").records(CASE, 1).forEach(r -> s.apply(r.topic(), r.key(), r.value()));
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
            assertThat(d.endpoint().id()).isEqualTo("default/alliance-ship");
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
        s.apply(ControlPlaneDouble.ENDPOINT_POLICIES, "node-1/default/alliance-ship", null);
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
                RuleDecision r = restored.view().decide(IpAddress.parse("127.10.4.2"), IpAddress.parse("127.10.4.53"),
                        port, Protocol.UDP, name);
                RuleDecision l = live.view().decide(IpAddress.parse("127.10.4.2"), IpAddress.parse("127.10.4.53"), port,
                        Protocol.UDP, name);
                assertThat(r.outcome()).isEqualTo(l.outcome());
                assertThat(r.reason()).isEqualTo(l.reason());
                assertThat(r.endpoint().id()).isEqualTo(l.endpoint().id());
            }
        }
        // Another node's file, or garbage, is not restored.
        assertThat(new SnapshotStore(dir, "node-2").restore(new RuleState("node-2", TOPICS))).isFalse();
        Files.writeString(store.file(), "{not json");
        assertThat(store.restore(new RuleState("node-1", TOPICS))).isFalse();
    }

    /** A pod deleted and registered again under its name is a new incarnation; an update is not. */
    @Test
    void reRegistrationAfterATombstoneIsANewIncarnation() {
        RuleState s = folded("node-1");
        IpAddress ship = IpAddress.parse("127.10.4.2");
        IpAddress dns = IpAddress.parse("127.10.4.53");
        EndpointKey first = s.view().decide(ship, dns, 53, Protocol.UDP, "cilium.io").endpoint();
        List<ControlPlaneDouble.MeshRecord> again = new ControlPlaneDouble("node-1").records(CASE, 2);
        again.forEach(r -> s.apply(r.topic(), r.key(), r.value())); // the same records once more: an update
        assertThat(s.view().decide(ship, dns, 53, Protocol.UDP, "cilium.io").endpoint()).isEqualTo(first);
        assertThat(s.view().endpoints()).contains(first);

        s.apply(ControlPlaneDouble.ENDPOINTS, "node-1/default/alliance-ship", null);
        assertThat(s.view().endpoints()).extracting(EndpointKey::id).doesNotContain("default/alliance-ship");
        again.forEach(r -> s.apply(r.topic(), r.key(), r.value()));
        EndpointKey second = s.view().decide(ship, dns, 53, Protocol.UDP, "cilium.io").endpoint();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.incarnation()).isNotEqualTo(first.incarnation());
        assertThat(s.view().endpoints()).contains(second).doesNotContain(first);
    }

    /** Only names some toFQDNs selector of the node's maps selects are worth holding an answer for. */
    @Test
    void theNodesToFqdnSelectorsSayWhichNamesAreSelected() {
        RulesView view = folded("node-1").view();
        record Case(String name, boolean selected) {}
        for (Case c : List.of(new Case("cilium.io", true), new Case("CILIUM.IO.", true), new Case("sub.cilium.io", true),
                new Case("service1.api.cilium.io", true), new Case("special-region1-service.api.cilium.io", true),
                new Case("anothersub.cilium.io", false), new Case("region1-service.api.cilium.io", false),
                new Case("example.com", false), new Case("x.sub.cilium.io", false))) {
            assertThat(view.fqdnSelected(c.name())).as(c.name()).isEqualTo(c.selected());
        }
        assertThat(RulesView.empty("node-1").fqdnSelected("cilium.io")).isFalse();
    }
}
