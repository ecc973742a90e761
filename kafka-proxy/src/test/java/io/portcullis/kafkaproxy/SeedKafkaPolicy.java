package io.portcullis.kafkaproxy;

import io.portcullis.kafkaproxy.spi.KafkaDecision;
import io.portcullis.kafkaproxy.spi.KafkaPolicy;
import io.portcullis.kafkaproxy.spi.KafkaRequestInfo;
import io.portcullis.kafkaproxy.spi.Source;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.Check;
import io.portcullis.policy.conformance.ConformanceCase.KafkaCheck;
import io.portcullis.policy.conformance.ConformanceCase.Target;
import io.portcullis.policy.conformance.ConformanceCases;
import io.portcullis.policy.conformance.InProcessCluster;
import io.portcullis.policy.l7.kafka.KafkaApiKey;
import io.portcullis.policy.verdict.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test's {@link KafkaPolicy}, on the real engine: the seed case {@code seed-kafka-empire.yaml}
 * (endpoints and policy rule1, unchanged) in an {@link InProcessCluster}, plus two test policies:
 * empire-analyst may {@code role: consume} deathstar-plans, empire-admin has an L4-only rule (no
 * Kafka restriction). Each request becomes a conformance {@link Check} from the source endpoint to
 * default/kafka-broker:9092 and is answered by {@code Decider}. Denied topics are those denied on
 * their own (Cilium's all-topics-must-match makes that exactly the set to refuse).
 */
final class SeedKafkaPolicy implements KafkaPolicy {

    static final String BROKER = "default/kafka-broker";
    static final String EMPIRE_HQ = "default/empire-hq";
    static final String EMPIRE_OUTPOST = "default/empire-outpost";
    static final String EMPIRE_ANALYST = "default/empire-analyst";
    static final String EMPIRE_ADMIN = "default/empire-admin";

    private static final String TEST_POLICIES = """
            apiVersion: "cilium.io/v2"
            kind: CiliumNetworkPolicy
            metadata:
              name: "analyst-reads-plans"
            spec:
              endpointSelector:
                matchLabels:
                  app: kafka
              ingress:
              - fromEndpoints:
                - matchLabels:
                    app: empire-analyst
                toPorts:
                - ports:
                  - port: "9092"
                    protocol: TCP
                  rules:
                    kafka:
                    - role: "consume"
                      topic: "deathstar-plans"
            ---
            apiVersion: "cilium.io/v2"
            kind: CiliumNetworkPolicy
            metadata:
              name: "admin-l4"
            spec:
              endpointSelector:
                matchLabels:
                  app: kafka
              ingress:
              - fromEndpoints:
                - matchLabels:
                    app: empire-admin
                toPorts:
                - ports:
                  - port: "9092"
                    protocol: TCP
            """;

    private final InProcessCluster cluster = new InProcessCluster();

    SeedKafkaPolicy() {
        ConformanceCase seed;
        try {
            seed = ConformanceCases.load(ConformanceCases.sharedCasesDir().resolve("seed-kafka-empire.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        seed.endpointsOrEmpty().forEach(cluster::addEndpoint);
        cluster.addEndpoint(new ConformanceCase.CaseEndpoint("empire-analyst", "default", Map.of("app", "empire-analyst"),
                null, null, List.of("127.10.3.4"), null));
        cluster.addEndpoint(new ConformanceCase.CaseEndpoint("empire-admin", "default", Map.of("app", "empire-admin"),
                null, null, List.of("127.10.3.5"), null));
        apply(seed.policies());
        apply(TEST_POLICIES);
    }

    private void apply(String yaml) {
        ParseResult r = cluster.apply(yaml);
        if (!r.errors().isEmpty()) {
            throw new IllegalStateException("policy rejected: " + r.errors());
        }
    }

    @Override
    public synchronized KafkaDecision decide(Source source, InetSocketAddress destination, KafkaRequestInfo request) {
        Verdict v = check(source.identity(), request, request.topics());
        if (v.allowed()) {
            return KafkaDecision.allowed(Set.copyOf(v.policies()), v.reason());
        }
        Set<String> denied = new LinkedHashSet<>();
        if (request.topics().size() > 1) {
            for (String t : request.topics()) {
                if (!check(source.identity(), request, List.of(t)).allowed()) {
                    denied.add(t);
                }
            }
        }
        return KafkaDecision.denied(Set.copyOf(v.policies()), denied, v.reason());
    }

    private Verdict check(String from, KafkaRequestInfo r, List<String> topics) {
        KafkaCheck kafka = new KafkaCheck(KafkaApiKey.nameOf(r.apiKey()), (int) r.apiVersion(), r.clientId(), topics);
        return cluster.check(new Check(new Target(from, null), new Target(BROKER, null), 9092, "TCP", null, kafka, null, null));
    }
}
