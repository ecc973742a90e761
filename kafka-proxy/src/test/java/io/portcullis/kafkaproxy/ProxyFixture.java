package io.portcullis.kafkaproxy;

import io.portcullis.kafkaproxy.spi.KafkaFlow;
import io.portcullis.kafkaproxy.spi.KafkaPolicy;
import io.portcullis.kafkaproxy.spi.Source;
import io.portcullis.kafkaproxy.spi.SourceResolver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/** A started proxy in front of one broker, recording its flows. */
final class ProxyFixture implements AutoCloseable {

    final KafkaProxy proxy;
    final InetSocketAddress listen;
    final ConcurrentLinkedQueue<KafkaFlow> flows = new ConcurrentLinkedQueue<>();

    ProxyFixture(String brokerBootstrap, String listenIp, SourceResolver resolver, KafkaPolicy policy) throws InterruptedException {
        proxy = new KafkaProxy(List.of(new BrokerRoute(new InetSocketAddress(listenIp, 0), brokerAddress(brokerBootstrap))),
                resolver, policy, flows::add, 1);
        listen = proxy.start().get(0).listen();
    }

    String bootstrap() {
        return listen.getHostString() + ":" + listen.getPort();
    }

    /** Every connection is this endpoint (real Kafka clients cannot choose their source address). */
    static SourceResolver fixed(String endpoint) {
        return (remote, local) -> new Source(remote, endpoint);
    }

    /** Endpoint by the client's source IP. */
    static SourceResolver byIp(Map<String, String> endpointByIp) {
        Function<InetSocketAddress, String> f = a -> endpointByIp.getOrDefault(a.getAddress().getHostAddress(), "");
        return (remote, local) -> new Source(remote, f.apply(remote));
    }

    static InetSocketAddress brokerAddress(String bootstrap) {
        String hostPort = bootstrap.contains("//") ? bootstrap.substring(bootstrap.indexOf("//") + 2) : bootstrap;
        hostPort = hostPort.split(",")[0];
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public void close() {
        proxy.close();
    }
}
