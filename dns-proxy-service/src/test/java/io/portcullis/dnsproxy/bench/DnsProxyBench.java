package io.portcullis.dnsproxy.bench;

import io.portcullis.dnsproxy.mesh.SnapshotStore;
import io.portcullis.dnsproxy.rules.RuleState;
import io.portcullis.dnsproxy.rules.RuleTopics;
import io.portcullis.dnsproxy.support.AgentStandIn;
import io.portcullis.testsupport.mesh.ControlPlaneDouble;
import io.portcullis.dnsproxy.support.DnsStackResource;
import io.portcullis.dnsproxy.support.TestUpstream;
import io.portcullis.dnsproxy.support.UdpDns;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Helpers for bench/run-dns-proxy.sh (not a test; never run by {@code mvn verify}):
 * <ul>
 *   <li>{@code snapshot DIR}: a rules snapshot of the seed's tofqdn-dns-visibility case for node-1</li>
 *   <li>{@code agent}: the node-agent stand-in (await-ips answers realized at once); prints its URL, runs until killed</li>
 *   <li>{@code upstream}: our authoritative server (n&lt;i&gt;.cilium.io and special&lt;i&gt;service.api.cilium.io get a fresh address per i); prints its port</li>
 *   <li>{@code freeport N}: N distinct free UDP+TCP loopback ports</li>
 *   <li>{@code latency PORT SOURCE NAME N}: N sequential queries, prints {@code p50_us p99_us lost}</li>
 *   <li>{@code hold PORT SOURCE FROM N}: N sequential queries for fresh names special&lt;FROM..&gt;service.api.cilium.io (selected by the seed's toFQDNs, so each answer is held)</li>
 *   <li>{@code stats URL}: the proxy's stats JSON</li>
 * </ul>
 */
public final class DnsProxyBench {

    private DnsProxyBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "snapshot" -> {
                RuleState rules = new RuleState("node-1", new RuleTopics(ControlPlaneDouble.ENDPOINTS, ControlPlaneDouble.IDENTITIES,
                        ControlPlaneDouble.IPCACHE, ControlPlaneDouble.ENDPOINT_IDENTITIES, ControlPlaneDouble.ENDPOINT_POLICIES));
                new ControlPlaneDouble("node-1").records(ControlPlaneDouble.loadCase("seed-tofqdn-dns-visibility"), 1)
                        .forEach(r -> rules.apply(r.topic(), r.key(), r.value()));
                new SnapshotStore(Path.of(args[1]), "node-1").write(rules);
            }
            case "agent" -> {
                AgentStandIn agent = new AgentStandIn();
                System.out.println(agent.url());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            case "upstream" -> {
                TestUpstream up = new TestUpstream();
                System.out.println(up.port());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            case "freeport" -> {
                java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
                while (ports.size() < Integer.parseInt(args[1])) {
                    ports.add(DnsStackResource.freeUdpAndTcpPort());
                }
                System.out.println(String.join(" ", ports.stream().map(String::valueOf).toList()));
            }
            case "latency" -> latency(Integer.parseInt(args[1]), args[2], args[3], Integer.parseInt(args[4]));
            case "hold" -> hold(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "stats" -> System.out.println(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(args[1])).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void latency(int port, String source, String name, int n) throws Exception {
        long[] us = new long[n];
        int lost = 0;
        int got = 0;
        try (UdpDns c = new UdpDns(source, port)) {
            for (int i = 0; i < 200; i++) { // warm-up
                c.ask(name, 1000);
            }
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                Message m = c.ask(name, 1000);
                if (m == null || m.getRcode() != Rcode.NOERROR) {
                    lost++;
                    continue;
                }
                us[got++] = (System.nanoTime() - t0) / 1000;
            }
        }
        long[] s = Arrays.copyOf(us, got);
        Arrays.sort(s);
        System.out.println(s[(int) ((got - 1) * 0.5)] + " " + s[(int) ((got - 1) * 0.99)] + " " + lost);
    }

    private static void hold(int port, String source, int from, int n) throws Exception {
        int failed = 0;
        try (UdpDns c = new UdpDns(source, port)) {
            for (int i = from; i < from + n; i++) {
                Message m = c.ask("special" + i + "service.api.cilium.io", 2000);
                if (m == null || m.getRcode() != Rcode.NOERROR) {
                    failed++;
                }
            }
        }
        System.out.println(failed);
    }
}
