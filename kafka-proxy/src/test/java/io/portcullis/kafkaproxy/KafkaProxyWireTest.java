package io.portcullis.kafkaproxy;

import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_ADMIN;
import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_ANALYST;
import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_HQ;
import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_OUTPOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.kafkaproxy.spi.KafkaDecision;
import io.portcullis.kafkaproxy.spi.KafkaFlow;
import io.portcullis.kafkaproxy.spi.KafkaPolicy;
import io.portcullis.mesh.runtime.TestBroker;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy on the wire: raw connections from chosen source addresses (so one proxy serves several
 * identities), requests and responses built and parsed with kafka-clients' message classes, against a
 * real KRaft broker and the seed policy on the real engine.
 */
class KafkaProxyWireTest {

    static final String HQ_IP = "127.50.0.2";
    static final String OUTPOST_IP = "127.50.0.3";
    static final String ANALYST_IP = "127.50.0.4";
    static final String ADMIN_IP = "127.50.0.5";
    static final String PLANS = "deathstar-plans";
    static final String ANNOUNCE = "empire-announce";
    static final String REBEL = "rebel-chatter";

    static EmbeddedKafkaBroker broker;
    static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getAdvertisedListeners()))) {
            admin.createTopics(Stream.of(PLANS, ANNOUNCE, REBEL).map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }
        fixture = new ProxyFixture(broker.getAdvertisedListeners(), "127.50.0.1",
                ProxyFixture.byIp(Map.of(HQ_IP, EMPIRE_HQ, OUTPOST_IP, EMPIRE_OUTPOST, ANALYST_IP, EMPIRE_ANALYST, ADMIN_IP, EMPIRE_ADMIN)),
                new SeedKafkaPolicy());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static MetadataRequestData metadata(short version, String... topics) {
        List<MetadataRequestData.MetadataRequestTopic> list = new ArrayList<>();
        for (String t : topics) {
            list.add(new MetadataRequestData.MetadataRequestTopic().setName(t));
        }
        MetadataRequestData d = new MetadataRequestData().setTopics(list);
        return version >= 4 ? d.setAllowAutoTopicCreation(false) : d;
    }

    static ProduceRequestData produce(String name, Uuid id, short acks) {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(name).setTopicId(id)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(10_000).setTopicData(topics);
    }

    static FetchRequestData fetch(String name, Uuid id) {
        return new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(name).setTopicId(id)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20)))));
    }

    static MetadataResponseData.MetadataResponseTopic topic(MetadataResponse r, String name) {
        return r.data().topics().find(name);
    }

    static Uuid topicId(WireClient c, String name) throws IOException {
        MetadataResponse r = (MetadataResponse) c.call(metadata((short) 13, name), (short) 13);
        assertThat(topic(r, name).errorCode()).isEqualTo(Errors.NONE.code());
        return topic(r, name).topicId();
    }

    static List<Short> produceErrors(ProduceResponse r) {
        List<Short> out = new ArrayList<>();
        for (ProduceResponseData.TopicProduceResponse t : r.data().responses()) {
            t.partitionResponses().forEach(p -> out.add(p.errorCode()));
        }
        return out;
    }

    static List<Short> fetchErrors(FetchResponse r) {
        List<Short> out = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse t : r.data().responses()) {
            t.partitions().forEach(p -> out.add(p.errorCode()));
        }
        return out;
    }

    @Test
    void metadataIsFilteredPerTopicAndBrokersPointAtTheProxy() throws IOException {
        try (WireClient hq = new WireClient(fixture.listen, HQ_IP)) {
            MetadataResponse r = (MetadataResponse) hq.call(metadata((short) 13, PLANS, REBEL), (short) 13);
            assertThat(topic(r, PLANS).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(topic(r, PLANS).partitions()).hasSize(1);
            assertThat(topic(r, REBEL).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            assertThat(topic(r, REBEL).partitions()).isEmpty();
            assertThat(r.data().brokers()).singleElement().satisfies(b -> {
                assertThat(b.host()).isEqualTo(fixture.listen.getHostString());
                assertThat(b.port()).isEqualTo(fixture.listen.getPort());
            });
            // "All topics" is refused under topic rules: the broker list comes back, no topic does.
            MetadataResponse all = (MetadataResponse) hq.call(new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false), (short) 13);
            assertThat(all.data().topics()).isEmpty();
            assertThat(all.data().brokers()).hasSize(1);
        }
        assertThat(fixture.flows).anySatisfy(f -> {
            assertThat(f.apiKey()).isEqualTo(ApiKeys.METADATA.id);
            assertThat(f.verdict()).isEqualTo(KafkaDecision.Outcome.DENIED);
            assertThat(f.topics()).containsExactly(PLANS, REBEL);
            assertThat(f.deniedTopics()).containsExactly(REBEL);
            assertThat(f.source().identity()).isEqualTo(EMPIRE_HQ);
            assertThat(f.policies()).anyMatch(p -> p.contains("rule1"));
        });
    }

    /** Produce v3..v12 name topics, v13 uses topic ids: both paths, flexible (v9+) and not. */
    static Stream<Arguments> produceVersions() {
        return Stream.of(Arguments.of((short) 3), Arguments.of((short) 8), Arguments.of((short) 9), Arguments.of((short) 12),
                Arguments.of((short) 13));
    }

    @ParameterizedTest
    @MethodSource("produceVersions")
    void deniedProduceGetsTopicAuthorizationFailedAndTheConnectionStaysUsable(short version) throws IOException {
        try (WireClient hq = new WireClient(fixture.listen, HQ_IP); WireClient admin = new WireClient(fixture.listen, ADMIN_IP)) {
            Uuid plans = topicId(hq, PLANS);
            Uuid rebel = topicId(admin, REBEL); // the proxy learns rebel-chatter's id from the admin's lookup

            ProduceResponse denied = (ProduceResponse) hq.call(produce(REBEL, rebel, (short) 1), version);
            assertThat(produceErrors(denied)).containsExactly(Errors.TOPIC_AUTHORIZATION_FAILED.code());

            ProduceResponse allowed = (ProduceResponse) hq.call(produce(PLANS, plans, (short) 1), version);
            assertThat(produceErrors(allowed)).containsExactly(Errors.NONE.code());

            ApiVersionsResponse versions = (ApiVersionsResponse) hq.call(new ApiVersionsRequestData()
                    .setClientSoftwareName("wire-test").setClientSoftwareVersion("1"), (short) 3);
            assertThat(versions.data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void aTopicIdTheProxyNeverSawIsDenied() throws IOException {
        try (WireClient hq = new WireClient(fixture.listen, HQ_IP)) {
            ProduceResponse r = (ProduceResponse) hq.call(produce("", Uuid.randomUuid(), (short) 1), (short) 13);
            assertThat(produceErrors(r)).containsExactly(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
    }

    @Test
    void deniedFetchGetsPerPartitionErrorsAndTheNextRequestWorks() throws IOException {
        try (WireClient hq = new WireClient(fixture.listen, HQ_IP); WireClient analyst = new WireClient(fixture.listen, ANALYST_IP)) {
            Uuid plans = topicId(hq, PLANS);
            assertThat(produceErrors((ProduceResponse) hq.call(produce(PLANS, plans, (short) -1), (short) 13)))
                    .containsExactly(Errors.NONE.code());

            for (short v : new short[] {4, 12, 13, 17}) {
                FetchResponse denied = (FetchResponse) hq.call(fetch(PLANS, plans), v);
                assertThat(denied.error()).isEqualTo(Errors.NONE);
                assertThat(fetchErrors(denied)).as("fetch v%d", v).containsExactly(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            }
            assertThat(topicId(hq, PLANS)).isEqualTo(plans);

            FetchResponse allowed = (FetchResponse) analyst.call(fetch(PLANS, plans), (short) 17);
            assertThat(fetchErrors(allowed)).containsExactly(Errors.NONE.code());
            assertThat(allowed.data().responses().get(0).partitions().get(0).highWatermark()).isPositive();
        }
    }

    @Test
    void answersLeaveInRequestOrderWhenDeniedAndForwardedRequestsArePipelined() throws IOException {
        try (WireClient hq = new WireClient(fixture.listen, HQ_IP)) {
            Uuid plans = topicId(hq, PLANS);
            List<RequestHeader> sent = new ArrayList<>();
            List<RequestHeader> unanswered = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(hq.send(metadata((short) 12, PLANS), (short) 12));
                sent.add(hq.send(produce(REBEL, Uuid.ZERO_UUID, (short) 1), (short) 12));
                sent.add(hq.send(produce(PLANS, plans, (short) 1), (short) 13));
                sent.add(hq.send(fetch(PLANS, plans), (short) 17));
                unanswered.add(hq.send(produce(REBEL, Uuid.ZERO_UUID, (short) 0), (short) 12)); // acks=0: no answer
                sent.add(hq.send(new ApiVersionsRequestData(), (short) 0));
            }
            for (RequestHeader h : sent) {
                // parseResponse checks the correlation id: an answer out of order fails here.
                assertThat(hq.receive(h).apiKey()).isEqualTo(h.apiKey());
            }
            assertThat(unanswered).hasSize(20);
        }
    }

    static Stream<Arguments> metadataVersions() {
        return Stream.of((short) 1, (short) 4, (short) 8, (short) 9, (short) 12, (short) 13).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("metadataVersions")
    void metadataFilteringWorksOnEveryVersion(short version) throws IOException {
        try (WireClient outpost = new WireClient(fixture.listen, OUTPOST_IP)) {
            MetadataResponse r = (MetadataResponse) outpost.call(metadata(version, ANNOUNCE), version);
            assertThat(topic(r, ANNOUNCE).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            assertThat(r.data().brokers()).singleElement().satisfies(b -> assertThat(b.port()).isEqualTo(fixture.listen.getPort()));
        }
    }

    @Test
    void metadataV0WithNothingAllowedIsAnsweredWithoutAskingTheBroker() throws IOException {
        try (WireClient outpost = new WireClient(fixture.listen, OUTPOST_IP)) {
            // v0: an empty list means all topics; nothing of it may come back.
            MetadataResponse all = (MetadataResponse) outpost.call(new MetadataRequestData().setTopics(List.of()), (short) 0);
            assertThat(all.data().topics()).isEmpty();
            MetadataResponse one = (MetadataResponse) outpost.call(metadata((short) 0, ANNOUNCE), (short) 0);
            assertThat(one.data().topics()).singleElement()
                    .satisfies(t -> assertThat(t.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("negative length", frame(-7, new byte[0])),
                Arguments.of("length over the limit", frame(Frames.MAX_FRAME + 1, new byte[0])),
                Arguments.of("shorter than a header", frame(3, new byte[] {0, 3, 0})),
                Arguments.of("unknown api key", frame(10, header((short) 999, (short) 0, 1))),
                Arguments.of("unsupported version", frame(10, header(ApiKeys.METADATA.id, (short) 99, 1))),
                Arguments.of("truncated produce body", frame(14, concat(header(ApiKeys.PRODUCE.id, (short) 12, 1), new byte[] {0, 0, 0, 5}))));
    }

    static byte[] header(short key, short version, int correlationId) {
        return ByteBuffer.allocate(10).putShort(key).putShort(version).putInt(correlationId).putShort((short) -1).array();
    }

    static byte[] frame(int length, byte[] body) {
        return concat(ByteBuffer.allocate(4).putInt(length).array(), body);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedFrameClosesOnlyItsConnection(String what, byte[] bytes) throws IOException {
        try (WireClient good = new WireClient(fixture.listen, HQ_IP); WireClient bad = new WireClient(fixture.listen, HQ_IP)) {
            topicId(good, PLANS);
            bad.sendRaw(bytes);
            assertThat(bad.read()).as(what).isEqualTo(-1);
            assertThat(topicId(good, PLANS)).isNotNull();
        }
    }

    @Test
    void everyDecisionIsRecorded() throws IOException {
        int before = fixture.flows.size();
        try (WireClient outpost = new WireClient(fixture.listen, OUTPOST_IP)) {
            ProduceResponse r = (ProduceResponse) outpost.call(produce(ANNOUNCE, Uuid.ZERO_UUID, (short) 1), (short) 11);
            assertThat(produceErrors(r)).containsExactly(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        List<KafkaFlow> mine = fixture.flows.stream().skip(before).filter(f -> f.source().identity().equals(EMPIRE_OUTPOST)).toList();
        assertThat(mine).singleElement().satisfies(f -> {
            assertThat(f.apiName()).isEqualTo("Produce");
            assertThat(f.apiVersion()).isEqualTo((short) 11);
            assertThat(f.clientId()).isEqualTo("wire-test");
            assertThat(f.topics()).containsExactly(ANNOUNCE);
            assertThat(f.verdict()).isEqualTo(KafkaDecision.Outcome.DENIED);
            assertThat(f.deniedTopics()).containsExactly(ANNOUNCE);
            assertThat(f.destination()).isEqualTo(fixture.proxy.routes().get(0).upstream());
        });
    }

    @Test
    void aSourceThePolicyCannotPlaceIsDenied() throws IOException {
        try (WireClient stranger = new WireClient(fixture.listen, "127.50.0.9")) {
            ProduceResponse r = (ProduceResponse) stranger.call(produce(PLANS, Uuid.ZERO_UUID, (short) 1), (short) 12);
            assertThat(produceErrors(r)).containsExactly(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        assertThat(fixture.flows).anySatisfy(f -> {
            assertThat(f.source().identity()).isEmpty();
            assertThat(f.verdict()).isEqualTo(KafkaDecision.Outcome.DENIED);
            assertThat(f.reason()).startsWith("policy error");
        });
    }

    @Test
    void auditForwardsWhatPolicyWouldDenyAndRecordsIt() throws Exception {
        SeedKafkaPolicy seed = new SeedKafkaPolicy();
        KafkaPolicy audit = (source, destination, request) -> {
            KafkaDecision d = seed.decide(source, destination, request);
            return d.forwards() ? d : new KafkaDecision(KafkaDecision.Outcome.AUDIT, d.policies(), d.deniedTopics(), d.reason());
        };
        try (ProxyFixture auditing = new ProxyFixture(broker.getAdvertisedListeners(), "127.50.0.1",
                ProxyFixture.fixed(EMPIRE_OUTPOST), audit);
                WireClient outpost = new WireClient(auditing.listen, OUTPOST_IP)) {
            ProduceResponse r = (ProduceResponse) outpost.call(produce(ANNOUNCE, Uuid.ZERO_UUID, (short) 1), (short) 12);
            assertThat(produceErrors(r)).containsExactly(Errors.NONE.code());
            assertThat(auditing.flows).anySatisfy(f -> {
                assertThat(f.apiKey()).isEqualTo(ApiKeys.PRODUCE.id);
                assertThat(f.verdict()).isEqualTo(KafkaDecision.Outcome.AUDIT);
                assertThat(f.deniedTopics()).containsExactly(ANNOUNCE);
            });
        }
    }

    @Test
    void closingTheProxyClosesItsConnections() throws Exception {
        ProxyFixture closing = new ProxyFixture(broker.getAdvertisedListeners(), "127.50.0.1",
                ProxyFixture.fixed(EMPIRE_HQ), new SeedKafkaPolicy());
        try (WireClient hq = new WireClient(closing.listen, HQ_IP)) {
            assertThat(topicId(hq, PLANS)).isNotNull();
            closing.close();
            assertThat(hq.read()).isEqualTo(-1);
        }
    }

    @Test
    void anUnreachableBrokerClosesTheClientConnection() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.50.0.8"))) {
            closedPort = s.getLocalPort();
        }
        try (ProxyFixture nowhere = new ProxyFixture("127.50.0.8:" + closedPort, "127.50.0.1", ProxyFixture.fixed(EMPIRE_HQ),
                new SeedKafkaPolicy());
                WireClient hq = new WireClient(nowhere.listen, HQ_IP)) {
            assertThat(hq.read()).isEqualTo(-1);
            assertThat(nowhere.flows).isEmpty();
        }
    }
}
