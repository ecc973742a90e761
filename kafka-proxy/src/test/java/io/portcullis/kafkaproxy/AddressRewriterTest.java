package io.portcullis.kafkaproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.junit.jupiter.api.Test;

/** Broker addresses in the three responses that carry them → the proxy listener of that broker. */
class AddressRewriterTest {

    final AddressRewriter rewriter = new AddressRewriter(List.of(
            new BrokerRoute(new InetSocketAddress("127.50.9.1", 19092), InetSocketAddress.createUnresolved("broker-1", 9092)),
            new BrokerRoute(new InetSocketAddress("127.50.9.2", 19092), new InetSocketAddress("127.0.0.1", 9093))));

    @Test
    void metadataBrokersWithARouteAreRewrittenOthersAreLeftAndCounted() {
        MetadataResponseData d = new MetadataResponseData();
        d.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("broker-1").setPort(9092));
        d.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(2).setHost("127.0.0.1").setPort(9093));
        d.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(3).setHost("broker-3").setPort(9092));
        assertThat(rewriter.rewrite(d)).isEqualTo(1);
        assertThat(d.brokers()).extracting(b -> b.host() + ":" + b.port())
                .containsExactly("127.50.9.1:19092", "127.50.9.2:19092", "broker-3:9092");
    }

    @Test
    void findCoordinatorOldAndNewShapes() {
        FindCoordinatorResponseData v3 = new FindCoordinatorResponseData().setHost("broker-1").setPort(9092);
        assertThat(rewriter.rewrite(v3)).isZero();
        assertThat(v3.host() + ":" + v3.port()).isEqualTo("127.50.9.1:19092");

        FindCoordinatorResponseData v4 = new FindCoordinatorResponseData().setCoordinators(List.of(
                new FindCoordinatorResponseData.Coordinator().setKey("g").setHost("127.0.0.1").setPort(9093),
                new FindCoordinatorResponseData.Coordinator().setKey("h").setHost("").setPort(-1).setErrorCode((short) 15)));
        assertThat(rewriter.rewrite(v4)).isZero();
        assertThat(v4.coordinators()).extracting(c -> c.host() + ":" + c.port()).containsExactly("127.50.9.2:19092", ":-1");
    }

    @Test
    void describeClusterBrokers() {
        DescribeClusterResponseData d = new DescribeClusterResponseData();
        d.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker().setBrokerId(1).setHost("broker-1").setPort(9092));
        assertThat(rewriter.rewrite(d)).isZero();
        assertThat(d.brokers()).extracting(b -> b.host() + ":" + b.port()).containsExactly("127.50.9.1:19092");
    }
}
