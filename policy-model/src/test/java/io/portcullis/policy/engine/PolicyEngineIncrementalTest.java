package io.portcullis.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Identities that appear, change labels and go away update cached policies incrementally (only the
 * peer's map entries); after every step each endpoint's policy must equal a resolution from scratch.
 */
class PolicyEngineIncrementalTest {

    private static final String[] APPS = {"web", "api", "db"};
    private static final String[] POLICIES = {
        cnp("api-from-web", "api", "ingress:\n  - fromEndpoints: [{matchLabels: {app: web}}]\n    toPorts: [{ports: [{port: '8080', protocol: TCP}]}]"),
        cnp("db-from-api", "db", "ingress:\n  - fromEndpoints: [{matchLabels: {app: api}}]\n    toPorts: [{ports: [{port: '5432', protocol: TCP}], rules: {}}]"),
        cnp("deny-canary", "db", "ingressDeny:\n  - fromEndpoints: [{matchLabels: {track: canary}}]"),
        cnp("web-egress", "web", "egress:\n  - toEndpoints: [{matchLabels: {app: api}}]\n    toPorts: [{ports: [{port: '8080', protocol: TCP}], rules: {http: [{method: GET}]}}]\n  - toEntities: [cluster]\n    toPorts: [{ports: [{port: '53', protocol: ANY}]}]"),
        cnp("l4-any", "api", "ingress:\n  - toPorts: [{ports: [{port: '9000', endPort: 9010, protocol: TCP}]}]\n  - fromEndpoints: [{matchLabels: {track: canary}}]"),
        """
        apiVersion: cilium.io/v2
        kind: CiliumClusterwideNetworkPolicy
        metadata: {name: all-from-host}
        spec:
          endpointSelector: {}
          ingress:
          - fromEntities: [host, cluster]
            toPorts: [{ports: [{port: '8080', protocol: TCP}]}]
          ingressDeny:
          - fromEndpoints: [{matchLabels: {app: db}}]
            toPorts: [{ports: [{port: '8080', protocol: TCP}]}]
        """,
    };

    private static String cnp(String name, String app, String body) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: %s, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {app: %s}}
                  %s
                """.formatted(name, app, body.replace("\n", "\n  "));
    }

    @RepeatedTest(25)
    void incrementalEqualsFromScratch(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        PolicyEngine engine = new PolicyEngine(EngineConfig.DEFAULT);
        for (ReservedIdentity ri : ReservedIdentity.values()) {
            engine.upsertIdentity(ri.identity());
        }
        for (String p : POLICIES) {
            engine.upsertPolicy(TestPolicies.yaml(p));
        }
        Map<Long, Identity> live = new LinkedHashMap<>();
        long next = 1000;
        for (int step = 0; step < 40; step++) {
            int op = live.isEmpty() ? 0 : r.nextInt(4);
            if (op <= 1) {
                Identity id = random(next++, r);
                live.put(id.id(), id);
                engine.upsertIdentity(id);
            } else if (op == 2) {
                long id = pick(live, r);
                Identity changed = random(id, r);
                live.put(id, changed);
                engine.upsertIdentity(changed);
            } else {
                long id = pick(live, r);
                live.remove(id);
                engine.removeIdentity(id);
            }
            for (Identity id : live.values()) {
                Subject s = new Subject(id, Map.of("http", 8080));
                EndpointPolicy fresh = PolicyResolver.resolve(s, engine.selectingRules(id), engine.selectorCache(), Map.of());
                assertThat(engine.policyFor(s)).as("step %d, subject %s", step, id).isEqualTo(fresh);
            }
        }
    }

    private static Identity random(long id, Random r) {
        List<String> labels = new ArrayList<>();
        labels.add("app=" + APPS[r.nextInt(APPS.length)]);
        labels.add("track=" + (r.nextBoolean() ? "stable" : "canary"));
        labels.add("io.kubernetes.pod.namespace=default");
        labels.add("io.cilium.k8s.policy.cluster=default");
        return TestPolicies.identity(id, labels.toArray(String[]::new));
    }

    private static long pick(Map<Long, Identity> live, Random r) {
        return new ArrayList<>(live.keySet()).get(r.nextInt(live.size()));
    }
}
