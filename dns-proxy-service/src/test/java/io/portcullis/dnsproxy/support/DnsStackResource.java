package io.portcullis.dnsproxy.support;

import io.portcullis.testsupport.mesh.ControlPlaneDouble;
import io.portcullis.mesh.runtime.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the proxy runs against in its end-to-end tests: a real broker in the JVM with the seed's
 * {@code tofqdn-dns-visibility} case published on it (as the control plane would), our own authoritative
 * server on a loopback port as the upstream, and the node-agent stand-in for the hold.
 */
public class DnsStackResource implements QuarkusTestResourceLifecycleManager {

    public static final String NODE = "node-1";
    public static final String SHIP = "127.10.4.2";
    public static final String KUBE_DNS = "127.10.4.53";

    public static volatile EmbeddedKafkaBroker broker;
    public static volatile TestUpstream upstream;
    public static volatile AgentStandIn agent;
    public static volatile int dnsPort;
    public static volatile Path stateDir;

    @Override
    public Map<String, String> start() {
        try {
            broker = TestBroker.start();
            upstream = new TestUpstream()
                    .put("cilium.io", "127.200.4.10")
                    .put("sub.cilium.io", "127.200.4.11")
                    .put("anothersub.cilium.io", "127.200.4.12")
                    .put("x.api.cilium.io", "127.200.4.15")
                    .put("a.b.cilium.io", "127.200.4.16")
                    .put("example.com", "127.200.4.17")
                    .put("target.example.net", "127.200.5.1", "127.200.5.2");
            String[] many = new String[60];
            for (int i = 0; i < many.length; i++) {
                many[i] = "127.201.0." + (i + 1);
            }
            upstream.put("big.cilium.io", many);
            agent = new AgentStandIn();
            dnsPort = freeUdpAndTcpPort();
            seed(broker.getAdvertisedListeners());
            Path state = Files.createTempDirectory("dns-proxy-state");
            stateDir = state;
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", broker.getAdvertisedListeners());
            config.put("portcullis.dns.port", Integer.toString(dnsPort));
            config.put("portcullis.dns-proxy.upstream", "127.0.0.1:" + upstream.port());
            config.put("portcullis.dns-proxy.server-address", KUBE_DNS);
            config.put("portcullis.dns-proxy.node-agent-url", agent.url());
            config.put("portcullis.dns-proxy.state-dir", state.toString());
            config.put("portcullis.dns-proxy.upstream-timeout", "PT1S");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void seed(String bootstrap) {
        List<String> topics = List.of(ControlPlaneDouble.ENDPOINTS, ControlPlaneDouble.IDENTITIES, ControlPlaneDouble.IPCACHE,
                ControlPlaneDouble.ENDPOINT_IDENTITIES, ControlPlaneDouble.ENDPOINT_POLICIES, ControlPlaneDouble.OBSERVATIONS);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact"))).toList()).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        publish(bootstrap, new ControlPlaneDouble(NODE).records(ControlPlaneDouble.loadCase("seed-tofqdn-dns-visibility"), 1));
    }

    /** Sends records as the control plane would (a null value is a tombstone). */
    public static void publish(String bootstrap, List<ControlPlaneDouble.MeshRecord> records) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (ControlPlaneDouble.MeshRecord r : records) {
                producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    public static int freeUdpAndTcpPort() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, lo);
                 DatagramSocket d = new DatagramSocket(new InetSocketAddress(lo, s.getLocalPort()))) {
                return s.getLocalPort();
            } catch (IOException e) {
                // UDP side taken: try another
            }
        }
        throw new IOException("no free port");
    }

    @Override
    public void stop() {
        if (agent != null) {
            agent.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
