package io.portcullis.dnsproxy.support;

import io.portcullis.testsupport.mesh.ControlPlaneDouble;
import io.portcullis.dnsproxy.mesh.SnapshotStore;
import io.portcullis.dnsproxy.rules.RuleState;
import io.portcullis.dnsproxy.rules.RuleTopics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A restart while the control plane is unreachable: no broker at the configured address, only the snapshot
 * a previous run left in the state dir (the seed's DNS case), and the upstream.
 */
public class RestoredOnlyResource implements QuarkusTestResourceLifecycleManager {

    public static volatile TestUpstream upstream;
    public static volatile int dnsPort;

    @Override
    public Map<String, String> start() {
        try {
            upstream = new TestUpstream().put("cilium.io", "127.200.4.10").put("example.com", "127.200.4.17");
            dnsPort = DnsStackResource.freeUdpAndTcpPort();
            Path state = Files.createTempDirectory("dns-proxy-restore");
            RuleState rules = new RuleState(DnsStackResource.NODE, new RuleTopics(ControlPlaneDouble.ENDPOINTS,
                    ControlPlaneDouble.IDENTITIES, ControlPlaneDouble.IPCACHE, ControlPlaneDouble.ENDPOINT_IDENTITIES, ControlPlaneDouble.ENDPOINT_POLICIES));
            new ControlPlaneDouble(DnsStackResource.NODE).records(ControlPlaneDouble.loadCase("seed-tofqdn-dns-visibility"), 1)
                    .forEach(r -> rules.apply(r.topic(), r.key(), r.value()));
            new SnapshotStore(state, DnsStackResource.NODE).write(rules);
            int deadPort = DnsStackResource.freeUdpAndTcpPort();
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:" + deadPort,
                    "portcullis.dns.port", Integer.toString(dnsPort),
                    "portcullis.dns-proxy.upstream", "127.0.0.1:" + upstream.port(),
                    "portcullis.dns-proxy.server-address", DnsStackResource.KUBE_DNS,
                    "portcullis.dns-proxy.node-agent-url", "http://127.0.0.1:" + deadPort,
                    "portcullis.dns-proxy.state-dir", state.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
