package io.portcullis.agent.verdict;

import static io.portcullis.agent.ControlPlaneDouble.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.agent.ControlPlaneDouble;
import io.portcullis.agent.realized.RealizedReports;
import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.mesh.TopicHandlers;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.EndpointState;
import io.portcullis.agent.state.Fixtures;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.MeshJson;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.l7.http.HttpRequest;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Decision;
import io.portcullis.policy.verdict.L7Request;
import io.portcullis.policy.verdict.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verdict requests → flows on realized state; the seed-l7-rule case decided end to end without Kafka. */
class FlowMapperTest {

    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: only-client, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: server}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: client}}]
                toPorts: [{ports: [{port: "80", protocol: TCP}]}]
            """;

    private final NodeState node = new NodeState(Fixtures.NODE);
    private final ClusterIdentities cluster = new ClusterIdentities();
    private final TopicHandlers handlers = new TopicHandlers(node, cluster, new RealizedReports());
    private final ControlPlaneDouble plane = new ControlPlaneDouble(Fixtures.NODE);

    private static CaseEndpoint endpoint(String name, String ip) {
        return new CaseEndpoint(name, "default", Map.of("app", name), null, null, List.of(ip), null);
    }

    /** client and server registered and realized at revision 1 under POLICY. */
    private void clientAndServer() {
        for (CaseEndpoint e : List.of(endpoint("client", "127.10.0.2"), endpoint("server", "127.10.0.3"))) {
            feed(handlers, List.of(new ControlPlaneDouble.MeshRecord(ControlPlaneDouble.ENDPOINTS,
                    Fixtures.NODE + "/" + e.key(), MeshJson.encode(
                            io.portcullis.agent.endpoint.EndpointValidation.toRecord(Fixtures.NODE,
                                    new io.portcullis.agent.endpoint.EndpointRequest(e.name(), e.namespace(),
                                            e.labels(), null, null, e.ips(), null))))));
            feed(handlers, plane.register(e));
        }
        feed(handlers, plane.apply(POLICY, 1));
    }

    private static VerdictRequest.Target ep(String id) {
        return new VerdictRequest.Target(id, null);
    }

    private static VerdictRequest.Target ip(String ip) {
        return new VerdictRequest.Target(null, ip);
    }

    private Verdict decide(VerdictRequest r) {
        return Decider.decide(FlowMapper.map(r, node.snapshot(), cluster).flow());
    }

    @Test
    void everyCheckOfTheSeedL7RuleCaseFromRealizedRecords() {
        ConformanceCase c = ControlPlaneDouble.loadCase("seed-l7-rule");
        for (CaseEndpoint e : c.endpointsOrEmpty()) {
            feed(handlers, List.of(new ControlPlaneDouble.MeshRecord(ControlPlaneDouble.ENDPOINTS,
                    Fixtures.NODE + "/" + e.key(), MeshJson.encode(io.portcullis.agent.endpoint.EndpointValidation.toRecord(
                            Fixtures.NODE, new io.portcullis.agent.endpoint.EndpointRequest(e.name(), e.namespace(),
                                    e.labels(), e.namespaceLabels(), e.serviceAccount(), e.ips(), e.namedPorts()))))));
            feed(handlers, plane.register(e));
        }
        feed(handlers, plane.apply(c.policies(), 7));
        assertThat(node.snapshot().endpoints().values()).allSatisfy(e -> assertThat(e.state()).isEqualTo(EndpointState.READY));
        for (ConformanceCase.Check check : c.allSteps().getFirst().checksOrEmpty()) {
            VerdictRequest r = MeshJson.mapper().convertValue(ControlPlaneDouble.verdictBody(check), VerdictRequest.class);
            assertThat(decide(r).verdict().name()).as(check.toString()).isEqualTo(check.expect());
        }
    }

    @Test
    void anAddressOfALocalEndpointIsThatEndpointAndOtherAddressesGoThroughTheIpcache() {
        clientAndServer();
        FlowMapper.Mapped m = FlowMapper.map(new VerdictRequest(ip("127.10.0.2"), ip("127.200.0.1"), 80, "TCP",
                null, null, null), node.snapshot(), cluster);
        assertThat(m.flow().source().isLocalEndpoint()).isTrue();
        assertThat(m.from().endpoint()).isEqualTo("default/client");
        assertThat(m.from().identity()).isEqualTo(plane.identityOf("default/client"));
        assertThat(m.to().local()).isFalse();
        assertThat(m.to().identity()).as("world").isEqualTo(2);
        assertThat(m.flow().protocol()).isEqualTo(Protocol.TCP);

        Verdict v = decide(new VerdictRequest(ip("127.10.0.2"), ep("default/server"), 80, "tcp", null, null, null));
        assertThat(v.verdict()).isEqualTo(Decision.ALLOWED);
        assertThat(v.policies()).containsExactly("default/only-client");
        Verdict fromWorld = decide(new VerdictRequest(ip("127.200.0.1"), ep("default/server"), 80, "TCP", null, null, null));
        assertThat(fromWorld.verdict()).isEqualTo(Decision.DENIED);
        assertThat(fromWorld.egress().decision()).isEqualTo(Decision.NOT_EVALUATED);
    }

    @Test
    void l7PartsBecomeTheRequestTheProxyWouldSee() {
        clientAndServer();
        FlowMapper.Mapped m = FlowMapper.map(new VerdictRequest(ep("default/client"), ep("default/server"), 80, "TCP",
                new VerdictRequest.Http("GET", "/x", "example.com", Map.of("X-A", "1")), null, null), node.snapshot(), cluster);
        assertThat(m.flow().l7()).isEqualTo(new L7Request.Http(new HttpRequest("GET", "/x", "example.com", Map.of("x-a", List.of("1")))));
        m = FlowMapper.map(new VerdictRequest(ep("default/client"), ep("default/server"), 9092, "TCP", null,
                new VerdictRequest.Kafka("produce", 3, "c", List.of("t")), null), node.snapshot(), cluster);
        assertThat(m.flow().l7()).isEqualTo(new L7Request.Kafka("produce", 3, "c", List.of("t")));
        m = FlowMapper.map(new VerdictRequest(ep("default/client"), ip("127.0.0.53"), 53, "UDP", null, null,
                new VerdictRequest.Dns("cilium.io")), node.snapshot(), cluster);
        assertThat(m.flow().l7()).isEqualTo(new L7Request.Dns("cilium.io"));
    }

    @Test
    void anEndpointWithoutARealizedMapFailsClosedBothWays() {
        clientAndServer();
        feed(handlers, List.of(new ControlPlaneDouble.MeshRecord(ControlPlaneDouble.ENDPOINTS, "node-1/default/new",
                MeshJson.encode(Fixtures.spec("default/new", "127.10.0.9")))));
        Verdict out = decide(new VerdictRequest(ep("default/new"), ip("127.200.0.1"), 443, "TCP", null, null, null));
        assertThat(out.verdict()).isEqualTo(Decision.DENIED);
        assertThat(out.reason()).contains("waiting for policy").contains("waiting-for-identity");
        FlowMapper.Mapped m = FlowMapper.map(new VerdictRequest(ep("default/new"), ip("127.200.0.1"), 443, "TCP",
                null, null, null), node.snapshot(), cluster);
        assertThat(m.from().identity()).as("reserved:init").isEqualTo(ReservedIdentity.INIT.id());

        feed(handlers, plane.register(endpoint("new", "127.10.0.9")));
        Verdict in = decide(new VerdictRequest(ep("default/client"), ip("127.10.0.9"), 80, "TCP", null, null, null));
        assertThat(in.verdict()).isEqualTo(Decision.DENIED);
        assertThat(in.ingress().reason()).contains("waiting for policy").contains("waiting-for-policy");
        assertThat(in.egress().decision()).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        clientAndServer();
        assertRejected(new VerdictRequest(null, ep("default/server"), 80, "TCP", null, null, null), 400, "from is required");
        assertRejected(new VerdictRequest(new VerdictRequest.Target("default/client", "127.0.0.1"), ep("default/server"),
                80, "TCP", null, null, null), 400, "exactly one of endpoint and ip");
        assertRejected(new VerdictRequest(ip("127.0.0.300"), ep("default/server"), 80, "TCP", null, null, null), 400,
                "from.ip: not an IP address");
        assertRejected(new VerdictRequest(ep("default/nobody"), ep("default/server"), 80, "TCP", null, null, null), 422,
                "no endpoint default/nobody");
        assertRejected(new VerdictRequest(ep("default/client"), ep("default/server"), null, "TCP", null, null, null), 400,
                "port is required");
        assertRejected(new VerdictRequest(ep("default/client"), ep("default/server"), 65536, "TCP", null, null, null), 400,
                "between 0 and 65535");
        assertRejected(new VerdictRequest(ep("default/client"), ep("default/server"), 80, "QUIC", null, null, null), 400,
                "unknown protocol 'QUIC'");
        assertRejected(new VerdictRequest(ep("default/client"), ep("default/server"), 80, null, null, null, null), 400,
                "protocol is required");
        assertRejected(new VerdictRequest(ep("default/client"), ep("default/server"), 80, "TCP",
                new VerdictRequest.Http("GET", "/", null, null), null, new VerdictRequest.Dns("x")), 400, "at most one of");
        assertRejected(new VerdictRequest(ep("default/client"), ep("default/server"), 80, "TCP", null,
                new VerdictRequest.Kafka(null, null, null, null), null), 400, "kafka.apiKey is required");
    }

    private void assertRejected(VerdictRequest r, int status, String message) {
        assertThatThrownBy(() -> FlowMapper.map(r, node.snapshot(), cluster))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
